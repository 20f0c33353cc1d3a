"""The support desk's command line: `init-db` sets a database up once, for several desks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from supportdesk.__main__ import main
from supportdesk.catalogue import read_catalogue
from supportdesk.db import Database
from supportdesk.demo import DEMO_CATALOGUE
from supportdesk.models import Order, utcnow
from tests.supportdesk import catalogue_example as example

DEMO_ORDERS = len(read_catalogue(DEMO_CATALOGUE, utcnow()).orders)


def orders(url: str) -> int:
    with Database(url).read() as session:
        return session.execute(select(func.count(Order.id))).scalar_one()


def one_order_catalogue(path: Path, order_number: str = "STS-1111-2222") -> Path:
    return example.write(path, example.document(order_number))


def test_init_db_creates_the_tables_and_the_demo_orders_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert main(["init-db", "--database-url", url, "--seed-demo"]) == 0
    assert orders(url) == DEMO_ORDERS
    assert main(["init-db", "--database-url", url, "--seed-demo"]) == 0  # again: nothing added
    assert orders(url) == DEMO_ORDERS


def test_init_db_without_demo_orders_leaves_the_tables_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert main(["init-db", "--database-url", url]) == 0
    assert orders(url) == 0


def test_init_db_loads_a_catalogue_instead_of_or_after_the_demo(tmp_path: Path) -> None:
    catalogue = one_order_catalogue(tmp_path / "shop.json")
    alone, both = f"sqlite:///{tmp_path / 'alone.db'}", f"sqlite:///{tmp_path / 'both.db'}"
    assert main(["init-db", "--database-url", alone, "--catalogue", str(catalogue)]) == 0
    assert orders(alone) == 1
    # The demo's first order has the same tracking number: the desk refuses a second owner.
    clash = ["init-db", "--database-url", both, "--seed-demo", "--catalogue", str(catalogue)]
    assert main(clash) == 2
    assert orders(both) == DEMO_ORDERS


def test_a_bad_catalogue_stops_init_db_with_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = one_order_catalogue(tmp_path / "shop.json", order_number="ORDER-1")
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert main(["init-db", "--database-url", url, "--catalogue", str(catalogue)]) == 2
    error = capsys.readouterr().err
    assert "order ORDER-1, order_number" in error and "nothing loaded" in error
    assert orders(url) == 0


def test_demo_data_lists_another_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = one_order_catalogue(tmp_path / "shop.json")
    assert main(["demo-data", "--json", "--catalogue", str(catalogue)]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["order_number"] == "STS-1111-2222" and listed["email"] == "ana@example.org"
    assert [line["line_id"] for line in listed["lines"]] == ["STS-1111-2222-L1", "SPOON-7"]
    assert listed["tracking_numbers"] == ["1Z4E82A70362815596"]
