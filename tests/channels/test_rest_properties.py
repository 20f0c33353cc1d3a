"""Property tests of the REST channel over real HTTP: whatever is posted, never a 5xx.

Any JSON value, any object with the channel's fields holding any JSON values, and any bytes
get either 200 with a list of messages or 400 (413 when too large) with a reason; a well-formed
body always gets the assistant's reply. The assistant behind the channel is a stand-in: the
channel is the unit under test (tests/test_edges_end_to_end.py posts such bodies to Rasa).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.customer_text import customer_text
from channels.rest import MAX_MESSAGE_CHARS, MAX_SENDER_CHARS, RestInput
from tests.channels.served import Assistant, Served

# Every code point, lone surrogates included (json.dumps sends them as `\ud800` escapes).
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT
# What a well-behaved client can send: JSON has no NaN or Infinity, and text is valid Unicode.
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8"), max_size=40)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = ("sender", "message", "metadata", "input_channel")
OBJECTS_WITH_FIELDS = st.dictionaries(st.sampled_from(FIELDS) | ANY_TEXT, JSON_VALUES, max_size=5)
ANY_BODY = (
    JSON_VALUES.map(json.dumps)
    | OBJECTS_WITH_FIELDS.map(json.dumps)
    | st.binary(max_size=64)
    | st.text(max_size=64)
)
WELL_FORMED_TEXT = st.text(st.characters(codec="utf-8"), min_size=1)
WELL_FORMED = st.fixed_dictionaries(
    {
        "sender": WELL_FORMED_TEXT.filter(str.strip).map(lambda s: s[:MAX_SENDER_CHARS]),
        "message": WELL_FORMED_TEXT.filter(str.strip).map(lambda s: s[:MAX_MESSAGE_CHARS]),
    },
    optional={
        "metadata": st.none() | st.dictionaries(ANY_TEXT.filter(str.isprintable), JSON_SCALARS)
    },
)
FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def rest() -> Iterator[Served]:
    with Served(RestInput(), Assistant()) as served:
        yield served


def assert_answered(answer: requests.Response) -> Any:
    """200 with a list of messages, or 400/413 with a reason; the JSON body in either case."""
    assert answer.status_code in (200, 400, 413), (answer.status_code, answer.text)
    body = answer.json()
    if answer.status_code == 200:
        assert isinstance(body, list) and all(isinstance(m, dict) for m in body)
    else:
        assert body["error"] == "bad_request"
        assert isinstance(body["message"], str) and body["message"]
    return body


@FAST
@given(body=ANY_BODY)
def test_any_body_gets_a_list_or_a_reason(rest: Served, body: str | bytes) -> None:
    answer = requests.post(
        rest.url, data=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert_answered(answer)


@FAST
@given(body=WELL_FORMED)
def test_a_well_formed_body_always_gets_the_reply(rest: Served, body: dict[str, Any]) -> None:
    answer = requests.post(rest.url, json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    taken = customer_text(body["message"]).strip()  # Rasa strips; a payload loses its entities
    # A message that is only invisible characters is taken as empty: the echo is "got".
    expected = f"got {taken}".strip()
    assert assert_answered(answer) == [{"recipient_id": body["sender"], "text": expected}]
