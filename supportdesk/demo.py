"""The demo data: the catalogue file catalogues/demo.json, seeded by --seed-demo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from supportdesk.catalogue import load_catalogue, read_catalogue
from supportdesk.db import Database
from supportdesk.models import utcnow
from supportdesk.money import format_cents

DEMO_CATALOGUE = Path(__file__).with_name("catalogues") / "demo.json"


def seed(db: Database, now: datetime | None = None) -> int:
    """Add whatever demo orders are missing; returns how many were added."""
    return load_catalogue(db, DEMO_CATALOGUE, now).orders


def scenarios_json(path: Path = DEMO_CATALOGUE) -> list[dict[str, Any]]:
    """What `demo-data --json` prints: enough for a tester to play each scenario."""
    catalogue = read_catalogue(path, utcnow())
    return [
        {
            "scenario": order.scenario,
            "summary": order.summary,
            "order_number": order.order_number,
            "email": order.customer,
            "customer_name": catalogue.customer(order.customer).name,
            "tracking_numbers": [p.tracking_number for p in order.packages],
            "lines": [
                {
                    "line_id": line.line_id,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price": format_cents(line.unit_price_cents),
                }
                for line in order.lines
            ],
        }
        for order in catalogue.orders
    ]
