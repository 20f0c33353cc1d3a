"""Loading a catalogue file into the support desk: what is missing is added, nothing changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from supportdesk.catalogue_reader import read_catalogue
from supportdesk.catalogue_records import (
    Catalogue,
    CatalogueError,
    ClaimRecord,
    EventRecord,
    OrderRecord,
    PackageRecord,
    StoreRecord,
)
from supportdesk.claims import ClaimRequest, create_claim
from supportdesk.db import Database
from supportdesk.models import (
    Customer,
    Order,
    OrderLine,
    Shipment,
    ShipmentItem,
    Store,
    TrackingEvent,
    utcnow,
)
from supportdesk.policy import RefundPolicy

__all__ = ["CatalogueError", "LoadReport", "add_catalogue", "load_catalogue", "read_catalogue"]

# Where made-up tracking events happen when a package lists none.
ORIGIN, SORTING_FACILITY = "Columbus, OH", "Indianapolis, IN"


@dataclass(frozen=True)
class LoadReport:
    """How many records of each kind a load added."""

    customers: int = 0
    stores: int = 0
    orders: int = 0
    claims: int = 0


def load_catalogue(db: Database, path: Path | str, now: datetime | None = None) -> LoadReport:
    """Read, check and add the catalogue in `path`; relative times count from `now`."""
    now = now or utcnow()
    return add_catalogue(db, read_catalogue(path, now), now)


def add_catalogue(db: Database, catalogue: Catalogue, now: datetime) -> LoadReport:
    """Add the customers, stores and orders the desk lacks (by e-mail, code, order number).

    They are written in one transaction, checked against the desk first: an order whose line
    ids or tracking numbers the desk already has elsewhere stops the load, nothing written.
    The existing claims of the added orders are then filed through the refund policy.
    """
    with db.write() as session:
        customers, new_customers = _customers(session, catalogue)
        stores, new_stores = _stores(session, catalogue)
        orders = _new_orders(session, catalogue)
        _refuse_clashes(session, catalogue.source, orders)
        for order in orders:
            store = catalogue.store(order.store)
            session.add(_order(order, customers[order.customer], stores[store.code], store, now))
    claims = [(order, n, claim) for order in orders for n, claim in enumerate(order.claims)]
    for order, n, claim in claims:
        _file_claim(db, order, n, claim)
    return LoadReport(new_customers, new_stores, len(orders), len(claims))


def _customers(session: Session, catalogue: Catalogue) -> tuple[dict[str, Customer], int]:
    """Every customer of the catalogue by e-mail, the missing ones added; and how many."""
    query = select(Customer).where(Customer.email.in_([c.email for c in catalogue.customers]))
    customers = {customer.email: customer for customer in session.execute(query).scalars()}
    missing = [c for c in catalogue.customers if c.email not in customers]
    for record in missing:
        customers[record.email] = Customer(name=record.name, email=record.email)
        session.add(customers[record.email])
    return customers, len(missing)


def _stores(session: Session, catalogue: Catalogue) -> tuple[dict[str, Store], int]:
    """Every store of the catalogue by code, the missing ones added; and how many."""
    query = select(Store).where(Store.code.in_([s.code for s in catalogue.stores]))
    stores = {store.code: store for store in session.execute(query).scalars()}
    missing = [s for s in catalogue.stores if s.code not in stores]
    for record in missing:
        stores[record.code] = Store(**vars(record))
        session.add(stores[record.code])
    return stores, len(missing)


def _new_orders(session: Session, catalogue: Catalogue) -> list[OrderRecord]:
    numbers = [o.order_number for o in catalogue.orders]
    query = select(Order.order_number).where(Order.order_number.in_(numbers))
    known = set(session.execute(query).scalars())
    return [o for o in catalogue.orders if o.order_number not in known]


def _refuse_clashes(session: Session, source: str, orders: list[OrderRecord]) -> None:
    """CatalogueError when the desk has a new order's line ids or tracking numbers already."""
    line_ids = {line.line_id: o.order_number for o in orders for line in o.lines}
    numbers = {p.tracking_number: o.order_number for o in orders for p in o.packages}
    taken_lines = session.execute(
        select(OrderLine.line_id).where(OrderLine.line_id.in_(list(line_ids)))
    ).scalars()
    taken_numbers = session.execute(
        select(Shipment.tracking_number).where(Shipment.tracking_number.in_(list(numbers)))
    ).scalars()
    problems = [
        f"order {line_ids[line_id]}, lines: line_id {line_id!r} belongs to another order "
        "in the desk"
        for line_id in taken_lines
    ] + [
        f"order {numbers[number]}, packages: tracking number {number} belongs to another "
        "order in the desk"
        for number in taken_numbers
    ]
    if problems:
        raise CatalogueError(source, problems)


def _order(
    record: OrderRecord, customer: Customer, store: Store, store_record: StoreRecord, now: datetime
) -> Order:
    lines = {
        line.line_id: OrderLine(
            line_id=line.line_id,
            sku=line.sku,
            name=line.name,
            unit_price_cents=line.unit_price_cents,
            quantity=line.quantity,
            tax_cents=line.tax_cents,
        )
        for line in record.lines
    }
    shipments = [_shipment(p, lines, store_record, now) for p in record.packages]
    received = [p.store_received_at for p in record.packages]
    return Order(
        order_number=record.order_number,
        customer=customer,
        store=store,
        currency=record.currency,
        placed_at=record.placed_at,
        ready_at=max(received) if received and all(received) else None,
        picked_up_at=record.picked_up_at,
        lines=list(lines.values()),
        shipments=shipments,
    )


def _shipment(
    package: PackageRecord, lines: dict[str, OrderLine], store: StoreRecord, now: datetime
) -> Shipment:
    received = package.store_received_at
    events = package.events if package.events is not None else made_up_events(package, store, now)
    return Shipment(
        carrier=package.carrier,
        tracking_number=package.tracking_number,
        status="delivered_to_store" if received else "in_transit",
        expected_at=package.expected_at or received,
        store_received_at=received,
        events=[TrackingEvent(**vars(event)) for event in events],
        items=[ShipmentItem(line=lines[i], quantity=q) for i, q in package.units.items()],
    )


def made_up_events(package: PackageRecord, store: StoreRecord, now: datetime) -> list[EventRecord]:
    """Label created, picked up, departed a sorting facility, delivered to the store: the
    usual events of a package, none after it reached the store or after `now`."""
    shipped, received = package.shipped_at, package.store_received_at
    events = [
        EventRecord(
            shipped - timedelta(hours=6), "label_created", "Shipping label created", ORIGIN
        ),
        EventRecord(shipped, "in_transit", "Picked up by carrier", ORIGIN),
        EventRecord(
            shipped + timedelta(days=1), "in_transit", "Departed sorting facility", SORTING_FACILITY
        ),
    ]
    events = [e for e in events if e.at <= (received or now)]
    if received is not None:
        parts = store.address.split(", ")
        city = parts[1] if len(parts) > 2 else parts[0]
        description = f"Delivered to {store.name} and scanned in by the store"
        events.append(EventRecord(received, "delivered_to_store", description, city))
    return events


def _file_claim(db: Database, order: OrderRecord, n: int, claim: ClaimRecord) -> None:
    """File one of an order's existing claims, as a shopper's claim would be filed."""
    request = ClaimRequest(
        order_number=order.order_number,
        email=order.customer,
        items=list(claim.units.items()),
        description=claim.description,
        tracking_number=claim.tracking_number or _package_of(order, next(iter(claim.units))),
        channel=claim.channel,
        conversation_id=f"catalogue-{order.order_number}",
    )
    key = f"catalogue:{order.order_number}:{n + 1}"
    create_claim(db, request, key, RefundPolicy(), now=claim.filed_at)


def _package_of(order: OrderRecord, line_id: str) -> str:
    """The tracking number of the first received package with units of the line."""
    return next(p.tracking_number for p in order.packages if p.received and line_id in p.units)
