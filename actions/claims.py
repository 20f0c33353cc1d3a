"""Steps 2 and 3: the claim form's questions, the summary with the refund, and filing it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claim_form import (  # noqa: F401  (CLAIM_SLOTS and the form, for the tests)
    CLAIM_SLOTS,
    ValidateClaimForm,
    claimed_before,
    offered_package,
    reset_claim_slots,
)
from actions.claim_turn import order_or_none
from actions.common import LEFT_STEP, channel_of, client, explain_error, last_form_activation
from actions.follow_up import conversation_claim, status_message
from actions.formatting import item_list, money
from actions.handoff import escalate
from actions.help_center import (
    ARRIVAL,
    WHERE_WORDS,
    asks_if_it_came,
    task_or_answer,
    then_listen,
)
from actions.item_reading import (
    tells_of_damage,
    tells_of_missing_goods,
    tells_of_shortfall,
    tells_only_of_damage,
)
from actions.items import order_lines
from actions.out_of_scope import say_out_of_scope
from actions.photos import photos_in_chat
from actions.supportdesk_client import Conflict, SupportDeskError
from actions.turn_orders import ORDERS
from actions.turns import latest_turn


class ActionStartClaim(Action):
    """A missing-item report opens the claim form only when it says something is missing.

    "The lamp shade arrived bent" or "the staff made me wait" may read as a missing item to
    the classifier, yet nothing in it is short: it gets the answer for its topic, with
    "Items are missing" as a button, and never the claim questions (precision first).
    """

    def name(self) -> str:
        return "action_start_claim"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        turn = latest_turn(tracker)
        if turn.is_payload:
            return [FollowupAction("claim_form")]
        # unless it tells only of damage (for returns), or the help center is sure it is about
        # another of its articles ("no confirmation")
        # "the store says nothing came in": the order's way, not goods short in what came
        not_in_yet = asks_if_it_came(turn.text) and not tells_of_missing_goods(turn.text)
        if tells_of_shortfall(turn.text) and not tells_only_of_damage(turn.text) and not not_in_yet:
            return task_or_answer(dispatcher, tracker, "claim")
        if tracker.active_loop_name and tracker.active_loop_name != "claim_form":
            # "not sure of the number, order is STS-…" at the claim number: that form's answer
            return [FollowupAction(tracker.active_loop_name)]
        if not tracker.active_loop_name and (
            asks_if_it_came(turn.text)
            or ARRIVAL.search(turn.text)  # "any idea when they'll get to the Riverside branch?"
            or (WHERE_WORDS.search(turn.text) and not tells_of_damage(turn.text))
        ):  # not "the lamp shade arrived bent"
            # "wheres my stuff?? ordered a kettle 6 days ago", "has my order made it to the
            # Riverside store": nothing short yet, its way asked
            return task_or_answer(dispatcher, tracker, "tracking")
        # the help center's article may be about the claim itself: then it starts
        return then_listen(say_out_of_scope(dispatcher, tracker, domain))


class ActionAskTrackingNumber(Action):
    """Offer the package when one has reached the store, or the one at the store that holds the
    items already named; list them when several; else ask."""

    def name(self) -> str:
        return "action_ask_tracking_number"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        order = order_or_none(tracker)
        received = [s for s in (order["shipments"] if order else []) if s["received_by_store"]]
        if tracker.get_slot("tracking_declined") or not received:
            dispatcher.utter_message(response="utter_ask_tracking_number_typed")
            return []
        offered = offered_package(order, tracker)
        if offered is not None:
            package = f"{offered['carrier']} {offered['tracking_number']}"
            dispatcher.utter_message(
                text=f"The package at the store is {package}. Is that the one items are missing "
                "from?"
                if len(received) == 1
                else f"Of the packages at the store, {package} is the one with those items. Is "
                "that the one they are missing from?",
                buttons=[
                    {"title": "Yes, that's it", "payload": "/affirm"},
                    {"title": "No, it's another one", "payload": "/deny"},
                ],
            )
            return []
        dispatcher.utter_message(
            text="Which package are items missing from? Pick its tracking number or type the one "
            "on the label.",
            buttons=[
                {"title": f"{s['carrier']} {s['tracking_number']}", "payload": s["tracking_number"]}
                for s in received
            ],
        )
        return []


class ActionAskMissingItems(Action):
    def name(self) -> str:
        return "action_ask_missing_items"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        order = order_or_none(tracker)
        lines = [line for line in (order_lines(order) if order else []) if line.claimable]
        buttons = [
            {"title": f"{line.name} ({line.claimable})", "payload": line.name} for line in lines
        ]
        dispatcher.utter_message(
            text="Which items are missing? Tap one, or type them, with how many, "
            'like "2 phone cases and the cable".',
            buttons=buttons,
        )
        return []


class ActionAskItemsConfirmed(Action):
    """Lines read from the shopper's story: confirmed in so many words before any refund."""

    def name(self) -> str:
        return "action_ask_items_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        order = order_or_none(tracker)
        chosen = tracker.get_slot("missing_items") or []
        if order is not None and claimed_before(tracker):
            return self._besides_earlier_claims(order, chosen, dispatcher, tracker)
        others = [
            line
            for line in (order_lines(order) if order else [])
            if line.claimable and line.line_id not in {item["line_id"] for item in chosen}
        ]
        dispatcher.utter_message(
            response="utter_ask_items_confirmed",
            items=item_list(chosen),
            buttons=[
                {"title": "Yes, that's right", "payload": "/affirm"},
                *({"title": f"It's the {line.name}", "payload": line.name} for line in others),
                {"title": "No, something else", "payload": "/deny"},
            ],
        )
        return []

    @staticmethod
    def _besides_earlier_claims(
        order: dict[str, Any],
        chosen: list[dict[str, Any]],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> list[dict[str, Any]]:
        """Some of these lines were claimed before: the shopper may have forgotten that claim."""
        lines = {line["line_id"] for line in claimed_before(tracker)}
        try:
            claims = client().list_claims(order["order_number"])["claims"]
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            claims = []
        earlier = [
            f"{claim['claim_number']} for {item_list(claim['items'])}"
            for claim in claims
            if lines & {item["line_id"] for item in claim["items"]}
        ]
        dispatcher.utter_message(
            response="utter_ask_items_besides_claimed",
            claims="; ".join(earlier) or "a claim",
            items=item_list(chosen),
            buttons=[
                {"title": "Yes, these are missing too", "payload": "/affirm"},
                {"title": "No, I reported them already", "payload": "/deny"},
            ],
        )
        return []


class ActionAskItemQuantity(Action):
    """How many of an item, or which of two items that the customer's words both fit."""

    def name(self) -> str:
        return "action_ask_item_quantity"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        question = (tracker.get_slot("pending_item") or [{}])[0]
        if "choice" in question:
            names = [option["name"] for option in question["choice"]]
            # After "Got it, 2." the question is put another way: never the same words again.
            ask = "And which one is it" if question.get("quantity") else "Which one do you mean"
            dispatcher.utter_message(
                text=f"{ask}: {' or '.join(names)}?",
                buttons=[{"title": name, "payload": name} for name in names],
            )
            return []
        maximum = int(question.get("max", 1))
        buttons = [{"title": str(n), "payload": str(n)} for n in range(1, min(maximum, 6) + 1)]
        if question.get("on_its_way"):
            dispatcher.utter_message(text=split_question(question), buttons=[*buttons, NONE_BUTTON])
            return []
        dispatcher.utter_message(
            text=f"How many {question.get('name', 'of them')} are missing?", buttons=buttons
        )
        return []


NONE_BUTTON = {"title": "None, it's on its way", "payload": "none, it's on its way"}


def split_question(question: dict[str, Any]) -> str:
    """How many of a line are missing from what reached the store, the rest being on its way."""
    came, coming = question["max"], question["on_its_way"]
    return (
        f"Of the {question['ordered']} × {question['name']} ordered, {came} reached the store "
        f"and {coming} {'is' if coming == 1 else 'are'} still on the way (expected "
        f"{question['by']}). How many {question['name']} are missing from what reached the "
        "store?"
    )


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
                conversation_id=tracker.sender_id,
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
                    "If something's wrong, just tell me what to change. Shall I file this "
                    "claim and request the partial refund?",
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
        if tracker.get_slot("stop_reason") == LEFT_STEP:
            return [SlotSet("stop_reason", None)]  # left unfinished: what was said is kept
        if tracker.get_slot("stop_reason"):
            return reset_claim_slots()
        if not tracker.get_slot("claim_confirmed"):
            dispatcher.utter_message(response="utter_claim_not_filed")
            return reset_claim_slots()
        items = tracker.get_slot("missing_items") or []
        ORDERS.forget(tracker.sender_id)  # the claim changes what the order shows
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
                claim_number=claim["claim_number"],
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
            f"A refund of {amount} needs a quick review by our support team. They usually "
            "decide within 1 to 2 business days, and I'll let you know here."
        )
    url = claim.get("evidence_upload_url")
    where = f"upload them here: {url}" if url else "reply to this conversation with them"
    lines.append(
        "Photos help support decide quickly: the package contents, the label on the outside and "
        f"the packing slip. You can {where}{in_chat}"
    )
    lines.append(f"Keep your claim number {claim['claim_number']} to ask me for its status.")
    return "\n".join(lines)


class ActionShowFiledClaim(Action):
    """A "yes" after filing: a repeat (a channel's retry, a double tap) files nothing new.

    The customer sees the claim as it stands. When filing failed (the support desk was down),
    the details are still there and this "yes" tries again.
    """

    def name(self) -> str:
        return "action_show_filed_claim"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if tracker.get_slot("claim_confirmed") and tracker.get_slot("missing_items"):
            return await ActionSubmitClaim().run(dispatcher, tracker, domain)
        try:
            claim = conversation_claim(tracker)
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        if claim is None:
            dispatcher.utter_message(response="utter_what_else")
            return []
        dispatcher.utter_message(
            text="That's done already, so nothing new was filed. " + status_message(claim)
        )
        return []
