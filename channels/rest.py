"""Rasa's REST channel (name `rest`) and its callback variant, answering 400 to a bad body.

Rasa 3.6's `RestInput` reads `request.json.get(...)`, so a body that is not a JSON object
(`[1,2,3]`, `"hello"`, `null`, `42`, an empty body) is a 500, and a number, a list or a missing
`message` reaches the NLU pipeline, fails there and gets an empty reply. Worse, a `sender` with
a lone surrogate (`"\\ud800"`) makes the SQL tracker store fail, and Rasa's tracker store then
exits the whole server; so would a sender longer than the store's 255-character column on
PostgreSQL.

Each channel here is Rasa's own, with one request middleware on its blueprint that checks the
body before Rasa's handler runs and answers 400 with a JSON reason. A middleware rather than
overriding the `_extract_*` helpers: those can only return a value or raise, and a raised
error would be answered in Sanic's own format (HTML or text, depending on the request's
headers), not with this project's `{"error", "message"}` body. Everything else is Rasa's:
the handler, `?stream=true`, the collected or called-back replies, `input_channel` and
`metadata`. Messages then pass through `channels.customer_text`, like every channel's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels import callback as rasa_callback
from rasa.core.channels import rest as rasa_rest
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse, json

from channels.customer_text import as_typed_by_customer

MAX_MESSAGE_CHARS = 5_000
MAX_SENDER_CHARS = 255  # Rasa's SQL tracker store keeps sender ids in a String(255) column
MAX_BODY_BYTES = 256 * 1024  # a longest message, escaped, with room for metadata
MAX_METADATA_DEPTH = 32  # deep nesting would reach Python's recursion limit when stored
OBJECT_REQUIRED = 'The body must be a JSON object, like {"sender": "me", "message": "hi"}.'


def _is_unicode(text: str) -> bool:
    """False for text with a lone surrogate (`"\\ud800"`), which cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text_problem(body: dict[str, Any], field: str, limit: int, required: bool) -> str | None:
    if field not in body or body[field] is None:
        return f"`{field}` is required." if required else None
    value = body[field]
    if not isinstance(value, str):
        return f"`{field}` must be a string."
    if not value.strip():
        return f"`{field}` must not be empty."
    if len(value) > limit:
        return f"`{field}` must be at most {limit:,} characters long."
    if not _is_unicode(value):
        return f"`{field}` is not valid Unicode text."
    return None


def _strings_and_depths(value: Any) -> Iterable[tuple[Any, int]]:
    """Every value nested in `value` with its depth, without recursion (nesting may be deep)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        yield item, depth
        if isinstance(item, dict):
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _metadata_problem(body: dict[str, Any]) -> str | None:
    metadata = body.get("metadata")
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return "`metadata` must be a JSON object."
    for item, depth in _strings_and_depths(metadata):
        if depth > MAX_METADATA_DEPTH:
            return f"`metadata` must be nested at most {MAX_METADATA_DEPTH} levels deep."
        if isinstance(item, str) and not _is_unicode(item):
            return "`metadata` holds text that is not valid Unicode."
    return None


def problem_with(body: Any, extras: bool = True) -> str | None:
    """Why Rasa's handler must not get this body, or None when it may.

    `extras`: also check `input_channel` and `metadata`, which the REST channel uses and the
    callback channel ignores.
    """
    if not isinstance(body, dict):
        return OBJECT_REQUIRED
    problem = _text_problem(body, "sender", MAX_SENDER_CHARS, required=True)
    problem = problem or _text_problem(body, "message", MAX_MESSAGE_CHARS, required=True)
    if extras:
        # Rasa uses a truthy `input_channel` as it is and falls back to `rest` otherwise.
        if body.get("input_channel"):
            problem = problem or _text_problem(body, "input_channel", 255, required=False)
        problem = problem or _metadata_problem(body)
    return problem


def _bad_request(message: str, status: int = 400) -> HTTPResponse:
    return json({"error": "bad_request", "message": message}, status=status)


def guard(extras: bool) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """The request middleware: a 400 (413 when too large) for a body the handler can't take."""

    async def check_body(request: Request) -> HTTPResponse | None:
        if request.method != "POST":
            return None  # the channel's health check
        if len(request.body) > MAX_BODY_BYTES:
            return _bad_request(f"The body must be at most {MAX_BODY_BYTES:,} bytes.", 413)
        try:
            body = request.json
        except InvalidUsage:
            return _bad_request("The body is not valid JSON. " + OBJECT_REQUIRED)
        problem = problem_with(body, extras)
        return _bad_request(problem) if problem else None

    return check_body


class RestInput(rasa_rest.RestInput):
    """Rasa's REST channel (name `rest`, /webhooks/rest/webhook), with its body checked."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(as_typed_by_customer(on_new_message))
        webhook.middleware(guard(extras=True), "request")
        return webhook


class CallbackInput(rasa_callback.CallbackInput):
    """Rasa's callback channel (name `callback`), with its body checked the same way.

    It reads `sender` and `message` as the REST channel does (and failed on the same bodies);
    replies go to the callback URL, and the webhook still answers `success`.
    """

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(as_typed_by_customer(on_new_message))
        webhook.middleware(guard(extras=False), "request")
        return webhook
