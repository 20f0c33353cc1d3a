"""The production profile: two Rasa servers, two action servers and two support desks behind
HAProxy, conversations in PostgreSQL, locks and socket.io's queue in Redis. Real processes."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import redis
import requests
import socketio

from scripts import stack
from supportdesk.rasa_bridge import RasaBridge
from tests.conftest import whole_stack
from tests.e2e import desk_rows


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    with whole_stack(tmp_path_factory.mktemp("prod"), profile="prod") as started:
        yield started


def server(running: stack.Stack, name: str, path: str = "") -> str:
    """`path` on one server behind HAProxy (`rasa-1`), not on HAProxy."""
    return f"http://127.0.0.1:{running.server_ports[name]}{path}"


def say(url: str, sender: str, text: str) -> list[dict]:
    answer = requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def texts(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def tracker(running: stack.Stack, url: str, sender: str) -> dict:
    answer = requests.get(
        f"{url}/conversations/{sender}/tracker",
        params={"token": running.env["RASA_AUTH_TOKEN"]},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()


def test_every_server_of_each_kind_is_running(running: stack.Stack) -> None:
    assert sorted(running.server_ports) == [
        "actions-1", "actions-2", "rasa-1", "rasa-2", "supportdesk-1", "supportdesk-2",
    ]  # fmt: skip
    for name in running.server_ports:
        health = "/" if name.startswith("rasa") else "/health"
        assert requests.get(server(running, name, health), timeout=10).ok, name


def test_a_claim_goes_on_whichever_rasa_server_each_message_reaches(
    running: stack.Stack,
) -> None:
    """Turns alternate between the two servers: the form's state lives in PostgreSQL."""
    one, two = server(running, "rasa-1"), server(running, "rasa-2")
    sender = f"prod-{uuid.uuid4().hex[:8]}"
    turns = [
        (one, "something is missing from my order", "order number"),
        (two, "STS-4829-1307", "e-mail"),
        (one, "maya.chen@example.com", "Is that the one"),
        (two, "yes", "Which items are missing"),
        (one, "the phone case", "How many"),
        (two, "1", "describe"),
        (one, "the bag was sealed but the phone case wasn't in it", "file"),
        (two, "yes", "filed claim"),
    ]
    for url, text, expected in turns:
        reply = texts(say(url, sender, text))
        assert expected.lower() in reply.lower(), (text, reply)
    assert tracker(running, one, sender)["events"] == tracker(running, two, sender)["events"]
    claims = desk_rows(
        running, "SELECT claim_number FROM claims WHERE conversation_id = :c", c=sender
    )
    assert len(claims) == 1


def ticket_numbers(locks: redis.Redis, sender: str) -> set[int]:
    """The tickets Rasa's lock for `sender` holds now (rasa.core.lock.TicketLock's format)."""
    stored = locks.get(f"lock:{sender}")
    if not stored:
        return set()
    return {json.loads(t)["number"] for t in json.loads(stored)["tickets"]}


def send_once_queued(
    pool: ThreadPoolExecutor, locks: redis.Redis, url: str, sender: str, text: str
) -> Future:
    """Send `text`, and return once it holds its ticket in the queue (or is answered)."""
    before = ticket_numbers(locks, sender)
    sent = pool.submit(say, url, sender, text)
    deadline = time.monotonic() + 60
    while not sent.done() and not ticket_numbers(locks, sender) - before:
        assert time.monotonic() < deadline, f"{text!r} never reached the lock"
        time.sleep(0.002)
    return sent


def test_messages_sent_at_once_through_both_servers_run_once_each_in_order(
    running: stack.Stack,
) -> None:
    """Forty messages of one conversation, alternating between the two Rasa servers, each sent
    as soon as the one before it has queued (before it has been answered): every one is
    answered, logged once, in the order sent, and never two at once."""
    env = running.env
    locks = redis.Redis(
        host=env["REDIS_HOST"], port=int(env["REDIS_PORT"]), password=env["REDIS_PASSWORD"], db=1
    )
    servers = [server(running, "rasa-1"), server(running, "rasa-2")]
    sender = f"order-{uuid.uuid4().hex[:8]}"
    sent = [f"hello there, number {n}" for n in range(40)]
    with ThreadPoolExecutor(len(sent)) as pool:
        answers = [
            send_once_queued(pool, locks, servers[n % 2], sender, text)
            for n, text in enumerate(sent)
        ]
        waiting = sum(not a.done() for a in answers)
        replies = [a.result() for a in answers]
    assert waiting > 10  # they really were queued at once, on both servers
    assert all(replies), "a message went unanswered"
    events = tracker(running, servers[0], sender)["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == sent
    kinds = [e["event"] for e in events if e["event"] in ("user", "action")]
    # Each message is followed by the bot's actions, ending in listening, before the next one.
    for before, after in zip(kinds, kinds[1:], strict=False):
        assert (before, after) != ("user", "user")
    listens = [e for e in events if e["event"] == "action" and e["name"] == "action_listen"]
    assert len(listens) >= len(sent)


def test_a_rasa_server_killed_mid_claim_loses_nothing(running: stack.Stack) -> None:
    """SIGKILL one Rasa server: HAProxy sends the next messages to the other, which has the
    conversation; the killed server comes back into the pool when it answers again."""
    sender = f"kill-{uuid.uuid4().hex[:8]}"
    url = running.url("rasa")
    assert "order number" in texts(say(url, sender, "an item is missing from my order"))
    assert "e-mail" in texts(say(url, sender, "STS-4829-1307"))
    running.kill("rasa-1")
    try:
        assert "Is that the one" in texts(say(url, sender, "maya.chen@example.com"))
        assert "Which items are missing" in texts(say(url, sender, "yes"))
    finally:
        running.restart("rasa-1")
    for _ in range(4):  # both servers again, whichever HAProxy picks
        assert texts(say(url, f"after-{uuid.uuid4().hex[:8]}", "hi"))


def test_an_agent_reply_reaches_a_browser_connected_to_the_other_server(
    running: stack.Stack,
) -> None:
    """The widget's socket is on rasa-1; the agent's message goes through rasa-2's HTTP API.
    socket.io's Redis queue carries it across (python-socketio's AsyncRedisManager)."""
    session = uuid.uuid4().hex
    bridge = RasaBridge(server(running, "rasa-2"), running.env["RASA_AUTH_TOKEN"])

    async def browser() -> list[str]:
        received: list[str] = []
        client = socketio.AsyncClient()
        confirmed = asyncio.Event()
        client.on("session_confirm", lambda *_: confirmed.set())
        client.on("bot_uttered", lambda data: received.append(data.get("text", "")))
        await client.connect(server(running, "rasa-1"), transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": session})
            await asyncio.wait_for(confirmed.wait(), 10)
            await client.emit("user_uttered", {"message": "hi", "session_id": session})
            await _until(lambda: received, 30)
            await asyncio.to_thread(bridge.say, session, "Hello, this is Sam from support.")
            await _until(lambda: any("Sam from support" in r for r in received), 30)
        finally:
            await client.disconnect()
        return received

    received = asyncio.run(browser())
    assert any("Sam from support" in r for r in received), received


async def _until(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0.05)
