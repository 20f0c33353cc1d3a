from datetime import timedelta

import pytest

from supportdesk.db import Database
from supportdesk.errors import NotFound, RateLimited
from supportdesk.models import utcnow
from supportdesk.orders import FAILED_LOOKUP_WINDOW, MAX_FAILED_LOOKUPS, lookup_order

MAYA = ("STS-4829-1307", "maya.chen@example.com")


def test_lookup_with_matching_email_shows_the_order(db: Database) -> None:
    order = lookup_order(db, "#sts 4829 1307", " Maya.Chen@Example.com ")
    assert order["order_number"] == "STS-4829-1307"
    assert order["status"] == "picked_up"
    assert order["pickup_store"]["name"] == "Riverside Commons"
    assert [line["name"] for line in order["lines"]][0] == "Wireless Over-Ear Headphones"
    shipment = order["shipments"][0]
    assert shipment["carrier"] == "UPS" and shipment["received_by_store"] is True
    assert shipment["tracking_url"].endswith(shipment["tracking_number"])
    # newest event first
    times = [event["at"] for event in shipment["events"]]
    assert times == sorted(times, reverse=True)


def test_unknown_order_and_wrong_email_fail_alike(db: Database) -> None:
    with pytest.raises(NotFound) as unknown:
        lookup_order(db, "STS-0000-0000", MAYA[1])
    with pytest.raises(NotFound) as wrong_email:
        lookup_order(db, MAYA[0], "jordan.reyes@example.net")
    assert unknown.value.body() == wrong_email.value.body()


def test_one_customer_never_sees_the_others_order(db: Database) -> None:
    with pytest.raises(NotFound):
        lookup_order(db, "STS-5102-7741", MAYA[1])  # Jordan's split shipment


def test_split_shipment_shows_the_package_in_transit(db: Database) -> None:
    order = lookup_order(db, "STS-5102-7741", "jordan.reyes@example.net")
    assert order["status"] == "partially_received"
    received, moving = order["shipments"]
    assert received["received_by_store"] and not moving["received_by_store"]
    assert moving["expected_at"] and moving["items"] == [
        {"line_id": "STS-5102-7741-L2", "quantity": 1}
    ]


def test_sixth_failed_lookup_for_an_order_is_rate_limited(db: Database) -> None:
    for _ in range(MAX_FAILED_LOOKUPS):
        with pytest.raises(NotFound):
            lookup_order(db, MAYA[0], "guess@example.com")
    with pytest.raises(RateLimited) as limited:
        lookup_order(db, *MAYA)  # even the right e-mail waits: guessing must not pay
    assert 0 < limited.value.retry_after <= FAILED_LOOKUP_WINDOW.total_seconds() + 1
    later = utcnow() + FAILED_LOOKUP_WINDOW + timedelta(seconds=1)
    assert lookup_order(db, *MAYA, now=later)["order_number"] == MAYA[0]


def test_one_conversation_guessing_many_orders_is_rate_limited(db: Database) -> None:
    for n in range(MAX_FAILED_LOOKUPS):
        with pytest.raises(NotFound):
            lookup_order(db, f"STS-1000-000{n}", "x@example.com", conversation_id="c1")
    with pytest.raises(RateLimited):
        lookup_order(db, *MAYA, conversation_id="c1")
    assert lookup_order(db, *MAYA, conversation_id="c2")["order_number"] == MAYA[0]
