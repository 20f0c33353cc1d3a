"""What every action shares: the support desk client, failure counting and polite errors."""

from __future__ import annotations

import os
from abc import abstractmethod
from functools import lru_cache
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.supportdesk_client import RateLimited, SupportDeskClient, SupportDeskError

FAILED_ATTEMPTS = "failed_attempts"
ASKS_IN_A_ROW = 2  # a question asked this often without an answer is not asked again
# Failures counted apart that are answers to one question: a wrong e-mail, an unreadable one.
SAME_QUESTION = {"verification": "email", "email": "verification"}
LEFT_STEP = "left_step"  # stop_reason: the form ended with what it collected kept
HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/request_human"}


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
    dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, message: str
) -> dict[str, Any]:
    """Explain what was expected (the question itself comes next, from the form).

    The second failure in a row leaves the step instead (`leave_step`).
    """
    counts = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
    counts[slot] = counts.get(slot, 0) + 1
    if message:
        dispatcher.utter_message(text=message)
    twin = SAME_QUESTION.get(slot, "")
    if counts[slot] + counts.get(twin, 0) >= ASKS_IN_A_ROW:
        counts.pop(slot)
        counts.pop(twin, None)
        return {slot: None, FAILED_ATTEMPTS: counts, **leave_step(dispatcher, slot)}
    return {slot: None, FAILED_ATTEMPTS: counts}


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
