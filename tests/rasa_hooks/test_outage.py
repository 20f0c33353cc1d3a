"""The Rasa server's outage hook: which action server failures it notes, and what it undoes."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import rasa.core.agent
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_hooks import install
from rasa_hooks.outage import ResilientProcessor, WatchedEndpoint, _rolled_back, watching
from tests.conftest import free_port


class _Status(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
        status = int(self.path.strip("/"))
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"events": [], "responses": []}')

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A server that answers POST /<status> with that status."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Status)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def _call(url: str) -> list[str]:
    endpoint = WatchedEndpoint.watching(EndpointConfig(url, headers={"X-Test": "1"}))

    async def call() -> list[str]:
        with watching() as failures, contextlib.suppress(Exception):
            await endpoint.request(json={}, method="post")
        return failures

    return asyncio.run(call())


@pytest.mark.parametrize("status", [500, 502, 404])
def test_a_failing_action_server_is_noted(server: str, status: int) -> None:
    assert _call(f"{server}/{status}") == [f"HTTP {status}"]


def test_a_form_rejection_and_a_success_are_not_failures(server: str) -> None:
    assert _call(f"{server}/400") == []
    assert _call(f"{server}/200") == []


def test_an_action_server_that_is_not_listening_is_noted() -> None:
    assert _call(f"http://127.0.0.1:{free_port()}/webhook") == ["ClientConnectorError"]


def test_the_watched_endpoint_keeps_the_configuration() -> None:
    original = EndpointConfig(
        "http://a/webhook", params={"p": 1}, headers={"Authorization": "Bearer x"}, token="t"
    )
    watched = WatchedEndpoint.watching(original)
    assert (watched.url, watched.params, watched.headers, watched.token) == (
        "http://a/webhook",
        {"p": 1},
        {"Authorization": "Bearer x"},
        "t",
    )


def test_failures_outside_a_processor_step_are_not_collected(server: str) -> None:
    endpoint = WatchedEndpoint.watching(EndpointConfig(f"{server}/500"))
    with pytest.raises(ClientResponseError):
        asyncio.run(endpoint.request(json={}, method="post"))


def test_rolling_back_drops_the_unvalidated_slots_and_keeps_the_message() -> None:
    tracker = DialogueStateTracker("s", [TextSlot("email", mappings=[])])
    tracker.update(SlotSet("email", "kept@example.com"))
    tracker.update(UserUttered("x" * 300 + "@example.com", {"name": "inform"}))
    keep = len(tracker.events)
    tracker.update(SlotSet("email", "x" * 300 + "@example.com"))
    restored = _rolled_back(tracker, keep)
    assert restored.get_slot("email") == "kept@example.com"
    assert len(restored.events) == keep
    assert restored.latest_message.text.startswith("xxx")


def test_install_puts_both_hooks_into_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.actions.action import RemoteAction

    from rasa_hooks.action_results import validate_action_result

    monkeypatch.setattr(rasa.core.agent, "MessageProcessor", rasa.core.agent.MessageProcessor)
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    install()
    assert rasa.core.agent.MessageProcessor is ResilientProcessor
    assert RemoteAction._validate_action_result is validate_action_result
