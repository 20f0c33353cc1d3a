"""Steps 2 and 3: collect what is missing, show the refund, and file the claim."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    StoppableFormValidation,
    channel_of,
    client,
    explain_error,
    failure,
    last_form_activation,
    success,
)
from actions.formatting import day, item_list, money
from actions.handoff import escalate
from actions.identifiers import parse_tracking_number
from actions.items import (
    Line,
    Wanted,
    match_items,
    means_everything,
    order_lines,
    parse_quantity,
)
from actions.photos import photos_in_chat
from actions.supportdesk_client import Conflict, SupportDeskError
from actions.verification import VerificationSlots, verified_order

MIN_DESCRIPTION, MAX_DESCRIPTION = 10, 2000
CLAIM_SLOTS = [
    "tracking_number",  # belongs to one order: asked again for the next claim
    "missing_items",
    "item_quantity",
    "pending_item",
    "description",
    "claim_confirmed",
    "stop_reason",
]
TRACKING_FORMATS = (
    "UPS numbers start with 1Z and have 18 characters, FedEx numbers have 12 or 15 digits and "
    "USPS numbers 20 to 22 digits."
)


def reset_claim_slots() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in CLAIM_SLOTS]


class ValidateClaimForm(VerificationSlots, StoppableFormValidation):
    """Steps 2 and 3: order, e-mail, package, missing items, description and confirmation."""

    def form_name(self) -> str:
        return "claim_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if tracker.get_slot("pending_item"):
            return slots
        return [slot for slot in slots if slot != "item_quantity"]  # asked only when needed

    def on_verified(
        self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Forget details of another order; stop when nothing here can be claimed yet."""
        previous = tracker.get_slot("verified_order")
        changed = {}
        if previous and previous != order["order_number"]:
            changed = {slot: None for slot in CLAIM_SLOTS if slot != "stop_reason"}
        return {**changed, **self._nothing_claimable(order, dispatcher)}

    @staticmethod
    def _nothing_claimable(order: dict[str, Any], dispatcher: CollectingDispatcher) -> dict:
        if all(not s["received_by_store"] for s in order["shipments"]):
            shipment = order["shipments"][0]
            tz = order["pickup_store"]["time_zone"]
            dispatcher.utter_message(
                text=(
                    f"Order {order['order_number']} hasn't reached the store yet: it's on its way "
                    f"with {shipment['carrier']} and expected {day(shipment['expected_at'], tz)}. "
                    "Nothing can be missing before it arrives, so there's no claim to open. "
                    "You'll get a pickup notice when it's at the store."
                )
            )
            return {"stop_reason": "not_at_store"}
        if not any(line.claimable for line in order_lines(order)):
            claims = ", ".join(c["claim_number"] for c in order["claims"]) or "a claim"
            dispatcher.utter_message(
                text=(
                    "Everything on this order that has reached the store is already part of "
                    f"{claims}. You can ask me for its status at any time."
                ),
                buttons=[{"title": "Status of my claim", "payload": "/check_claim_status"}],
            )
            return {"stop_reason": "nothing_to_claim"}
        return {}

    def validate_tracking_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        order = _order_or_none(tracker)
        if order is None:
            return {"tracking_number": None}
        numbers = [s["tracking_number"] for s in order["shipments"]]
        if value == "offered" and len(numbers) == 1:
            return success(tracker, "tracking_number", numbers[0])
        if tracker.get_intent_of_latest_message() == "deny":
            dispatcher.utter_message(
                text="No problem. Please type the tracking number printed on your package label."
            )
            return {"tracking_number": None}
        parsed = parse_tracking_number(str(value or ""))
        if parsed is None:
            return failure(
                dispatcher,
                tracker,
                "tracking_number",
                f"That doesn't look like a valid tracking number. {TRACKING_FORMATS} "
                "Please check the characters and try again.",
            )
        if parsed.number not in numbers:
            return failure(
                dispatcher,
                tracker,
                "tracking_number",
                f"{parsed.number} is a valid {parsed.carrier} number, but it isn't one of this "
                f"order's packages ({', '.join(numbers)}).",
            )
        return success(tracker, "tracking_number", parsed.number)

    def validate_missing_items(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if isinstance(value, list):
            return {"missing_items": value}  # already validated, e.g. at re-activation
        order = _order_or_none(tracker)
        if order is None:
            return {"missing_items": None}
        lines = order_lines(order)
        text = str(value or "")
        wanted = match_items(text, lines)
        if not wanted and means_everything(text):
            wanted = [_all_of(line) for line in lines if line.claimable]
        if not wanted:
            names = ", ".join(line.name for line in lines if line.claimable)
            return failure(
                dispatcher,
                tracker,
                "missing_items",
                f"I couldn't match that to an item on your order. The items are: {names}. "
                "Which of them are missing?",
            )
        return self._select(wanted, order, dispatcher, tracker)

    def _select(
        self, wanted: list, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker
    ) -> dict[str, Any]:
        """Split what the customer named into claimable items, questions and explanations."""
        chosen, pending, notes = [], [], []
        tz = order["pickup_store"]["time_zone"]
        for want in wanted:
            line: Line = want.line
            if line.claimable == 0 and line.in_transit:
                notes.append(
                    f"{line.name} is in a separate package that is still on its way to the "
                    f"store, expected {day(_expected(order, line.line_id), tz)}. It isn't "
                    "missing, just not there yet."
                )
            elif line.claimable == 0:
                notes.append(f"{line.name} is already part of a claim on this order.")
            elif want.quantity is not None and not 1 <= want.quantity <= line.claimable:
                notes.append(
                    f"You can claim between 1 and {line.claimable} × {line.name}, "
                    f"not {want.quantity}."
                )
            elif want.quantity is None and not want.everything and line.claimable > 1:
                pending.append({"line_id": line.line_id, "name": line.name, "max": line.claimable})
            else:
                quantity = want.quantity or line.claimable
                chosen.append({"line_id": line.line_id, "name": line.name, "quantity": quantity})
        for note in notes:
            dispatcher.utter_message(text=note)
        if not chosen and not pending:
            in_transit = all(w.line.claimable == 0 and w.line.in_transit for w in wanted)
            if in_transit:
                dispatcher.utter_message(
                    text="So there's nothing to claim for now. You'll get a pickup notice when "
                    "the package is at the store; if something is missing then, I'm here."
                )
                return {"missing_items": None, "stop_reason": "in_transit"}
            return failure(dispatcher, tracker, "missing_items", "Which items are missing?")
        return {
            **success(tracker, "missing_items", chosen),
            "pending_item": pending or None,
            "item_quantity": None,
        }

    def validate_item_quantity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        pending = list(tracker.get_slot("pending_item") or [])
        if not pending:
            return {"item_quantity": None}
        item = pending[0]
        text = str(value or "")
        quantity = item["max"] if means_everything(text) else parse_quantity(text)
        if quantity is None or not 1 <= quantity <= item["max"]:
            return failure(
                dispatcher,
                tracker,
                "item_quantity",
                f"Please tell me a number from 1 to {item['max']}: how many {item['name']} "
                "are missing?",
            )
        chosen = list(tracker.get_slot("missing_items") or [])
        chosen.append({"line_id": item["line_id"], "name": item["name"], "quantity": quantity})
        rest = pending[1:]
        return {
            **success(tracker, "item_quantity", None if rest else str(quantity)),
            "missing_items": chosen,
            "pending_item": rest or None,
        }

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if len(text) < MIN_DESCRIPTION:
            return failure(
                dispatcher,
                tracker,
                "description",
                'Could you add a few more words? For example: "The box was sealed but only '
                'the headphones were inside."',
            )
        if len(text) > MAX_DESCRIPTION:
            return failure(
                dispatcher,
                tracker,
                "description",
                f"That's a little long: please keep it under {MAX_DESCRIPTION} characters.",
            )
        return success(tracker, "description", text)

    def validate_claim_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        return {"claim_confirmed": bool(value)}


def _all_of(line: Line) -> Wanted:
    return Wanted(line, line.claimable, everything=True)


def _expected(order: dict[str, Any], line_id: str) -> str | None:
    for shipment in order["shipments"]:
        if not shipment["received_by_store"] and any(
            item["line_id"] == line_id for item in shipment["items"]
        ):
            return shipment["expected_at"]
    return None


def _order_or_none(tracker: Tracker) -> dict[str, Any] | None:
    try:
        return verified_order(tracker)
    except SupportDeskError:
        return None


class ActionAskTrackingNumber(Action):
    """Offer the order's tracking number when there is one package; list them when several."""

    def name(self) -> str:
        return "action_ask_tracking_number"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        order = _order_or_none(tracker)
        shipments = order["shipments"] if order else []
        if len(shipments) == 1:
            s = shipments[0]
            dispatcher.utter_message(
                text=f"Your order came in one {s['carrier']} package, tracking number "
                f"{s['tracking_number']}. Is that the number on the package you picked up?",
                buttons=[
                    {"title": "Yes, that's it", "payload": "/affirm"},
                    {"title": "No, it's another one", "payload": "/deny"},
                ],
            )
            return []
        buttons = [
            {
                "title": f"{s['carrier']} {s['tracking_number']}",
                "payload": s["tracking_number"],
            }
            for s in shipments
            if s["received_by_store"]
        ]
        dispatcher.utter_message(
            text="Which package are items missing from? Pick its tracking number or type the one "
            "on the label.",
            buttons=buttons,
        )
        return []


class ActionAskMissingItems(Action):
    def name(self) -> str:
        return "action_ask_missing_items"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        order = _order_or_none(tracker)
        lines = order_lines(order) if order else []
        buttons = [
            {"title": f"{line.name} ({line.claimable})", "payload": line.name}
            for line in lines
            if line.claimable
        ]
        dispatcher.utter_message(
            text="Which items are missing? Tap one, or type them, with how many, "
            'like "2 phone cases and the cable".',
            buttons=buttons,
        )
        return []


class ActionAskItemQuantity(Action):
    def name(self) -> str:
        return "action_ask_item_quantity"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        item = (tracker.get_slot("pending_item") or [{}])[0]
        maximum = int(item.get("max", 1))
        dispatcher.utter_message(
            text=f"How many {item.get('name', 'of them')} are missing?",
            buttons=[{"title": str(n), "payload": str(n)} for n in range(1, min(maximum, 6) + 1)],
        )
        return []


class ActionAskClaimConfirmed(Action):
    """The summary with the refund amount, computed by the support desk, to confirm."""

    def name(self) -> str:
        return "action_ask_claim_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        items = tracker.get_slot("missing_items") or []
        try:
            quote = client().quote_claim(
                tracker.get_slot("verified_order"),
                tracker.get_slot("email"),
                [{"line_id": i["line_id"], "quantity": i["quantity"]} for i in items],
            )
        except Conflict:
            dispatcher.utter_message(
                text="Some of these items have just been claimed on this order, so I'll stop "
                "here. Ask me for the claim status to see it."
            )
            return [SlotSet("stop_reason", "conflict")]
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return [SlotSet("stop_reason", "support_desk")]
        dispatcher.utter_message(
            text="\n".join(
                [
                    "Here's what I'll send to support:",
                    f"• Order: {quote['order_number']}",
                    f"• Package: {tracker.get_slot('tracking_number')}",
                    f"• Missing: {item_list(quote['items'])}",
                    f"• Refund: {money(quote['refund_amount'], quote['currency'])} "
                    "to your original payment method",
                    f'• Your description: "{tracker.get_slot("description")}"',
                    "",
                    "Shall I file this claim and request the partial refund?",
                ]
            ),
            buttons=[
                {"title": "Yes, file it", "payload": "/affirm"},
                {"title": "No, cancel", "payload": "/deny"},
            ],
        )
        return []


class ActionSubmitClaim(Action):
    """File the claim once confirmed; the idempotency key makes a retried run harmless."""

    def name(self) -> str:
        return "action_submit_claim"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if tracker.get_slot("stop_reason"):
            return reset_claim_slots()
        if not tracker.get_slot("claim_confirmed"):
            dispatcher.utter_message(response="utter_claim_not_filed")
            return reset_claim_slots()
        items = tracker.get_slot("missing_items") or []
        try:
            claim = client().create_claim(
                order_number=tracker.get_slot("verified_order"),
                email=tracker.get_slot("email"),
                items=[{"line_id": i["line_id"], "quantity": i["quantity"]} for i in items],
                description=tracker.get_slot("description"),
                idempotency_key=idempotency_key(tracker),
                tracking_number=tracker.get_slot("tracking_number"),
                channel=channel_of(tracker),
                conversation_id=tracker.sender_id,
            )
        except Conflict as error:
            numbers = ", ".join(c["claim_number"] for c in error.claims)
            dispatcher.utter_message(
                text=f"These items are already part of claim {numbers}, so there's no need to "
                "file them again. I can tell you how that claim is going.",
                buttons=[{"title": "Claim status", "payload": "/check_claim_status"}],
            )
            first = error.claims[0]["claim_number"] if error.claims else None
            return [*reset_claim_slots(), SlotSet("claim_number", first)]
        except SupportDeskError as error:
            explain_error(dispatcher, error)  # the details stay in the slots for a retry
            return []
        dispatcher.utter_message(text=claim_message(claim, photos_in_chat(tracker)))
        events = [
            *reset_claim_slots(),
            SlotSet("claim_number", claim["claim_number"]),
            SlotSet("evidence_seen", float(claim.get("evidence_count", 0))),
            SlotSet("claim_status_seen", claim["status"]),
        ]
        if claim["status"] == "in_review":
            events += escalate(
                dispatcher,
                tracker,
                f"Claim {claim['claim_number']} is in review: {claim['decision_reason']}",
                announce=False,
            )
        return events


def idempotency_key(tracker: Tracker) -> str:
    """One key per run of the claim form in this conversation."""
    return f"{tracker.sender_id}:claim_form:{last_form_activation(tracker, 'claim_form')}"


def claim_message(claim: dict[str, Any], in_chat: str = "") -> str:
    """The filed claim, its decision and how to add photos (`in_chat`: the channel's way)."""
    amount = money(claim["refund_amount"], claim.get("currency", "USD"))
    lines = [
        f"Thank you. I've filed claim {claim['claim_number']} for {item_list(claim['items'])}."
    ]
    if claim["status"] == "approved":
        lines.append(
            f"Good news: your partial refund of {amount} is approved and goes back to your "
            "original payment method, usually within 3 to 5 business days."
        )
    else:
        lines.append(
            f"A refund of {amount} needs a review by our support team ({claim['decision_reason']}) "
            "They usually decide within 1 to 2 business days, and I'll let you know here."
        )
    url = claim.get("evidence_upload_url")
    where = f"upload them here: {url}" if url else "reply to this conversation with them"
    lines.append(
        "Photos help support decide quickly: the package contents, the label on the outside and "
        f"the packing slip. You can {where}{in_chat}"
    )
    lines.append(f"Keep your claim number {claim['claim_number']} to ask me for its status.")
    return "\n".join(lines)
