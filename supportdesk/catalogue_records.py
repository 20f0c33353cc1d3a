"""A catalogue's records, typed, as read from its file (catalogue.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class CatalogueError(ValueError):
    """A catalogue that cannot be loaded; `problems` name the record and the field of each."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s), nothing loaded:\n{listed}")


@dataclass(frozen=True)
class CustomerRecord:
    name: str
    email: str


@dataclass(frozen=True)
class StoreRecord:
    code: str
    name: str
    address: str
    opening_hours: str
    time_zone: str
    pickup_window_days: int


@dataclass(frozen=True)
class LineRecord:
    line_id: str
    sku: str
    name: str
    unit_price_cents: int
    tax_cents: int
    quantity: int


@dataclass(frozen=True)
class EventRecord:
    at: datetime
    status: str
    description: str
    location: str


@dataclass(frozen=True)
class PackageRecord:
    carrier: str
    tracking_number: str
    units: dict[str, int]  # line_id -> units of that line in this package
    shipped_at: datetime
    expected_at: datetime | None
    store_received_at: datetime | None
    events: list[EventRecord] | None  # None: made up from the times when loaded

    @property
    def received(self) -> bool:
        return self.store_received_at is not None


@dataclass(frozen=True)
class ClaimRecord:
    units: dict[str, int]
    description: str
    filed_at: datetime
    tracking_number: str | None
    channel: str


@dataclass(frozen=True)
class OrderRecord:
    order_number: str
    customer: str  # the customer's e-mail
    store: str  # the store's code
    currency: str
    placed_at: datetime
    picked_up_at: datetime | None
    lines: list[LineRecord]
    packages: list[PackageRecord]
    claims: list[ClaimRecord] = field(default_factory=list)
    scenario: str = ""
    summary: str = ""

    def received_units(self, line_id: str) -> int:
        """Units of a line in packages the store has received."""
        return sum(p.units.get(line_id, 0) for p in self.packages if p.received)


@dataclass(frozen=True)
class Catalogue:
    source: str
    customers: list[CustomerRecord]
    stores: list[StoreRecord]
    orders: list[OrderRecord]

    def customer(self, email: str) -> CustomerRecord:
        return next(c for c in self.customers if c.email == email)

    def store(self, code: str) -> StoreRecord:
        return next(s for s in self.stores if s.code == code)
