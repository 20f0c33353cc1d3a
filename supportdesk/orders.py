"""Order lookup for a verified customer, with limits on failed guesses (lookup_limits)."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from supportdesk import lookup_limits
from supportdesk.db import Database
from supportdesk.errors import NotFound
from supportdesk.identifiers import normalize_email, normalize_order_number
from supportdesk.lookup_limits import LookupLimits, limits_from_env, source_of
from supportdesk.models import (
    Claim,
    ClaimItem,
    Customer,
    Order,
    OrderLine,
    Shipment,
    iso,
    utcnow,
)
from supportdesk.money import format_cents

# Compared with the given e-mail when there is no such order; no order has it.
_NO_SUCH_CUSTOMER = "no such customer"
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
    address: str | None = None,
    limits: LookupLimits | None = None,
) -> dict[str, Any]:
    """The order as the customer may see it, only when the e-mail matches.

    An unknown order and a wrong e-mail do the same work (same queries, same comparison,
    same failure record), so neither the answer nor its timing tells them apart.
    """
    now = now or utcnow()
    limits = limits or limits_from_env()
    key, source = lookup_key(order_number), source_of(conversation_id, address)
    with db.read() as session:
        lookup_limits.check(session, key, source, now, limits)
        order_id = matching_order_id(session, key, email)
        view = order_view(session, load_order(session, order_id), now) if order_id else None
    if view is None:
        lookup_limits.record_failure(db, key, source, conversation_id, now, limits)
        raise NotFound(NOT_FOUND_MESSAGE)
    lookup_limits.record_verification(db, key, source, now)
    return view


def lookup_key(order_number: str) -> str:
    """What failed attempts are counted under: the canonical number, or what was typed."""
    return normalize_order_number(order_number) or order_number.strip().upper()[:40]


def matching_order_id(session: Session, key: str, email: str) -> int | None:
    """The id of the order numbered `key` whose customer has that e-mail, or None.

    One query either way; a missing order is compared with a stand-in address, in constant
    time, so that it costs what a wrong e-mail costs.
    """
    row = session.execute(
        select(Order.id, Customer.email)
        .join(Customer, Customer.id == Order.customer_id)
        .where(Order.order_number == key)
    ).one_or_none()
    order_id, expected = (row.id, row.email) if row is not None else (None, _NO_SUCH_CUSTOMER)
    given = normalize_email(email)
    same = hmac.compare_digest(_bytes(given), _bytes(expected))
    return order_id if same and order_id is not None else None


def _bytes(text: str) -> bytes:
    # surrogatepass: a lone surrogate typed by a client must not turn a mismatch into a 500.
    return text.encode("utf-8", "surrogatepass")


def load_order(session: Session, order_id: int) -> Order:
    """The order with everything its view shows."""
    return session.execute(
        select(Order)
        .where(Order.id == order_id)
        .options(
            joinedload(Order.store),  # one row each: in the order's query, not two more
            joinedload(Order.customer),
            selectinload(Order.lines),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.shipments).selectinload(Shipment.items),
        )
    ).scalar_one()


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
