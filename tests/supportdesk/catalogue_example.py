"""A small valid catalogue document for the tests to change: one customer, store and order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def document(order_number: str = "STS-1111-2222") -> dict[str, Any]:
    """Ana's order of a mug and two spoons, picked up yesterday, with one claim filed."""
    return {
        "format": "sts-catalogue/1",
        "customers": [{"name": "Ana Souza", "email": "Ana@Example.org"}],
        "stores": [
            {
                "code": "BOS-0001",
                "name": "Harbor Yard",
                "address": "1 Seaport Blvd, Boston, MA 02210",
                "opening_hours": "Mon-Sun 9:00-21:00",
                "time_zone": "America/New_York",
                "pickup_window_days": 5,
            }
        ],
        "orders": [
            {
                "order_number": order_number,
                "customer": "ana@example.org",
                "store": "BOS-0001",
                "placed_at": "-4d",
                "picked_up_at": "-1d",
                "lines": [
                    {"sku": "MUG-1", "name": "Mug", "unit_price": "8.00", "quantity": 1},
                    {
                        "line_id": "SPOON-7",
                        "sku": "SPN-2",
                        "name": "Tea Spoon",
                        "unit_price": "2.50",
                        "tax": "0.40",
                        "quantity": 2,
                    },
                ],
                "packages": [
                    {
                        "carrier": "UPS",
                        "tracking_number": "1Z4E82A70362815596",
                        "items": [{"line": 1, "quantity": 1}, {"line": "SPOON-7", "quantity": 2}],
                        "shipped_at": "-3d",
                        "store_received_at": "-2d",
                    }
                ],
                "claims": [
                    {
                        "items": [{"line": 2, "quantity": 1}],
                        "description": "One spoon was not in the bag.",
                        "filed_at": "-12h",
                    }
                ],
            }
        ],
    }


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path
