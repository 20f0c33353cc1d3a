"""The action result validator built once accepts and refuses exactly what Rasa's own does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    FollowupAction,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from rasa_hooks.action_results import is_valid, validate_action_result, validator

SCHEMA = RemoteAction.action_response_format_spec()
RASAS = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)  # what jsonschema.validate uses
GOOD = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "timestamp": None, "name": "email", "value": "a@example.com"},
            {"event": "active_loop", "name": "claim_form"},
            {"event": "followup", "name": "claim_form"},
        ],
        "responses": [{"text": "hi", "buttons": [{"title": "Yes", "payload": "/affirm"}]}],
    },
    {},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot"}]},  # a slot event needs its name
    {"responses": ["text"]},
    [],
    {"events": [{"event": "slot", "name": 3}]},  # the kind is right, a field is not
    {"events": [{"event": "bot", "text": "hi"}, "not an event"]},
    {"events": [{"event": 7}]},
    {"events": [{"name": "email"}]},  # no kind at all
    {"events": [{"event": "slot", "name": "email", "timestamp": "noon"}]},  # a common field
]
RASA_EVENTS = [
    SlotSet("missing_items", [{"line_id": "L1", "quantity": 2}]),
    SlotSet("email", None),
    BotUttered("hi", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}),
    ActiveLoop("claim_form"),
    ActiveLoop(None),
    FollowupAction("action_listen"),
    ActionExecuted("utter_greet"),
    UserUttered("hello", {"name": "greet", "confidence": 0.9}, [{"entity": "e", "value": "v"}]),
    ReminderScheduled("remind", trigger_date_time=__import__("datetime").datetime(2026, 1, 1)),
    Restarted(),
    SessionStarted(),
    AllSlotsReset(),
]


@pytest.mark.parametrize("result", GOOD)
def test_what_rasa_accepts_is_accepted(result: dict) -> None:
    jsonschema.validate(result, SCHEMA)  # Rasa's own check
    assert validate_action_result(RemoteAction("x", None), result) is True


@pytest.mark.parametrize("result", BAD)
def test_what_rasa_refuses_is_refused_with_its_message(result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        jsonschema.validate(result, SCHEMA)
    with pytest.raises(jsonschema.ValidationError) as ours:
        validate_action_result(RemoteAction("x", None), result)
    assert ours.value.message.startswith(rasa_error.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_the_validator_is_built_once() -> None:
    assert validator() is validator()


@pytest.mark.parametrize("event", RASA_EVENTS, ids=lambda e: e.type_name)
def test_the_short_way_agrees_with_rasas_schema_on_each_kind(event) -> None:
    good = {"events": [event.as_dict()]}
    jsonschema.validate(good, SCHEMA)
    assert is_valid(good)
    for other in {"slot", "bot", "user", "action", "active_loop"} - {event.type_name}:
        renamed = {"events": [{**event.as_dict(), "event": other}]}
        assert is_valid(renamed) == RASAS.is_valid(renamed)


@pytest.mark.parametrize("result", BAD)
def test_the_short_way_refuses_what_rasa_refuses(result) -> None:
    assert not is_valid(result)


def test_a_valid_answer_takes_the_short_way(monkeypatch: pytest.MonkeyPatch) -> None:
    def the_long_way(*args: object) -> None:
        raise AssertionError("checked Rasa's way")

    monkeypatch.setattr(validator(), "iter_errors", the_long_way)
    answer = {"events": [e.as_dict() for e in RASA_EVENTS], "responses": [{"text": "hi"}]}
    assert validate_action_result(RemoteAction("x", None), answer) is True
