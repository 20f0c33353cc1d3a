"""Order lookup for a verified customer, with a limit on failed guesses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from supportdesk.db import Database
from supportdesk.errors import NotFound
from supportdesk.identifiers import normalize_email, normalize_order_number
from supportdesk.models import (
    Claim,
    ClaimItem,
    LookupFailure,
    Order,
    OrderLine,
    Shipment,
    iso,
    utcnow,
)
from supportdesk.money import format_cents
from supportdesk.rate_limits import refuse_when_exceeded

MAX_FAILED_LOOKUPS = 5
FAILED_LOOKUP_WINDOW = timedelta(minutes=15)
# One body for an unknown order and for a wrong e-mail, so neither can be told apart.
NOT_FOUND_MESSAGE = "No order matches that order number and e-mail address."

TRACKING_URLS = {
    "UPS": "https://www.ups.com/track?tracknum={}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
}


def tracking_url(carrier: str, tracking_number: str) -> str | None:
    """The carrier's public tracking page, when the carrier is one we know."""
    template = TRACKING_URLS.get(carrier)
    return template.format(tracking_number) if template else None


def lookup_order(
    db: Database,
    order_number: str,
    email: str,
    conversation_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The order as the customer may see it, only when the e-mail matches."""
    now = now or utcnow()
    key = lookup_key(order_number)
    with db.read() as session:
        check_rate_limit(session, key, conversation_id, now)
        order = find_order(session, key, email)
        if order is not None:
            return order_view(session, order, now)
    record_failure(db, key, conversation_id, now)
    raise NotFound(NOT_FOUND_MESSAGE)


def lookup_key(order_number: str) -> str:
    """What failed attempts are counted under: the canonical number, or what was typed."""
    return normalize_order_number(order_number) or order_number.strip().upper()[:40]


def record_failure(db: Database, key: str, conversation_id: str | None, now: datetime) -> None:
    with db.write() as session:
        # Failures older than the window no longer count: keep the table small.
        session.execute(delete(LookupFailure).where(LookupFailure.at <= now - FAILED_LOOKUP_WINDOW))
        session.add(LookupFailure(order_number=key, conversation_id=conversation_id, at=now))


def find_order(session: Session, order_number: str, email: str) -> Order | None:
    """The order with that number whose customer has that e-mail, or None."""
    order = session.execute(
        select(Order)
        .where(Order.order_number == order_number)
        .options(
            selectinload(Order.lines),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.shipments).selectinload(Shipment.items),
        )
    ).scalar_one_or_none()
    if order is None or order.customer.email != normalize_email(email):
        return None
    return order


def check_rate_limit(
    session: Session, order_number: str, conversation_id: str | None, now: datetime
) -> None:
    conditions = [LookupFailure.order_number == order_number]
    if conversation_id:
        conditions.append(LookupFailure.conversation_id == conversation_id)
    refuse_when_exceeded(
        session,
        LookupFailure.at,
        [(condition, MAX_FAILED_LOOKUPS) for condition in conditions],
        FAILED_LOOKUP_WINDOW,
        now,
        "Too many failed lookups. Please try again later.",
    )


def claimed_quantities(session: Session, order: Order) -> dict[int, int]:
    """Units of each order line (by row id) already in a claim."""
    rows = session.execute(
        select(ClaimItem.line_id, func.sum(ClaimItem.quantity))
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(Claim.order_id == order.id)
        .group_by(ClaimItem.line_id)
    ).all()
    return {line_id: int(total) for line_id, total in rows}


def order_status(order: Order) -> str:
    if order.picked_up_at:
        return "picked_up"
    if order.shipments and all(s.store_received_at for s in order.shipments):
        return "ready_for_pickup"
    if any(s.store_received_at for s in order.shipments):
        return "partially_received"
    return "in_transit"


def order_view(session: Session, order: Order, now: datetime) -> dict[str, Any]:
    claimed = claimed_quantities(session, order)
    store = order.store
    pickup_by = (
        order.ready_at + timedelta(days=store.pickup_window_days) if order.ready_at else None
    )
    claims = session.execute(
        select(Claim.claim_number, Claim.status)
        .where(Claim.order_id == order.id)
        .order_by(Claim.id)
    ).all()
    return {
        "order_number": order.order_number,
        "customer_name": order.customer.name,
        "status": order_status(order),
        "currency": order.currency,
        "placed_at": iso(order.placed_at),
        "pickup_store": {
            "code": store.code,
            "name": store.name,
            "address": store.address,
            "opening_hours": store.opening_hours,
            "time_zone": store.time_zone,
            "pickup_window_days": store.pickup_window_days,
        },
        "pickup": {
            "ready_at": iso(order.ready_at),
            "pickup_by": iso(pickup_by),
            "picked_up_at": iso(order.picked_up_at),
        },
        "lines": [line_view(line, claimed.get(line.id, 0)) for line in order.lines],
        "shipments": [shipment_view(s) for s in order.shipments],
        "claims": [{"claim_number": number, "status": status} for number, status in claims],
    }


def line_view(line: OrderLine, claimed: int) -> dict[str, Any]:
    return {
        "line_id": line.line_id,
        "sku": line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price": format_cents(line.unit_price_cents),
        "tax": format_cents(line.tax_cents),
        "claimed_quantity": claimed,
    }


def shipment_view(shipment: Shipment) -> dict[str, Any]:
    return {
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number),
        "status": shipment.status,
        "expected_at": iso(shipment.expected_at),
        "received_by_store": shipment.store_received_at is not None,
        "store_received_at": iso(shipment.store_received_at),
        "items": [
            {"line_id": item.line.line_id, "quantity": item.quantity} for item in shipment.items
        ],
        "events": [
            {
                "at": iso(event.at),
                "status": event.status,
                "description": event.description,
                "location": event.location,
            }
            for event in reversed(shipment.events)
        ],
    }
