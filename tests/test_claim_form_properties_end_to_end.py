"""The claim form under arbitrary messages, on the whole stack: every turn makes progress.

Hypothesis drives a shopper who, after the opening, sends any sequence of realistic answers,
asides and odd messages (noise, emoji, markup, numbers, words for other questions, random
text), then answers what is asked. Whatever came before, the conversation reaches the summary,
a stop or a handoff within a bounded number of turns, and the same question never goes out a
third time in a row: a message the bot did not take as an answer, an aside or a change is
never met with the very same question three times.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts import stack
from tests.conftest import whole_stack

ORDER, EMAIL, TRACKING = "STS-4829-1307", "maya.chen@example.com", "1Z4E82A70362815596"
OPENING = f"items are missing from my order {ORDER}, my email is {EMAIL}"
# A cooperative answer to each question, for the end of every run (never "yes" to the summary:
# the runs share one order, and a filed claim would change what the next run can claim).
ANSWERS = {
    "order_number": ORDER,
    "email": EMAIL,
    "tracking_number": TRACKING,
    "missing_items": "one of the phone cases",
    "item_quantity": "1",
    "items_confirmed": "yes",
    "description": "The bag was sealed but one phone case was not inside.",
}
REALISTIC = [
    "yes", "no", "yep", "the cable", "one phone case", "Clear Phone Case", "both", "2", "1",
    "the headphones and the cable", "the cable was not there", "only the headphones came",
    "no cable in the bag", "everything except the cable", TRACKING, "it's 1Z4E 82A7 0362 8155 96",
    ORDER, EMAIL, "the box was sealed but half my stuff was gone", "not the cable, the case",
    "wrong package", "change the description", "nothing else", "that's all",
]  # fmt: skip
ODD = [
    "???", "🙂🙂🙂", "asdfgh", "lol", "ok", "hmm idk", "0", "-3", "999", "STS-0000-0000",
    "x" * 300, "<b>hi</b>", "what?", "CLM-000999", "nope nope nope", "👍", "...", "12345",
]  # fmt: skip
ASIDES = ["are you a bot?", "what time does the store close", "thanks", "how are you"]
MESSAGES = st.one_of(
    st.sampled_from(REALISTIC),
    st.sampled_from(ODD),
    st.sampled_from(ASIDES),
    st.text(min_size=1, max_size=40).filter(lambda text: text.strip()),
)
FINISH_WITHIN = 12  # cooperative turns after the arbitrary ones


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    with whole_stack(tmp_path_factory.mktemp("claim-properties")) as started:
        yield started


class Conversation:
    """One shopper, with what each turn asked and whether the bot answered an aside."""

    def __init__(self, running: stack.Stack) -> None:
        self.running = running
        self.sender = f"prop-{uuid.uuid4().hex[:10]}"
        self.token = running.env["RASA_AUTH_TOKEN"]
        self.slot: str | None = None
        self.loop: str | None = None
        self.repeats = 0
        self.last_question = ""
        self.log: list[str] = []

    def say(self, text: str) -> None:
        replies = requests.post(
            self.running.url("rasa", "/webhooks/rest/webhook"),
            json={"sender": self.sender, "message": text},
            timeout=60,
        ).json()
        tracker = requests.get(
            self.running.url("rasa", f"/conversations/{self.sender}/tracker"),
            params={"token": self.token, "include_events": "ALL"},
            timeout=30,
        ).json()
        texts = [r.get("text") or "" for r in replies]
        assert texts, f"no answer to {text!r}"
        self.loop = (tracker.get("active_loop") or {}).get("name")
        slot = (tracker.get("slots") or {}).get("requested_slot") if self.loop else None
        question = texts[-1]
        aside = "action_answer_aside" in self._turn_actions(tracker)
        same = slot is not None and slot == self.slot and question == self.last_question
        self.repeats = self.repeats + 1 if same and not aside else 0
        self.log.append(f"{text!r} -> {self.loop}/{slot} {question[:80]!r}")
        assert self.repeats < 2, "the same question a third time in a row:\n" + "\n".join(self.log)
        self.slot, self.last_question = slot, question

    @staticmethod
    def _turn_actions(tracker: dict[str, Any]) -> list[str]:
        events = tracker.get("events") or []
        last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
        return [e.get("name") for e in events[last_user:] if e.get("event") == "action"]

    @property
    def at_summary(self) -> bool:
        return self.loop == "claim_form" and self.slot == "claim_confirmed"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(messages=st.lists(MESSAGES, min_size=1, max_size=8))
def test_any_messages_then_answers_reach_the_summary_a_stop_or_a_person(running, messages):
    shopper = Conversation(running)
    shopper.say(OPENING)
    for text in messages:
        if shopper.loop is None:
            break  # stopped, handed off, or left: nothing half-asked comes back
        shopper.say(text)
    for _ in range(FINISH_WITHIN):
        if shopper.loop is None or shopper.at_summary:
            break
        shopper.say(ANSWERS.get(shopper.slot or "", "yes"))
    assert shopper.loop is None or shopper.at_summary, "still in the form:\n" + "\n".join(
        shopper.log
    )
