"""Money as integer cents inside, as a two-decimal string at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_cents(cents: int) -> str:
    """`1299` -> `"12.99"`: the form amounts take in the API."""
    return str(to_decimal(cents))


def to_cents(amount: Decimal | str) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def share_cents(total_cents: int, part: int, whole: int) -> int:
    """`total * part / whole`, rounded half up, exactly."""
    value = Decimal(total_cents) * part / whole
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
