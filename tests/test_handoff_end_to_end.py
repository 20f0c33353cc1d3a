"""A person takes over: the bot goes quiet, the agent's replies reach the customer's channel,
the customer's answers reach the inbox, and hand-back brings the assistant back.

The customer uses Rasa's REST-callback channel; the callback endpoint is a small local HTTP
server that records what Rasa delivers to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from scripts import stack
from tests.conftest import ROOT, free_port, whole_stack

PASSWORD = "correct horse battery"


class Inbox(BaseHTTPRequestHandler):
    """The customer's side of the callback channel: every bot message Rasa posts to it."""

    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        self.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def callback() -> Iterator[tuple[str, list[dict]]]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Inbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/bot", Inbox.received
    server.shutdown()


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, callback) -> Iterator[stack.Stack]:
    workdir = tmp_path_factory.mktemp("handoff-stack")
    credentials = workdir / "credentials.yml"
    credentials.write_text(
        (ROOT / "credentials.yml").read_text() + f"\ncallback:\n  url: {callback[0]}\n"
    )
    with whole_stack(workdir, credentials) as started:
        subprocess.run(
            [sys.executable, "-m", "supportdesk", "add-agent", "sam", "--name", "Sam Rivera"],
            input=PASSWORD,
            text=True,
            check=True,
            cwd=ROOT,
            env=started.env,
            capture_output=True,
        )
        yield started


class Customer:
    def __init__(self, running: stack.Stack, received: list[dict]) -> None:
        self.url = f"http://127.0.0.1:{running.ports.rasa}/webhooks/callback/webhook"
        self.sender = f"handoff-{uuid.uuid4().hex[:8]}"
        self.received = received

    def says(self, text: str) -> None:
        answer = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        answer.raise_for_status()

    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.received if m.get("recipient_id") == self.sender]

    def waits_for(self, words: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [t for t in self.texts() if words in t]
            if found:
                return found[-1]
            time.sleep(0.2)
        raise AssertionError(f"{words!r} never reached the customer; got {self.texts()}")


class Agent:
    def __init__(self, running: stack.Stack) -> None:
        self.base = f"http://127.0.0.1:{running.ports.supportdesk}/agent"
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        answer = self.session.post(
            f"{self.base}/login", data={"username": "sam", "password": PASSWORD}, timeout=10
        )
        answer.raise_for_status()
        self.session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def handoff_of(self, conversation: str) -> int:
        queue = self.session.get(self.base, timeout=10).json()["queue"]
        return next(h["handoff_id"] for h in queue if h["conversation_id"] == conversation)

    def act(self, handoff: int, action: str, **data: str) -> dict:
        answer = self.session.post(
            f"{self.base}/handoffs/{handoff}/{action}", data=data, timeout=30
        )
        answer.raise_for_status()
        return answer.json()

    def sees(self, handoff: int) -> list[dict]:
        return self.session.get(f"{self.base}/handoffs/{handoff}", timeout=10).json()["messages"]


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
        ("jordan.reyes@example.net", "Is that the number"),
        ("/affirm", "Which items are missing"),
        ("14in Ultrabook Laptop", "describe"),  # the item button's payload
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
