"""Claims for missing units: creation under the refund policy, status and history."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from supportdesk import lookup_limits
from supportdesk.db import Database
from supportdesk.errors import Conflict, Invalid, NotFound
from supportdesk.identifiers import (
    claim_number_for,
    normalize_claim_number,
    normalize_email,
    normalize_order_number,
    normalize_tracking_number,
)
from supportdesk.models import (
    Claim,
    ClaimEvent,
    ClaimItem,
    Evidence,
    Order,
    OrderLine,
    iso,
    utcnow,
)
from supportdesk.money import format_cents, share_cents, to_decimal
from supportdesk.orders import (
    NOT_FOUND_MESSAGE,
    claimed_quantities,
    lookup_key,
    matching_order_id,
)
from supportdesk.policy import RefundPolicy, decide

MAX_DESCRIPTION = 2000
SUBMITTED, APPROVED, IN_REVIEW, REJECTED, NEEDS_INFO = (
    "submitted",
    "approved",
    "in_review",
    "rejected",
    "needs_info",
)
# Which status may follow which; approved and rejected are final.
TRANSITIONS = {
    SUBMITTED: {APPROVED, IN_REVIEW, REJECTED, NEEDS_INFO},
    IN_REVIEW: {APPROVED, REJECTED, NEEDS_INFO},
    NEEDS_INFO: {IN_REVIEW, APPROVED, REJECTED},
}


@dataclass(frozen=True)
class ClaimRequest:
    order_number: str
    email: str
    items: list[tuple[str, int]]  # (line_id, quantity)
    description: str
    tracking_number: str | None = None
    channel: str | None = None
    conversation_id: str | None = None
    address: str | None = None  # the caller's, for the guessing limits; not part of the claim

    @property
    def source(self) -> str:
        """Who asks, as the guessing limits count it."""
        return lookup_limits.source_of(self.conversation_id, self.address)

    def fingerprint(self) -> str:
        """A digest of what was asked, to tell a replay from a reused key."""
        canonical = json.dumps(
            {
                "order_number": normalize_order_number(self.order_number) or self.order_number,
                "email": normalize_email(self.email),
                "items": sorted(self.items),
                "description": self.description.strip(),
                "tracking_number": self.tracking_number
                and normalize_tracking_number(self.tracking_number),
            },
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class _PricedItem:
    line: OrderLine
    quantity: int
    refund_cents: int = field(default=0)


def create_claim(
    db: Database,
    request: ClaimRequest,
    idempotency_key: str,
    policy: RefundPolicy,
    now: datetime | None = None,
) -> tuple[dict[str, Any], bool]:
    """File a claim; returns its view and whether it is new (False on a replayed key)."""
    now = now or utcnow()
    guard_against_guessing(db, request, now)
    try:
        with db.write() as session:
            return _create_claim(session, request, idempotency_key, policy, now)
    except NotFound:
        record_failure(db, request, now)
        raise
    except IntegrityError:
        # Another process inserted the same key first: answer with its claim.
        with db.read() as session:
            existing = _claim_by_key(session, idempotency_key)
            if existing is None:
                raise
            _check_replay(existing, request)
            return claim_view(existing), False


def _create_claim(
    session: Session,
    request: ClaimRequest,
    idempotency_key: str,
    policy: RefundPolicy,
    now: datetime,
) -> tuple[dict[str, Any], bool]:
    order = _customer_order(session, request)
    existing = _claim_by_key(session, idempotency_key)
    if existing is not None:
        _check_replay(existing, request)
        return claim_view(existing), False
    if order is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    description = _valid_description(request.description)
    tracking = _valid_tracking(order, request.tracking_number)
    items = _priced_items(session, order, request.items)
    refund_cents = sum(item.refund_cents for item in items)
    decision = decide(to_decimal(refund_cents), _recent_claims(session, order, policy, now), policy)

    claim = Claim(
        order_id=order.id,
        customer_id=order.customer_id,
        idempotency_key=idempotency_key,
        request_fingerprint=request.fingerprint(),
        tracking_number=tracking,
        description=description,
        channel=request.channel,
        conversation_id=request.conversation_id,
        refund_cents=refund_cents,
        status=decision.status,
        decision=decision.status,
        decision_reason=decision.reason,
        created_at=now,
    )
    claim.items = [
        ClaimItem(line_id=i.line.id, quantity=i.quantity, refund_cents=i.refund_cents)
        for i in items
    ]
    claim.history = [
        ClaimEvent(at=now, status=SUBMITTED, actor=f"customer via {request.channel or 'api'}"),
        ClaimEvent(at=now, status=decision.status, actor="refund policy", note=decision.reason),
    ]
    session.add(claim)
    session.flush()
    claim.claim_number = claim_number_for(claim.id)
    session.flush()
    return claim_view(claim), True


def quote_claim(db: Database, request: ClaimRequest) -> dict[str, Any]:
    """What a claim would refund, without filing it: the summary shown before confirming."""
    now = utcnow()
    guard_against_guessing(db, request, now)
    try:
        with db.read() as session:
            order = _customer_order(session, request, lock=False)
            if order is None:
                raise NotFound(NOT_FOUND_MESSAGE)
            items = _priced_items(session, order, request.items)
            return {
                "order_number": order.order_number,
                "refund_amount": format_cents(sum(i.refund_cents for i in items)),
                "currency": order.currency,
                "items": [
                    {
                        "line_id": i.line.line_id,
                        "name": i.line.name,
                        "quantity": i.quantity,
                        "refund_amount": format_cents(i.refund_cents),
                    }
                    for i in items
                ],
            }
    except NotFound:
        record_failure(db, request, now)
        raise


def guard_against_guessing(db: Database, request: ClaimRequest, now: datetime) -> None:
    """Claims and quotes name an order and an e-mail too: the look-up limits apply."""
    limits = lookup_limits.limits_from_env()
    with db.read() as session:
        lookup_limits.check(session, lookup_key(request.order_number), request.source, now, limits)


def record_failure(db: Database, request: ClaimRequest, now: datetime) -> None:
    key, limits = lookup_key(request.order_number), lookup_limits.limits_from_env()
    lookup_limits.record_failure(db, key, request.source, request.conversation_id, now, limits)


def _customer_order(session: Session, request: ClaimRequest, lock: bool = True) -> Order | None:
    """The customer's order; locked so that two claims on it are decided one after the other.

    An unknown order costs what a wrong e-mail costs (see matching_order_id).
    """
    order_id = matching_order_id(session, lookup_key(request.order_number), request.email)
    if order_id is None:
        return None
    query = select(Order).where(Order.id == order_id)
    return session.execute(query.with_for_update() if lock else query).scalar_one()


def _claim_by_key(session: Session, key: str) -> Claim | None:
    return session.execute(
        select(Claim).where(Claim.idempotency_key == key).options(*_claim_loads())
    ).scalar_one_or_none()


def _check_replay(existing: Claim, request: ClaimRequest) -> None:
    if existing.request_fingerprint != request.fingerprint():
        raise Invalid(
            "This Idempotency-Key was already used for a different claim request.",
            field="Idempotency-Key",
        )


def _valid_description(text: str) -> str:
    description = text.strip()
    if not description:
        raise Invalid("Please describe what is missing.", field="description")
    if len(description) > MAX_DESCRIPTION:
        raise Invalid(
            f"The description is longer than {MAX_DESCRIPTION} characters.", field="description"
        )
    return description


def _valid_tracking(order: Order, tracking_number: str | None) -> str | None:
    if not tracking_number:
        return None
    wanted = normalize_tracking_number(tracking_number)
    if wanted not in {s.tracking_number for s in order.shipments}:
        raise Invalid(
            "That tracking number does not belong to this order.", field="tracking_number"
        )
    return wanted


def _priced_items(
    session: Session, order: Order, requested: list[tuple[str, int]]
) -> list[_PricedItem]:
    """Check each requested line and quantity, and price the refund for it."""
    if not requested:
        raise Invalid("Name at least one missing item.", field="items")
    lines = {line.line_id: line for line in order.lines}
    seen: set[str] = set()
    claimed = claimed_quantities(session, order)
    priced = []
    for line_id, quantity in requested:
        line = lines.get(line_id)
        if line is None:
            raise Invalid(f"Line {line_id!r} is not part of this order.", field="items")
        if line_id in seen:
            raise Invalid(f"Line {line_id!r} is listed twice.", field="items")
        seen.add(line_id)
        if not 1 <= quantity <= line.quantity:
            raise Invalid(
                f"The quantity for {line.name!r} must be between 1 and {line.quantity}.",
                field="items",
            )
        already = claimed.get(line.id, 0)
        if already + quantity > line.quantity:
            raise Conflict(
                f"{already} of {line.quantity} × {line.name!r} are already in a claim.",
                line_id=line_id,
                claims=_claims_for_line(session, line),
            )
        _check_received(order, line, already + quantity)
        priced.append(_PricedItem(line, quantity, _refund_cents(line, already, quantity)))
    return priced


def _check_received(order: Order, line: OrderLine, claimed: int) -> None:
    """Only units in packages the store has received can be missing from the order.

    A unit still in a package on its way (a split shipment, or an order the store has not
    received anything of yet) is not missing: it is refused with when it is expected.
    """
    received = sum(
        item.quantity
        for shipment in order.shipments
        if shipment.store_received_at is not None
        for item in shipment.items
        if item.line_id == line.id
    )
    if claimed <= received:
        return
    expected = [
        shipment.expected_at
        for shipment in order.shipments
        if shipment.store_received_at is None
        and shipment.expected_at is not None
        and any(item.line_id == line.id for item in shipment.items)
    ]
    expected_at = min(expected) if expected else None
    when = f" (expected {expected_at.date().isoformat()})" if expected_at else ""
    waiting = line.quantity - received
    raise Invalid(
        f"The store has not received {waiting} of {line.quantity} × {line.name!r} yet: "
        f"{'it is' if waiting == 1 else 'they are'} in a package that is still on its way"
        f"{when}. Only units the store received can be claimed.",
        field="items",
        line_id=line.line_id,
        reason="not_received_by_store",
        received_quantity=received,
        expected_at=iso(expected_at),
    )


def _refund_cents(line: OrderLine, already: int, quantity: int) -> int:
    """Price plus its share of the line's tax, rounded so that all units add up to the line."""
    tax = share_cents(line.tax_cents, already + quantity, line.quantity) - share_cents(
        line.tax_cents, already, line.quantity
    )
    return line.unit_price_cents * quantity + tax


def _claims_for_line(session: Session, line: OrderLine) -> list[dict[str, str]]:
    rows = session.execute(
        select(Claim.claim_number, Claim.status)
        .join(ClaimItem, ClaimItem.claim_id == Claim.id)
        .where(ClaimItem.line_id == line.id)
        .order_by(Claim.id)
    ).all()
    return [{"claim_number": number, "status": status} for number, status in rows]


def _recent_claims(session: Session, order: Order, policy: RefundPolicy, now: datetime) -> int:
    since = now - timedelta(days=policy.recent_window_days)
    return session.execute(
        select(func.count())
        .select_from(Claim)
        .where(Claim.customer_id == order.customer_id, Claim.created_at > since)
    ).scalar_one()


def get_claim(db: Database, claim_number: str) -> dict[str, Any]:
    number = normalize_claim_number(claim_number)
    with db.read() as session:
        claim = _claim_by_number(session, number) if number else None
        if claim is None:
            raise NotFound(f"No claim {claim_number!r}.")
        return claim_view(claim)


def list_claims(db: Database, order_number: str) -> list[dict[str, Any]]:
    number = normalize_order_number(order_number)
    if number is None:
        raise Invalid("Order numbers look like STS-1234-5678.", field="order_number")
    with db.read() as session:
        claims = (
            session.execute(
                select(Claim)
                .join(Order, Order.id == Claim.order_id)
                .where(Order.order_number == number)
                .order_by(Claim.id)
                .options(*_claim_loads())
            )
            .scalars()
            .all()
        )
        return [claim_view(c) for c in claims]


def list_open_claims(db: Database) -> list[dict[str, Any]]:
    """Claims an agent can still decide (submitted, in review, needs info), oldest first."""
    with db.read() as session:
        rows = (
            session.execute(
                select(Claim)
                .where(Claim.status.in_((SUBMITTED, IN_REVIEW, NEEDS_INFO)))
                .order_by(Claim.created_at, Claim.id)
                .options(*_claim_loads())
            )
            .scalars()
            .all()
        )
        return [claim_view(c) for c in rows]


def change_status(
    db: Database, claim_number: str, status: str, actor: str, note: str = ""
) -> dict[str, Any]:
    """Move a claim to a new status, recording who did it and why."""
    number = normalize_claim_number(claim_number)
    with db.write() as session:
        claim = _claim_by_number(session, number) if number else None
        if claim is None:
            raise NotFound(f"No claim {claim_number!r}.")
        if status not in TRANSITIONS.get(claim.status, set()):
            raise Conflict(f"A claim that is {claim.status} cannot become {status}.")
        claim.status = status
        claim.history.append(ClaimEvent(at=utcnow(), status=status, actor=actor, note=note))
        session.flush()
        return claim_view(claim)


def _claim_by_number(session: Session, number: str) -> Claim | None:
    return session.execute(
        select(Claim).where(Claim.claim_number == number).options(*_claim_loads())
    ).scalar_one_or_none()


def _claim_loads() -> list:
    return [
        selectinload(Claim.items).selectinload(ClaimItem.line),
        selectinload(Claim.history),
        selectinload(Claim.evidence),
        selectinload(Claim.order),
    ]


def claim_view(claim: Claim) -> dict[str, Any]:
    return {
        "claim_number": claim.claim_number,
        "order_number": claim.order.order_number,
        "status": claim.status,
        "refund_amount": format_cents(claim.refund_cents),
        "currency": claim.order.currency,
        "decision": claim.decision,
        "decision_reason": claim.decision_reason,
        "tracking_number": claim.tracking_number,
        "description": claim.description,
        "channel": claim.channel,
        "conversation_id": claim.conversation_id,
        "created_at": iso(claim.created_at),
        "items": [
            {
                "line_id": item.line.line_id,
                "name": item.line.name,
                "quantity": item.quantity,
                "refund_amount": format_cents(item.refund_cents),
            }
            for item in claim.items
        ],
        "history": [
            {"at": iso(e.at), "status": e.status, "actor": e.actor, "note": e.note}
            for e in claim.history
        ],
        "evidence_count": len(claim.evidence),
        "evidence": [evidence_view(row) for row in claim.evidence],
        "next_steps": next_steps(claim),
    }


def evidence_view(row: Evidence) -> dict[str, Any]:
    return {
        "evidence_id": row.id,
        "content_type": row.content_type,
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
        "created_at": iso(row.created_at),
    }


def next_steps(claim: Claim) -> str:
    """What the customer can expect or still has to do, in plain words."""
    if claim.status == APPROVED:
        return "The refund has been approved and goes back to the original payment method."
    if claim.status == REJECTED:
        return "The claim was rejected; the history says why. You can ask for a human agent."
    if claim.status == NEEDS_INFO:
        return "Support needs more information: please reply or add photos to the claim."
    if not claim.evidence:
        return (
            "A support agent will review the claim. Photos of the package contents "
            "and the packing slip help."
        )
    return "A support agent will review the claim and the photos you sent."
