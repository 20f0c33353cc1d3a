"""Chatwoot as the agent inbox, over real HTTP with the whole stack (HANDOFF_INBOX=chatwoot).

The customer uses Rasa's REST-callback channel (its callback endpoint is a small local server
that records what Rasa delivers); Chatwoot is the small local server in
tests/supportdesk/fake_chatwoot.py, which sends its webhooks to the support desk as Chatwoot
would: the agent bot's (with the secret in the URL) and an account webhook's (signed).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from scripts import stack
from tests.conftest import whole_stack
from tests.e2e import CallbackCustomer as Customer
from tests.e2e import callback_server, with_callback
from tests.supportdesk.fake_chatwoot import FakeChatwoot

SECRET = "e2e-webhook-secret-" + "z" * 24


@pytest.fixture(scope="module")
def callback() -> Iterator[tuple[str, list[dict]]]:
    with callback_server() as server:
        yield server


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeChatwoot]:
    server = FakeChatwoot(webhook_secret=SECRET)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def running(
    tmp_path_factory: pytest.TempPathFactory, callback, fake: FakeChatwoot
) -> Iterator[stack.Stack]:
    workdir = tmp_path_factory.mktemp("chatwoot-stack")
    credentials = with_callback(workdir, callback[0])
    # The stack's processes take their settings from the environment, as `make run` does.
    with whole_stack(workdir, credentials, env=fake.env(SECRET)) as started:
        desk = f"http://127.0.0.1:{started.ports.supportdesk}/chatwoot/webhook"
        fake.bot_url = f"{desk}?token={SECRET}"  # the agent bot's outgoing URL
        fake.account_webhook_url = desk  # signed with the secret
        yield started


def conversation_of(fake: FakeChatwoot, customer: Customer) -> int:
    """The Chatwoot conversation opened for this customer's handoff."""

    def find() -> int | None:
        with fake.lock:
            for conversation in fake.conversations.values():
                contact = fake.contacts[conversation.source_id]
                if contact["identifier"] == f"rasa:{customer.sender}":
                    return conversation.id
        return None

    return fake.wait_until(find, 10)


def test_a_chatwoot_agent_takes_over_and_resolves(
    running: stack.Stack, callback, fake: FakeChatwoot
) -> None:
    customer = Customer(running, callback[1])
    customer.says("hi")
    customer.waits_for("Ship to Store assistant")
    customer.says("I want to talk to a real person")
    customer.waits_for("reference H-")

    # Chatwoot: a pending conversation (the bot's), the transcript in a private note, then open.
    conversation = conversation_of(fake, customer)
    assert fake.conversations[conversation].status_history == ["pending", "open"]
    [note] = fake.notes(conversation)
    assert "Customer: I want to talk to a real person" in note

    # The customer writes: the bot stays quiet, the message is in Chatwoot within 2 s.
    before = len(customer.texts())
    customer.says("my phone case was not in the bag")
    written = time.monotonic()
    fake.wait_until(lambda: "my phone case was not in the bag" in fake.texts(conversation), 2)
    assert time.monotonic() - written < 2
    time.sleep(1.5)
    assert len(customer.texts()) == before, customer.texts()[before:]
    assert fake.texts(conversation) == ["my phone case was not in the bag"]

    # Sam replies in Chatwoot: the webhooks reach the support desk, the customer gets it once.
    fake.agent_replies(conversation, "Hi, I'm Sam from support. Which store was it?")
    customer.waits_for("Sam Rivera: Hi, I'm Sam from support.")
    fake.drain()
    assert sum("Sam Rivera: Hi" in t for t in customer.texts()) == 1
    refused = [d for d in fake.deliveries if d.status != 200]
    assert refused == [], refused

    # Sam resolves it: the assistant is back and answers again.
    fake.resolve(conversation)
    customer.waits_for("Our support team has closed this conversation")
    # As a person would, the customer answers once the support desk has finished: the
    # message reaches them before Rasa's `action_listen` is appended after it.
    fake.drain()
    customer.says("where is my order?")
    customer.waits_for("order number")


def test_back_to_pending_hands_the_conversation_back_to_the_assistant(
    running: stack.Stack, callback, fake: FakeChatwoot
) -> None:
    customer = Customer(running, callback[1])
    customer.says("I want to talk to a real person")
    customer.waits_for("reference H-")
    conversation = conversation_of(fake, customer)
    fake.wait_until(lambda: fake.conversations[conversation].status == "open")

    # Only the account webhook hears of `pending` (agent bots do not get status changes).
    fake.set_pending(conversation)
    customer.waits_for("You're back with the assistant")
    fake.drain()
    customer.says("where is my order?")
    customer.waits_for("order number")
