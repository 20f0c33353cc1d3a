"""What a catalogue's JSON Schema cannot check: keys, references, units and times that clash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime

from supportdesk.catalogue_records import Catalogue, OrderRecord


def cross_record_problems(catalogue: Catalogue, now: datetime) -> list[str]:
    """Every problem, as 'record, field: what is wrong'."""
    return [
        *_duplicates(catalogue),
        *_references(catalogue),
        *(p for order in catalogue.orders for p in _units(order)),
        *(p for order in catalogue.orders for p in _claims(order)),
        *(p for order in catalogue.orders for p in _times(order, now)),
    ]


def _twice(values: list[str]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def _duplicates(catalogue: Catalogue) -> Iterator[str]:
    for email in _twice([c.email for c in catalogue.customers]):
        yield f"customer {email}, email: listed more than once"
    for code in _twice([s.code for s in catalogue.stores]):
        yield f"store {code}, code: listed more than once"
    for number in _twice([o.order_number for o in catalogue.orders]):
        yield f"order {number}, order_number: listed more than once"
    owners: dict[str, list[str]] = {}
    for order in catalogue.orders:
        for line in order.lines:
            owners.setdefault(line.line_id, []).append(order.order_number)
    for line_id, numbers in owners.items():
        if len(set(numbers)) > 1:
            yield f"order {numbers[-1]}, lines: line_id {line_id!r} is also in order {numbers[0]}"
    seen: dict[str, str] = {}
    for order in catalogue.orders:
        for n, package in enumerate(order.packages):
            first = seen.setdefault(package.tracking_number, order.order_number)
            if (
                first != order.order_number
                or [p.tracking_number for p in order.packages].count(package.tracking_number) > 1
            ):
                yield (
                    f"order {order.order_number}, packages[{n}].tracking_number: "
                    f"{package.tracking_number} is used by another package (order {first})"
                )


def _references(catalogue: Catalogue) -> Iterator[str]:
    emails = {c.email for c in catalogue.customers}
    codes = {s.code for s in catalogue.stores}
    for order in catalogue.orders:
        if order.customer not in emails:
            yield f"order {order.order_number}, customer: no customer has e-mail {order.customer}"
        if order.store not in codes:
            yield f"order {order.order_number}, store: no store has code {order.store!r}"


def _units(order: OrderRecord) -> Iterator[str]:
    """Each unit of each line is in exactly one package (or the order has none yet)."""
    if not order.packages:
        return
    for n, line in enumerate(order.lines):
        packed = sum(p.units.get(line.line_id, 0) for p in order.packages)
        if packed != line.quantity:
            yield (
                f"order {order.order_number}, lines[{n}].quantity: {line.quantity} ordered but "
                f"{packed} in the packages"
            )


def _claims(order: OrderRecord) -> Iterator[str]:
    """Claims are for units the store received, each unit once, on the order's packages."""
    claimed: Counter[str] = Counter()
    for claim in order.claims:
        claimed.update(claim.units)
    for line in order.lines:
        received = order.received_units(line.line_id)
        if claimed[line.line_id] > received:
            yield (
                f"order {order.order_number}, claims: {claimed[line.line_id]} unit(s) of "
                f"{line.line_id} claimed but {received} received by the store"
            )
    numbers = {p.tracking_number for p in order.packages}
    for n, claim in enumerate(order.claims):
        if claim.tracking_number and claim.tracking_number not in numbers:
            yield (
                f"order {order.order_number}, claims[{n}].tracking_number: "
                f"{claim.tracking_number} is not one of the order's packages"
            )


def _times(order: OrderRecord, now: datetime) -> Iterator[str]:
    """Placed, shipped, received by the store, picked up: in that order, none in the future."""
    record = f"order {order.order_number}"
    if order.placed_at > now:
        yield f"{record}, placed_at: in the future"
    for n, package in enumerate(order.packages):
        name = f"{record}, packages[{n}]"
        if package.shipped_at < order.placed_at:
            yield f"{name}.shipped_at: before the order was placed"
        if package.shipped_at > now:
            yield f"{name}.shipped_at: in the future"
        received = package.store_received_at
        if received is not None and received < package.shipped_at:
            yield f"{name}.store_received_at: before the package was shipped"
        if received is not None and received > now:
            yield f"{name}.store_received_at: in the future (leave it out while on its way)"
    picked_up = order.picked_up_at
    if picked_up is None:
        return
    if picked_up > now:
        yield f"{record}, picked_up_at: in the future"
    received = [p.store_received_at for p in order.packages if p.store_received_at]
    if not any(at <= picked_up for at in received):
        # A split shipment may be picked up in part, the rest following later.
        yield f"{record}, picked_up_at: before the store received any package"
