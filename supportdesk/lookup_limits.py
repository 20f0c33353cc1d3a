"""Limits on failed order look-ups, per source and per order.

A source is who asks: the assistant's conversation when the caller names one, else the
caller's network address (which may be a backend or a proxy serving many people, so it gets a
higher limit). A source that fails too often is stopped for every order, so one stranger's
guesses never lock the owner out. Strangers who rotate conversations are bounded by
a higher limit per order; a source that already proved it knows the order's e-mail address
(a successful look-up) is not held back by that limit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from supportdesk.db import Database
from supportdesk.models import LookupFailure, LookupVerification
from supportdesk.rate_limits import refuse_when_exceeded

LIMIT_MESSAGE = "Too many failed lookups. Please try again later."
# How long a successful look-up exempts its source from the limit per order: a conversation
# that verified an order can finish its claim while strangers guess at the same order.
VERIFIED_FOR = timedelta(hours=24)
MAX_SOURCE = 220  # "conversation:" and a conversation id of up to 200 characters
CONVERSATION, ADDRESS = "conversation:", "address:"


@dataclass(frozen=True)
class LookupLimits:
    """How many failed look-ups are allowed, and within which time window."""

    per_source: int = 5  # per conversation
    per_address: int = 20  # per caller address, for requests that name no conversation
    source_window: timedelta = timedelta(minutes=15)
    per_order: int = 50
    order_window: timedelta = timedelta(hours=1)

    @property
    def longest_window(self) -> timedelta:
        return max(self.source_window, self.order_window)

    def for_source(self, source: str) -> int:
        return self.per_address if source.startswith(ADDRESS) else self.per_source


ENV = {
    "per_source": "SUPPORTDESK_LOOKUP_LIMIT_PER_SOURCE",
    "per_address": "SUPPORTDESK_LOOKUP_LIMIT_PER_ADDRESS",
    "source_window": "SUPPORTDESK_LOOKUP_SOURCE_WINDOW_MINUTES",
    "per_order": "SUPPORTDESK_LOOKUP_LIMIT_PER_ORDER",
    "order_window": "SUPPORTDESK_LOOKUP_ORDER_WINDOW_MINUTES",
}


def limits_from_env(environ: Mapping[str, str] = os.environ) -> LookupLimits:
    """The limits from SUPPORTDESK_LOOKUP_*; ValueError names a value that is not a whole
    number of at least 1."""
    defaults = LookupLimits()
    values: dict[str, int] = {}
    for field, name in ENV.items():
        raw = environ.get(name, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}.")
        values[field] = int(raw)
    return LookupLimits(
        per_source=values.get("per_source", defaults.per_source),
        per_address=values.get("per_address", defaults.per_address),
        source_window=_minutes(values.get("source_window"), defaults.source_window),
        per_order=values.get("per_order", defaults.per_order),
        order_window=_minutes(values.get("order_window"), defaults.order_window),
    )


def _minutes(value: int | None, default: timedelta) -> timedelta:
    return default if value is None else timedelta(minutes=value)


def source_of(conversation_id: str | None, address: str | None) -> str:
    """Who is asking: the conversation when given (the action server asks for every
    customer from one address), else the caller's address."""
    if conversation_id:
        return f"{CONVERSATION}{conversation_id}"[:MAX_SOURCE]
    return f"{ADDRESS}{address or 'unknown'}"[:MAX_SOURCE]


def check(session: Session, key: str, source: str, now: datetime, limits: LookupLimits) -> None:
    """RateLimited when the source failed too often, or the order did and the source never
    proved it knows the order's e-mail address."""
    refuse_when_exceeded(
        session,
        LookupFailure.at,
        [(LookupFailure.source == source, limits.for_source(source))],
        limits.source_window,
        now,
        LIMIT_MESSAGE,
    )
    if _verified(session, key, source, now):
        return
    refuse_when_exceeded(
        session,
        LookupFailure.at,
        [(LookupFailure.order_number == key, limits.per_order)],
        limits.order_window,
        now,
        LIMIT_MESSAGE,
    )


def _verified(session: Session, key: str, source: str, now: datetime) -> bool:
    found = session.execute(
        select(LookupVerification.id).where(
            LookupVerification.order_number == key,
            LookupVerification.source == source,
            LookupVerification.at > now - VERIFIED_FOR,
        )
    ).first()
    return found is not None


def record_failure(
    db: Database,
    key: str,
    source: str,
    conversation_id: str | None,
    now: datetime,
    limits: LookupLimits,
) -> None:
    with db.write() as session:
        # Failures older than every window no longer count: keep the table small.
        expired = LookupFailure.at <= now - limits.longest_window
        session.execute(delete(LookupFailure).where(expired))
        session.add(
            LookupFailure(order_number=key, conversation_id=conversation_id, source=source, at=now)
        )


def record_verification(db: Database, key: str, source: str, now: datetime) -> None:
    """Remember that this source gave the order's right e-mail address (one row per pair)."""
    with db.write() as session:
        session.execute(
            delete(LookupVerification).where(LookupVerification.at <= now - VERIFIED_FOR)
        )
        updated = session.execute(
            update(LookupVerification)
            .where(LookupVerification.order_number == key, LookupVerification.source == source)
            .values(at=now)
        )
        if updated.rowcount == 0:
            session.add(LookupVerification(order_number=key, source=source, at=now))
