import json
import subprocess
import sys

import tracking_numbers
from sqlalchemy import func, select

from supportdesk.catalogue import read_catalogue
from supportdesk.db import Database
from supportdesk.demo import DEMO_CATALOGUE, seed
from supportdesk.models import Claim, Customer, Order, OrderLine, Shipment, Store, utcnow
from supportdesk.orders import lookup_order

REQUIRED = {
    "picked_up_item_missing",
    "split_shipment_in_transit",
    "not_yet_at_store",
    "ready_for_pickup",
    "existing_claim",
    "high_value_review",
    "similar_items",
}
DEMO = read_catalogue(DEMO_CATALOGUE, utcnow())


def test_demo_data_json_lists_every_scenario() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "supportdesk", "demo-data", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scenarios = json.loads(out)
    assert {s["scenario"] for s in scenarios} >= REQUIRED
    for s in scenarios:
        assert s["order_number"].startswith("STS-") and "@" in s["email"]
        for line in s["lines"]:
            assert set(line) == {"line_id", "sku", "name", "quantity", "unit_price"}


def test_the_demo_keeps_its_order_numbers_and_line_ids() -> None:
    first = next(o for o in DEMO.orders if o.order_number == "STS-4829-1307")
    assert [line.line_id for line in first.lines] == [
        "STS-4829-1307-L1",
        "STS-4829-1307-L2",
        "STS-4829-1307-L3",
    ]
    assert [o.order_number for o in DEMO.orders] == [
        "STS-4829-1307",
        "STS-5102-7741",
        "STS-6230-0958",
        "STS-7315-2264",
        "STS-8406-5519",
        "STS-9157-3380",
        "STS-2604-8813",
    ]


def test_order_numbers_and_tracking_numbers_are_unique() -> None:
    orders = [o.order_number for o in DEMO.orders]
    tracking = [p.tracking_number for o in DEMO.orders for p in o.packages]
    assert len(set(orders)) == len(orders) and len(set(tracking)) == len(tracking)


def test_similar_items_is_picked_up_with_lines_that_share_words(db: Database) -> None:
    order = lookup_order(db, "STS-2604-8813", "maya.chen@example.com")
    assert order["status"] == "picked_up" and order["pickup_store"]["code"] == "PDX-0412"
    assert [(line["name"], line["quantity"], line["unit_price"]) for line in order["lines"]] == [
        ("Cotton Bath Towel, Grey", 2, "16.00"),
        ("Cotton Hand Towel, Grey", 2, "9.50"),
        ("Bamboo Bath Mat", 1, "22.00"),
    ]
    names = [line["name"] for line in order["lines"]]
    assert sum("Towel" in n for n in names) == 2 and sum("Grey" in n for n in names) == 2
    assert sum("Bath" in n for n in names) == 2
    [package] = order["shipments"]
    assert package["carrier"] == "UPS" and package["received_by_store"] is True
    assert package["tracking_number"] == "1Z8V3K510326048819"
    assert sorted(i["quantity"] for i in package["items"]) == [1, 2, 2]


def test_two_customers_share_the_scenarios() -> None:
    assert len({o.customer for o in DEMO.orders}) == 2


def test_every_tracking_number_has_a_valid_check_digit() -> None:
    for order in DEMO.orders:
        for package in order.packages:
            parsed = tracking_numbers.get_tracking_number(package.tracking_number)
            assert parsed is not None, package.tracking_number
            assert not parsed.validation_errors, package.tracking_number


def test_seeding_twice_adds_nothing(db: Database) -> None:
    assert seed(db) == 0
    with db.read() as session:
        counts = [
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Customer, Store, Order, OrderLine, Shipment, Claim)
        ]
    assert counts == [
        2,
        2,
        len(DEMO.orders),
        sum(len(o.lines) for o in DEMO.orders),
        sum(len(o.packages) for o in DEMO.orders),
        1,
    ]
