"""The action result validator built once accepts and refuses exactly what Rasa's own does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from rasa_hooks.action_results import validate_action_result, validator

SCHEMA = RemoteAction.action_response_format_spec()
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
