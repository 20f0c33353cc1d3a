"""The catalogues the shoppers play: the demo's and a second retailer's, covering every case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tracking_numbers

from supportdesk.catalogue import load_catalogue, read_catalogue
from supportdesk.db import Database
from supportdesk.demo import DEMO_CATALOGUE
from supportdesk.models import utcnow
from supportdesk.orders import lookup_order
from tests.shoppers.generator import load_orders
from tests.shoppers.phrases import item_forms

OUTDOOR = Path(__file__).with_name("catalogues") / "outdoor.json"
SITUATIONS = {
    "picked_up_item_missing",
    "split_shipment_in_transit",
    "not_yet_at_store",
    "ready_for_pickup",
    "existing_claim",
    "high_value_review",
    "similar_items",
}
COURIERS = {"UPS": "ups", "FedEx": "fedex", "USPS": "usps"}


@pytest.mark.parametrize("path", [DEMO_CATALOGUE, OUTDOOR], ids=["demo", "outdoor"])
def test_a_catalogue_covers_every_situation(path: Path) -> None:
    catalogue = read_catalogue(path, utcnow())
    assert {order.scenario for order in catalogue.orders} >= SITUATIONS
    assert len(catalogue.orders) >= 7 and len(catalogue.customers) >= 2


@pytest.mark.parametrize("path", [DEMO_CATALOGUE, OUTDOOR], ids=["demo", "outdoor"])
def test_tracking_numbers_are_valid_for_their_carrier(path: Path) -> None:
    for order in read_catalogue(path, utcnow()).orders:
        for package in order.packages:
            parsed = tracking_numbers.get_tracking_number(package.tracking_number)
            assert parsed is not None and not parsed.validation_errors, package.tracking_number
            assert parsed.courier.code == COURIERS[package.carrier], package.tracking_number


def test_the_second_retailer_shares_nothing_with_the_demo() -> None:
    demo, outdoor = (read_catalogue(p, utcnow()) for p in (DEMO_CATALOGUE, OUTDOOR))
    numbers = [o.order_number for o in outdoor.orders]
    assert all(re.fullmatch(r"STS-\d{4}-\d{4}", n) for n in numbers)
    assert not set(numbers) & {o.order_number for o in demo.orders}
    assert not {c.email for c in outdoor.customers} & {c.email for c in demo.customers}
    assert not {s.code for s in outdoor.stores} & {s.code for s in demo.stores}
    assert len({s.time_zone for s in outdoor.stores} - {s.time_zone for s in demo.stores}) >= 3
    names = {c.name for c in outdoor.customers}
    assert {"Zoë O'Connor", "José Núñez"} <= names


def test_the_second_retailer_s_names_have_punctuation_sizes_and_similar_items() -> None:
    outdoor = read_catalogue(OUTDOOR, utcnow())
    names = {line.name for order in outdoor.orders for line in order.lines}
    assert {"Men's Trail Runner, Size 10.5", "AA Batteries (24-pack)", "USB-C Cable 2 m"} <= names
    similar = next(o for o in outdoor.orders if o.scenario == "similar_items")
    assert {"Phone Charger", "Charging Cable", "Wireless Charger Pad"} <= {
        line.name for line in similar.lines
    }


def test_shoppers_name_items_without_sizes_units_or_a_sibling_s_word() -> None:
    siblings = ["Phone Charger", "Charging Cable", "Wireless Charger Pad", "USB-C Cable 2 m"]
    assert item_forms("Phone Charger", siblings) == ["phone charger"]
    assert item_forms("USB-C Cable 2 m", siblings) == ["usb-c cable"]
    assert item_forms("Men's Trail Runner, Size 10.5", []) == ["trail runner", "runner"]
    assert item_forms("Headlamp 400 Lumen", []) == ["headlamp"]
    assert item_forms("Camp Chair - Low Back", []) == ["camp chair", "chair"]
    assert item_forms("SPF 50 Sunscreen, 3.4 fl oz", []) == ["spf sunscreen", "sunscreen"]


def test_every_order_of_the_second_retailer_loads_and_is_seen_by_its_customer(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'desk.db'}")
    db.create_schema()
    assert load_catalogue(db, OUTDOOR).orders == len(load_orders(OUTDOOR))
    for order in load_orders(OUTDOOR):
        view = lookup_order(db, order.order_number, order.email)
        assert view["customer_name"] == order.customer
        assert [s["tracking_number"] for s in view["shipments"]] == order.tracking_numbers
    db.dispose()
