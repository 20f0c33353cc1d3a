"""A person takes over: the bot goes quiet, the agent's replies reach the customer's channel,
the customer's answers reach the inbox, and hand-back brings the assistant back.

The customer uses Rasa's REST-callback channel; the callback endpoint is a small local HTTP
server that records what Rasa delivers to it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import socketio

from scripts import stack
from tests.conftest import whole_stack
from tests.e2e import Agent, add_agent, callback_server, wait_for, with_callback
from tests.e2e import CallbackCustomer as Customer


@pytest.fixture(scope="module")
def callback() -> Iterator[tuple[str, list[dict]]]:
    with callback_server() as server:
        yield server


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, callback) -> Iterator[stack.Stack]:
    workdir = tmp_path_factory.mktemp("handoff-stack")
    with whole_stack(workdir, with_callback(workdir, callback[0])) as started:
        add_agent(started)
        yield started


def test_an_agent_takes_over_and_hands_back(running: stack.Stack, callback) -> None:
    customer = Customer(running, callback[1])
    customer.says("hi")
    customer.waits_for("Ship to Store assistant")
    customer.says("I want to talk to a real person")
    customer.waits_for("reference H-")

    agent = Agent(running)
    handoff = agent.handoff_of(customer.sender)
    assert agent.act(handoff, "take")["status"] == "active"
    agent.act(handoff, "reply", text="Hi, I'm Sam from support. What went missing?")
    customer.waits_for("Sam Rivera: Hi, I'm Sam from support.")

    # The bot stays quiet while Sam has the conversation; Sam sees the answer within 2 s.
    before = len(customer.texts())
    customer.says("my phone case was not in the bag")
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if any(m["text"] == "my phone case was not in the bag" for m in agent.sees(handoff)):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the customer's message did not reach the inbox within 2 s")
    time.sleep(1.5)
    assert len(customer.texts()) == before, customer.texts()[before:]

    assert agent.act(handoff, "hand-back")["status"] == "returned_to_bot"
    customer.waits_for("You're back with the assistant")
    customer.says("where is my order?")
    customer.waits_for("order number")


def test_a_claim_decision_reaches_the_customer_on_their_channel(
    running: stack.Stack, callback
) -> None:
    jordan = Customer(running, callback[1])
    steps = [
        ("the laptop is missing from order STS-9157-3380", "e-mail"),
        ("jordan.reyes@example.net", "Is that the one"),
        # The laptop, named in the first message, is not asked again: it is confirmed.
        ("/affirm", "Just to be sure"),
        ("/affirm", "describe"),
        ("The laptop box was not in the bag when I got home.", "file this claim"),
        ("/affirm", "I've filed claim"),
    ]
    for text, expected in steps:
        jordan.says(text)
        jordan.waits_for(expected)
    filed = jordan.waits_for("I've filed claim")
    assert "review" in filed
    claim_number = filed.split("claim ")[1].split(" ")[0]

    agent = Agent(running)
    answer = agent.session.post(
        f"{agent.base}/claims/{claim_number}/decision",
        data={"decision": "approve", "message": "The store confirmed the laptop was missing."},
        timeout=30,
    )
    answer.raise_for_status()
    assert answer.json()["history"][-1]["actor"] == "agent:sam"
    update = jordan.waits_for(f"Update on claim {claim_number}")
    assert "approved" in update and "The store confirmed" in update

    told = len(jordan.texts())
    jordan.says("thanks!")
    jordan.waits_for("You're welcome")
    assert not any("news on your claim" in t for t in jordan.texts()[told:])


class WidgetCustomer:
    """A customer on the web widget's channel: a socket.io client, as rasa-webchat connects."""

    def __init__(self, running: stack.Stack) -> None:
        self.sender = f"widget-{uuid.uuid4().hex[:8]}"
        self.received: list[str] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", lambda data: self.received.append(data.get("text", "")))
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda _session: confirmed.set())
        self.client.connect(f"http://127.0.0.1:{running.ports.rasa}", transports=["polling"])
        self.client.emit("session_request", {"session_id": self.sender})
        assert confirmed.wait(10), "Rasa never confirmed the socket.io session"

    def says(self, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": self.sender})

    def waits_for(self, words: str, seconds: float = 20) -> str:
        return wait_for(lambda: self.received, words, seconds, "the widget")


def test_agent_replies_reach_a_widget_customer_over_socketio(running: stack.Stack) -> None:
    customer = WidgetCustomer(running)
    try:
        customer.says("I'd like to speak to a human please")
        customer.waits_for("reference H-")

        agent = Agent(running)
        handoff = agent.handoff_of(customer.sender)
        assert agent.act(handoff, "take")["status"] == "active"
        agent.act(handoff, "reply", text="Hello from the support team over the widget.")
        customer.waits_for("Sam Rivera: Hello from the support team over the widget.")

        quiet_from = len(customer.received)
        customer.says("thanks, the charger is missing")
        deadline = time.monotonic() + 2
        while not any(m["text"] == "thanks, the charger is missing" for m in agent.sees(handoff)):
            assert time.monotonic() < deadline, "the widget message did not reach the inbox in 2 s"
            time.sleep(0.2)
        time.sleep(1.5)
        assert customer.received[quiet_from:] == []

        agent.act(handoff, "hand-back")
        customer.waits_for("You're back with the assistant")
    finally:
        customer.client.disconnect()
