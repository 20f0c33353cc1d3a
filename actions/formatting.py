"""How dates, money and packages read in the assistant's messages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def day(value: str | None, time_zone: str) -> str:
    """'Sat 28 Nov', in the store's time zone."""
    moment = parse_time(value)
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%a %-d %b") if moment else "soon"


def day_and_time(value: str | None, time_zone: str) -> str:
    moment = parse_time(value)
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%a %-d %b, %-I:%M %p")


def money(amount: str, currency: str = "USD") -> str:
    """'$1,199.99': an amount as shoppers read it."""
    try:
        figure = f"{Decimal(str(amount)):,.2f}"
    except InvalidOperation:
        figure = str(amount)
    return f"${figure}" if currency == "USD" else f"{figure} {currency}"


def item_list(items: list[dict]) -> str:
    """'1 × Clear Phone Case and 1 × USB-C Cable'."""
    return joined([f"{item['quantity']} × {item['name']}" for item in items])


def joined(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
