"""Running the custom actions in-process against a real support desk.

The actions get a `rasa_sdk.Tracker` shaped like the one Rasa sends to the action server: slots
already applied, the latest message, and events. For form validation the events end the way
Rasa's FormAction builds them (`requested_slot`, the form's action, then one `slot` event per
candidate), because `tracker.slots_to_validate()` reads those trailing slot events.
"""

from __future__ import annotations

import asyncio
import copy
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import client
from actions.supportdesk_client import SupportDeskClient
from actions.turn_orders import ORDERS
from tests.conftest import ROOT, SupportDesk, free_port

DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text())
SLOT_NAMES = set(DOMAIN["slots"]) | {"requested_slot"}

MAYA_EMAIL = "maya.chen@example.com"
JORDAN_EMAIL = "jordan.reyes@example.net"
MAYA_ORDER = "STS-4829-1307"  # picked up; 2 × Clear Phone Case
MAYA_TRACKING = "1Z4E82A70362815596"
MAYA_NOT_AT_STORE = "STS-6230-0958"
MAYA_CLAIMED_ORDER = "STS-8406-5519"  # CLM-000001 for the Makeup Brush Set
JORDAN_SPLIT = "STS-5102-7741"  # yoga mat still in transit (USPS)
JORDAN_READY = "STS-7315-2264"
JORDAN_LAPTOP = "STS-9157-3380"  # a laptop claim goes to review
FORM_STARTED_AT = 1_764_000_000.25


# Pointing the actions at a support desk -----------------------------------------------------


def _use(monkeypatch: pytest.MonkeyPatch, url: str, key: str) -> None:
    monkeypatch.setenv("SUPPORTDESK_URL", url)
    monkeypatch.setenv("SUPPORTDESK_API_KEY", key)
    client.cache_clear()
    ORDERS.clear()  # orders kept for a turn belong to the desk they came from


@pytest.fixture
def desk(supportdesk: SupportDesk, monkeypatch: pytest.MonkeyPatch) -> Iterator[SupportDesk]:
    """A fresh support desk with demo data, for tests that change it (claims, failed look-ups)."""
    _use(monkeypatch, supportdesk.url, supportdesk.key)
    yield supportdesk
    client.cache_clear()


@pytest.fixture
def shared_desk(
    shared_supportdesk: SupportDesk, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SupportDesk]:
    """The session's support desk, for tests that only read with the right e-mail."""
    _use(monkeypatch, shared_supportdesk.url, shared_supportdesk.key)
    yield shared_supportdesk
    client.cache_clear()


@pytest.fixture
def desk_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Nothing listens at SUPPORTDESK_URL; the client gives up after one quick retry."""
    url = f"http://127.0.0.1:{free_port()}"
    _use(monkeypatch, url, "test-key-" + "z" * 24)
    from_env = SupportDeskClient.from_env.__func__

    def quick(cls: type[SupportDeskClient], environ: Any = None, **options: Any):
        return from_env(cls, environ, **{"retries": 1, "backoff": 0.01, **options})

    monkeypatch.setattr(SupportDeskClient, "from_env", classmethod(quick))
    yield url
    client.cache_clear()


@pytest.fixture
def domain() -> dict[str, Any]:
    return copy.deepcopy(DOMAIN)


def desk_get(desk: SupportDesk, path: str, **params: Any) -> Any:
    """Read the support desk over HTTP, as an agent's tool would."""
    answer = requests.get(f"{desk.url}{path}", headers=desk.headers, params=params, timeout=10)
    answer.raise_for_status()
    return answer.json()


def handoffs(desk: SupportDesk) -> list[dict[str, Any]]:
    """The handoffs the support desk stored (its API has no list of them, so read the file)."""
    path = desk.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT id, conversation_id, channel, reason, transcript, details FROM handoffs"
        ).fetchall()
    return [dict(row) for row in rows]


# Trackers -------------------------------------------------------------------------------------


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def message(
    text: str = "",
    intent: str | None = "inform",
    entities: list[dict[str, Any]] | None = None,
    intent_ranking: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A parsed user message, as `tracker.latest_message`."""
    ranking = intent_ranking
    if ranking is None:
        ranking = [{"name": intent, "confidence": 0.98}] if intent else []
    return {
        "text": text,
        "intent": {"name": intent, "confidence": ranking[0]["confidence"] if ranking else 0},
        "entities": entities or [],
        "intent_ranking": ranking,
    }


def user_event(text: str, parse_data: dict[str, Any] | None = None, channel: str = "rest"):
    return {
        "event": "user",
        "timestamp": time.time(),
        "text": text,
        "parse_data": parse_data or message(text),
        "input_channel": channel,
    }


def bot_event(text: str) -> dict[str, Any]:
    return {"event": "bot", "timestamp": time.time(), "text": text, "data": {}}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": time.time(), "name": name, "value": value}


def loop_event(form: str | None, timestamp: float = FORM_STARTED_AT) -> dict[str, Any]:
    return {"event": "active_loop", "timestamp": timestamp, "name": form}


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = "inform",
    entities: list[dict[str, Any]] | None = None,
    intent_ranking: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    sender_id: str | None = None,
    channel: str = "rest",
) -> Tracker:
    """A tracker with these slots (the rest None), this latest message and these events.

    Without `events`, the history is the form's activation (when a loop is active) and the
    latest user message on `channel`.
    """
    latest = message(text, intent, entities, intent_ranking)
    if events is None:
        events = [loop_event(active_loop)] if active_loop else []
        events.append(user_event(text, latest, channel))
    state = {
        "sender_id": sender_id or sender(),
        "slots": {**{name: None for name in SLOT_NAMES}, **(slots or {})},
        "latest_message": latest,
        "events": events,
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": active_loop} if active_loop else {},
        "latest_action_name": "action_listen",
    }
    return Tracker.from_dict(state)


def form_tracker(
    form: str,
    candidates: dict[str, Any],
    slots: dict[str, Any] | None = None,
    requested_slot: str | None = None,
    text: str | None = None,
    intent: str | None = "inform",
    entities: list[dict[str, Any]] | None = None,
    history: list[dict[str, Any]] | None = None,
    sender_id: str | None = None,
    intent_ranking: list[dict[str, Any]] | None = None,
) -> Tracker:
    """The temporary tracker Rasa's FormAction sends to `validate_<form>`.

    Its events end with `requested_slot`, the form's action and the slot candidates, and its
    slots already hold the candidates.
    """
    requested = requested_slot or next(iter(candidates), None)
    if text is None:
        text = " ".join(str(value) for value in candidates.values())
    latest = message(text, intent, entities, intent_ranking)
    events = [
        *(history if history is not None else [loop_event(form)]),
        user_event(text, latest),
        slot_event("requested_slot", requested),
        {"event": "action", "timestamp": time.time(), "name": form},
        *(slot_event(name, value) for name, value in candidates.items()),
    ]
    return make_tracker(
        slots={**(slots or {}), "requested_slot": requested, **candidates},
        text=text,
        intent=intent,
        entities=entities,
        events=events,
        active_loop=form,
        sender_id=sender_id,
        intent_ranking=intent_ranking,
    )


# Running actions ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an action returned and what it said."""

    events: list[dict[str, Any]]
    messages: list[dict[str, Any]] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)  # the tracker's slots

    @property
    def slots(self) -> dict[str, Any]:
        """The slots the action set (the last value when one is set twice)."""
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    def next_slot(self, form: str) -> str | None:
        """The slot the form asks for next, as Rasa decides it.

        The validation action names it, or else (when its required slots are the domain's)
        Rasa's form asks for the first required slot that is still empty.
        """
        if "requested_slot" in self.slots:
            return self.slots["requested_slot"]
        after = {**self.before, **self.slots}
        required = DOMAIN["forms"][form]["required_slots"]
        return next((slot for slot in required if after.get(slot) is None), None)

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for b in self.buttons]

    @property
    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def followups(self) -> list[str]:
        return [e["name"] for e in self.events if e.get("event") == "followup"]


def run(action: Action, tracker: Tracker, domain: dict[str, Any] | None = None) -> Outcome:
    """Run an action as the action server does, and check the slots it sets exist."""
    dispatcher = CollectingDispatcher()
    before = copy.deepcopy(tracker.slots)
    events = asyncio.run(action.run(dispatcher, tracker, domain or copy.deepcopy(DOMAIN)))
    unknown = {e["name"] for e in events if e.get("event") == "slot"} - SLOT_NAMES
    assert not unknown, f"{action.name()} set slots the domain does not have: {unknown}"
    return Outcome(list(events), dispatcher.messages, before)


def validate(action: Action, form: str, candidates: dict[str, Any], **kwargs: Any) -> Outcome:
    """Validate slot candidates with a form's validation action."""
    return run(action, form_tracker(form, candidates, **kwargs))


def verified(order: str = MAYA_ORDER, email: str = MAYA_EMAIL, **more: Any) -> dict[str, Any]:
    """The slots of a conversation that verified this order."""
    return {"order_number": order, "email": email, "verified_order": order, **more}
