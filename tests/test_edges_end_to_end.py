"""The whole stack at its edges: bad bodies, typed commands and payloads, bind addresses and the
action server's secret, over real HTTP against the real Rasa server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings

from scripts import stack
from tests.channels.test_rest import BAD_BODIES
from tests.channels.test_rest_properties import ANY_BODY, assert_answered
from tests.conftest import whole_stack
from tests.listening import expected_listeners, listening

MAYA_ORDER, MAYA_EMAIL = "STS-4829-1307", "maya.chen@example.com"
MAYA_TRACKING = "1Z4E82A70362815596"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    with whole_stack(tmp_path_factory.mktemp("edges")) as started:
        yield started


class Customer:
    """One shopper on the REST channel, and what Rasa's tracker holds for them."""

    def __init__(self, running: stack.Stack) -> None:
        self.running = running
        self.sender = f"edge-{uuid.uuid4().hex[:8]}"

    def says(self, text: str) -> str:
        answer = requests.post(
            self.running.url("rasa", "/webhooks/rest/webhook"),
            json={"sender": self.sender, "message": text},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        return "\n".join(m.get("text", "") for m in answer.json())

    def tracker(self) -> dict[str, Any]:
        token = self.running.env["RASA_AUTH_TOKEN"]
        path = f"/conversations/{self.sender}/tracker?token={token}"
        answer = requests.get(self.running.url("rasa", path), timeout=10)
        answer.raise_for_status()
        return answer.json()

    def slots(self) -> dict[str, Any]:
        """The slots that hold something."""
        return {k: v for k, v in self.tracker()["slots"].items() if v not in (None, [], {}, False)}


def rasa_is_up(running: stack.Stack) -> bool:
    token = running.env["RASA_AUTH_TOKEN"]
    return requests.get(running.url("rasa", f"/status?token={token}"), timeout=10).ok


# --- Bad bodies (issue 11, item 5) ---


def test_bad_bodies_get_400_from_rasa_and_it_stays_up(running: stack.Stack) -> None:
    url = running.url("rasa", "/webhooks/rest/webhook")
    for name, body in BAD_BODIES.items():
        answer = requests.post(url, data=body, timeout=30)
        assert answer.status_code == 400, (name, answer.status_code, answer.text)
        assert answer.json()["message"], name
    assert rasa_is_up(running)  # the lone-surrogate sender used to stop the Rasa server
    assert "Ship to Store" in Customer(running).says("hi")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=ANY_BODY)
def test_any_body_through_rasa_gets_a_list_or_a_reason(
    running: stack.Stack, body: str | bytes
) -> None:
    answer = requests.post(
        running.url("rasa", "/webhooks/rest/webhook"),
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert_answered(answer)


def test_rasa_is_still_up_after_the_fuzzing(running: stack.Stack) -> None:
    assert rasa_is_up(running)


# --- Typed commands and payloads (item 6) ---


def test_a_typed_session_start_greets(running: stack.Stack) -> None:
    reply = Customer(running).says("/session_start")
    assert "Ship to Store assistant" in reply and "What can I do for you?" in reply


def test_a_typed_restart_is_a_stop(running: stack.Stack) -> None:
    maya = Customer(running)
    maya.says(f"where is my order {MAYA_ORDER}?")
    reply = maya.says("/restart")
    assert "stopped there and nothing was filed" in reply and "anything else" in reply
    assert maya.tracker()["active_loop"] == {}

    maya.says("where is my order?")
    assert MAYA_TRACKING in maya.says(MAYA_EMAIL)
    assert "anything else" in maya.says("/restart")
    assert maya.slots()["verified_order"] == MAYA_ORDER  # a stop keeps the verification


def test_a_typed_restart_leaves_a_conversation_an_agent_holds_to_the_agent(
    running: stack.Stack,
) -> None:
    maya = Customer(running)
    maya.says("hi")
    token = running.env["RASA_AUTH_TOKEN"]
    paused = requests.post(
        running.url("rasa", f"/conversations/{maya.sender}/tracker/events?token={token}"),
        json={"event": "pause"},
        timeout=10,
    )
    paused.raise_for_status()
    # Rasa's own restart would come through the pause, and the bot would talk over the agent.
    assert maya.says("/restart") == "" and maya.says("hi") == ""
    assert maya.tracker()["paused"] is True


def test_a_typed_back_says_what_happened_and_the_conversation_goes_on(
    running: stack.Stack,
) -> None:
    maya = Customer(running)
    assert "order number" in maya.says("where is my order?")
    assert "e-mail" in maya.says("STS-6230-0958")  # not the order she means
    reply = maya.says("/back")
    assert "gone back and set aside what you told me last" in reply
    # Rasa's action_back: within a form it rewinds the form's turns and the request that
    # started it (Rasa folds a form's turns into one when it replays a conversation).
    assert maya.tracker()["active_loop"] == {} and "order_number" not in maya.slots()
    assert "e-mail" in maya.says(f"where is my order {MAYA_ORDER}?")
    assert MAYA_TRACKING in maya.says(MAYA_EMAIL)


@pytest.mark.parametrize(
    "payload",
    [
        json.dumps({"order_number": MAYA_ORDER, "email": MAYA_EMAIL}),
        json.dumps({"verified_order": MAYA_ORDER, "verified_email": MAYA_EMAIL}),
        json.dumps({"requested_slot": "email", "claim_number": "CLM-000001"}),
    ],
)
def test_a_typed_payload_never_sets_slots(running: stack.Stack, payload: str) -> None:
    for opening in (None, "where is my order?"):
        maya = Customer(running)
        if opening:
            maya.says(opening)
        for intent in ("inform", "affirm", "check_tracking"):
            reply = maya.says(f"/{intent}{payload}")
            assert MAYA_TRACKING not in reply
        slots = maya.slots()
        assert not {"order_number", "email", "verified_order", "verified_email"} & slots.keys()
        assert "claim_number" not in slots and slots.get("requested_slot") != "email"
        said = [e for e in maya.tracker()["events"] if e["event"] == "user"][-3:]
        assert [e["parse_data"]["entities"] for e in said] == [[], [], []]


def test_an_order_number_with_invisible_characters_inside_is_read(running: stack.Stack) -> None:
    maya = Customer(running)
    reply = maya.says("where is my order \u202dSTS-4829\u200b-1307\u202c?")
    assert "e-mail" in reply
    assert maya.slots()["order_number"] == MAYA_ORDER
    assert MAYA_TRACKING in maya.says(MAYA_EMAIL.replace("@", "\u200b@"))


# --- Bind addresses and the action server's secret (item 10) ---


def test_every_service_listens_on_loopback_only(running: stack.Stack) -> None:
    expected = expected_listeners(running)
    assert set(expected) == set(running.commands)
    for name, addresses in expected.items():
        assert {host for host, _ in addresses} == {"127.0.0.1"}
        assert listening(running.process(name).pid) == addresses, name


def test_only_rasa_may_call_the_action_server(running: stack.Stack) -> None:
    call = {"next_action": "action_next_steps"}
    anyone = requests.post(running.url("actions", "/webhook"), json=call, timeout=10)
    assert anyone.status_code == 401
    listing = running.url("actions", "/actions")
    wrong = {"Authorization": "Bearer " + "x" * 43}
    assert requests.get(listing, headers=wrong, timeout=10).status_code == 401
    right = {"Authorization": f"Bearer {running.env['ACTION_SERVER_TOKEN']}"}
    assert requests.get(listing, headers=right, timeout=10).ok
    assert requests.get(running.url("actions", "/health"), timeout=10).ok

    # Rasa sends the token (endpoints.yml): verification runs the action server's form code.
    maya = Customer(running)
    maya.says(f"where is my order {MAYA_ORDER}?")
    assert MAYA_TRACKING in maya.says(MAYA_EMAIL)
