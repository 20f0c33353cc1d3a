"""Loading a catalogue into the desk: added once, nothing of a bad file written."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from supportdesk.catalogue import CatalogueError, LoadReport, load_catalogue, made_up_events
from supportdesk.catalogue_reader import parse_catalogue
from supportdesk.claims import list_claims
from supportdesk.db import Database
from supportdesk.models import Claim, Customer, Order, Shipment, Store, TrackingEvent
from supportdesk.orders import lookup_order
from tests.supportdesk import catalogue_example as example

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def empty(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    database.create_schema()
    yield database
    database.dispose()


def counts(db: Database) -> list[int]:
    with db.read() as session:
        return [
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Customer, Store, Order, Shipment, TrackingEvent, Claim)
        ]


def test_a_catalogue_is_loaded_once(empty: Database, tmp_path: Path) -> None:
    path = example.write(tmp_path / "shop.json", example.document())
    assert load_catalogue(empty, path, NOW) == LoadReport(customers=1, stores=1, orders=1, claims=1)
    loaded = counts(empty)
    assert load_catalogue(empty, path, NOW + timedelta(hours=1)) == LoadReport()
    assert counts(empty) == loaded == [1, 1, 1, 1, 4, 1]


def test_the_loaded_order_is_what_the_shopper_sees(empty: Database, tmp_path: Path) -> None:
    load_catalogue(empty, example.write(tmp_path / "shop.json", example.document()), NOW)
    order = lookup_order(empty, "sts11112222", "ANA@example.org", now=NOW)
    assert order["status"] == "picked_up" and order["customer_name"] == "Ana Souza"
    assert order["pickup"]["picked_up_at"] == "2026-11-30T12:00:00Z"
    assert order["pickup"]["pickup_by"] == "2026-12-04T12:00:00Z"  # received + 5 days
    assert [
        (line["line_id"], line["tax"], line["claimed_quantity"]) for line in order["lines"]
    ] == [
        ("STS-1111-2222-L1", "0.00", 0),
        ("SPOON-7", "0.40", 1),
    ]
    [package] = order["shipments"]
    assert package["status"] == "delivered_to_store"
    assert [e["status"] for e in package["events"]] == [
        "delivered_to_store",
        "in_transit",
        "in_transit",
        "label_created",
    ]
    assert package["events"][0]["location"] == "Boston"
    [claim] = list_claims(empty, "STS-1111-2222")
    [item] = claim["items"]
    assert (item["line_id"], item["quantity"], item["refund_amount"]) == ("SPOON-7", 1, "2.70")
    assert claim["tracking_number"] == "1Z4E82A70362815596" and claim["status"] == "approved"


def test_given_tracking_events_are_kept_as_they_are(empty: Database, tmp_path: Path) -> None:
    doc = example.document()
    doc["orders"][0]["packages"][0]["events"] = [
        {"at": "-3d", "status": "in_transit", "description": "Picked up", "location": "Reno, NV"},
        {
            "at": "-2d",
            "status": "delivered_to_store",
            "description": "At the store",
            "location": "",
        },
    ]
    load_catalogue(empty, example.write(tmp_path / "shop.json", doc), NOW)
    order = lookup_order(empty, "STS-1111-2222", "ana@example.org", now=NOW)
    assert [e["description"] for e in order["shipments"][0]["events"]] == [
        "At the store",
        "Picked up",
    ]


def test_nothing_of_a_bad_file_is_written(empty: Database, tmp_path: Path) -> None:
    doc = example.document()
    doc["orders"][0]["lines"][0]["quantity"] = 0
    with pytest.raises(CatalogueError, match=r"order STS-1111-2222, lines\[0\].quantity"):
        load_catalogue(empty, example.write(tmp_path / "bad.json", doc), NOW)
    assert counts(empty) == [0, 0, 0, 0, 0, 0]


def test_a_clash_with_the_desk_writes_nothing(empty: Database, tmp_path: Path) -> None:
    load_catalogue(empty, example.write(tmp_path / "first.json", example.document()), NOW)
    doc = example.document("STS-3333-4444")  # another order, with the first one's package
    doc["customers"] = [{"name": "Bo Lind", "email": "bo@example.org"}]
    doc["orders"][0]["customer"] = "bo@example.org"
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(empty, example.write(tmp_path / "second.json", doc), NOW)
    assert caught.value.problems == [
        "order STS-3333-4444, lines: line_id 'SPOON-7' belongs to another order in the desk",
        "order STS-3333-4444, packages: tracking number 1Z4E82A70362815596 belongs to another "
        "order in the desk",
    ]
    assert counts(empty) == [1, 1, 1, 1, 4, 1]  # not even Bo was added


def test_records_the_desk_has_are_never_changed(empty: Database, tmp_path: Path) -> None:
    load_catalogue(empty, example.write(tmp_path / "first.json", example.document()), NOW)
    doc = example.document()
    doc["customers"][0]["name"] = "Ana Souza-Lima"
    doc["stores"][0]["pickup_window_days"] = 9
    assert load_catalogue(empty, example.write(tmp_path / "again.json", doc), NOW) == LoadReport()
    with empty.read() as session:
        assert session.execute(select(Customer.name)).scalar_one() == "Ana Souza"
        assert session.execute(select(Store.pickup_window_days)).scalar_one() == 5


def test_made_up_events_stop_at_the_store_and_now() -> None:
    doc = example.document()
    order = doc["orders"][0]
    order["packages"][0]["shipped_at"] = "-20h"
    order["packages"][0]["store_received_at"] = "-2h"
    order["picked_up_at"] = "-1h"
    catalogue = parse_catalogue(doc, NOW)
    package, store = catalogue.orders[0].packages[0], catalogue.stores[0]
    events = made_up_events(package, store, NOW)
    assert [e.status for e in events] == ["label_created", "in_transit", "delivered_to_store"]
    in_transit = order["packages"][0] | {"store_received_at": None}
    order["packages"][0], order["claims"] = in_transit, []
    del order["picked_up_at"]
    package = parse_catalogue(doc, NOW).orders[0].packages[0]
    assert [e.at for e in made_up_events(package, store, NOW)] == [
        NOW - timedelta(hours=26),
        NOW - timedelta(hours=20),
    ]
