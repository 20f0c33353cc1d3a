"""Receipts files (orders as a blind-set writer describes them) turned into catalogue files.

`python -m tests.blind.receipts IN OUT` writes the catalogue OUT and, beside it, OUT's name with
`.tracking.json` ({order_number: {"tracking": [numbers in package order]}}), so that a harness
can put the generated numbers in place of `{tracking}`, `{tracking2}`... in test messages.

A receipt: order_number, customer, email, store {name, address, hours, time_zone,
pickup_window_days}, items [{name, price, quantity}], packages [{carrier, items {name: units},
at_store (default true), expected_in_days (default 2)}] (default: one UPS package with every
item, at the store), picked_up (default false) and existing_claim {name: units}. Customers are
the same by e-mail and stores by name; store codes, SKUs, the tax (8% by default) and valid
tracking numbers are made up, the same for the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from supportdesk.catalogue_reader import parse_catalogue
from supportdesk.catalogue_records import CatalogueError
from tests.blind.tracking import tracking_number

DEFAULT_TAX_RATE = Decimal("0.08")
CENT = Decimal("0.01")
# Relative times (catalogue notation): placed, shipped, received by the store, picked up, claimed.
PLACED, SHIPPED, RECEIVED, PICKED_UP, CLAIMED = "-10d", "-7d", "-3d", "-1d", "-12h"
IN_TRANSIT_SHIPPED = "-2d"


class ReceiptsError(ValueError):
    """A receipt that cannot become a catalogue: the message names the order and the field."""


def convert(
    receipts: dict[str, Any], tax_rate: Decimal = DEFAULT_TAX_RATE
) -> tuple[dict[str, Any], dict[str, dict[str, list[str]]]]:
    """The catalogue document for `receipts`, and each order's tracking numbers in order."""
    orders = receipts.get("orders") if isinstance(receipts, dict) else None
    if not isinstance(orders, list) or not orders:
        raise ReceiptsError('the file needs "orders": a list of receipts')
    customers: dict[str, dict[str, str]] = {}
    stores: dict[str, dict[str, Any]] = {}
    converted = [
        _order(receipt, n, customers, stores, tax_rate) for n, receipt in enumerate(orders)
    ]
    catalogue = {
        "format": "sts-catalogue/1",
        "retailer": "Converted from a receipts file (tests/blind/receipts.py)",
        "customers": list(customers.values()),
        "stores": list(stores.values()),
        "orders": converted,
    }
    try:
        parse_catalogue(catalogue, datetime.now(timezone.utc), source="the converted catalogue")
    except CatalogueError as error:
        raise ReceiptsError(str(error)) from None
    tracking = {
        order["order_number"]: {"tracking": [p["tracking_number"] for p in order["packages"]]}
        for order in converted
    }
    return catalogue, tracking


def _order(
    receipt: Any,
    n: int,
    customers: dict[str, dict[str, str]],
    stores: dict[str, dict[str, Any]],
    tax_rate: Decimal,
) -> dict[str, Any]:
    if not isinstance(receipt, dict):
        raise ReceiptsError(f"orders[{n}]: a receipt is an object")
    number = receipt.get("order_number")
    where = f"order {number}" if isinstance(number, str) else f"orders[{n}]"
    for name in ("order_number", "customer", "email", "store", "items"):
        if name not in receipt:
            raise ReceiptsError(f"{where}: {name} is missing")
    email = _customer(receipt, where, customers)
    store = _store(receipt["store"], where, stores)
    items = _items(receipt["items"], where)
    packages = receipt.get("packages") or [{"carrier": "UPS", "items": items.quantities}]
    if not isinstance(packages, list):
        raise ReceiptsError(f"{where}, packages: a list of packages is needed")
    order: dict[str, Any] = {
        "order_number": number,
        "customer": email,
        "store": store,
        "placed_at": PLACED,
    }
    if receipt.get("picked_up", False):
        order["picked_up_at"] = PICKED_UP
    order["lines"] = _lines(items, tax_rate)
    order["packages"] = [
        _package(package, k, number, where, items) for k, package in enumerate(packages)
    ]
    _check_units(order["packages"], items, where)
    claim = receipt.get("existing_claim")
    if claim:
        order["claims"] = [_claim(claim, where, items)]
    return order


def _lines(items: _Items, tax_rate: Decimal) -> list[dict[str, Any]]:
    return [
        {
            "sku": _sku(name),
            "name": name,
            "unit_price": str(price),
            "tax": str((price * quantity * tax_rate).quantize(CENT, ROUND_HALF_UP)),
            "quantity": quantity,
        }
        for name, (price, quantity) in items.lines.items()
    ]


class _Items:
    """An order's items by name: price and quantity, and the line number of each."""

    def __init__(self) -> None:
        self.lines: dict[str, tuple[Decimal, int]] = {}

    @property
    def quantities(self) -> dict[str, int]:
        return {name: quantity for name, (_, quantity) in self.lines.items()}

    def number(self, name: str) -> int:
        return list(self.lines).index(name) + 1


def _customer(receipt: dict[str, Any], where: str, customers: dict[str, dict[str, str]]) -> str:
    """The customer's e-mail; the first receipt of an e-mail names the customer."""
    email = str(receipt["email"]).strip().lower()
    name = str(receipt["customer"]).strip()
    known = customers.setdefault(email, {"name": name, "email": email})
    if known["name"] != name:
        raise ReceiptsError(
            f"{where}, customer: {email} is {known['name']!r} in another receipt, not {name!r}"
        )
    return email


def _store(raw: Any, where: str, stores: dict[str, dict[str, Any]]) -> str:
    """The store's code, made up from its name; the same name must be the same store."""
    needed = ("name", "address", "hours", "time_zone", "pickup_window_days")
    if not isinstance(raw, dict) or not set(needed) <= set(raw):
        raise ReceiptsError(f"{where}, store: {', '.join(needed)} are needed")
    store = {
        "name": raw["name"],
        "address": raw["address"],
        "opening_hours": raw["hours"],
        "time_zone": raw["time_zone"],
        "pickup_window_days": raw["pickup_window_days"],
    }
    known = stores.get(raw["name"])
    if known is None:
        code = f"{_letters(raw['name'])[:3] or 'STR'}-{len(stores) + 1:04d}"
        known = stores[raw["name"]] = {"code": code, **store}
    elif {k: known[k] for k in store} != store:
        raise ReceiptsError(f"{where}, store: {raw['name']!r} differs from another receipt's")
    return known["code"]


def _letters(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z]", "", ascii_text.upper())


def _sku(name: str) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:6].upper()
    return f"{_letters(name)[:3] or 'ITM'}-{digest}"


def _items(raw: Any, where: str) -> _Items:
    if not isinstance(raw, list) or not raw:
        raise ReceiptsError(f"{where}, items: a list of at least one item is needed")
    items = _Items()
    for n, item in enumerate(raw):
        field = f"{where}, items[{n}]"
        if not isinstance(item, dict) or not {"name", "price", "quantity"} <= set(item):
            raise ReceiptsError(f"{field}: name, price and quantity are needed")
        name = str(item["name"]).strip()
        if name in items.lines:
            raise ReceiptsError(f"{field}.name: {name!r} is listed twice (names are the keys)")
        price = _price(item["price"], f"{field}.price")
        items.lines[name] = (price, _units(item["quantity"], f"{field}.quantity"))
    return items


def _price(raw: Any, field: str) -> Decimal:
    try:
        price = Decimal(str(raw))
    except InvalidOperation:
        raise ReceiptsError(f"{field}: {raw!r} is not an amount") from None
    if not price.is_finite() or price < 0 or price != price.quantize(CENT):
        raise ReceiptsError(f"{field}: {raw!r} is not an amount in dollars and cents")
    return price.quantize(CENT)


def _units(raw: Any, field: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ReceiptsError(f"{field}: {raw!r} is not a whole number of units (1 or more)")
    return raw


def _package(raw: Any, k: int, order_number: str, where: str, items: _Items) -> dict[str, Any]:
    field = f"{where}, packages[{k}]"
    if not isinstance(raw, dict):
        raise ReceiptsError(f"{field}: a package is an object")
    units = raw.get("items")
    if not isinstance(units, dict) or not units:
        raise ReceiptsError(
            f"{field}: an items map is needed ({{item name: units}}: which units of which "
            "items are in this package)"
        )
    carrier = raw.get("carrier", "UPS")
    try:
        number = tracking_number(carrier, f"{order_number}:{k + 1}")
    except ValueError as error:
        raise ReceiptsError(f"{field}.carrier: {error}") from None
    package: dict[str, Any] = {
        "carrier": carrier,
        "tracking_number": number,
        "items": [
            {"line": _line(name, items, f"{field}.items"), "quantity": _units(q, f"{field}.items")}
            for name, q in units.items()
        ],
    }
    if raw.get("at_store", True):
        package |= {"shipped_at": SHIPPED, "store_received_at": RECEIVED}
    else:
        days = _units(raw.get("expected_in_days", 2), f"{field}.expected_in_days")
        package |= {"shipped_at": IN_TRANSIT_SHIPPED, "expected_at": f"+{days}d"}
    return package


def _line(name: str, items: _Items, field: str) -> int:
    if name not in items.lines:
        raise ReceiptsError(f"{field}: {name!r} is not one of the order's items")
    return items.number(name)


def _check_units(packages: list[dict[str, Any]], items: _Items, where: str) -> None:
    """Every unit of every item is in exactly one package."""
    packed: Counter[int] = Counter()
    for package in packages:
        for unit in package["items"]:
            packed[unit["line"]] += unit["quantity"]
    for name, quantity in items.quantities.items():
        got = packed[items.number(name)]
        if got != quantity:
            raise ReceiptsError(
                f"{where}, packages: {quantity} x {name!r} ordered but {got} in the packages"
            )


def _claim(raw: Any, where: str, items: _Items) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw:
        raise ReceiptsError(f"{where}, existing_claim: a map of {{item name: units}} is needed")
    field = f"{where}, existing_claim"
    return {
        "items": [
            {"line": _line(name, items, field), "quantity": _units(q, f"{field}[{name!r}]")}
            for name, q in raw.items()
        ],
        "description": "Not in the package I picked up: " + "; ".join(raw) + ".",
        "filed_at": CLAIMED,
    }


def tracking_map_path(out: Path) -> Path:
    """Where the tracking numbers of OUT go: OUT's name with .tracking.json."""
    return out.with_name(f"{out.stem}.tracking.json")


def convert_file(source: Path, out: Path, tax_rate: Decimal = DEFAULT_TAX_RATE) -> Path:
    """Convert `source` into the catalogue `out`; returns the tracking map's path."""
    try:
        receipts = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ReceiptsError(f"{source}: cannot be read as JSON: {error}") from None
    catalogue, tracking = convert(receipts, tax_rate)
    out.write_text(json.dumps(catalogue, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tracking_path = tracking_map_path(out)
    tracking_path.write_text(json.dumps(tracking, indent=2) + "\n", encoding="utf-8")
    return tracking_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.blind.receipts", description=__doc__)
    parser.add_argument("receipts", type=Path, help="the receipts file (JSON)")
    parser.add_argument("out", type=Path, help="the catalogue file to write")
    parser.add_argument("--tax-rate", type=Decimal, default=DEFAULT_TAX_RATE, help="default 0.08")
    args = parser.parse_args(argv)
    try:
        tracking_path = convert_file(args.receipts, args.out, args.tax_rate)
    except ReceiptsError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"wrote {args.out} and {tracking_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
