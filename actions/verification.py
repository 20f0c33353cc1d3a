"""Verifying the customer: the order number and the order's e-mail, before any detail is shown."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    FAILED_ATTEMPTS,
    HUMAN_BUTTON,
    LEFT_STEP,
    TASK_MENU,
    StoppableFormValidation,
    client,
    explain_error,
    failure,
    forget_failures,
    slots_before_message,
    success,
    without_progress,
)
from actions.help_center import another_matter, answer_from_help_center
from actions.identifiers import normalize_order_number, order_number_within, parse_email
from actions.supportdesk_client import InvalidRequest, NotFound, RateLimited, SupportDeskError
from actions.turn_orders import ORDERS, turn_key
from actions.turns import latest_turn

STORY_INTENTS = {"report_missing_item", "request_refund"}
IDENTIFIERS = {"order_number", "email", "tracking_number", "claim_number"}
RECHECKED = "verification_order"  # failure counter: the order number was asked again once
ORDER_FORMAT = (
    "Order numbers look like STS-1234-5678; you'll find yours in the order confirmation e-mail."
)


def verified_order(tracker: Tracker) -> dict[str, Any] | None:
    """The verified order (None when the conversation has not verified one), fetched once
    per turn for all the actions of the turn (actions/turn_orders.py)."""
    number, email = tracker.get_slot("verified_order"), tracker.get_slot("email")
    if not number or not email:
        return None
    key = turn_key(tracker, number, email)
    order = ORDERS.get(key)
    if order is None:
        order = client().lookup_order(number, email, conversation_id=tracker.sender_id)
        ORDERS.put(key, order)
    return order


# "I don't know which one she used", "can't you look it up with the order number?"
EMAIL_UNKNOWN = re.compile(
    r"^\W*(?:i\s+)?(?:don'?t know|do not know|dunno|no idea|not sure|no clue)\W*$|"
    r"\b(?:(?:don'?t|do not|doesn'?t|not sure|no idea|can'?t|cannot|forgot|forget)\b"
    r"[^.?!@]{0,30}\b(?:e-?mails?|address|which one|what one|account)\b|"
    r"(?:look|find|pull|check)\s+(?:it|that|the order|my order|her order|his order)?\s*up\b"
    r"[^.?!@]{0,25}\b(?:order (?:number|#)|number|without)\b|"
    r"without (?:the|an|her|his|my|their) e-?mail)",
    re.IGNORECASE,
)
# "I can't log in to my account": trouble with the account, not an unknown address
ACCOUNT_TROUBLE = re.compile(
    r"\b(?:passwords?|pwd|log\s*in|login|logged out|sign\s*in|signing in|locked out|reset)\b",
    re.IGNORECASE,
)
ANOTHER_MATTER_WORDS = 4  # more than "order 1234-5678": a message with a request in it
IDENTIFIER_LIKE = re.compile(r"\d|@")  # what an order or claim number or an e-mail has
# The identifiers that answer a question, whatever else the message is read as.
ANSWERED_BY = {
    "order_number": ("order_number",),
    "claim_number": ("claim_number", "order_number"),
    "email": ("email",),
}


# "that's on my other order, STS-…": an order besides the one the claim is for
OTHER_ORDER = re.compile(
    r"\b(?:other|another|different|second|2nd|separate|older|newer)\s+(?:online\s+)?order\b",
    re.IGNORECASE,
)


def another_order(tracker: Tracker) -> str | None:
    """The order number the message gives, when it is not the verified order."""
    turn = latest_turn(tracker)
    given = turn.entities.get("order_number") or order_number_within(turn.text)
    number = normalize_order_number(str(given)) if given else None
    verified = tracker.get_slot("verified_order")
    return number if number and verified and number != verified else None


def of_another_order(tracker: Tracker) -> str | None:
    """With a claim under way, the other order the message speaks of ("where's my charger?
    that's on my other order, STS-…"): a question aside, not the claim's order put right."""
    claim_under_way = bool(tracker.get_slot("missing_items"))
    says_other = OTHER_ORDER.search(latest_turn(tracker).text)
    return another_order(tracker) if claim_under_way and says_other else None


def typed_answer(tracker: Tracker, slot: str) -> dict[str, Any]:
    """The message as the answer to `slot`, when it is the question and no entity filled it.

    An aside (a digression intent) or a button's `/intent` payload is no answer: the form
    rejects, and a digression rule answers before the question comes again.
    """
    filled = set(tracker.slots_to_validate())
    if tracker.get_slot("requested_slot") != slot or slot in filled:
        return {}  # not asked, or already filled from its entity in this message
    if filled & (IDENTIFIERS - {slot}):
        return {}  # "sorry, my order number is actually ...": a correction, not this answer
    turn = latest_turn(tracker)
    if turn.is_payload or not turn.text:
        return {}
    # "actually, can you just cancel it? …" at the e-mail question asks, and has no address
    asks = turn.is_question or (slot == "email" and "?" in turn.text)
    if asks and not IDENTIFIER_LIKE.search(turn.text):
        return {}  # "can I return the easel?" at the e-mail question: an aside, no answer
    if turn.is_aside:
        # "I don't have the claim number, it's the one on order STS-…" read as out of scope:
        # the identifier asked for is the answer, unless the message asks something else
        carried = [
            turn.entities[name] for name in ANSWERED_BY.get(slot, ()) if name in turn.entities
        ]
        return {slot: carried[0]} if carried and not turn.is_question else {}
    return {slot: turn.text}


def knows_no_email(tracker: Tracker) -> bool:
    """At the e-mail question, the shopper says they don't know the address, and gives none."""
    if tracker.get_slot("requested_slot") != "email":
        return False
    text = latest_turn(tracker).text
    unknown = EMAIL_UNKNOWN.search(text) and not ACCOUNT_TROUBLE.search(text)
    return "@" not in text and bool(unknown)


def without_an_email(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """Asking again cannot help: say why the address is needed, and leave the step."""
    dispatcher.utter_message(response="utter_email_unknown", buttons=[HUMAN_BUTTON])
    return {"email": None, "stop_reason": LEFT_STEP}


def asks_another_matter(tracker: Tracker) -> bool:
    """The order number comes inside a request this assistant does not serve: "I want to take
    the flash off order STS-… and get my money back"."""
    turn = latest_turn(tracker)
    return turn.words >= ANOTHER_MATTER_WORDS and another_matter(turn.text)


def leave_for_another_matter(
    number: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The help center answers the request and the step is left, the order number kept;
    not "my other order STS-…", which is not the one the shopper came about."""
    answered = answer_another_matter(dispatcher, tracker)
    other = OTHER_ORDER.search(latest_turn(tracker).text)
    return {**answered, "order_number": None if other else number, "stop_reason": LEFT_STEP}


def answer_another_matter(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """The help center's answer to a request this assistant does not serve, or an honest "not
    here" with a person offered; the slots the answer sets."""
    events = answer_from_help_center(dispatcher, tracker, TASK_MENU)
    if events is None or any(event.get("event") == "followup" for event in events):
        dispatcher.utter_message(response="utter_out_of_scope/other", buttons=[HUMAN_BUTTON])
        events = []
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def reask_email(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    return failure(
        dispatcher,
        tracker,
        "email",
        "That doesn't look like an e-mail address. Please type the one you used for the order, "
        "like name@example.com.",
    )


class VerificationSlots:
    """Validation of `order_number` and `email`, shared by the forms that need a verified order."""

    def on_verified(
        self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Hook for forms that check more once the order is known."""
        return {}

    async def extract_order_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        turn = latest_turn(tracker)
        if turn.intent in STORY_INTENTS and not any(c.isdigit() for c in turn.text):
            return {}  # more of the story ("everything came except the TV"): kept, not a number
        return typed_answer(tracker, "order_number")

    async def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if knows_no_email(tracker):
            return {"email": latest_turn(tracker).text}  # the answer there is: validated next
        return typed_answer(tracker, "email")

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        number = normalize_order_number(str(value or "")) or order_number_within(str(value or ""))
        if number and asks_another_matter(tracker):
            return leave_for_another_matter(number, dispatcher, tracker)
        if number is None:
            return failure(
                dispatcher,
                tracker,
                "order_number",
                f"Sorry, that doesn't look like an order number. {ORDER_FORMAT}",
            )
        result = success(tracker, "order_number", number)
        if number == tracker.get_slot("verified_order"):
            return result
        result["verified_order"] = None
        email = tracker.get_slot("email")
        # An e-mail given in the same message is verified by validate_email, which runs next.
        if email and parse_email(email) and "email" not in tracker.slots_to_validate():
            result.update(self._verify(number, email, dispatcher, tracker))
        return result

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        email = parse_email(str(value or ""))
        if email is None and knows_no_email(tracker):
            return without_an_email(dispatcher)
        if email is None:
            return reask_email(dispatcher, tracker)
        number = tracker.get_slot("order_number")
        if not number:
            return success(tracker, "email", email)
        if number == tracker.get_slot("verified_order"):
            known = tracker.get_slot("verified_email")
            if email == known or known is None:
                return success(tracker, "email", email)  # just verified with this address
            return self._change_email(number, email, known, dispatcher, tracker)
        return self._verify(number, email, dispatcher, tracker)

    def _change_email(
        self,
        number: str,
        email: str,
        known: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """Another address for the verified order: used if it matches, else the first is kept."""
        try:
            client().lookup_order(number, email, conversation_id=tracker.sender_id)
        except NotFound:
            dispatcher.utter_message(
                text=f"That e-mail address doesn't match order {number}, so I'll keep using the "
                "one you gave first."
            )
            return {"email": known}
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return {"email": known}
        dispatcher.utter_message(text="Thanks, I've updated your e-mail address.")
        return {**success(tracker, "email", email), "verified_email": email}

    def _verify(
        self, number: str, email: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        try:
            order = client().lookup_order(number, email, conversation_id=tracker.sender_id)
            ORDERS.put(turn_key(tracker, number, email), order)  # for this turn's next steps
        except NotFound:
            return self._not_found(number, dispatcher, tracker)
        except InvalidRequest as error:
            return self._refused(error, dispatcher, tracker)
        except RateLimited as error:
            explain_error(dispatcher, error)
            return {"stop_reason": "support_desk"}
        except SupportDeskError as error:
            # Not checked, so not kept as the answer: the e-mail question comes again.
            explain_error(dispatcher, error, step_kept=True)
            return {"email": None, "verified_order": None, "verified_email": None}
        result = forget_failures(tracker, "verification")
        result[FAILED_ATTEMPTS].pop(RECHECKED, None)
        result.update(
            {
                "order_number": number,
                "email": email,
                "verified_order": number,
                "verified_email": email,
            }
        )
        result.update(self.on_verified(order, dispatcher, tracker))
        return result

    def _not_found(
        self, number: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """No such order with that e-mail: the e-mail is asked again, then the order number
        (either may hold the typo), then the step is left and the order stays private."""
        cleared = {"email": None, "verified_order": None, "verified_email": None}
        counts = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
        if counts.get("verification", 0) + counts.get("email", 0) == 1 and not counts.get(
            RECHECKED
        ):
            dispatcher.utter_message(response="utter_recheck_order_number", order_number=number)
            # The e-mail is kept, and checked again with the order number given next.
            unverified = {"verified_order": None, "verified_email": None, "order_number": None}
            return {**unverified, FAILED_ATTEMPTS: {**counts, RECHECKED: 1}}
        result = failure(
            dispatcher,
            tracker,
            "verification",
            f"I couldn't find order {number} with that e-mail address. Please check the "
            "e-mail address, or tell me the order number again if it was a different one.",
        )
        del result["verification"]  # a failure counter, not a slot
        # The order number is kept (the answer is the same for an unknown order), so only
        # the e-mail address is asked again.
        return {**result, **cleared}

    def _refused(
        self, error: InvalidRequest, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The support desk refused a value as invalid: ask for it again, keep nothing of it."""
        cleared = {"verified_order": None, "verified_email": None}
        blamed = {error.field} | {p.get("field") for p in error.problems if isinstance(p, dict)}
        if "order_number" in blamed and "email" not in blamed:
            result = failure(
                dispatcher, tracker, "order_number", f"Sorry, I can't use that one. {ORDER_FORMAT}"
            )
            return {**result, **cleared, "order_number": None}
        return {**reask_email(dispatcher, tracker), **cleared}


class ValidateVerifyForm(VerificationSlots, StoppableFormValidation):
    """Step 1 starts here: verify the customer before showing the tracking."""

    def form_name(self) -> str:
        return "verify_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        before = slots_before_message(tracker)
        events = await super().run(dispatcher, tracker, domain)
        return without_progress(dispatcher, tracker, before, events)
