"""Reading what clients send: JSON bodies, form fields and headers, refused with a reason.

Everything here turns input that the rest of the service could not handle (text that is not
valid UTF-8, nesting that would exhaust the stack, numbers JSON does not have) into a
`DomainError` with a sentence for the caller, so that it is a 4xx and never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from supportdesk.errors import DomainError

# Far deeper than any request of this API (a handoff's details are the deepest, at 3 or 4);
# a cap keeps deep values away from code that walks them recursively.
MAX_DEPTH = 32


class UnreadableInput(DomainError):
    """A body or header that cannot be read as text or JSON."""

    status = 400
    code = "bad_request"


class InvalidJson(UnreadableInput):
    code = "invalid_json"


def json_object(body: bytes | None) -> dict[str, Any]:
    """The body as a JSON object, or InvalidJson saying why it is not one."""
    value = json_value(body)
    if not isinstance(value, dict):
        raise InvalidJson("The body must be a JSON object.")
    return value


def json_value(body: bytes | None) -> Any:
    """The body as JSON whose every string is valid text and whose depth is at most MAX_DEPTH."""
    try:
        value = json.loads(body or b"", parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise InvalidJson(f"The body is nested more than {MAX_DEPTH} levels deep.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidJson(f"The body is not valid JSON: {error}.") from None
    problem = unreadable(value)
    if problem:
        raise InvalidJson(f"The body cannot be used: {problem}.")
    return value


def unreadable(value: Any) -> str | None:
    """What makes a parsed value unusable, or None: a lone surrogate (text that cannot be
    encoded as UTF-8) in any key or string, or nesting deeper than MAX_DEPTH."""
    pending: list[tuple[Any, str, int]] = [(value, "", 0)]
    while pending:
        node, at, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"it is nested more than {MAX_DEPTH} levels deep"
        if isinstance(node, str):
            if not is_text(node):
                return f"{at or 'the value'} is not valid Unicode text (a lone surrogate)"
        elif isinstance(node, dict):
            for key, item in node.items():
                name = f"{at}.{key}" if at else str(key)
                if not is_text(str(key)):
                    return "a field name is not valid Unicode text (a lone surrogate)"
                pending.append((item, name, depth + 1))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                pending.append((item, f"{at}.{i}" if at else str(i), depth + 1))
    return None


def is_text(text: str) -> bool:
    """Whether `text` can be stored and sent: it encodes as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unreadable_header(headers: Iterable[tuple[str, str]]) -> str | None:
    """The name of the first header that is not valid UTF-8, or None.

    The HTTP server keeps undecodable bytes as lone surrogates (surrogateescape), which
    would fail later wherever the value is encoded, compared or stored.
    """
    for name, value in headers:
        if not is_text(name):
            return "a header name"
        if not is_text(value):
            return "-".join(part.capitalize() for part in name.split("-"))  # as it is documented
    return None


def _finite(text: str) -> float:
    """A JSON number as a float; one too large for a float (`1e999`) is refused."""
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:20]} is too large")
    return number


def _no_constant(name: str) -> Any:
    """JSON has no NaN or Infinity: Python's parser accepts them, the API does not."""
    raise ValueError(f"{name} is not a JSON value")
