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
from actions.turns import latest_turn

FAILED_ATTEMPTS = "failed_attempts"
MAX_FAILURES_BEFORE_OFFER = 2
ESCALATE_AFTER_FAILURES = 3
HUMAN_BUTTON = {"title": "Talk to a person", "payload": "/request_human"}


@lru_cache(maxsize=1)
def client() -> SupportDeskClient:
    """One client per action server process, configured from the environment."""
    return SupportDeskClient.from_env()


def support_email() -> str:
    return os.environ.get("SUPPORT_EMAIL", "support@example.com")


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def failure(
    dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, message: str
) -> dict[str, Any]:
    """Explain what was expected (the question itself comes next, from the form).

    From the second failure on, a person is offered as well.
    """
    counts = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
    counts[slot] = counts.get(slot, 0) + 1
    misunderstood = slot != "verification"  # a wrong e-mail is no misunderstanding
    if (
        misunderstood
        and counts[slot] >= ESCALATE_AFTER_FAILURES
        and not tracker.get_slot("auto_escalated")
        and latest_turn(tracker).is_attempt  # noise never opens work for a person
    ):
        if message:
            dispatcher.utter_message(text=message)
        return {slot: None, FAILED_ATTEMPTS: counts, **escalate_once(dispatcher, tracker, slot)}
    if counts[slot] >= MAX_FAILURES_BEFORE_OFFER:
        offer = "If you'd rather, I can connect you with a person."
        dispatcher.utter_message(text=f"{message} {offer}".strip(), buttons=[HUMAN_BUTTON])
    elif message:
        dispatcher.utter_message(text=message)
    return {slot: None, FAILED_ATTEMPTS: counts}


def escalate_once(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> dict:
    """The third miss on one question: bring in a person, once per conversation."""
    from actions.handoff import escalate  # handoff needs this module's client

    events = escalate(dispatcher, tracker, f"The assistant repeatedly misunderstood ({slot}).")
    return {**{e["name"]: e["value"] for e in events}, "auto_escalated": True}


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
