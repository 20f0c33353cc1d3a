"""`action_validate_slot_mappings` is called only when its answer can matter."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_hooks import slot_mappings

DOMAIN = Domain.load(Path(__file__).resolve().parents[2] / "domain.yml")
ORDER = "STS-4829-1307"
WATCHED = {"claim_number": "CLM-000001", "verified_order": ORDER, "evidence_seen": 0.0}


class _Recorder(BaseHTTPRequestHandler):
    """An action server that notes each action it is asked to run and answers no events."""

    calls: list[str] = []

    def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        self.calls.append(body["next_action"])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"events": [], "responses": []}')

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def action_server() -> Iterator[EndpointConfig]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield EndpointConfig(f"http://127.0.0.1:{httpd.server_port}/webhook")
    httpd.shutdown()


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ActionExtractSlots._execute_validation_action
    monkeypatch.setattr(ActionExtractSlots, "_execute_validation_action", original)
    slot_mappings.install()
    _Recorder.calls.clear()


def _extract(endpoint: EndpointConfig, text: str, entities: list[dict], slots: dict) -> list:
    """Rasa's action_extract_slots after one message, with these slots set before it."""
    tracker = DialogueStateTracker("shopper", DOMAIN.slots)
    tracker.update_with_events(
        [ActionExecuted("action_listen")] + [SlotSet(k, v) for k, v in slots.items()], DOMAIN
    )
    tracker.update(UserUttered(text, {"name": "thank", "confidence": 1.0}, entities))
    action = ActionExtractSlots(endpoint)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, DOMAIN))


def test_a_message_that_fills_nothing_without_a_claim_calls_nothing(action_server) -> None:
    assert _extract(action_server, "thanks so much", [], {}) == []
    assert _Recorder.calls == []


def test_a_slot_from_an_entity_is_still_validated(action_server) -> None:
    entity = {"entity": "order_number", "value": ORDER, "start": 0, "end": 13}
    events = _extract(action_server, ORDER, [entity], {})
    assert _Recorder.calls == ["action_validate_slot_mappings"]
    assert SlotSet("order_number", ORDER) in events


def test_a_watched_claim_is_still_looked_at_on_every_message(action_server) -> None:
    _extract(action_server, "thanks so much", [], WATCHED)
    assert _Recorder.calls == ["action_validate_slot_mappings"]


@pytest.mark.parametrize("missing", sorted(WATCHED))
def test_without_each_of_the_watched_slots_there_is_nothing_to_look_at(
    action_server, missing: str
) -> None:
    _extract(action_server, "thanks", [], {**WATCHED, missing: None})
    assert _Recorder.calls == []


def test_install_puts_the_check_into_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.core.agent
    from rasa.core.actions.action import RemoteAction

    from rasa_hooks import install

    monkeypatch.setattr(rasa.core.agent, "MessageProcessor", rasa.core.agent.MessageProcessor)
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    monkeypatch.setattr(
        ActionExtractSlots,
        "_execute_validation_action",
        getattr(ActionExtractSlots._execute_validation_action, "__wrapped__", None)
        or ActionExtractSlots._execute_validation_action,
    )
    install()
    assert ActionExtractSlots._execute_validation_action._checked
