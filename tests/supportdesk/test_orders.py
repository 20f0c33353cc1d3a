from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from supportdesk.db import Database
from supportdesk.demo import seed
from supportdesk.errors import NotFound, RateLimited
from supportdesk.lookup_limits import LookupLimits, limits_from_env, source_of
from supportdesk.models import utcnow
from supportdesk.orders import lookup_order

MAYA = ("STS-4829-1307", "maya.chen@example.com")
# The defaults: 5 per conversation or 20 per address in 15 minutes, 50 per order in an hour.
LIMITS = LookupLimits()


def test_lookup_with_matching_email_shows_the_order(db: Database) -> None:
    order = lookup_order(db, "#sts 4829 1307", " Maya.Chen@Example.com ")
    assert order["order_number"] == "STS-4829-1307"
    assert order["status"] == "picked_up"
    assert order["pickup_store"]["name"] == "Riverside Commons"
    assert [line["name"] for line in order["lines"]][0] == "Wireless Over-Ear Headphones"
    shipment = order["shipments"][0]
    assert shipment["carrier"] == "UPS" and shipment["received_by_store"] is True
    assert shipment["tracking_url"].endswith(shipment["tracking_number"])
    # newest event first
    times = [event["at"] for event in shipment["events"]]
    assert times == sorted(times, reverse=True)


def test_unknown_order_and_wrong_email_fail_alike(db: Database) -> None:
    with pytest.raises(NotFound) as unknown:
        lookup_order(db, "STS-0000-0000", MAYA[1])
    with pytest.raises(NotFound) as wrong_email:
        lookup_order(db, MAYA[0], "jordan.reyes@example.net")
    assert unknown.value.body() == wrong_email.value.body()


def test_one_customer_never_sees_the_others_order(db: Database) -> None:
    with pytest.raises(NotFound):
        lookup_order(db, "STS-5102-7741", MAYA[1])  # Jordan's split shipment


def test_split_shipment_shows_the_package_in_transit(db: Database) -> None:
    order = lookup_order(db, "STS-5102-7741", "jordan.reyes@example.net")
    assert order["status"] == "partially_received"
    received, moving = order["shipments"]
    assert received["received_by_store"] and not moving["received_by_store"]
    assert moving["expected_at"] and moving["items"] == [
        {"line_id": "STS-5102-7741-L2", "quantity": 1}
    ]


def guess(db: Database, order_number: str, source: str, times: int, **kw) -> None:
    """`times` failed look-ups of the order from one conversation."""
    for _ in range(times):
        with pytest.raises(NotFound):
            lookup_order(db, order_number, "guess@example.com", conversation_id=source, **kw)


def test_a_strangers_guesses_do_not_lock_the_owner_out(db: Database) -> None:
    guess(db, MAYA[0], "stranger", LIMITS.per_source)
    with pytest.raises(RateLimited) as limited:
        lookup_order(db, *MAYA, conversation_id="stranger")  # guessing must not pay
    assert 0 < limited.value.retry_after <= LIMITS.source_window.total_seconds() + 1
    assert lookup_order(db, *MAYA, conversation_id="owner")["order_number"] == MAYA[0]
    later = utcnow() + LIMITS.source_window + timedelta(seconds=1)
    assert lookup_order(db, *MAYA, conversation_id="stranger", now=later)["order_number"]


def test_one_conversation_guessing_many_orders_is_rate_limited(db: Database) -> None:
    for n in range(LIMITS.per_source):
        with pytest.raises(NotFound):
            lookup_order(db, f"STS-1000-000{n}", "x@example.com", conversation_id="c1")
    with pytest.raises(RateLimited):
        lookup_order(db, *MAYA, conversation_id="c1")
    assert lookup_order(db, *MAYA, conversation_id="c2")["order_number"] == MAYA[0]


def test_without_a_conversation_the_callers_address_is_the_source(db: Database) -> None:
    for n in range(LIMITS.per_address):
        with pytest.raises(NotFound):
            lookup_order(db, f"STS-1000-{n:04}", "guess@example.com", address="203.0.113.7")
    with pytest.raises(RateLimited):
        lookup_order(db, *MAYA, address="203.0.113.7")
    assert lookup_order(db, *MAYA, address="198.51.100.2")["order_number"] == MAYA[0]


def test_many_sources_together_are_stopped_by_the_limit_per_order(db: Database) -> None:
    sources = LIMITS.per_order // LIMITS.per_source
    for n in range(sources):
        guess(db, MAYA[0], f"rotating-{n}", LIMITS.per_source)
    with pytest.raises(RateLimited) as limited:
        lookup_order(db, *MAYA, conversation_id="fresh")  # even the right e-mail waits
    assert LIMITS.source_window.total_seconds() < limited.value.retry_after
    assert limited.value.retry_after <= LIMITS.order_window.total_seconds() + 1
    # other orders are not affected
    assert lookup_order(db, "STS-7315-2264", "jordan.reyes@example.net", conversation_id="j")
    later = utcnow() + LIMITS.order_window + timedelta(seconds=1)
    assert lookup_order(db, *MAYA, conversation_id="fresh", now=later)["order_number"]


def test_a_conversation_that_verified_the_order_is_spared_by_the_limit_per_order(
    db: Database,
) -> None:
    lookup_order(db, *MAYA, conversation_id="owner")
    for n in range(LIMITS.per_order // LIMITS.per_source):
        guess(db, MAYA[0], f"rotating-{n}", LIMITS.per_source)
    assert lookup_order(db, *MAYA, conversation_id="owner")["order_number"] == MAYA[0]
    with pytest.raises(RateLimited):
        lookup_order(db, *MAYA, conversation_id="someone-else")


def test_a_verified_conversation_is_still_held_to_its_own_limit(db: Database) -> None:
    lookup_order(db, *MAYA, conversation_id="owner")
    guess(db, MAYA[0], "owner", LIMITS.per_source)
    with pytest.raises(RateLimited):
        lookup_order(db, *MAYA, conversation_id="owner")


def test_limits_are_read_from_the_environment() -> None:
    assert limits_from_env({}) == LIMITS
    limits = limits_from_env(
        {
            "SUPPORTDESK_LOOKUP_LIMIT_PER_SOURCE": "3",
            "SUPPORTDESK_LOOKUP_LIMIT_PER_ADDRESS": "7",
            "SUPPORTDESK_LOOKUP_SOURCE_WINDOW_MINUTES": "10",
            "SUPPORTDESK_LOOKUP_LIMIT_PER_ORDER": " 20 ",
            "SUPPORTDESK_LOOKUP_ORDER_WINDOW_MINUTES": "120",
        }
    )
    assert limits == LookupLimits(3, 7, timedelta(minutes=10), 20, timedelta(hours=2))


@pytest.mark.parametrize("value", ["0", "-1", "five", "2.5"])
def test_unreadable_limits_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="SUPPORTDESK_LOOKUP_LIMIT_PER_ORDER"):
        limits_from_env({"SUPPORTDESK_LOOKUP_LIMIT_PER_ORDER": value})


def test_the_source_is_the_conversation_when_given() -> None:
    assert source_of("c-1", "127.0.0.1") == "conversation:c-1"
    assert source_of(None, "127.0.0.1") == source_of("", "127.0.0.1") == "address:127.0.0.1"
    assert len(source_of("x" * 200, None)) <= 220


def test_an_existing_database_gets_the_source_column_and_old_failures_count_per_order(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE lookup_failures (id INTEGER PRIMARY KEY, order_number VARCHAR(40)"
            " NOT NULL, conversation_id VARCHAR(200), at DATETIME NOT NULL)"
        )
        for _ in range(LIMITS.per_order):  # failures written before sources were counted
            conn.exec_driver_sql(
                "INSERT INTO lookup_failures (order_number, conversation_id, at) VALUES (?, ?, ?)",
                (MAYA[0], "old", utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")),
            )
    old.dispose()
    db = Database(url)
    try:
        db.create_schema()
        seed(db)
        columns = {c["name"] for c in inspect(db.engine).get_columns("lookup_failures")}
        assert "source" in columns
        with pytest.raises(RateLimited):
            lookup_order(db, *MAYA, conversation_id="new")
        guess(db, "STS-7315-2264", "old", LIMITS.per_source - 1)  # not counted for "old"
    finally:
        db.dispose()
