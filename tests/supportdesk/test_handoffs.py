"""One open handoff per conversation: the domain function, the database constraint, the races."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.exc import IntegrityError

from supportdesk import agents, handoffs
from supportdesk.db import Database
from supportdesk.handoffs import HandoffRequest, create_handoff
from supportdesk.models import Handoff, utcnow
from tests.postgres import throwaway_postgres

INDEX = "uq_handoffs_open_conversation"
FIRST = {"verified_order": "STS-4829-1307", "email": "maya.chen@example.com", "tracking": "1Z"}


def request(conversation: str = "conv-1", reason: str = "The customer asked for a person.", **d):
    return HandoffRequest(
        conversation, "socketio", reason, [{"sender": "customer", "text": "hi"}], d
    )


def open_handoffs(db: Database, conversation: str = "conv-1") -> int:
    with db.read() as session:
        return session.execute(
            select(func.count())
            .select_from(Handoff)
            .where(Handoff.conversation_id == conversation)
            .where(Handoff.status.in_(handoffs.OPEN_STATUSES))
        ).scalar_one()


def an_agent(db: Database, username: str = "sam") -> int:
    agents.add_agent(db, username, username.title(), "a long enough password")
    return agents.authenticate(db, username, "a long enough password")


# --- joining the open handoff ---


def test_a_second_handoff_of_an_open_conversation_joins_the_first(db: Database) -> None:
    first = create_handoff(db, request(**FIRST))
    again = create_handoff(
        db,
        request(
            reason="Claim CLM-000004 needs a review with the customer present",
            claim_number="CLM-000004",  # a new key is added
            tracking="1Z4E82A70362815596",  # a new value wins
            email="",  # an empty one erases nothing
            description=None,
        ),
    )
    assert first["existing"] is False and first["note"] is None
    assert again["existing"] is True
    assert again["handoff_id"] == first["handoff_id"]
    assert again["status"] == "waiting" and "availability" in again
    assert again["reason"] == "The customer asked for a person."  # what it was opened with
    assert again["details"] == {
        "verified_order": "STS-4829-1307",
        "email": "maya.chen@example.com",
        "tracking": "1Z4E82A70362815596",
        "claim_number": "CLM-000004",
    }
    assert again["note"] == (
        "Handed over again: Claim CLM-000004 needs a review with the customer present. "
        "New details: claim number: CLM-000004; tracking: 1Z4E82A70362815596."
    )
    # The agent sees the new reason among the handoff's messages, and the merged details.
    stored = handoffs.get_handoff(db, first["handoff_id"])
    assert [(m["sender"], m["text"]) for m in stored["messages"]] == [("assistant", again["note"])]
    assert stored["claim_number"] == "CLM-000004"
    assert open_handoffs(db) == 1


def test_the_same_reason_again_is_noted_without_new_details(db: Database) -> None:
    first = create_handoff(db, request(**FIRST))
    again = create_handoff(db, request(**FIRST))
    assert again["existing"] is True and again["details"] == first["details"]
    assert again["note"] == "Handed over again: The customer asked for a person."


def test_an_active_handoff_is_joined_and_stays_with_its_agent(db: Database) -> None:
    sam = an_agent(db)
    first = create_handoff(db, request())
    handoffs.take(db, first["handoff_id"], sam)
    again = create_handoff(db, request(claim_number="CLM-000004"))
    assert again["existing"] is True and again["handoff_id"] == first["handoff_id"]
    assert again["status"] == "active"
    assert handoffs.get_handoff(db, first["handoff_id"])["held_by"]["username"] == "sam"


@pytest.mark.parametrize("finish", [handoffs.close, handoffs.hand_back])
def test_after_close_or_hand_back_the_next_handoff_is_new(db: Database, finish) -> None:
    sam = an_agent(db)
    first = create_handoff(db, request())
    finish(db, first["handoff_id"], sam)
    second = create_handoff(db, request(reason="Asked again the next day"))
    assert second["existing"] is False and second["handoff_id"] != first["handoff_id"]
    assert second["reason"] == "Asked again the next day" and second["status"] == "waiting"
    assert open_handoffs(db) == 1


def test_each_conversation_has_its_own_handoff(db: Database) -> None:
    one = create_handoff(db, request("conv-1"))
    two = create_handoff(db, request("conv-2"))
    assert one["handoff_id"] != two["handoff_id"]
    assert not one["existing"] and not two["existing"]


# --- races ---


def test_concurrent_requests_of_one_conversation_open_one_handoff(db: Database) -> None:
    answers: list[dict] = []
    start = threading.Barrier(12)

    def hand_over(n: int) -> None:
        start.wait()
        answers.append(create_handoff(db, request(reason=f"try {n}", **{f"fact_{n}": n})))

    threads = [threading.Thread(target=hand_over, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({a["handoff_id"] for a in answers}) == 1
    assert sorted(a["existing"] for a in answers) == [False] + [True] * 11
    assert open_handoffs(db) == 1
    # No merge was lost: every request's detail and reason is on the one handoff.
    stored = handoffs.get_handoff(db, answers[0]["handoff_id"])
    assert len(stored["details"]) == 12 and len(stored["messages"]) == 11


def test_the_database_refuses_a_second_open_handoff_of_a_conversation(db: Database) -> None:
    def insert(status: str) -> None:
        with db.write() as session:
            session.add(
                Handoff(
                    conversation_id="conv-x",
                    channel="rest",
                    reason="r",
                    transcript=[],
                    details={},
                    status=status,
                    created_at=utcnow(),
                )
            )

    insert("closed")
    insert("returned_to_bot")
    insert("waiting")  # finished handoffs do not count
    with pytest.raises(IntegrityError):
        insert("active")
    with pytest.raises(IntegrityError):
        insert("waiting")


def test_a_request_that_lost_the_race_joins_the_winner(db: Database, monkeypatch) -> None:
    # As on PostgreSQL under READ COMMITTED: the look-up runs before the other request's
    # handoff is committed, so the insert hits the unique index and the request tries again.
    winner = create_handoff(db, request(**FIRST))
    real = handoffs._open_handoff
    calls: list[str] = []

    def late_look_up(session, conversation_id):
        calls.append(conversation_id)
        return None if len(calls) == 1 else real(session, conversation_id)

    monkeypatch.setattr(handoffs, "_open_handoff", late_look_up)
    loser = create_handoff(db, request(reason="second", claim_number="CLM-000004"))
    assert len(calls) == 2
    assert loser["existing"] is True and loser["handoff_id"] == winner["handoff_id"]
    assert loser["details"]["claim_number"] == "CLM-000004"
    assert open_handoffs(db) == 1


# --- databases made before the index ---


OLD_HANDOFFS = (
    "CREATE TABLE handoffs (id INTEGER PRIMARY KEY, conversation_id VARCHAR(200) NOT NULL,"
    " channel VARCHAR(40) NOT NULL, reason VARCHAR(300) NOT NULL, transcript JSON NOT NULL,"
    " details JSON NOT NULL, status VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL,"
    " agent_id INTEGER)"
)


def old_database(tmp_path: Path, *rows: tuple[str, str]) -> str:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as conn:
        conn.exec_driver_sql(OLD_HANDOFFS)
        for n, (conversation, status) in enumerate(rows, start=1):
            conn.exec_driver_sql(
                "INSERT INTO handoffs VALUES (?, ?, 'rest', 'r', '[]', '{}', ?, "
                "'2026-01-01 00:00:00', NULL)",
                (n, conversation, status),
            )
    old.dispose()
    return url


def index_names(db: Database) -> set[str]:
    return {index["name"] for index in inspect(db.engine).get_indexes("handoffs")}


def test_an_existing_database_gets_the_open_handoff_index(tmp_path: Path) -> None:
    db = Database(old_database(tmp_path, ("conv-1", "closed"), ("conv-1", "waiting")))
    try:
        db.create_schema()
        db.create_schema()  # and again: nothing left to add
        assert INDEX in index_names(db)
        assert create_handoff(db, request("conv-1"))["existing"] is True
    finally:
        db.dispose()


def test_old_duplicates_leave_the_index_out_with_a_warning(tmp_path: Path, caplog) -> None:
    db = Database(old_database(tmp_path, ("conv-1", "waiting"), ("conv-1", "active")))
    try:
        with caplog.at_level(logging.WARNING, logger="supportdesk.db"):
            db.create_schema()  # the service still starts
        assert INDEX not in index_names(db)
        assert INDEX in caplog.text and "next start" in caplog.text
        joined = create_handoff(db, request("conv-1"))  # the oldest open one
        assert joined["existing"] is True and joined["handoff_id"] == 1
    finally:
        db.dispose()


# --- PostgreSQL, when one is given ---


@pytest.fixture
def postgres() -> Iterator[Database]:
    """A PostgreSQL database the test may fill (a throwaway server, see tests/postgres.py)."""
    with throwaway_postgres() as url:
        db = Database(url)
        db.create_schema()
        yield db
        db.dispose()


def test_concurrent_requests_open_one_handoff_on_postgresql(postgres: Database) -> None:
    conversation = f"pg-{uuid.uuid4().hex}"
    answers: list[dict] = []
    start = threading.Barrier(16)

    def hand_over(n: int) -> None:
        start.wait()
        answers.append(create_handoff(postgres, request(conversation, f"try {n}", **{str(n): n})))

    threads = [threading.Thread(target=hand_over, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 16 and len({a["handoff_id"] for a in answers}) == 1
    assert sorted(a["existing"] for a in answers) == [False] + [True] * 15
    assert open_handoffs(postgres, conversation) == 1
    assert len(handoffs.get_handoff(postgres, answers[0]["handoff_id"])["details"]) == 16


# --- the customer's messages, polled by every desk process ---


def store_at_once(db: Database, handoff_id: int, written: list, processes: int) -> None:
    """As several desk processes do when they poll Rasa for the same conversation."""
    start = threading.Barrier(processes)

    def store() -> None:
        start.wait()
        handoffs.store_customer_messages(db, handoff_id, written)

    threads = [threading.Thread(target=store) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def customer_texts(db: Database, handoff_id: int) -> list[str]:
    messages = handoffs.get_handoff(db, handoff_id)["messages"]
    return [m["text"] for m in messages if m["sender"] == "customer"]


def test_concurrent_polls_store_each_customer_message_once(db: Database) -> None:
    handoff = create_handoff(db, request())
    later = utcnow() + timedelta(seconds=5)
    written = [(later, "my phone case was not in the bag"), (later + timedelta(seconds=1), "hi?")]
    store_at_once(db, handoff["handoff_id"], written, 8)
    assert customer_texts(db, handoff["handoff_id"]) == [text for _, text in written]


def test_concurrent_polls_store_each_customer_message_once_on_postgresql(
    postgres: Database,
) -> None:
    handoff = create_handoff(postgres, request(f"pg-{uuid.uuid4().hex}"))
    later = utcnow() + timedelta(seconds=5)
    written = [(later, "my phone case was not in the bag")]
    store_at_once(postgres, handoff["handoff_id"], written, 8)
    assert customer_texts(postgres, handoff["handoff_id"]) == ["my phone case was not in the bag"]
