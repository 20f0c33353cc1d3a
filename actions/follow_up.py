"""Step 4: the status of a claim, by claim number or for the verified order."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker, ValidationAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.claim_watch import watches_claim
from actions.common import StoppableFormValidation, client, explain_error, failure, success
from actions.formatting import item_list, money
from actions.identifiers import (
    normalize_claim_number,
    normalize_order_number,
    order_number_within,
    parse_email,
)
from actions.photos import photos_in_chat
from actions.supportdesk_client import InvalidRequest, NotFound, RateLimited, SupportDeskError
from actions.turns import latest_turn
from actions.verification import (
    ORDER_FORMAT,
    knows_no_email,
    reask_email,
    typed_answer,
    without_an_email,
)

STATUS_WORDS = {
    "submitted": "received",
    "approved": "approved",
    "in_review": "being reviewed by our support team",
    "needs_info": "waiting for more information from you",
    "rejected": "rejected",
}
# Who writes notes for the support team only (supportdesk/claims.py).
INTERNAL_ACTORS = {"refund policy", "system"}


# "not sure of the number, can you look it up with my order?": asked as a question, it still
# answers the claim number question, and the order's claims are found instead.
NUMBER_UNKNOWN = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|not sure|no idea|can'?t find|cannot find|lost|never got|"
    r"forgot)\b[^.?!]{0,25}\b(?:number|it|one)\b|"
    r"\b(?:look|find|pull|check)\s+(?:it|that|them|this)?\s*up\b[^.?!]{0,30}\border\b|"
    r"\b(?:by|with|from|using)\s+(?:my|the)\s+order\b",
    re.IGNORECASE,
)


def knows_no_claim_number(tracker: Tracker) -> bool:
    """At the claim number question, the shopper says they don't have it, and gives none."""
    if tracker.get_slot("requested_slot") != "claim_number":
        return False
    turn = latest_turn(tracker)
    given = {"claim_number", "order_number"} & set(turn.entities)
    return not given and not turn.is_payload and bool(NUMBER_UNKNOWN.search(turn.text))


class ValidateClaimStatusForm(StoppableFormValidation):
    """A claim number (or an order number) and the order's e-mail, verified together."""

    def form_name(self) -> str:
        return "claim_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        by_order = tracker.get_slot("order_number") or tracker.get_slot("status_by_order")
        if slots and not tracker.get_slot("claim_number") and by_order:
            return ["order_number", "email"]  # status by the order instead
        typed = tracker.slots_to_validate().get("order_number")
        if slots and typed and typed != tracker.get_slot("verified_order"):
            return ["order_number", *slots]  # another order typed in this message: checked
        return slots

    def validate_claim_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        number = normalize_claim_number(str(value or ""))
        if number and _another_order_typed(tracker):
            # "my claim on my other order, STS-…": that order, not the claim kept from before
            typed = latest_turn(tracker).entities["order_number"]
            by_order = self.validate_order_number(typed, dispatcher, tracker, domain)
            return {"claim_number": None, "status_by_order": True, **by_order}
        if number:
            return self._with_known_email(
                success(tracker, "claim_number", number), dispatcher, tracker, domain
            )
        order = normalize_order_number(str(value or ""))
        if order:
            result = success(tracker, "claim_number", None)
            if order != tracker.get_slot("verified_order"):
                result.update({"order_number": order, "verified_order": None})
                result = self._with_known_email(result, dispatcher, tracker, domain)
            return result
        return self._by_order(dispatcher, tracker)

    @staticmethod
    def _by_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """No claim number ("I never got one"): the order's claims, asked by its number once the
        claim number question has gone unanswered; the verified order when there is one."""
        dispatcher.utter_message(response="utter_status_by_order")
        verified = tracker.get_slot("verified_order")
        if verified:
            return {"claim_number": None, "order_number": verified, "status_by_order": True}
        return {"claim_number": None, "status_by_order": True}

    async def extract_claim_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if knows_no_claim_number(tracker):
            return {"claim_number": latest_turn(tracker).text}  # validated as no number
        return typed_answer(tracker, "claim_number")

    async def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if knows_no_email(tracker):
            return {"email": latest_turn(tracker).text}  # the answer there is: validated next
        return typed_answer(tracker, "email")

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The order number comes from its entity, the claim question, or, when the shopper
        has no claim number, its own question."""
        return typed_answer(tracker, "order_number")

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        """Another order than the verified one, typed in the question: that order's claims."""
        typed = str(value or "")
        order = normalize_order_number(typed) or order_number_within(typed)
        if order is None and tracker.get_slot("requested_slot") == "order_number":
            claim = normalize_claim_number(str(value or ""))
            if claim:  # a claim number after all
                result = {"claim_number": claim, "order_number": None, "status_by_order": None}
                return self._with_known_email(result, dispatcher, tracker, domain)
            return failure(
                dispatcher,
                tracker,
                "order_number",
                f"Sorry, that doesn't look like an order number. {ORDER_FORMAT}",
            )
        verified = tracker.get_slot("verified_order")
        if not order or not verified or order == verified:
            return {"order_number": order}
        result = {"order_number": order, "claim_number": None, "verified_order": None}
        return self._with_known_email(result, dispatcher, tracker, domain)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        email = parse_email(str(value or ""))
        if email is None and knows_no_email(tracker):
            return without_an_email(dispatcher)
        if email is None:
            return reask_email(dispatcher, tracker)
        if not tracker.get_slot("claim_number") and not tracker.get_slot("order_number"):
            return success(tracker, "email", email)  # verified once the number is known
        try:
            order_number = self._order_number(tracker)
            client().lookup_order(order_number, email, conversation_id=tracker.sender_id)
        except NotFound:
            result = failure(
                dispatcher,
                tracker,
                "verification",
                "I couldn't find that claim or order with that e-mail address. Please check "
                "them and let's try again.",
            )
            del result["verification"]  # a failure counter, not a slot
            result.update(
                {"claim_number": None, "order_number": None, "email": None, "verified_order": None}
            )
            return result
        except InvalidRequest:
            return {**reask_email(dispatcher, tracker), "verified_order": None}
        except RateLimited as error:
            explain_error(dispatcher, error)
            return {"stop_reason": "support_desk", "email": None}
        except SupportDeskError as error:
            explain_error(dispatcher, error, step_kept=True)  # not checked: asked again
            return {"email": None, "verified_order": None}
        return {
            **success(tracker, "email", email),
            "order_number": order_number,
            "verified_order": order_number,
        }

    def _with_known_email(
        self, result: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker, domain
    ) -> dict[str, Any]:
        """Verify a new claim or order number at once with the e-mail the customer gave before."""
        email = tracker.get_slot("email")
        if not email or "email" in tracker.slots_to_validate():
            return result  # asked for next, or verified by validate_email in this same message
        tracker.add_slots([SlotSet(slot, value) for slot, value in result.items()])
        return {**result, **self.validate_email(email, dispatcher, tracker, domain)}

    @staticmethod
    def _order_number(tracker: Tracker) -> str:
        """The order to verify against: the claim's, or the one the customer named."""
        number = tracker.get_slot("claim_number")
        if number:
            return client().get_claim(number)["order_number"]
        return tracker.get_slot("order_number")


class ActionClaimStatus(Action):
    def name(self) -> str:
        return "action_claim_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("stop_reason"):
            return [SlotSet("stop_reason", None)]
        verified = tracker.get_slot("verified_order")
        if not verified:
            dispatcher.utter_message(response="utter_ask_claim_number")
            return []
        try:
            claims = self._claims(tracker, verified)
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        if not claims:
            dispatcher.utter_message(
                text=f"There are no claims on order {verified} yet. If items are missing, I can "
                "help you report them.",
                buttons=[{"title": "Items are missing", "payload": "/report_missing_item"}],
            )
            return []
        for claim in claims:
            dispatcher.utter_message(text=status_message(claim))
        return following(claims[-1])

    @staticmethod
    def _claims(tracker: Tracker, verified: str) -> list[dict[str, Any]]:
        """The asked-for claim, if it belongs to the verified order, else all the order's.

        The claim just filed in this chat is no answer to "and my older claim?": without a
        number the shopper gave, every claim of the order is shown.
        """
        number = tracker.get_slot("claim_number")
        if number and not _filed_here(tracker):
            claim = client().get_claim(number)
            if claim["order_number"] == verified:
                return [claim]
        return client().list_claims(verified)["claims"]


def _another_order_typed(tracker: Tracker) -> bool:
    """The latest message names an order and no claim: a claim number kept from before is
    not what the shopper asks about."""
    entities = latest_turn(tracker).entities
    return "order_number" in entities and "claim_number" not in entities


def _filed_here(tracker: Tracker) -> bool:
    """The claim number slot holds the claim the assistant filed, not one the shopper gave."""
    number = tracker.get_slot("claim_number")
    filed, last_action = False, None
    for event in tracker.events:
        if event.get("event") == "action":
            last_action = event.get("name")
        elif event.get("event") == "slot" and event.get("name") == "claim_number":
            filed |= last_action == "action_submit_claim" and event.get("value") == number
        elif event.get("event") == "user":
            entities = (event.get("parse_data") or {}).get("entities") or []
            if any(str(e.get("value", "")).upper() == str(number).upper() for e in entities):
                return False  # the shopper typed it
    return filed


def conversation_claim(tracker: Tracker) -> dict[str, Any] | None:
    """The conversation's claim, only when it belongs to the verified order (else None).

    The claim number may have been typed: a claim of another order is never shown.
    Raises SupportDeskError when the support desk can't say.
    """
    number, verified = tracker.get_slot("claim_number"), tracker.get_slot("verified_order")
    if not number or not verified:
        return None
    claim = client().get_claim(number)
    return claim if claim["order_number"] == verified else None


def status_message(claim: dict[str, Any]) -> str:
    last = claim["history"][-1]
    lines = [
        f"Claim {claim['claim_number']} (order {claim['order_number']}) for "
        f"{item_list(claim['items'])}, refund {money(claim['refund_amount'], claim['currency'])}: "
        f"{STATUS_WORDS.get(claim['status'], claim['status'])}.",
        "History: "
        + "; ".join(
            f"{e['at'][:10]} {STATUS_WORDS.get(e['status'], e['status'])}" for e in claim["history"]
        ),
    ]
    note = shopper_note(last)
    if note:
        lines.append(f"Latest note: {note}")
    lines.append(claim["next_steps"])
    return "\n".join(lines)


def shopper_note(event: dict[str, Any]) -> str:
    """A note the shopper may read: an agent's, never the refund policy's internal reason."""
    if event.get("actor") in INTERNAL_ACTORS:
        return ""
    return event.get("note") or ""


def _history_entry(event: dict[str, Any]) -> str:
    return f"{event['at'][:10]} {STATUS_WORDS.get(event['status'], event['status'])}"


class ActionEvidenceLink(Action):
    """Photos for a claim: the signed upload link, once the claim's order is verified."""

    def name(self) -> str:
        return "action_evidence_link"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        number, verified = tracker.get_slot("claim_number"), tracker.get_slot("verified_order")
        claim = None
        if number and verified:
            try:
                claim = client().get_claim(number)
            except NotFound:
                claim = None  # an unknown claim number: say how photos work, as without one
            except SupportDeskError as error:
                explain_error(dispatcher, error)
                return []
        if claim is None or claim["order_number"] != verified:
            dispatcher.utter_message(
                text="Photos go with a claim. If you've filed one, ask me for its status and I'll "
                "give you the upload link; if not, tell me which items are missing.",
                buttons=[
                    {"title": "Status of my claim", "payload": "/check_claim_status"},
                    {"title": "Items are missing", "payload": "/report_missing_item"},
                ],
            )
            return []
        dispatcher.utter_message(
            text=f"You can add up to 5 photos to claim {claim['claim_number']} (the package "
            "contents, the label, the packing slip) here: "
            f"{claim['evidence_upload_url']} The link works for 72 hours.{photos_in_chat(tracker)}"
        )
        return following(claim)


def following(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """Remember the claim the customer is looking at, and how many photos it has."""
    return [
        SlotSet("claim_number", claim["claim_number"]),
        SlotSet("evidence_seen", float(claim["evidence_count"])),
        SlotSet("claim_status_seen", claim["status"]),
    ]


class ValidateSlotMappings(ValidationAction):
    """Runs after every message that fills a slot from an entity, or while the conversation
    has a claim to watch (the Rasa server skips it otherwise: rasa_hooks/slot_mappings.py):
    thanks the customer for photos added since the last one, and tells of a new status."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        if tracker.is_paused():
            return events  # a person has the conversation: the assistant stays quiet
        return events + new_evidence_events(dispatcher, tracker)


def new_evidence_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict]:
    """News on the conversation's claim since we last looked: new photos, a new status."""
    if not watches_claim(tracker.get_slot):
        return []  # the Rasa server does not even call (rasa_hooks/slot_mappings.py)
    number, verified = tracker.get_slot("claim_number"), tracker.get_slot("verified_order")
    seen = tracker.get_slot("evidence_seen")
    try:
        claim = client().get_claim(number)
    except SupportDeskError:
        return []  # the reply to the message itself will explain any outage
    if claim["order_number"] != verified:
        return []
    events = []
    count = claim["evidence_count"]
    if count > seen:
        added = count - int(seen)
        dispatcher.utter_message(
            text=f"Thank you: I can see {added} new photo{'s' if added != 1 else ''} on claim "
            f"{claim['claim_number']}. The support team has them now."
        )
        events.append(SlotSet("evidence_seen", float(count)))
    status_seen = tracker.get_slot("claim_status_seen")
    if status_seen and claim["status"] != status_seen:
        dispatcher.utter_message(text="There's news on your claim. " + status_message(claim))
        events.append(SlotSet("claim_status_seen", claim["status"]))
    return events
