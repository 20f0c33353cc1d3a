"""Limits on repeated failures, counted in the database so that they hold across processes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supportdesk.errors import RateLimited


def refuse_when_exceeded(
    session: Session,
    at: Any,
    limits: Iterable[tuple[Any, int]],
    window: timedelta,
    now: datetime,
    message: str,
) -> None:
    """RateLimited when a condition matches `limit` or more failures (timed by column `at`)
    within `window`; the answer says when the oldest of them stops counting."""
    for condition, limit in limits:
        count, oldest = session.execute(
            select(func.count(), func.min(at)).where(condition, at > now - window)
        ).one()
        if count >= limit:
            wait = int((oldest + window - now).total_seconds()) + 1
            raise RateLimited(message, retry_after=max(wait, 1))
