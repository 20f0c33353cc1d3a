"""Step 1: show where the order is, once the customer is verified."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import client, explain_error
from actions.formatting import day, day_and_time
from actions.supportdesk_client import InvalidRequest, NotFound, SupportDeskError
from actions.verification import verified_order

LATEST_EVENTS = 3
NEXT_STEP_BUTTONS = [
    {"title": "Items are missing", "payload": "/report_missing_item"},
    {"title": "Talk to a person", "payload": "/request_human"},
    {"title": "That's all, thanks", "payload": "/thank"},
]


class ActionShowTracking(Action):
    def name(self) -> str:
        return "action_show_tracking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("stop_reason"):
            return [SlotSet("stop_reason", None)]  # the form already said why it stopped
        try:
            order = verified_order(tracker)
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        if order is None:
            dispatcher.utter_message(response="utter_ask_order_number")
            return []
        dispatcher.utter_message(text=tracking_message(order), buttons=NEXT_STEP_BUTTONS)
        return []


def tracking_message(order: dict[str, Any]) -> str:
    """Carrier, tracking number and link, latest events, store receipt and pickup, per package."""
    store = order["pickup_store"]
    tz = store["time_zone"]
    shipments = order["shipments"]
    lines = [
        f"Here's order {order['order_number']}, for pickup at {store['name']}, "
        f"{store['address']} (open {store['opening_hours']})."
    ]
    for n, shipment in enumerate(shipments, start=1):
        label = f"Package {n} of {len(shipments)}" if len(shipments) > 1 else "Your package"
        lines.append("")
        lines.append(
            f"{label}: {shipment['carrier']} {shipment['tracking_number']}"
            f" ({_contents(order, shipment)})"
        )
        if shipment["tracking_url"]:
            lines.append(f"Track it on the carrier's site: {shipment['tracking_url']}")
        for event in shipment["events"][:LATEST_EVENTS]:
            lines.append(
                f"• {day_and_time(event['at'], tz)}: {event['description']}, {event['location']}"
            )
        if shipment["received_by_store"]:
            lines.append(f"✓ The store received it on {day(shipment['store_received_at'], tz)}.")
        else:
            lines.append(
                f"On its way to the store, expected {day(shipment['expected_at'], tz)}. "
                "The store hasn't received it yet."
            )
    lines.append("")
    lines.append(pickup_message(order))
    return "\n".join(lines)


def pickup_message(order: dict[str, Any]) -> str:
    tz = order["pickup_store"]["time_zone"]
    pickup = order["pickup"]
    waiting = [s for s in order["shipments"] if not s["received_by_store"]]
    if pickup["picked_up_at"]:
        return f"You picked the order up on {day(pickup['picked_up_at'], tz)}."
    if not waiting:
        return (
            f"Everything is at the store and ready for pickup until "
            f"{day(pickup['pickup_by'], tz)} ({order['pickup_store']['pickup_window_days']} days)."
        )
    if len(waiting) == len(order["shipments"]):
        return (
            "Your order hasn't reached the store yet. You'll get a pickup notice when it "
            f"arrives; then you have {order['pickup_store']['pickup_window_days']} days to "
            "collect it."
        )
    names = ", ".join(_contents(order, s) for s in waiting)
    return (
        f"Your order was shipped in {len(order['shipments'])} packages. {names} "
        f"{'is' if len(waiting) == 1 else 'are'} still on the way, expected "
        f"{day(waiting[0]['expected_at'], tz)}: not missing, just not there yet. You'll get a "
        "pickup notice when everything is at the store."
    )


def _contents(order: dict[str, Any], shipment: dict[str, Any]) -> str:
    names = {line["line_id"]: line["name"] for line in order["lines"]}
    return ", ".join(
        f"{item['quantity']} × {names.get(item['line_id'], item['line_id'])}"
        for item in shipment["items"]
    )


def store_message(order: dict[str, Any]) -> str:
    """The pickup store of a verified order: where it is and when it is open."""
    store = order["pickup_store"]
    return (
        f"Your order is for pickup at {store['name']}, {store['address']}. Opening hours: "
        f"{store['opening_hours']}."
    )


def another_orders_way(
    dispatcher: CollectingDispatcher, tracker: Tracker, number: str
) -> list[dict[str, Any]]:
    """Where another order of the same e-mail is; one of someone else's stays private."""
    try:
        order = client().lookup_order(number, tracker.get_slot("email") or "", tracker.sender_id)
    except (NotFound, InvalidRequest):
        dispatcher.utter_message(response="utter_other_order_after", order_number=number)
        return []
    except SupportDeskError as error:
        explain_error(dispatcher, error)
        return []
    dispatcher.utter_message(text=tracking_message(order))
    return []
