"""What every action shares: the support desk client, failure counting and polite errors."""

from __future__ import annotations

import os
from abc import abstractmethod
from functools import lru_cache
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.supportdesk_client import RateLimited, SupportDeskClient, SupportDeskError

FAILED_ATTEMPTS = "failed_attempts"
ASKS_IN_A_ROW = 2  # a question asked this often without an answer is not asked again
# Failures counted apart that are answers to one question: a wrong e-mail, an unreadable one.
SAME_QUESTION = {"verification": "email", "email": "verification"}
NOT_ANSWERS = {"action_answer_aside", "action_cannot_handle"}  # the question comes again after
LEFT_STEP = "left_step"  # stop_reason: the form ended with what it collected kept
HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/request_human"}
TASK_MENU = [  # what the assistant can do, one tap each
    {"title": "Where is my order?", "payload": "/check_tracking"},
    {"title": "Items are missing", "payload": "/report_missing_item"},
    {"title": "Status of my claim", "payload": "/check_claim_status"},
    HUMAN_BUTTON,
]


@lru_cache(maxsize=1)
def client() -> SupportDeskClient:
    """One client per action server process, configured from the environment."""
    return SupportDeskClient.from_env()


def support_email() -> str:
    return os.environ.get("SUPPORT_EMAIL", "support@example.com")


def help_center_url() -> str:
    """The retailer's help center, where the requests this assistant does not serve are handled."""
    return os.environ.get("HELP_CENTER_URL", "https://help.example.com").rstrip("/")


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def failure(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    message: str,
    counted: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Explain what was expected (the question itself comes next, from the form).

    The second failure in a row leaves the step instead (`leave_step`). `counted`: the
    failures so far, when not the tracker's (a turn whose own doings are dropped).
    """
    counts = dict((tracker.get_slot(FAILED_ATTEMPTS) if counted is None else counted) or {})
    counts[slot] = counts.get(slot, 0) + 1
    if message:
        dispatcher.utter_message(text=message)
    twin = SAME_QUESTION.get(slot, "")
    # An aside or a miss just before also saw the question go out without an answer.
    unanswered = counts[slot] + counts.get(twin, 0) + answered_in_a_row(tracker, NOT_ANSWERS)
    if unanswered >= ASKS_IN_A_ROW:
        counts.pop(slot)
        counts.pop(twin, None)
        return {slot: None, FAILED_ATTEMPTS: counts, **leave_step(dispatcher, slot)}
    return {slot: None, FAILED_ATTEMPTS: counts}


def answered_in_a_row(tracker: Tracker, actions: set[str]) -> int:
    """How many of the customer's messages before the latest, in a row, one of `actions`
    answered. A message the action passed on to a task (a `followup`) was understood."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    count = 0
    pairs = list(zip(users[:-1], users[1:], strict=True))  # each earlier message and the next
    for start, end in reversed(pairs):
        answers = tracker.events[start:end]
        if not any(e.get("name") in actions for e in answers):
            break
        if any(e.get("event") == "followup" for e in answers):
            break
        count += 1
    return count


# What a claim's questions depend on: the same words with these the same change the same.
CIRCLE_STATE = ("missing_items", "pending_item", "tracking_number", "description")


def said_before_at(tracker: Tracker, asked: str | None) -> int:
    """How often the latest message, of a few words, was already sent at this same question
    of this form, with the claim as it is now: more than never, and the conversation has come
    round in a circle."""
    events = tracker.events
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not asked or not users:
        return 0
    latest = _plain(events[users[-1]])
    if len(latest.split()) < 3 or latest.startswith("/"):
        return 0  # "yes" or "2" again is an answer again, not a circle
    requested: str | None = None
    state: dict[str, Any] = {}
    earlier: list[dict[str, Any]] = []  # the state each time the same words were said here
    unread: dict[str, Any] | None = None  # said, but not yet seen read by the form
    for event in events[: users[-1]]:
        if event.get("event") == "active_loop" and not event.get("name"):
            requested, earlier, unread = None, [], None  # a form ended: what was said is over
        elif event.get("event") == "slot":
            if unread is not None:
                earlier.append(unread)  # the form read it (not lost to an outage)
                unread = None
            if event.get("name") == "requested_slot":
                requested = event.get("value")
            elif event.get("name") in CIRCLE_STATE:
                state[event["name"]] = event.get("value")
        elif event.get("event") == "user":
            same = requested == asked and _plain(event) == latest
            unread = dict(state) if same else None
    return sum(1 for then in earlier if then == state)


def _plain(event: dict[str, Any]) -> str:
    return " ".join(str(event.get("text") or "").lower().split())


# What a question needs, said in other words when a message changed nothing.
NEEDED = {
    "order_number": "I still need your order number, like STS-1234-5678.",
    "email": "I still need the e-mail address you used for the order, like name@example.com.",
    "tracking_number": 'Please answer "yes" or "no", or type the tracking number on the label.',
    "missing_items": "Please tell me which items are missing, or tap one.",
    "item_quantity": "Please tap one of the options.",
    "items_confirmed": 'Please answer "yes", or tap the item that is missing.',
    "claim_confirmed": 'Please answer "yes" to file the claim or "no" to cancel it.',
    "claim_number": "I still need the claim number, like CLM-000123, or your order number.",
}
BOOKKEEPING = {"requested_slot", FAILED_ATTEMPTS}
# Typed at one question of a pair, the other's value is an answer too ("I couldn't find the
# order with that e-mail: check it, or tell me the order number again").
SAME_ANSWER = {"email": {"order_number"}, "order_number": {"email"}}


def without_progress(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    before: dict[str, Any],
    events: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A message that changed nothing at a question is a miss: "STS-4829-1307" again at the
    package question. It is answered in other words, and counts toward leaving the step.

    `before`: the slots as the turn found them.
    """
    asked = before.get("requested_slot")
    invited = set(tracker.slots_to_validate()) & SAME_ANSWER.get(asked or "", set())
    times = said_before_at(tracker, asked) if asked in NEEDED and not invited else 0
    if times:
        # the same words at the same question again: whatever they changed the first time
        # led back here, so they change nothing now, and the step says what it needs; this
        # turn's own failures are dropped with the rest of what it did
        dispatcher.messages.clear()
        if times >= ASKS_IN_A_ROW:
            left = {asked: None, **leave_step(dispatcher, asked), "requested_slot": None}
            return [SlotSet(slot, value) for slot, value in left.items()]
        return _failed(dispatcher, tracker, asked, before.get(FAILED_ATTEMPTS) or {})
    changed = [
        e
        for e in events
        if e.get("event") == "slot"
        and e.get("name") not in BOOKKEEPING
        and e.get("value") != before.get(e.get("name"))
    ]
    still = next(
        (e.get("value") for e in reversed(events) if e.get("name") == "requested_slot"), asked
    )
    if changed or not asked or still != asked or asked not in NEEDED or dispatcher.messages:
        return events  # it changed something, or the step already said what it needs
    if invited:
        return events  # the order number again at the e-mail question, as the bot invites
    if not any(e.get("name") != "requested_slot" for e in events):
        return events  # nothing at all: the form rejects, and a rule answers
    return events + _failed(dispatcher, tracker, asked)


def _failed(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    asked: str,
    counted: dict[str, int] | None = None,
) -> list[dict]:
    result = failure(dispatcher, tracker, asked, NEEDED[asked], counted)
    if result.get("stop_reason"):
        result["requested_slot"] = None  # the step is left: nothing is asked again
    return [SlotSet(slot, value) for slot, value in result.items()]


def slots_before_message(tracker: Tracker) -> dict[str, Any]:
    """The slots as they were when the latest message came in, before anything it filled."""
    events = tracker.events
    last = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=0)
    values: dict[str, Any] = {}
    for event in events[:last]:
        if event.get("event") == "slot":
            values[event.get("name")] = event.get("value")
    return values


def leave_step(dispatcher: CollectingDispatcher, step: str) -> dict[str, Any]:
    """A question not answered twice in a row never goes out a third time.

    The form ends with what it collected kept (`LEFT_STEP`), and a person is offered, never
    forced. After two e-mail addresses that don't match, the order stays private.
    """
    response = "utter_verification_left" if step == "verification" else "utter_left_step"
    dispatcher.utter_message(response=response, buttons=[HUMAN_BUTTON])
    return {"stop_reason": LEFT_STEP}


def success(tracker: Tracker, slot: str, value: Any) -> dict[str, Any]:
    """Accept a value and forget the failures counted for its slot."""
    return {slot: value, **forget_failures(tracker, slot)}


def forget_failures(tracker: Tracker, key: str) -> dict[str, Any]:
    counts = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
    counts.pop(key, None)
    return {FAILED_ATTEMPTS: counts}


class StoppableFormValidation(FormValidationAction):
    """A form whose validation can end it early by setting `stop_reason`."""

    @abstractmethod
    def form_name(self) -> str: ...

    def name(self) -> str:
        return f"validate_{self.form_name()}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return [] if tracker.get_slot("stop_reason") else domain_slots


def explain_error(
    dispatcher: CollectingDispatcher, error: SupportDeskError, step_kept: bool = False
) -> None:
    """Turn a support desk failure the customer can do nothing about into a polite message.

    With `step_kept`, the customer is told that their answer wasn't checked and the question
    comes again.
    """
    if isinstance(error, RateLimited):
        minutes = max(1, round((error.retry_after or 900) / 60))
        dispatcher.utter_message(
            text=(
                "For your security I've paused look-ups for this order after several attempts "
                f"that didn't match. Please try again in about {minutes} minute"
                f"{'s' if minutes != 1 else ''}, or talk to a person."
            ),
            buttons=[HUMAN_BUTTON],
        )
        return
    if step_kept:
        text = (
            "I'm sorry, I can't reach our order system right now, so I couldn't check that. "
            "Everything you've told me so far is kept: please send it again in a minute, write "
            f"to {support_email()}, or I can connect you with a person."
        )
    else:
        text = (
            "I'm sorry, I can't reach our order system right now. Please try again in a few "
            f"minutes, write to {support_email()}, or I can connect you with a person."
        )
    dispatcher.utter_message(text=text, buttons=[HUMAN_BUTTON])


def last_form_activation(tracker: Tracker, form: str) -> float | None:
    """When the current run of a form started: identifies one form instance."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            return event.get("timestamp")
    return None
