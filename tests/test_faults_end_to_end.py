"""Faults, played through the whole stack: every turn gets an answer and nothing is lost.

Each test breaks something real (it kills a service with SIGKILL, sends a value the support desk
refuses, or delivers a message twice at once) in the middle of a claim, then checks what the
customer saw, the conversation's state in Rasa, and the support desk's database.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import requests

from scripts import stack
from tests.conftest import whole_stack
from tests.e2e import desk_rows

TROUBLE = "having trouble on my side"
ORDER_DOWN = "can't reach our order system"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    with whole_stack(tmp_path_factory.mktemp("faults")) as started:
        yield started


class Customer:
    """A shopper on the REST channel who can also see their conversation's slots."""

    def __init__(self, running: stack.Stack) -> None:
        self.running = running
        self.base = f"http://127.0.0.1:{running.ports.rasa}"
        self.sender = f"fault-{uuid.uuid4().hex[:8]}"

    def says(self, text: str) -> str:
        answer = requests.post(
            f"{self.base}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            timeout=90,
        )
        answer.raise_for_status()
        return "\n".join(m.get("text", "") for m in answer.json())

    def slots(self) -> dict:
        tracker = requests.get(
            f"{self.base}/conversations/{self.sender}/tracker",
            params={"token": self.running.env["RASA_AUTH_TOKEN"]},
            timeout=10,
        ).json()
        return tracker["slots"]

    def reaches_the_items_question(self) -> None:
        assert "order number" in self.says("something was missing from my order")
        assert "e-mail" in self.says("STS-4829-1307")
        assert "Is that the one" in self.says("maya.chen@example.com")
        assert "Which items are missing" in self.says("yes")


def test_the_action_server_dying_mid_claim_gets_an_answer_and_the_form_resumes(
    running: stack.Stack,
) -> None:
    maya = Customer(running)
    maya.reaches_the_items_question()
    running.kill("actions")
    try:
        reply = maya.says("the phone case")
        assert TROUBLE in reply and "kept" in reply
        assert TROUBLE in maya.says("hello?")  # still down: still an answer
        slots = maya.slots()
        assert slots["requested_slot"] == "missing_items"
        assert slots["verified_order"] == "STS-4829-1307"
    finally:
        running.restart("actions")
    reply = maya.says("the phone case")
    assert "How many" in reply  # the form goes on from the items question
    assert maya.slots()["requested_slot"] == "item_quantity"


def test_the_support_desk_down_at_the_items_step_is_said_and_the_step_kept(
    running: stack.Stack,
) -> None:
    maya = Customer(running)
    maya.reaches_the_items_question()
    running.kill("supportdesk")
    try:
        reply = maya.says("the cable")
        assert ORDER_DOWN in reply and "kept" in reply
        assert maya.slots()["requested_slot"] == "missing_items"
        assert maya.slots()["missing_items"] is None
    finally:
        running.restart("supportdesk")
    assert "How many" in maya.says("the phone case")


def test_the_support_desk_down_at_the_email_step_keeps_the_step(running: stack.Stack) -> None:
    jordan = Customer(running)
    assert "order number" in jordan.says("I want to report a missing item")
    assert "e-mail" in jordan.says("STS-9157-3380")
    running.kill("supportdesk")
    try:
        reply = jordan.says("jordan.reyes@example.net")
        assert ORDER_DOWN in reply
        slots = jordan.slots()
        assert slots["requested_slot"] == "email" and slots["email"] is None
        assert slots["order_number"] == "STS-9157-3380"  # what was given is kept
    finally:
        running.restart("supportdesk")
    assert "Is that the one" in jordan.says("jordan.reyes@example.net")


def test_an_over_long_email_is_asked_again_and_not_kept(running: stack.Stack) -> None:
    maya = Customer(running)
    maya.says("my order arrived with something missing")
    maya.says("STS-4829-1307")
    reply = maya.says("maya" * 75 + "@example.com")  # 312 characters
    assert "doesn't look like an e-mail address" in reply
    assert ORDER_DOWN not in reply
    slots = maya.slots()
    assert slots["email"] is None and slots["requested_slot"] == "email"
    assert "Is that the one" in maya.says("maya.chen@example.com")


def test_a_final_yes_delivered_twice_files_one_claim_and_shows_it(running: stack.Stack) -> None:
    maya = Customer(running)
    maya.reaches_the_items_question()
    assert "How many" in maya.says("the phone case")
    assert "describe" in maya.says("1")
    assert "file this claim" in maya.says("The bag was sealed but the phone case wasn't in it.")
    replies: list[str] = []
    copies = [threading.Thread(target=lambda: replies.append(maya.says("yes"))) for _ in "ab"]
    for copy in copies:
        copy.start()
    for copy in copies:
        copy.join()
    claims = desk_rows(
        running, "SELECT claim_number FROM claims WHERE conversation_id = :c", c=maya.sender
    )
    assert len(claims) == 1
    number = claims[0][0]
    assert sum("I've filed claim" in r for r in replies) == 1
    repeat = next(r for r in replies if "I've filed claim" not in r)
    assert "nothing new was filed" in repeat and number in repeat
    handoffs = desk_rows(
        running, "SELECT COUNT(*) FROM handoffs WHERE conversation_id = :c", c=maya.sender
    )
    assert handoffs == [(0,)]
