"""Step 1: the tracking of a verified order, with the Ship to Store facts."""

from __future__ import annotations

from actions.common import client
from actions.formatting import day
from actions.tracking import ActionShowTracking
from tests.actions.conftest import (
    JORDAN_EMAIL,
    JORDAN_READY,
    JORDAN_SPLIT,
    MAYA_NOT_AT_STORE,
    MAYA_ORDER,
    MAYA_TRACKING,
    make_tracker,
    run,
    verified,
)


def show(slots: dict):
    return run(ActionShowTracking(), make_tracker(slots, text="where is my order?"))


def test_a_picked_up_order_shows_carrier_tracking_link_events_and_pickup(shared_desk) -> None:
    order = client().lookup_order(MAYA_ORDER, "maya.chen@example.com")
    store = order["pickup_store"]
    outcome = show(verified())
    text = outcome.text
    assert len(outcome.messages) == 1
    assert f"Here's order {MAYA_ORDER}, for pickup at {store['name']}" in text
    assert store["address"] in text and store["opening_hours"] in text
    assert f"Your package: UPS {MAYA_TRACKING}" in text
    assert "1 × Wireless Over-Ear Headphones, 2 × Clear Phone Case" in text
    assert f"https://www.ups.com/track?tracknum={MAYA_TRACKING}" in text
    events = order["shipments"][0]["events"]
    shown = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(shown) == min(3, len(events))
    assert events[0]["description"] in shown[0]
    received = day(order["shipments"][0]["store_received_at"], store["time_zone"])
    assert f"✓ The store received it on {received}." in text
    picked = day(order["pickup"]["picked_up_at"], store["time_zone"])
    assert f"You picked the order up on {picked}." in text
    assert outcome.payloads == ["/report_missing_item", "/request_human", "/thank"]
    assert outcome.events == []


def test_an_order_ready_for_pickup_gives_the_pickup_window(shared_desk) -> None:
    order = client().lookup_order(JORDAN_READY, JORDAN_EMAIL)
    tz = order["pickup_store"]["time_zone"]
    text = show(verified(JORDAN_READY, JORDAN_EMAIL)).text
    assert "FedEx 612999905187" in text
    assert "https://www.fedex.com/fedextrack/?trknbr=612999905187" in text
    assert "✓ The store received it on" in text
    days = order["pickup_store"]["pickup_window_days"]
    until = day(order["pickup"]["pickup_by"], tz)
    assert f"Everything is at the store and ready for pickup until {until} ({days} days)" in text


def test_a_split_shipment_says_what_is_still_on_its_way_and_when(shared_desk) -> None:
    order = client().lookup_order(JORDAN_SPLIT, JORDAN_EMAIL)
    tz = order["pickup_store"]["time_zone"]
    moving = next(s for s in order["shipments"] if not s["received_by_store"])
    expected = day(moving["expected_at"], tz)
    text = show(verified(JORDAN_SPLIT, JORDAN_EMAIL)).text
    assert "Package 1 of 2: FedEx 781246930512 (2 × Stainless Steel Water Bottle)" in text
    assert "Package 2 of 2" in text and "94001112062138594462 (1 × Non-Slip Yoga Mat)" in text
    assert "https://tools.usps.com/go/TrackConfirmAction?tLabels=94001112062138594462" in text
    assert f"On its way to the store, expected {expected}." in text
    assert "Your order was shipped in 2 packages. 1 × Non-Slip Yoga Mat is still on the way" in text
    assert f"expected {expected}: not missing, just not there yet" in text


def test_an_order_not_yet_at_the_store(shared_desk) -> None:
    text = show(verified(MAYA_NOT_AT_STORE)).text
    assert "UPS 1Z7A19F40355104429" in text
    assert "The store hasn't received it yet." in text
    assert "Your order hasn't reached the store yet." in text
    assert "✓" not in text


def test_nothing_is_shown_before_verification(shared_desk) -> None:
    outcome = show({"order_number": MAYA_ORDER, "email": "maya.chen@example.com"})
    assert outcome.responses == ["utter_ask_order_number"]
    assert MAYA_TRACKING not in outcome.text


def test_after_a_stopped_form_it_only_clears_the_reason(desk_down) -> None:
    outcome = show({**verified(), "stop_reason": "support_desk"})
    assert outcome.messages == []
    assert outcome.slots == {"stop_reason": None}


def test_a_support_desk_that_is_down_gets_a_polite_message(desk_down) -> None:
    outcome = show(verified())
    assert "can't reach our order system" in outcome.text
    assert outcome.payloads == ["/request_human"]
    assert outcome.events == []
