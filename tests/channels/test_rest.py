"""This project's REST and callback channels over real HTTP: a bad body is a 400 with a reason.

Each body below made Rasa 3.6's own channel answer 500, or reach the NLU pipeline and fail
there with an empty reply, or (a sender with a lone surrogate) stop the Rasa server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from channels.rest import MAX_BODY_BYTES, CallbackInput, RestInput
from tests.channels.served import Assistant, Served
from tests.e2e import callback_server, wait_for

DEEP = {"a": 1}
for _ in range(40):
    DEEP = {"a": DEEP}

BAD_BODIES = {
    "a list": "[1,2,3]",
    "a string": '"hello"',
    "null": "null",
    "a number": "42",
    "an empty body": "",
    "whitespace": "  ",
    "not JSON": "{bad",
    "invalid UTF-8": b'{"sender": "a", "message": "\xff"}',
    "no message": '{"sender": "a"}',
    "a number as message": '{"sender": "a", "message": 5}',
    "a list as message": '{"sender": "a", "message": ["hi"]}',
    "an empty message": '{"sender": "a", "message": ""}',
    "a blank message": '{"sender": "a", "message": " \\n "}',
    "an over-long message": json.dumps({"sender": "a", "message": "x" * 5001}),
    "a lone surrogate in the message": '{"sender": "a", "message": "hi \\ud800"}',
    "no sender": '{"message": "hi"}',
    "a number as sender": '{"sender": 5, "message": "hi"}',
    "an object as sender": '{"sender": {"x": 1}, "message": "hi"}',
    "an empty sender": '{"sender": "", "message": "hi"}',
    "an over-long sender": json.dumps({"sender": "s" * 256, "message": "hi"}),
    "a lone surrogate in the sender": '{"sender": "\\ud800", "message": "hi"}',
    "a list as metadata": '{"sender": "a", "message": "hi", "metadata": [1]}',
    "a string as metadata": '{"sender": "a", "message": "hi", "metadata": "x"}',
    "a lone surrogate in metadata": '{"sender": "a", "message": "hi", "metadata": {"k": "\\udc00"}}',  # noqa: E501
    "deeply nested metadata": json.dumps({"sender": "a", "message": "hi", "metadata": DEEP}),
    "a number as input_channel": '{"sender": "a", "message": "hi", "input_channel": 5}',
}


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant()


@pytest.fixture(scope="module")
def rest(assistant: Assistant) -> Iterator[Served]:
    with Served(RestInput(), assistant) as served:
        yield served


def post(url: str, body: str | bytes, **params: str) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    return requests.post(url, data=body, headers=headers, params=params, timeout=10)


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_bad_body_gets_400_with_a_reason_and_reaches_no_one(
    rest: Served, assistant: Assistant, body: str | bytes
) -> None:
    before = len(assistant.messages)
    answer = post(rest.url, body)
    assert answer.status_code == 400, answer.text
    reason = answer.json()
    assert reason["error"] == "bad_request" and len(reason["message"]) > 10
    assert len(assistant.messages) == before


def test_the_reason_names_what_is_wrong(rest: Served) -> None:
    assert "JSON object" in post(rest.url, "[1,2,3]").json()["message"]
    assert "`message` is required" in post(rest.url, '{"sender": "a"}').json()["message"]
    assert (
        "`sender` must be a string"
        in post(rest.url, BAD_BODIES["a number as sender"]).json()["message"]
    )
    assert "5,000" in post(rest.url, BAD_BODIES["an over-long message"]).json()["message"]
    assert "`metadata`" in post(rest.url, BAD_BODIES["a list as metadata"]).json()["message"]


def test_a_good_body_is_rasa_s_as_before(rest: Served, assistant: Assistant) -> None:
    body = {
        "sender": "maya",
        "message": "x" * 5000,  # the longest allowed
        "metadata": {"page": "/help", "nested": {"ok": [1, 2]}},
        "input_channel": "kiosk",
    }
    answer = requests.post(rest.url, json=body, timeout=10)
    assert answer.status_code == 200
    assert answer.json() == [{"recipient_id": "maya", "text": "got " + "x" * 5000}]
    message = assistant.messages[-1]
    assert message.sender_id == "maya" and message.metadata == body["metadata"]
    assert message.input_channel == "kiosk"

    # As the README's curl sends it (a form content type), and without the optional fields.
    answer = requests.post(rest.url, data='{"sender": "me", "message": "hi"}', timeout=10)
    assert answer.json() == [{"recipient_id": "me", "text": "got hi"}]
    assert assistant.messages[-1].input_channel == "rest"


def test_streaming_and_the_health_check_are_rasa_s(rest: Served) -> None:
    answer = post(rest.url, '{"sender": "s", "message": "hi"}', stream="true")
    assert answer.status_code == 200
    assert [json.loads(line) for line in answer.text.splitlines()] == [
        {"recipient_id": "s", "text": "got hi"}
    ]
    assert post(rest.url, "[]", stream="true").status_code == 400
    health = requests.get(rest.url.removesuffix("webhook"), timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}


def test_a_body_too_large_is_413(rest: Served, assistant: Assistant) -> None:
    before = len(assistant.messages)
    body = json.dumps({"sender": "a", "message": "hi", "metadata": {"x": "y" * MAX_BODY_BYTES}})
    answer = post(rest.url, body)
    assert answer.status_code == 413 and "bytes" in answer.json()["message"]
    assert len(assistant.messages) == before


def test_typed_payloads_reach_the_assistant_without_entities(
    rest: Served, assistant: Assistant
) -> None:
    typed = '/inform{"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}'
    for text, taken in [
        (typed, "/inform"),
        ('/affirm{"requested_slot": "x"}', "/affirm"),
        ("/deny@0.1", "/deny"),
        ("/session_start", "/greet"),
        ("/restart", "/stop"),
        ("/back", "/back"),
        ("my order is STS-4829-1307", "my order is STS-4829-1307"),
    ]:
        answer = requests.post(rest.url, json={"sender": "p", "message": text}, timeout=10)
        assert answer.status_code == 200
        assert assistant.messages[-1].text == taken


@pytest.fixture
def callback() -> Iterator[tuple[Served, Assistant, list[dict]]]:
    """The callback channel served, and the customer's callback server it posts replies to."""
    assistant = Assistant()
    with callback_server() as (url, received):  # noqa: SIM117  (the channel needs its url)
        with Served(CallbackInput.from_credentials({"url": url}), assistant) as served:
            yield served, assistant, received


def test_the_callback_channel_checks_its_body_too(
    callback: tuple[Served, Assistant, list[dict]],
) -> None:
    served, assistant, received = callback
    for name in ("a list", "null", "an empty body", "a number as message", "no sender"):
        answer = post(served.url, BAD_BODIES[name])
        assert answer.status_code == 400 and answer.json()["message"], name
    assert assistant.messages == []

    # The callback channel ignores metadata, so it does not check it either.
    answer = post(served.url, '{"sender": "cb", "message": "hi", "metadata": [1]}')
    assert answer.status_code == 200 and answer.text == "success"
    wait_for(lambda: [m["text"] for m in received], "got hi", 10, "the callback server")
    assert assistant.messages[-1].text == "hi"
