"""Reading a catalogue file: the JSON Schema, then typed records with their times resolved."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema

from supportdesk.carriers import canonical_carrier, tracking_number_problem
from supportdesk.catalogue_checks import cross_record_problems
from supportdesk.catalogue_records import (
    Catalogue,
    CatalogueError,
    ClaimRecord,
    CustomerRecord,
    EventRecord,
    LineRecord,
    OrderRecord,
    PackageRecord,
    StoreRecord,
)
from supportdesk.identifiers import normalize_email, normalize_tracking_number
from supportdesk.money import to_cents

SCHEMA_PATH = Path(__file__).with_name("catalogue.schema.json")
_RELATIVE = re.compile(r"^([+-])(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
# What names a top-level record in an error message.
_KEYS = {"customers": "email", "stores": "code", "orders": "order_number"}


def read_catalogue(path: Path | str, now: datetime) -> Catalogue:
    """The catalogue in `path`, times resolved against `now`; CatalogueError when it is bad."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueError(str(path), [f"the file cannot be read as JSON: {error}"]) from None
    return parse_catalogue(document, now, source=str(path))


def parse_catalogue(document: Any, now: datetime, source: str = "catalogue") -> Catalogue:
    """A catalogue from its JSON document; CatalogueError lists every problem found."""
    problems = schema_problems(document)
    if problems:
        raise CatalogueError(source, problems)
    reader = _Reader(now)
    catalogue = Catalogue(
        source=source,
        customers=[reader.customer(c) for c in document["customers"]],
        stores=[reader.store(s) for s in document["stores"]],
        orders=[reader.order(o) for o in document["orders"]],
    )
    problems = reader.problems or cross_record_problems(catalogue, now)
    if problems:
        raise CatalogueError(source, problems)
    return catalogue


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_problems(document: Any) -> list[str]:
    """What breaks the JSON Schema, each as 'record, field: what is wrong'."""
    problems = []
    for error in sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path)):
        if error.context:  # oneOf: the branch that came closest says the most
            error = jsonschema.exceptions.best_match(error.context)
        problems.append(f"{where(document, list(error.absolute_path))}: {error.message}")
    return problems


def where(document: Any, path: list[str | int]) -> str:
    """'order STS-4829-1307, lines[0].unit_price' for a path into the document."""
    if len(path) < 2 or path[0] not in _KEYS:
        return "the file" + (f", {_field(path)}" if path else "")
    record = document[path[0]][path[1]]
    key = record.get(_KEYS[path[0]]) if isinstance(record, dict) else None
    name = f"{path[0][:-1]} {key}" if isinstance(key, str) else f"{path[0]}[{path[1]}]"
    return name + (f", {_field(path[2:])}" if path[2:] else "")


def _field(path: list[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def parse_time(text: str, now: datetime) -> datetime:
    """'-3d', '+2d', '-1d12h', '-90m' from `now`, or ISO 8601 with an offset; in UTC."""
    relative = _RELATIVE.match(text)
    if relative:
        sign, days, hours, minutes = relative.groups()
        delta = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0))
        return now + delta if sign == "+" else now - delta
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no offset from UTC")
    return value.astimezone(timezone.utc)


class _Reader:
    """Turns schema-valid records into typed ones, noting what only code can check."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.problems: list[str] = []

    def problem(self, record: str, name: str, text: str) -> None:
        self.problems.append(f"{record}, {name}: {text}")

    def time(self, value: str | None, record: str, name: str) -> datetime | None:
        if value is None:
            return None
        try:
            return parse_time(value, self.now)
        except ValueError as error:
            self.problem(record, name, str(error))
            return self.now

    def customer(self, raw: dict[str, Any]) -> CustomerRecord:
        return CustomerRecord(name=raw["name"].strip(), email=normalize_email(raw["email"]))

    def store(self, raw: dict[str, Any]) -> StoreRecord:
        try:
            ZoneInfo(raw["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            self.problem(f"store {raw['code']}", "time_zone", "not an IANA time zone name")
        return StoreRecord(**{name: raw[name] for name in StoreRecord.__dataclass_fields__})

    def order(self, raw: dict[str, Any]) -> OrderRecord:
        record = f"order {raw['order_number']}"
        lines = [self.line(raw["order_number"], n, line) for n, line in enumerate(raw["lines"], 1)]
        for line_id, count in Counter(line.line_id for line in lines).items():
            if count > 1:
                self.problem(record, "lines", f"line_id {line_id!r} is given to {count} lines")
        packages = [
            self.package(p, lines, record, f"packages[{n}]") for n, p in enumerate(raw["packages"])
        ]
        claims = [
            self.claim(c, lines, record, f"claims[{n}]")
            for n, c in enumerate(raw.get("claims", []))
        ]
        return OrderRecord(
            order_number=raw["order_number"],
            customer=normalize_email(raw["customer"]),
            store=raw["store"],
            currency=raw.get("currency", "USD"),
            placed_at=self.time(raw["placed_at"], record, "placed_at"),
            picked_up_at=self.time(raw.get("picked_up_at"), record, "picked_up_at"),
            lines=lines,
            packages=packages,
            claims=claims,
            scenario=raw.get("scenario", ""),
            summary=raw.get("summary", ""),
        )

    def line(self, order_number: str, number: int, raw: dict[str, Any]) -> LineRecord:
        return LineRecord(
            line_id=raw.get("line_id") or f"{order_number}-L{number}",
            sku=raw["sku"],
            name=raw["name"].strip(),
            unit_price_cents=to_cents(Decimal(raw["unit_price"])),
            tax_cents=to_cents(Decimal(raw.get("tax", "0"))),
            quantity=raw["quantity"],
        )

    def units(
        self, raw: list[dict[str, Any]], lines: list[LineRecord], record: str, name: str
    ) -> dict[str, int]:
        """{line_id: quantity} for a list of {line, quantity}; each line once."""
        units: dict[str, int] = {}
        for n, item in enumerate(raw):
            line_id = self.line_id(item["line"], lines)
            if line_id is None:
                self.problem(record, f"{name}[{n}].line", f"no line {item['line']!r} in the order")
            elif line_id in units:
                self.problem(record, f"{name}[{n}].line", f"line {line_id!r} is listed twice")
            else:
                units[line_id] = item["quantity"]
        return units

    @staticmethod
    def line_id(ref: int | str, lines: list[LineRecord]) -> str | None:
        """The line_id a reference names: a line number (1-based) or a line_id."""
        if isinstance(ref, int):
            return lines[ref - 1].line_id if ref <= len(lines) else None
        return ref if any(line.line_id == ref for line in lines) else None

    def package(
        self, raw: dict[str, Any], lines: list[LineRecord], record: str, name: str
    ) -> PackageRecord:
        problem = tracking_number_problem(raw["carrier"], raw["tracking_number"])
        if problem:
            self.problem(record, f"{name}.tracking_number", problem)
        events = raw.get("events")
        return PackageRecord(
            carrier=canonical_carrier(raw["carrier"]),
            tracking_number=normalize_tracking_number(raw["tracking_number"]),
            units=self.units(raw["items"], lines, record, f"{name}.items"),
            shipped_at=self.time(raw["shipped_at"], record, f"{name}.shipped_at"),
            expected_at=self.time(raw.get("expected_at"), record, f"{name}.expected_at"),
            store_received_at=self.time(
                raw.get("store_received_at"), record, f"{name}.store_received_at"
            ),
            events=None
            if events is None
            else [self.event(e, record, f"{name}.events[{n}]") for n, e in enumerate(events)],
        )

    def event(self, raw: dict[str, Any], record: str, name: str) -> EventRecord:
        return EventRecord(
            at=self.time(raw["at"], record, f"{name}.at"),
            status=raw["status"],
            description=raw["description"].strip(),
            location=raw["location"].strip(),
        )

    def claim(
        self, raw: dict[str, Any], lines: list[LineRecord], record: str, name: str
    ) -> ClaimRecord:
        tracking = raw.get("tracking_number")
        filed = raw.get("filed_at")
        return ClaimRecord(
            units=self.units(raw["items"], lines, record, f"{name}.items"),
            description=raw["description"].strip(),
            filed_at=self.now if filed is None else self.time(filed, record, f"{name}.filed_at"),
            tracking_number=normalize_tracking_number(tracking) if tracking else None,
            channel=raw.get("channel", "web"),
        )
