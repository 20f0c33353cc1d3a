"""What the schema cannot check: keys, references, units, claims and times across records."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from supportdesk.catalogue_reader import parse_catalogue
from supportdesk.catalogue_records import CatalogueError
from tests.supportdesk import catalogue_example as example

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def problems(doc: dict) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(doc, NOW)
    return caught.value.problems


def two_orders() -> dict:
    doc = example.document()
    second = copy.deepcopy(doc["orders"][0])
    second["order_number"] = "STS-3333-4444"
    second["lines"][1]["line_id"] = "SPOON-8"
    second["packages"][0]["items"][1]["line"] = "SPOON-8"
    second["packages"][0]["tracking_number"] = "1Z0F31V20344772012"
    doc["orders"].append(second)
    return doc


def test_two_orders_that_share_nothing_are_fine() -> None:
    assert len(parse_catalogue(two_orders(), NOW).orders) == 2


def test_keys_are_unique_across_the_file() -> None:
    doc = two_orders()
    doc["customers"].append({"name": "Ana S.", "email": "ANA@example.org"})
    doc["stores"].append(dict(doc["stores"][0]))
    doc["orders"][1]["lines"][1]["line_id"] = "SPOON-7"
    doc["orders"][1]["packages"][0]["items"][1]["line"] = "SPOON-7"
    doc["orders"][1]["packages"][0]["tracking_number"] = "1Z4E82A70362815596"
    assert set(problems(doc)) == {
        "customer ana@example.org, email: listed more than once",
        "store BOS-0001, code: listed more than once",
        "order STS-3333-4444, lines: line_id 'SPOON-7' is also in order STS-1111-2222",
        "order STS-3333-4444, packages[0].tracking_number: 1Z4E82A70362815596 is used by "
        "another package (order STS-1111-2222)",
    }


def test_an_order_names_a_known_customer_and_store() -> None:
    doc = example.document()
    doc["orders"][0]["customer"] = "bo@example.org"
    doc["orders"][0]["store"] = "NYC-0001"
    assert set(problems(doc)) == {
        "order STS-1111-2222, customer: no customer has e-mail bo@example.org",
        "order STS-1111-2222, store: no store has code 'NYC-0001'",
    }


def test_every_unit_is_in_exactly_one_package() -> None:
    doc = example.document()
    doc["orders"][0]["packages"][0]["items"][1]["quantity"] = 1
    assert "order STS-1111-2222, lines[1].quantity: 2 ordered but 1 in the packages" in problems(
        doc
    )


def test_an_order_not_shipped_yet_has_no_packages() -> None:
    doc = example.document()
    order = doc["orders"][0]
    order["packages"], order["claims"] = [], []
    del order["picked_up_at"]
    assert parse_catalogue(doc, NOW).orders[0].packages == []


def test_claims_are_for_units_the_store_received_and_the_order_s_packages() -> None:
    doc = example.document()
    order = doc["orders"][0]
    order["claims"].append({"items": [{"line": 2, "quantity": 2}], "description": "Both."})
    order["claims"][0]["tracking_number"] = "1Z0F31V20344772012"
    assert set(problems(doc)) == {
        "order STS-1111-2222, claims: 3 unit(s) of SPOON-7 claimed but 2 received by the store",
        "order STS-1111-2222, claims[0].tracking_number: 1Z0F31V20344772012 is not one of the "
        "order's packages",
    }


def test_a_unit_still_on_its_way_cannot_be_claimed() -> None:
    doc = example.document()
    order = doc["orders"][0]
    del order["picked_up_at"]
    order["packages"][0]["store_received_at"] = None
    order["packages"][0]["expected_at"] = "+2d"
    assert problems(doc) == [
        "order STS-1111-2222, claims: 1 unit(s) of SPOON-7 claimed but 0 received by the store"
    ]


def test_times_follow_the_order_s_life() -> None:
    doc = example.document()
    order = doc["orders"][0]
    order["packages"][0]["shipped_at"] = "-5d"
    order["packages"][0]["store_received_at"] = "+1d"
    order["picked_up_at"] = "+2d"
    assert set(problems(doc)) == {
        "order STS-1111-2222, packages[0].shipped_at: before the order was placed",
        "order STS-1111-2222, packages[0].store_received_at: in the future (leave it out while "
        "on its way)",
        "order STS-1111-2222, picked_up_at: in the future",
    }


def test_an_order_is_picked_up_once_the_store_received_a_package() -> None:
    doc = example.document()
    order = doc["orders"][0]
    order["claims"] = []
    order["packages"][0]["store_received_at"] = None
    assert problems(doc) == [
        "order STS-1111-2222, picked_up_at: before the store received any package"
    ]
    order["packages"][0]["store_received_at"] = "-12h"
    assert problems(doc) == [
        "order STS-1111-2222, picked_up_at: before the store received any package"
    ]


def test_a_split_shipment_may_be_picked_up_in_part() -> None:
    doc = example.document()
    order = doc["orders"][0]
    first = order["packages"][0]
    second = {
        "carrier": "UPS",
        "tracking_number": "1Z0F31V20344772012",
        "items": [{"line": 2, "quantity": 1}],
        "shipped_at": "-2d",
        "expected_at": "+1d",
    }
    first["items"][1]["quantity"] = 1
    order["packages"].append(second)
    [parsed] = parse_catalogue(doc, NOW).orders
    assert parsed.picked_up_at is not None and parsed.received_units("SPOON-7") == 1
