"""Handoffs to a human agent: what the bot collected, waiting for someone to take it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from supportdesk.business_hours import BusinessHours, hours_from_env, is_open, next_opening
from supportdesk.db import Database
from supportdesk.errors import Conflict, Forbidden, Invalid, NotFound
from supportdesk.models import (
    OPEN_HANDOFF_STATUSES,
    AgentSession,
    Handoff,
    HandoffMessage,
    iso,
    utcnow,
)


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    channel: str
    reason: str
    transcript: list[dict[str, Any]]
    details: dict[str, Any]


# A new handoff races another for the same conversation at most this often before it sees it.
CREATE_ATTEMPTS = 3


def create_handoff(
    db: Database, request: HandoffRequest, hours: BusinessHours | None = None
) -> dict[str, Any]:
    """Queue the conversation for an agent, and say when someone can answer.

    A conversation has at most one open handoff (waiting or active). When it has one, no
    other is opened: the new details are merged into it, the new reason is added to its
    messages as the assistant's note, and it is answered with `existing: true`.
    """
    now, hours = utcnow(), hours or hours_from_env()
    for _ in range(CREATE_ATTEMPTS - 1):
        try:
            return _open_or_join(db, request, hours, now)
        except IntegrityError:
            # Another request opened one for this conversation after we looked (the partial
            # unique index refused ours): the next attempt finds it and joins it.
            continue
    return _open_or_join(db, request, hours, now)


def _open_or_join(
    db: Database, request: HandoffRequest, hours: BusinessHours, now: datetime
) -> dict[str, Any]:
    with db.write() as session:
        handoff = _open_handoff(session, request.conversation_id)
        existing = handoff is not None
        if handoff is None:
            handoff, note = _new_handoff(session, request, now), None
        else:
            note = _hand_over_again(session, handoff, request, now)
        view = handoff_view(handoff)
        view["existing"], view["note"] = existing, note
        view["availability"] = availability(session, hours, now)
        return view


def _open_handoff(session: Session, conversation_id: str) -> Handoff | None:
    """The conversation's open handoff, locked (PostgreSQL) so that merges do not interleave.

    The oldest, should a database from before the unique index hold several.
    """
    return (
        session.execute(
            select(Handoff)
            .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN_STATUSES))
            .order_by(Handoff.created_at, Handoff.id)
            .limit(1)
            .with_for_update()
        )
        .scalars()
        .first()
    )


def _new_handoff(session: Session, request: HandoffRequest, now: datetime) -> Handoff:
    handoff = Handoff(
        conversation_id=request.conversation_id,
        channel=request.channel,
        reason=request.reason,
        transcript=request.transcript,
        details=request.details,
        status=WAITING,
        created_at=now,
    )
    session.add(handoff)
    session.flush()
    return handoff


def _hand_over_again(
    session: Session, handoff: Handoff, request: HandoffRequest, now: datetime
) -> str:
    """Merge the details and note the new reason on the open handoff; returns the note.

    New keys are added and a new value replaces a stored one; empty values (null, "", [],
    {}) change nothing, so a request that knows less does not erase what was collected.
    """
    stored = dict(handoff.details or {})
    changed = {
        key: value
        for key, value in request.details.items()
        if not _empty(value) and stored.get(key) != value
    }
    handoff.details = {**stored, **changed}  # a new dict: JSON columns track assignment only
    reason = request.reason.strip()
    note = f"Handed over again: {reason}{'' if reason.endswith(('.', '!', '?')) else '.'}"
    if changed:
        listed = "; ".join(f"{key.replace('_', ' ')}: {_plain(v)}" for key, v in changed.items())
        note += f" New details: {listed}."
    note = note[:MAX_MESSAGE]
    session.add(HandoffMessage(handoff_id=handoff.id, sender=ASSISTANT, text=note, at=now))
    session.flush()
    session.expire(handoff, ["messages"])
    return note


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def availability(session: Session, hours: BusinessHours, now: datetime) -> dict[str, Any]:
    """Whether a person can answer now: within business hours and with an agent signed in."""
    signed_in = session.execute(
        select(func.count(func.distinct(AgentSession.agent_id))).where(
            AgentSession.expires_at > now
        )
    ).scalar_one()
    open_now = is_open(hours, now)
    return {
        "agents_available": bool(open_now and signed_in),
        "within_business_hours": open_now,
        "agents_signed_in": signed_in,
        "business_hours": hours.describe(),
        "next_opening": iso(next_opening(hours, now)),
    }


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


# --- the agent inbox: a handoff is waiting → active (held by one agent) → waiting (released),
# --- closed, or returned_to_bot. An agent acts only on one that is waiting or that they hold.

WAITING, ACTIVE, CLOSED, RETURNED = "waiting", "active", "closed", "returned_to_bot"
OPEN_STATUSES = OPEN_HANDOFF_STATUSES  # (WAITING, ACTIVE); the unique index names them too
ASSISTANT = "assistant"  # the sender of the assistant's notes in a handoff's messages
MAX_MESSAGE = 4000


def list_queue(db: Database, now: datetime | None = None) -> list[dict[str, Any]]:
    """Waiting and active handoffs, oldest first, as the inbox queue shows them."""
    now = now or utcnow()
    with db.read() as session:
        rows = (
            session.execute(
                select(Handoff)
                .where(Handoff.status.in_(OPEN_STATUSES))
                .order_by(Handoff.created_at, Handoff.id)
                .options(joinedload(Handoff.agent))
            )
            .scalars()
            .all()
        )
        return [_queue_entry(row, now) for row in rows]


def get_handoff(db: Database, handoff_id: int) -> dict[str, Any]:
    """One handoff with its transcript, details, holder and the messages after the bot."""
    with db.read() as session:
        return _inbox_view(_handoff(session, handoff_id))


def take(db: Database, handoff_id: int, agent_id: int) -> dict[str, Any]:
    """The agent takes the conversation: it becomes active and theirs."""
    with db.write() as session:
        handoff = _actionable(session, handoff_id, agent_id)
        handoff.status, handoff.agent_id = ACTIVE, agent_id
        session.flush()
        return _inbox_view(handoff)


def release(db: Database, handoff_id: int, agent_id: int) -> dict[str, Any]:
    """The agent gives the conversation back to the queue."""
    with db.write() as session:
        handoff = _actionable(session, handoff_id, agent_id)
        if handoff.status != ACTIVE:
            raise Conflict("Only a handoff that you hold can be released.")
        handoff.status, handoff.agent_id = WAITING, None
        session.flush()
        return _inbox_view(handoff)


def close(db: Database, handoff_id: int, agent_id: int) -> dict[str, Any]:
    """The agent closes the case; the bot is not resumed."""
    return _finish(db, handoff_id, agent_id, CLOSED)


def hand_back(db: Database, handoff_id: int, agent_id: int) -> dict[str, Any]:
    """The agent hands the conversation back to the assistant."""
    return _finish(db, handoff_id, agent_id, RETURNED)


def add_agent_reply(db: Database, handoff_id: int, agent_id: int, text: str) -> dict[str, Any]:
    """Store the agent's reply; replying to a waiting handoff takes it."""
    message = _message_text(text)
    with db.write() as session:
        handoff = _actionable(session, handoff_id, agent_id)
        handoff.status, handoff.agent_id = ACTIVE, agent_id
        session.add(
            HandoffMessage(
                handoff_id=handoff.id, sender="agent", text=message, at=utcnow(), agent_id=agent_id
            )
        )
        session.flush()
        session.expire(handoff, ["messages"])
        return _inbox_view(handoff)


def add_customer_message(db: Database, handoff_id: int, text: str) -> dict[str, Any]:
    """Store what the customer wrote while the conversation is with a person."""
    message = _message_text(text)
    with db.write() as session:
        handoff = _handoff(session, handoff_id)
        if handoff.status not in OPEN_STATUSES:
            raise Conflict(f"This handoff is {handoff.status}.")
        session.add(HandoffMessage(handoff_id=handoff.id, sender="customer", text=message))
        session.flush()
        session.expire(handoff, ["messages"])
        return _inbox_view(handoff)


def check_actionable(db: Database, handoff_id: int, agent_id: int) -> None:
    """Raise as the agent's action would: not open (409) or held by someone else (403)."""
    with db.read() as session:
        _actionable(session, handoff_id, agent_id)


def store_customer_messages(
    db: Database, handoff_id: int, written: list[tuple[datetime, str]]
) -> dict[str, Any]:
    """Keep the customer's messages since the handoff that the inbox does not have yet."""
    with db.write() as session:
        # Every desk process polls the same conversation: the lock (PostgreSQL; SQLite's
        # writes are serial already) keeps two of them from storing one message twice.
        handoff = _handoff(session, handoff_id, lock=True)
        known = [m.at for m in handoff.messages if m.sender == "customer"]
        since = max([handoff.created_at, *known])
        for at, text in written:
            if at > since and text.strip():
                session.add(
                    HandoffMessage(
                        handoff_id=handoff.id, sender="customer", text=text[:MAX_MESSAGE], at=at
                    )
                )
        session.flush()
        session.expire(handoff, ["messages"])
        return _inbox_view(handoff)


def _finish(db: Database, handoff_id: int, agent_id: int, status: str) -> dict[str, Any]:
    with db.write() as session:
        handoff = _actionable(session, handoff_id, agent_id)
        handoff.status, handoff.agent_id = status, agent_id
        session.flush()
        return _inbox_view(handoff)


def _message_text(text: str) -> str:
    message = (text or "").strip()
    if not message:
        raise Invalid("Write a message first.", field="text")
    if len(message) > MAX_MESSAGE:
        raise Invalid(f"A message is at most {MAX_MESSAGE} characters.", field="text")
    return message


def _handoff(session: Session, handoff_id: int, lock: bool = False) -> Handoff:
    handoff = session.get(Handoff, handoff_id, with_for_update=lock)
    if handoff is None:
        raise NotFound(f"No handoff {handoff_id}.")
    return handoff


def _actionable(session: Session, handoff_id: int, agent_id: int) -> Handoff:
    """The handoff, when it is open and waiting or held by this agent."""
    handoff = _handoff(session, handoff_id)
    if handoff.status not in OPEN_STATUSES:
        raise Conflict(f"This handoff is already {handoff.status.replace('_', ' ')}.")
    if handoff.status == ACTIVE and handoff.agent_id != agent_id:
        raise Forbidden("This handoff is held by another agent.")
    return handoff


def _customer(details: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": details.get("email"),
        "order_number": details.get("verified_order") or details.get("order_number"),
        "claim_number": details.get("claim_number"),
    }


def _holder(handoff: Handoff) -> dict[str, Any] | None:
    if handoff.agent is None or handoff.status != ACTIVE:
        return None
    return {"username": handoff.agent.username, "display_name": handoff.agent.display_name}


def _queue_entry(handoff: Handoff, now: datetime) -> dict[str, Any]:
    waited = max(0, int((now - handoff.created_at).total_seconds() // 60))
    return {
        "handoff_id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "reason": handoff.reason,
        "channel": handoff.channel,
        "status": handoff.status,
        "created_at": iso(handoff.created_at),
        "minutes_waiting": waited,
        "held_by": _holder(handoff),
        **_customer(handoff.details or {}),
    }


def _inbox_view(handoff: Handoff) -> dict[str, Any]:
    return {
        **handoff_view(handoff),
        **_customer(handoff.details or {}),
        "held_by": _holder(handoff),
        "messages": [
            {
                "sender": m.sender,
                "text": m.text,
                "at": iso(m.at),
                "agent": m.agent.display_name if m.agent else None,
            }
            for m in handoff.messages
        ],
    }
