"""The action server's answers are checked against Rasa's schema by validators built once.

Rasa 3.6's `RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the
whole (large) events schema itself before every validation: about 20 ms with jsonschema 4.17 for
each custom action call, several per form turn. The schema never changes, so it is checked once
here, and every answer is validated with the same validator. What is refused, and the message
that says why, are Rasa's.

Each event is one of 23 kinds (`oneOf`), told apart by the constant in its `event` field, and
jsonschema tries every kind and builds an error for each that does not fit: about 0.3 ms per
event, several milliseconds for a form's answer. An answer is first checked the short way: its
outline without the events, then each event against its own kind only (its `event` names it;
every other kind refuses it on that constant, so `oneOf` holds exactly when that kind fits).
Only an answer that fails the short way is checked Rasa's way, for Rasa's error.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def validator() -> Validator:
    """The validator of Rasa's action response schema, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@lru_cache(maxsize=1)
def _short_way() -> tuple[Validator, dict[str, Validator]]:
    """A validator of the answer without its events' schema, and one per kind of event."""
    schema = validator().schema
    outline = copy.deepcopy(schema)
    event_schema = outline["properties"]["events"].pop("items")
    common = {key: value for key, value in event_schema.items() if key != "oneOf"}
    cls = type(validator())
    kinds = {
        kind["properties"]["event"]["const"]: cls({"allOf": [common, kind]})
        for kind in event_schema["oneOf"]
    }
    return cls(outline), kinds


def is_valid(result: Any) -> bool:
    """True only when Rasa's schema accepts the answer; False means "check Rasa's way"."""
    if "const" not in type(validator()).VALIDATORS:
        return False  # a draft without `const` (before 6) would not tell the kinds apart
    outline, kinds = _short_way()
    if not outline.is_valid(result):
        return False
    for event in result.get("events", []) if isinstance(result, dict) else []:
        kind = kinds.get(event.get("event")) if isinstance(event, dict) else None
        if kind is None or not kind.is_valid(event):
            return False
    return True


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, with the validator built once."""
    if is_valid(result):
        return True
    error = best_match(validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        "the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error
