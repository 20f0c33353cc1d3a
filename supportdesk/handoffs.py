"""Handoffs to a human agent: what the bot collected, waiting for someone to take it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from supportdesk.db import Database
from supportdesk.models import Handoff, iso, utcnow


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: str
    reason: str
    transcript: list[dict[str, Any]]
    details: dict[str, Any]


def create_handoff(db: Database, request: HandoffRequest) -> dict[str, Any]:
    with db.write() as session:
        handoff = Handoff(
            conversation_id=request.conversation_id,
            channel=request.channel,
            reason=request.reason,
            transcript=request.transcript,
            details=request.details,
            status="waiting",
            created_at=utcnow(),
        )
        session.add(handoff)
        session.flush()
        return handoff_view(handoff)


def handoff_view(handoff: Handoff) -> dict[str, Any]:
    return {
        "handoff_id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "channel": handoff.channel,
        "reason": handoff.reason,
        "status": handoff.status,
        "created_at": iso(handoff.created_at),
        "transcript": handoff.transcript,
        "details": handoff.details,
    }
