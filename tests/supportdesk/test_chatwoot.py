"""Chatwoot as the agent inbox, against a small local Chatwoot (tests/supportdesk/fake_chatwoot.py).

The domain tests use a recording Bridge instead of Rasa; the last ones start the real support
desk and call it over HTTP.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from sqlalchemy import func, select

from supportdesk import chatwoot, handoffs
from supportdesk.api import OPENAPI
from supportdesk.business_hours import BusinessHours
from supportdesk.chatwoot import config_from_env, webhook_authentic
from supportdesk.chatwoot_inbox import UNDELIVERED, BadEvent, ChatwootInbox
from supportdesk.db import Database
from supportdesk.handoff_inbox import BuiltinInbox, inbox_from_env
from supportdesk.models import ChatwootLink, ChatwootMessage
from supportdesk.relay import CLOSED, HANDED_BACK, ConversationUnreachable
from tests.conftest import ROOT, TEST_KEY, UPLOAD_SECRET, free_port, start_supportdesk, stop
from tests.supportdesk.fake_chatwoot import FakeChatwoot
from tests.supportdesk.test_openapi import check_response

SECRET = "webhook-secret-" + "w" * 24
TRANSCRIPT = [
    {"sender": "customer", "text": "my phone case is missing from STS-4829-1307"},
    {"sender": "bot", "text": "I'm sorry to hear that. Let me check your order."},
    {"sender": "customer", "text": "I want to talk to a real person"},
]
DETAILS = {"verified_order": "STS-4829-1307", "email": "maya.chen@example.com"}


class RecordingBridge:
    """Rasa as the relay sees it: what the customer wrote, and what was done to the bot."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []
        self.written: dict[str, list[tuple[datetime, str]]] = {}
        self.down = False

    def pause(self, conversation_id: str) -> None:
        self._call("pause", conversation_id)

    def resume(self, conversation_id: str, message: str | None = None) -> None:
        self._call("resume", conversation_id)
        if message:
            self._call("say", conversation_id, message)

    def say(self, conversation_id: str, text: str, claim_status: str | None = None) -> None:
        self._call("say", conversation_id, text)

    def customer_messages(self, conversation_id: str) -> list[tuple[datetime, str]]:
        if self.down:
            raise requests.ConnectionError("Rasa is down")
        return list(self.written.get(conversation_id, []))

    def customer_writes(self, conversation_id: str, text: str) -> None:
        self.written.setdefault(conversation_id, []).append((datetime.now(timezone.utc), text))

    def said(self, conversation_id: str) -> list[str]:
        return [t or "" for kind, c, t in self.calls if kind == "say" and c == conversation_id]

    def count(self, kind: str, conversation_id: str) -> int:
        return sum(1 for k, c, _ in self.calls if k == kind and c == conversation_id)

    def _call(self, kind: str, conversation_id: str, text: str | None = None) -> None:
        if self.down:
            raise requests.ConnectionError("Rasa is down")
        self.calls.append((kind, conversation_id, text))


@pytest.fixture
def fake() -> Iterator[FakeChatwoot]:
    server = FakeChatwoot()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bridge() -> RecordingBridge:
    return RecordingBridge()


def make_inbox(fake: FakeChatwoot, bridge: RecordingBridge, **changes: str) -> ChatwootInbox:
    env = {**fake.env(SECRET), **changes}
    made = inbox_from_env(bridge, env)
    assert isinstance(made, ChatwootInbox)
    return made


ALWAYS_OPEN = BusinessHours(frozenset(range(7)), clock.min, clock.max, "UTC")


def hand_off(
    db: Database, inbox: ChatwootInbox, conversation_id: str = "conv-1", **fields: Any
) -> dict[str, Any]:
    request = handoffs.HandoffRequest(
        conversation_id=conversation_id,
        channel=fields.get("channel", "callback"),
        reason=fields.get("reason", "The customer asked for a person."),
        transcript=fields.get("transcript", TRANSCRIPT),
        details=fields.get("details", DETAILS),
    )
    created = inbox.handoff_created(db, handoffs.create_handoff(db, request, ALWAYS_OPEN))
    # as in Rasa, the pause lands once the handoff turn ends, before an agent can act on it
    deadline = time.monotonic() + 5
    while inbox._pausing and time.monotonic() < deadline:
        time.sleep(0.01)
    return created


def paused(db: Database) -> bool:
    with db.read() as session:
        return all(link.paused_at for link in session.execute(select(ChatwootLink)).scalars())


def count(db: Database, table: type) -> int:
    with db.read() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


# --- configuration ---


def test_the_builtin_inbox_is_the_default_and_adds_nothing(bridge: RecordingBridge) -> None:
    builtin = inbox_from_env(bridge, {})
    assert isinstance(builtin, BuiltinInbox) and builtin.poll_seconds is None
    assert builtin.handoff_created(None, {"handoff_id": 1}) == {  # type: ignore[arg-type]
        "handoff_id": 1,
        "inbox": {"name": "builtin", "status": "queued"},
    }


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"HANDOFF_INBOX": "zendesk"}, "HANDOFF_INBOX"),
        ({"CHATWOOT_URL": ""}, "CHATWOOT_URL"),
        ({"CHATWOOT_URL": "chat.example.com"}, "CHATWOOT_URL"),
        ({"CHATWOOT_ACCOUNT_ID": ""}, "CHATWOOT_ACCOUNT_ID"),
        ({"CHATWOOT_ACCOUNT_ID": "one"}, "CHATWOOT_ACCOUNT_ID"),
        ({"CHATWOOT_INBOX_IDENTIFIER": ""}, "CHATWOOT_INBOX_IDENTIFIER"),
        ({"CHATWOOT_INBOX_IDENTIFIER": "../contacts"}, "CHATWOOT_INBOX_IDENTIFIER"),
        ({"CHATWOOT_BOT_TOKEN": " "}, "CHATWOOT_BOT_TOKEN"),
        ({"CHATWOOT_WEBHOOK_SECRET": ""}, "CHATWOOT_WEBHOOK_SECRET"),
        ({"CHATWOOT_WEBHOOK_SECRET": "short"}, "CHATWOOT_WEBHOOK_SECRET"),
    ],
)
def test_a_missing_or_bad_setting_is_named(
    fake: FakeChatwoot, bridge: RecordingBridge, change: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        inbox_from_env(bridge, {**fake.env(SECRET), **change})


def test_secrets_stay_out_of_the_config_repr(fake: FakeChatwoot) -> None:
    shown = repr(config_from_env(fake.env(SECRET)))
    assert SECRET not in shown and fake.bot_token not in shown


def test_the_service_refuses_to_start_without_a_chatwoot_setting(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SUPPORTDESK_API_KEY": TEST_KEY,
        "SUPPORTDESK_UPLOAD_SECRET": UPLOAD_SECRET,
        "STS_DATA_DIR": str(tmp_path),
        "HANDOFF_INBOX": "chatwoot",
        "CHATWOOT_URL": "http://127.0.0.1:9",
        "CHATWOOT_ACCOUNT_ID": "1",
        "CHATWOOT_INBOX_IDENTIFIER": "abc",
        "CHATWOOT_BOT_TOKEN": "token",
    }
    command = [sys.executable, "-m", "supportdesk", "serve", "--port", str(free_port())]
    command += ["--database-url", f"sqlite:///{tmp_path / 'desk.db'}"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "CHATWOOT_WEBHOOK_SECRET is not set" in done.stderr


# --- a handoff opens a Chatwoot conversation ---


def test_a_handoff_opens_a_conversation_with_the_transcript_and_pauses_the_bot(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    answer = hand_off(db, inbox)

    conversation_id = answer["inbox"]["chatwoot_conversation_id"]
    assert answer["inbox"] == {"name": "chatwoot", "status": "open", "chatwoot_conversation_id": 1}
    assert answer["status"] == "active"
    assert answer["availability"]["agents_available"] is True  # Chatwoot's agents sign in there
    conversation = fake.conversations[conversation_id]
    assert conversation.status_history == ["pending", "open"]
    assert conversation.custom_attributes["handoff_reference"] == f"H-{answer['handoff_id']}"
    contact = fake.contacts[conversation.source_id]
    assert contact["email"] == "maya.chen@example.com" and contact["identifier"] == "rasa:conv-1"
    [note] = fake.notes(conversation_id)
    assert f"Handoff H-{answer['handoff_id']}" in note
    assert "Reason: The customer asked for a person." in note
    assert "- verified order: STS-4829-1307" in note
    assert note.endswith(
        "Customer: my phone case is missing from STS-4829-1307\n"
        "Bot: I'm sorry to hear that. Let me check your order.\n"
        "Customer: I want to talk to a real person"
    )
    # The local handoff stays, active and held by no local agent (so no local agent can act).
    kept = handoffs.get_handoff(db, answer["handoff_id"])
    assert kept["status"] == "active" and kept["held_by"] is None

    # The bot is paused right away, off the request (Rasa holds the conversation's lock while
    # its handoff action runs), and only once: the sync sees it done.
    fake.wait_until(lambda: paused(db))
    inbox.sync(db)
    inbox.sync(db)
    assert bridge.count("pause", "conv-1") == 1


def test_a_second_handoff_of_the_same_customer_reuses_the_contact(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    first = hand_off(db, inbox)
    [resolved, _] = fake.resolve(first["inbox"]["chatwoot_conversation_id"])
    inbox.handle_event(db, resolved)  # the first is closed: the next one is a new handoff
    second = hand_off(db, inbox)
    assert second["existing"] is False and second["handoff_id"] != first["handoff_id"]
    one, two = (fake.conversations[a["inbox"]["chatwoot_conversation_id"]] for a in (first, second))
    assert one.id != two.id and one.source_id == two.source_id
    assert len(fake.contacts) == 1


def test_handing_over_again_adds_a_note_and_opens_no_second_conversation(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    first = hand_off(db, inbox)
    conversation = first["inbox"]["chatwoot_conversation_id"]
    again = hand_off(
        db,
        inbox,
        reason="Claim CLM-000004 needs a review with the customer present.",
        details={**DETAILS, "claim_number": "CLM-000004"},
    )
    assert again["existing"] is True and again["handoff_id"] == first["handoff_id"]
    assert again["status"] == "active"
    assert again["inbox"] == {
        "name": "chatwoot",
        "status": "open",
        "chatwoot_conversation_id": conversation,
    }
    assert again["availability"]["agents_available"] is True  # Chatwoot's agents sign in there
    assert list(fake.conversations) == [conversation] and len(fake.contacts) == 1
    [_, note] = fake.notes(conversation)
    assert note == (
        "Handed over again: Claim CLM-000004 needs a review with the customer present. "
        "New details: claim number: CLM-000004."
    )
    # The note is the assistant's, not the customer's: it is not relayed as their message.
    inbox.sync(db)
    assert count(db, ChatwootMessage) == 0


def test_handing_over_again_when_chatwoot_lost_it_opens_nothing(
    db: Database, bridge: RecordingBridge, fake: FakeChatwoot
) -> None:
    down = make_inbox(fake, bridge, CHATWOOT_URL=f"http://127.0.0.1:{free_port()}")
    first = hand_off(db, down)
    assert first["inbox"]["status"] == "unreachable"
    again = hand_off(db, make_inbox(fake, bridge), reason="Asked again")  # Chatwoot is back
    assert again["existing"] is True and again["handoff_id"] == first["handoff_id"]
    assert again["status"] == "waiting"
    assert again["inbox"] == {"name": "chatwoot", "status": "queued"}
    assert fake.conversations == {} and count(db, ChatwootLink) == 0


def test_when_chatwoot_is_down_the_handoff_waits_in_the_builtin_queue(
    db: Database, bridge: RecordingBridge, fake: FakeChatwoot
) -> None:
    inbox = make_inbox(fake, bridge, CHATWOOT_URL=f"http://127.0.0.1:{free_port()}")
    answer = hand_off(db, inbox)
    assert answer["status"] == "waiting"
    assert answer["inbox"]["status"] == "unreachable"
    assert "/agent" in answer["inbox"]["message"]
    queued = [h["handoff_id"] for h in handoffs.list_queue(db) if h["status"] == "waiting"]
    assert answer["handoff_id"] in queued
    assert count(db, ChatwootLink) == 0
    inbox.sync(db)
    assert bridge.calls == []  # the bot goes on: nobody in Chatwoot has the conversation


def test_a_failure_half_way_writes_no_link(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    fake.fail_next("toggle_status", 503)
    answer = hand_off(db, make_inbox(fake, bridge))
    assert answer["inbox"]["status"] == "unreachable" and answer["status"] == "waiting"
    assert count(db, ChatwootLink) == 0


def test_chatwoot_refuses_a_wrong_bot_token(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge, CHATWOOT_BOT_TOKEN="not-the-bot-token")
    with pytest.raises(chatwoot.ChatwootRejected) as refused:
        inbox.client.set_status(1, "open")
    assert refused.value.status == 401
    assert hand_off(db, inbox)["inbox"]["status"] == "unreachable"
    assert [c.status_history for c in fake.conversations.values()] == [["pending"]]


# --- the customer's messages reach Chatwoot, each once ---


def test_the_customers_new_messages_are_relayed_once_also_after_a_restart(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    bridge.customer_writes("conv-1", "written before the handoff")
    time.sleep(0.01)
    inbox = make_inbox(fake, bridge)
    conversation = hand_off(db, inbox)["inbox"]["chatwoot_conversation_id"]
    time.sleep(0.01)
    bridge.customer_writes("conv-1", "my phone case was not in the bag")
    bridge.customer_writes("conv-1", "order STS-4829-1307")
    inbox.sync(db)
    inbox.sync(db)
    assert fake.texts(conversation) == ["my phone case was not in the bag", "order STS-4829-1307"]

    restarted = make_inbox(fake, bridge)  # a new process: only the database remembers
    restarted.sync(db)
    bridge.customer_writes("conv-1", "are you there?")
    restarted.sync(db)
    assert fake.texts(conversation)[-2:] == ["order STS-4829-1307", "are you there?"]
    assert len(fake.texts(conversation)) == 3


def test_a_failed_post_is_tried_again_on_the_next_round(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    conversation = hand_off(db, inbox)["inbox"]["chatwoot_conversation_id"]
    bridge.customer_writes("conv-1", "hello?")
    fake.fail_next("incoming", 502)
    inbox.sync(db)
    assert fake.texts(conversation) == []
    inbox.sync(db)
    assert fake.texts(conversation) == ["hello?"]


def test_a_claim_left_by_a_stopped_process_is_taken_over(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    conversation = hand_off(db, inbox)["inbox"]["chatwoot_conversation_id"]
    bridge.customer_writes("conv-1", "hello?")
    fake.fail_next("incoming", 500)
    inbox.sync(db)  # stores the message; the post fails and the claim is released
    with db.write() as session:
        message = session.execute(select(handoffs.HandoffMessage)).scalars().one()
        fresh = ChatwootMessage(link_id=1, direction="to_chatwoot", handoff_message_id=message.id)
        session.add(fresh)
    inbox.sync(db)  # someone else holds a fresh claim: not posted twice
    assert fake.texts(conversation) == []
    with db.write() as session:
        session.get(ChatwootMessage, fresh.id).claimed_at -= timedelta(minutes=5)
    inbox.sync(db)
    assert fake.texts(conversation) == ["hello?"]


# --- webhooks: agent replies, resolve, pending ---


def test_an_agents_reply_reaches_the_customer_once(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    handoff = hand_off(db, inbox)
    conversation = handoff["inbox"]["chatwoot_conversation_id"]
    event = fake.agent_replies(conversation, "Hi, I'm Sam. What went missing?")

    assert inbox.handle_event(db, event) == {"status": "delivered", "handoff_id": 1}
    assert bridge.said("conv-1") == ["Sam Rivera: Hi, I'm Sam. What went missing?"]
    messages = handoffs.get_handoff(db, handoff["handoff_id"])["messages"]
    assert [(m["sender"], m["text"]) for m in messages] == [
        ("agent", "Sam Rivera: Hi, I'm Sam. What went missing?")
    ]
    # Chatwoot's agent bot and account webhooks both send it: delivered once.
    assert inbox.handle_event(db, event)["status"] == "ignored"
    assert len(bridge.said("conv-1")) == 1


def test_notes_the_bots_own_messages_and_the_customers_are_not_sent(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    conversation = hand_off(db, inbox)["inbox"]["chatwoot_conversation_id"]
    events = [
        fake.agent_writes_note(conversation, "internal: check stock"),
        fake.bot_says(conversation, "a public message of the bot"),
        fake.customer_writes(conversation, "hello?"),
    ]
    for event in events:
        assert inbox.handle_event(db, event)["status"] == "ignored"
    assert bridge.said("conv-1") == []


def test_a_reply_that_cannot_reach_the_customer_is_refused_and_the_agent_told(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    conversation = hand_off(db, inbox)["inbox"]["chatwoot_conversation_id"]
    event = fake.agent_replies(conversation, "Hello from Sam")
    bridge.down = True
    with pytest.raises(ConversationUnreachable):
        inbox.handle_event(db, event)
    assert fake.notes(conversation)[-1] == UNDELIVERED
    assert handoffs.get_handoff(db, 1)["messages"] == []
    bridge.down = False  # the same message, sent again, now goes
    assert inbox.handle_event(db, event)["status"] == "delivered"


def test_resolving_closes_the_handoff_and_resumes_the_bot_once(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    handoff = hand_off(db, inbox)
    resolved, changed = fake.resolve(handoff["inbox"]["chatwoot_conversation_id"])
    assert resolved["event"] == "conversation_resolved"

    answer = inbox.handle_event(db, resolved)
    assert answer == {"status": "closed", "handoff_id": 1, "bot_resumed": True}
    assert handoffs.get_handoff(db, 1)["status"] == "closed"
    assert bridge.count("resume", "conv-1") == 1 and bridge.said("conv-1") == [CLOSED]
    assert inbox.handle_event(db, changed)["status"] == "ignored"  # the account webhook's copy
    inbox.sync(db)
    assert bridge.count("resume", "conv-1") == 1
    late = fake.agent_replies(handoff["inbox"]["chatwoot_conversation_id"], "one more thing")
    assert inbox.handle_event(db, late) == {"status": "ignored", "reason": "the handoff is closed"}


def test_back_to_pending_hands_the_conversation_back(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    handoff = hand_off(db, inbox)
    [changed] = fake.set_pending(handoff["inbox"]["chatwoot_conversation_id"])
    assert changed["event"] == "conversation_status_changed" and changed["status"] == "pending"
    assert inbox.handle_event(db, changed)["status"] == "returned_to_bot"
    assert bridge.said("conv-1") == [HANDED_BACK]


class LateBridge(RecordingBridge):
    """Rasa where a pause waits for the conversation's lock, and a hand-back gets in first."""

    def __init__(self) -> None:
        super().__init__()
        self.before_pause: Callable[[], None] = lambda: None
        self.paused: dict[str, bool] = {}

    def pause(self, conversation_id: str) -> None:
        self.before_pause()
        super().pause(conversation_id)
        self.paused[conversation_id] = True

    def resume(self, conversation_id: str, message: str | None = None) -> None:
        super().resume(conversation_id, message)
        self.paused[conversation_id] = False


def test_a_pause_that_lands_after_the_hand_back_is_undone(db: Database, fake: FakeChatwoot) -> None:
    bridge = LateBridge()
    inbox = make_inbox(fake, bridge)
    handed_back: list[dict[str, Any]] = []

    def hand_back_first() -> None:
        if not handed_back:
            [changed] = fake.set_pending(1)
            handed_back.append(inbox.handle_event(db, changed))

    bridge.before_pause = hand_back_first
    hand_off(db, inbox)
    fake.wait_until(lambda: bridge.count("pause", "conv-1") == 1)
    fake.wait_until(lambda: bridge.count("resume", "conv-1") == 2)
    assert handed_back[0]["status"] == "returned_to_bot"
    assert bridge.paused["conv-1"] is False
    assert bridge.said("conv-1") == [HANDED_BACK]  # said once: the undo says nothing
    inbox.sync(db)
    assert bridge.count("pause", "conv-1") == 1  # a finished handoff is not paused again


def test_when_rasa_is_down_at_resolve_the_sync_resumes_the_bot_later(
    db: Database, fake: FakeChatwoot, bridge: RecordingBridge
) -> None:
    inbox = make_inbox(fake, bridge)
    handoff = hand_off(db, inbox)
    [resolved, _] = fake.resolve(handoff["inbox"]["chatwoot_conversation_id"])
    bridge.down = True
    assert inbox.handle_event(db, resolved)["bot_resumed"] is False
    inbox.sync(db)
    bridge.down = False
    inbox.sync(db)
    inbox.sync(db)
    assert bridge.count("resume", "conv-1") == 1 and bridge.said("conv-1") == [CLOSED]


def test_odd_and_unknown_events(db: Database, fake: FakeChatwoot, bridge: RecordingBridge) -> None:
    inbox = make_inbox(fake, bridge)
    hand_off(db, inbox)
    reply = fake.agent_replies(1, "hi")
    for bad in ({}, {"event": 3}, {**reply, "conversation": "1"}, {**reply, "id": "x"}):
        with pytest.raises(BadEvent):
            inbox.handle_event(db, bad)
    unknown = {**reply, "conversation": {**reply["conversation"], "id": 99}}
    assert inbox.handle_event(db, unknown)["reason"] == "not a handoff's conversation"
    other = {**reply, "account": {"id": 2}}
    assert inbox.handle_event(db, other)["reason"] == "another Chatwoot account"
    assert inbox.handle_event(db, {"event": "webwidget_triggered"})["status"] == "ignored"


def test_webhooks_are_authenticated_by_token_or_signature() -> None:
    body = b'{"event": "message_created"}'
    now = time.time()
    stamp = str(int(now))
    signature = "sha256=" + chatwoot.sign(SECRET, stamp, body)
    assert webhook_authentic(SECRET, body, token=SECRET)
    assert not webhook_authentic(SECRET, body, token=SECRET[:-1] + "x")
    assert not webhook_authentic(SECRET, body)
    assert webhook_authentic(SECRET, body, signature=signature, timestamp=stamp, now=now)
    assert not webhook_authentic(SECRET, body + b" ", signature=signature, timestamp=stamp, now=now)
    assert not webhook_authentic(SECRET, body, signature=signature, timestamp=stamp, now=now + 301)
    assert not webhook_authentic("other-" + SECRET, body, signature=signature, timestamp=stamp)


# --- over HTTP: the real support desk with the fake Chatwoot ---


@pytest.fixture
def desk_with_chatwoot(tmp_path: Path, fake: FakeChatwoot) -> Iterator[Any]:
    desk = start_supportdesk(tmp_path, extra_env={**fake.env(SECRET), "RASA_URL": ""})
    fake.bot_url = f"{desk.url}/chatwoot/webhook?token={SECRET}"
    fake.account_webhook_url = f"{desk.url}/chatwoot/webhook"
    fake.webhook_secret = SECRET
    yield desk
    stop(desk)


def test_the_webhook_route_over_http(desk_with_chatwoot: Any, fake: FakeChatwoot) -> None:
    desk = desk_with_chatwoot
    spec = yaml.safe_load(OPENAPI.read_text())
    body = {
        "conversation_id": "http-1",
        "channel": "callback",
        "reason": "The customer asked for a person.",
        "transcript": TRANSCRIPT,
        "details": DETAILS,
    }
    created = requests.post(
        f"{desk.url}/api/v1/handoffs", json=body, headers=desk.headers, timeout=30
    )
    assert created.status_code == 201, created.text
    handoff = check_response(spec, "POST", "/api/v1/handoffs", created)
    conversation = handoff["inbox"]["chatwoot_conversation_id"]
    assert fake.conversations[conversation].status_history == ["pending", "open"]
    fake.drain()  # the note and `open` came back as webhooks: all ignored, none refused
    assert {d.status for d in fake.deliveries} == {200}

    url = f"{desk.url}/chatwoot/webhook"
    event = fake.agent_replies(conversation, "Hi from Sam")
    fake.drain()
    raw = json.dumps(event)

    def send(data: str, params: dict | None = None, **headers: str) -> requests.Response:
        return requests.post(url, data=data, params=params, headers=headers, timeout=10)

    for refused in (send(raw), send(raw, {"token": "wrong-" + SECRET})):
        assert refused.status_code == 401
        check_response(spec, "POST", "/chatwoot/webhook", refused)
    stamp = str(int(time.time()) - 600)
    old = send(raw, None, **{"X-Chatwoot-Timestamp": stamp, "X-Chatwoot-Signature": "sha256=0"})
    assert old.status_code == 401
    for odd in ("{not json", "[1, 2]", json.dumps({**event, "id": "seven"})):
        answer = send(odd, {"token": SECRET})
        assert answer.status_code == 400, answer.text
        check_response(spec, "POST", "/chatwoot/webhook", answer)
    unknown = {**event, "conversation": {"id": 4242}}
    ignored = send(json.dumps(unknown), {"token": SECRET})
    assert ignored.status_code == 200
    assert check_response(spec, "POST", "/chatwoot/webhook", ignored)["status"] == "ignored"

    # Both the agent bot's and the account's webhook sent the reply: it was recorded once
    # (and said through NoBridge, as RASA_URL is empty here).
    db = Database(desk.database_url)
    try:
        messages = handoffs.get_handoff(db, handoff["handoff_id"])["messages"]
    finally:
        db.dispose()
    assert [(m["sender"], m["text"]) for m in messages] == [("agent", "Sam Rivera: Hi from Sam")]


def test_the_webhook_is_not_found_with_the_builtin_inbox(shared_supportdesk: Any) -> None:
    answer = requests.post(
        f"{shared_supportdesk.url}/chatwoot/webhook", params={"token": SECRET}, json={}, timeout=10
    )
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
