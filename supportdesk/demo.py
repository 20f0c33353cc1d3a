"""Demo data: two customers, two pickup stores and one order per scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

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
from supportdesk.money import to_cents
from supportdesk.policy import RefundPolicy

CUSTOMERS = {
    "maya": ("Maya Chen", "maya.chen@example.com"),
    "jordan": ("Jordan Reyes", "jordan.reyes@example.net"),
}
STORES = {
    "PDX-0412": dict(
        name="Riverside Commons",
        address="1200 NW Riverside Ave, Portland, OR 97209",
        opening_hours="Mon-Sat 9:00-21:00, Sun 10:00-18:00",
        time_zone="America/Los_Angeles",
        pickup_window_days=7,
    ),
    "CHI-0187": dict(
        name="Lakeview Plaza",
        address="3350 N Broadway St, Chicago, IL 60657",
        opening_hours="Mon-Sun 8:00-22:00",
        time_zone="America/Chicago",
        pickup_window_days=10,
    ),
}


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    unit_price: str
    quantity: int
    tax: str


@dataclass(frozen=True)
class Package:
    carrier: str
    tracking_number: str
    lines: dict[int, int]  # line number (1-based) -> units in this package
    shipped_days_ago: float
    received_days_ago: float | None = None  # None: the store has not scanned it in
    expected_in_days: float | None = None


@dataclass(frozen=True)
class Scenario:
    scenario: str
    summary: str
    order_number: str
    customer: str
    store: str
    placed_days_ago: float
    lines: list[Line]
    packages: list[Package]
    picked_up_days_ago: float | None = None
    existing_claim: dict[int, int] = field(default_factory=dict)


SCENARIOS = [
    Scenario(
        "picked_up_item_missing",
        "Picked up in store; one phone case was missing from the package.",
        "STS-4829-1307",
        "maya",
        "PDX-0412",
        placed_days_ago=9,
        lines=[
            Line("AUD-HP-220", "Wireless Over-Ear Headphones", "59.99", 1, "4.80"),
            Line("ACC-PC-118", "Clear Phone Case", "12.50", 2, "2.00"),
            Line("CBL-USBC-3", "USB-C Charging Cable (3-pack)", "14.99", 1, "1.20"),
        ],
        packages=[Package("UPS", "1Z4E82A70362815596", {1: 1, 2: 2, 3: 1}, 7, received_days_ago=3)],
        picked_up_days_ago=2,
    ),
    Scenario(
        "split_shipment_in_transit",
        "Shipped in two packages; the yoga mat's package is still on its way to the store.",
        "STS-5102-7741",
        "jordan",
        "CHI-0187",
        placed_days_ago=6,
        lines=[
            Line("HOM-WB-750", "Stainless Steel Water Bottle", "24.00", 2, "2.46"),
            Line("FIT-YM-006", "Non-Slip Yoga Mat", "34.95", 1, "3.58"),
        ],
        packages=[
            Package("FedEx", "781246930512", {1: 2}, 5, received_days_ago=1),
            Package("USPS", "94001112062138594462", {2: 1}, 2, expected_in_days=2),
        ],
    ),
    Scenario(
        "not_yet_at_store",
        "The only package is in transit and the store has not received it yet.",
        "STS-6230-0958",
        "maya",
        "PDX-0412",
        placed_days_ago=3,
        lines=[
            Line("KIT-FP-10", "Nonstick Frying Pan 10in", "29.99", 1, "0.00"),
            Line("KIT-SP-3", "Silicone Spatula Set", "11.49", 1, "0.00"),
        ],
        packages=[Package("UPS", "1Z7A19F40355104429", {1: 1, 2: 1}, 2, expected_in_days=1)],
    ),
    Scenario(
        "ready_for_pickup",
        "Every package is at the store and waiting to be picked up.",
        "STS-7315-2264",
        "jordan",
        "CHI-0187",
        placed_days_ago=5,
        lines=[Line("TOY-BLK-500", "Building Blocks Set (500 pcs)", "39.99", 1, "4.10")],
        packages=[Package("FedEx", "612999905187", {1: 1}, 4, received_days_ago=1)],
    ),
    Scenario(
        "existing_claim",
        "Picked up with a missing item that the customer already reported.",
        "STS-8406-5519",
        "maya",
        "PDX-0412",
        placed_days_ago=20,
        lines=[
            Line("BTY-LIP-04", "Matte Lipstick, Rosewood", "9.99", 2, "1.60"),
            Line("BTY-BRS-12", "Makeup Brush Set", "18.50", 1, "1.48"),
        ],
        packages=[Package("UPS", "1Z0F31V20344772012", {1: 2, 2: 1}, 17, received_days_ago=13)],
        picked_up_days_ago=12,
        existing_claim={2: 1},
    ),
    Scenario(
        "high_value_review",
        "Picked up without the laptop; a refund this large goes to review.",
        "STS-9157-3380",
        "jordan",
        "CHI-0187",
        placed_days_ago=8,
        lines=[
            Line("CMP-LT-14", "14in Ultrabook Laptop", "899.00", 1, "92.15"),
            Line("CMP-MS-02", "Wireless Mouse", "19.99", 1, "2.05"),
        ],
        packages=[Package("FedEx", "402237865418", {1: 1, 2: 1}, 6, received_days_ago=3)],
        picked_up_days_ago=1,
    ),
    Scenario(
        "similar_items",
        "Picked up yesterday with grey bath and hand towels and a bath mat: 'the towels' or "
        "'the grey one' needs a question back.",
        "STS-2604-8813",
        "maya",
        "PDX-0412",
        placed_days_ago=6,
        lines=[
            Line("BTH-BT-GRY", "Cotton Bath Towel, Grey", "16.00", 2, "2.56"),
            Line("BTH-HT-GRY", "Cotton Hand Towel, Grey", "9.50", 2, "1.52"),
            Line("BTH-MAT-BB", "Bamboo Bath Mat", "22.00", 1, "1.76"),
        ],
        packages=[Package("UPS", "1Z8V3K510326048819", {1: 2, 2: 2, 3: 1}, 5, received_days_ago=2)],
        picked_up_days_ago=1,
    ),
]


def line_id(order_number: str, number: int) -> str:
    return f"{order_number}-L{number}"


def scenarios_json() -> list[dict[str, Any]]:
    """What `demo-data --json` prints: enough for a tester to play each scenario."""
    return [
        {
            "scenario": s.scenario,
            "summary": s.summary,
            "order_number": s.order_number,
            "email": CUSTOMERS[s.customer][1],
            "customer_name": CUSTOMERS[s.customer][0],
            "tracking_numbers": [p.tracking_number for p in s.packages],
            "lines": [
                {
                    "line_id": line_id(s.order_number, n),
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for n, line in enumerate(s.lines, start=1)
            ],
        }
        for s in SCENARIOS
    ]


def seed(db: Database, now: datetime | None = None) -> int:
    """Add whatever demo orders are missing; returns how many were added."""
    now = now or utcnow()
    added = []
    with db.write() as session:
        customers = {key: _customer(session, *value) for key, value in CUSTOMERS.items()}
        stores = {code: _store(session, code, values) for code, values in STORES.items()}
        for scenario in SCENARIOS:
            exists = session.execute(
                select(Order.id).where(Order.order_number == scenario.order_number)
            ).first()
            if not exists:
                session.add(_order(scenario, customers, stores, now))
                added.append(scenario)
    for scenario in added:
        if scenario.existing_claim:
            _file_existing_claim(db, scenario, now)
    return len(added)


def _customer(session, name: str, email: str) -> Customer:
    customer = session.execute(select(Customer).where(Customer.email == email)).scalar_one_or_none()
    if customer is None:
        customer = Customer(name=name, email=email)
        session.add(customer)
    return customer


def _store(session, code: str, values: dict[str, Any]) -> Store:
    store = session.execute(select(Store).where(Store.code == code)).scalar_one_or_none()
    if store is None:
        store = Store(code=code, **values)
        session.add(store)
    return store


def _order(scenario: Scenario, customers, stores, now: datetime) -> Order:
    def ago(days: float | None) -> datetime | None:
        return None if days is None else now - timedelta(days=days)

    lines = [
        OrderLine(
            line_id=line_id(scenario.order_number, n),
            sku=line.sku,
            name=line.name,
            unit_price_cents=to_cents(Decimal(line.unit_price)),
            quantity=line.quantity,
            tax_cents=to_cents(Decimal(line.tax)),
        )
        for n, line in enumerate(scenario.lines, start=1)
    ]
    shipments = [_shipment(scenario, package, lines, now) for package in scenario.packages]
    received = [s.store_received_at for s in shipments]
    return Order(
        order_number=scenario.order_number,
        customer=customers[scenario.customer],
        store=stores[scenario.store],
        placed_at=ago(scenario.placed_days_ago),
        ready_at=max(received) if all(received) else None,
        picked_up_at=ago(scenario.picked_up_days_ago),
        lines=lines,
        shipments=shipments,
    )


def _shipment(scenario: Scenario, package: Package, lines: list[OrderLine], now) -> Shipment:
    store = STORES[scenario.store]
    city = store["address"].split(", ")[1]
    shipped = now - timedelta(days=package.shipped_days_ago)
    events = [
        TrackingEvent(
            at=shipped - timedelta(hours=6),
            status="label_created",
            description="Shipping label created",
            location="Columbus, OH",
        ),
        TrackingEvent(
            at=shipped,
            status="in_transit",
            description="Picked up by carrier",
            location="Columbus, OH",
        ),
        TrackingEvent(
            at=shipped + timedelta(days=1),
            status="in_transit",
            description="Departed sorting facility",
            location="Indianapolis, IN",
        ),
    ]
    received_at = None
    if package.received_days_ago is not None:
        received_at = now - timedelta(days=package.received_days_ago)
        events.append(
            TrackingEvent(
                at=received_at,
                status="delivered_to_store",
                description=f"Delivered to {store['name']} and scanned in by the store",
                location=city,
            )
        )
    expected = now + timedelta(days=package.expected_in_days) if package.expected_in_days else None
    return Shipment(
        carrier=package.carrier,
        tracking_number=package.tracking_number,
        status="delivered_to_store" if received_at else "in_transit",
        expected_at=expected or received_at,
        store_received_at=received_at,
        events=events,
        items=[ShipmentItem(line=lines[n - 1], quantity=q) for n, q in package.lines.items()],
    )


def _file_existing_claim(db: Database, scenario: Scenario, now: datetime) -> None:
    request = ClaimRequest(
        order_number=scenario.order_number,
        email=CUSTOMERS[scenario.customer][1],
        items=[(line_id(scenario.order_number, n), q) for n, q in scenario.existing_claim.items()],
        description="The makeup brush set was not in the bag I picked up at the store.",
        tracking_number=scenario.packages[0].tracking_number,
        channel="web",
        conversation_id="demo-existing-claim",
    )
    create_claim(
        db,
        request,
        f"demo-{scenario.order_number}",
        RefundPolicy(),
        now=now - timedelta(days=11),
    )
