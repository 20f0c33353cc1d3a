"""The support desk's command line: `init-db` sets a database up once, for several desks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from supportdesk import demo
from supportdesk.__main__ import main
from supportdesk.db import Database
from supportdesk.models import Order


def orders(url: str) -> int:
    with Database(url).read() as session:
        return session.execute(select(func.count(Order.id))).scalar_one()


def test_init_db_creates_the_tables_and_the_demo_orders_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert main(["init-db", "--database-url", url, "--seed-demo"]) == 0
    assert orders(url) == len(demo.SCENARIOS)
    assert main(["init-db", "--database-url", url, "--seed-demo"]) == 0  # again: nothing added
    assert orders(url) == len(demo.SCENARIOS)


def test_init_db_without_demo_orders_leaves_the_tables_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    assert main(["init-db", "--database-url", url]) == 0
    assert orders(url) == 0
