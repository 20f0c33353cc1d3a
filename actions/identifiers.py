"""Reading identifiers out of what customers type."""

from __future__ import annotations

import re
from dataclasses import dataclass

import tracking_numbers

from supportdesk.identifiers import (  # one definition of the canonical forms, shared
    normalize_claim_number,
    normalize_email,
    normalize_order_number,
    normalize_tracking_number,
    visible,
)

__all__ = [
    "Tracking",
    "order_number_within",
    "normalize_claim_number",
    "normalize_email",
    "normalize_order_number",
    "parse_email",
    "parse_tracking_number",
    "visible",
]

MAX_EMAIL, MAX_LOCAL_PART = 254, 64
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_EIGHT_DIGITS = re.compile(r"(?<![\w-])(\d{4})[\s\-_]?(\d{4})(?![\w-])")


@dataclass(frozen=True)
class Tracking:
    number: str
    carrier: str


def parse_email(text: str) -> str | None:
    """A plausible e-mail address within RFC 5321's limits (254 in all, 64 before the @)."""
    candidate = normalize_email(text)
    if len(candidate) > MAX_EMAIL or len(candidate.split("@")[0]) > MAX_LOCAL_PART:
        return None
    return candidate if _EMAIL.match(candidate) else None


def order_number_within(text: str) -> str | None:
    """The order number in a typed answer with words around it ("ordr 6604 3928", "it's
    #12345678 I think"), when its only digits are the number's eight."""
    shown = visible(text)
    match = _EIGHT_DIGITS.search(shown)
    if match is None or sum(c.isdigit() for c in shown) != 8:
        return None
    return normalize_order_number(match.group(1) + match.group(2))


def parse_tracking_number(text: str) -> Tracking | None:
    """A tracking number whose carrier format and check digit are valid, or None (invisible
    characters, spaces and dashes of any kind are ignored)."""
    compact = normalize_tracking_number(text)
    parsed = tracking_numbers.get_tracking_number(compact)
    if parsed is None or parsed.validation_errors:
        return None
    return Tracking(number=compact, carrier=parsed.courier.name)
