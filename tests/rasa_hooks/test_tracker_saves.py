"""Saves without the count query: the same rows as Rasa's own saves, one query fewer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from rasa_hooks import tracker_saves
from tests.conftest import ROOT

DOMAIN = Domain.load(ROOT / "domain.yml")


def turn(n: int) -> list:
    return [UserUttered(f"message {n}"), BotUttered(f"answer {n}"), ActionExecuted("action_listen")]


def conversation(store: SQLTrackerStore, sender: str) -> list[tuple[str, str]]:
    """What a conversation does to the store: new, then three turns, each read and saved."""

    async def run() -> None:
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(SessionStarted())
        await store.save(tracker)
        for n in range(3):
            tracker = await store.retrieve(sender)
            for event in turn(n):
                tracker.update(event)
            await store.save(tracker)
            if n == 1:
                tracker.update(BotUttered("said after the first save"))
                await store.save(tracker)  # the same tracker saved twice in one turn

    asyncio.run(run())
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).filter_by(sender_id=sender).order_by("id").all()
        return [(row.type_name, row.data.split('"text": ')[-1][:30]) for row in rows]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLTrackerStore]:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    yield store
    store.engine.dispose()


def counted_queries(store: SQLTrackerStore) -> list[str]:
    seen: list[str] = []
    sqlalchemy.event.listen(
        store.engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *rest: seen.append(statement),
    )
    return seen


def hook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the hook for one test (`tracker_saves.install`, undone after it)."""
    for name, value in (
        ("retrieve", tracker_saves.retrieve),
        ("save", tracker_saves.save),
        ("_additional_events", tracker_saves.additional_events),
    ):
        monkeypatch.setattr(SQLTrackerStore, name, value)


def test_the_rows_are_the_same_as_with_rasas_own_saves(
    store: SQLTrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    stock = conversation(store, "stock")
    hook(monkeypatch)
    hooked = conversation(store, "hooked")
    assert hooked == stock
    assert len(hooked) == 1 + 1 + 3 * 3 + 1  # listen, session start, 3 turns, the extra answer


def test_a_retrieved_tracker_is_saved_without_counting(
    store: SQLTrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook(monkeypatch)
    conversation(store, "first")
    queries = counted_queries(store)

    async def one_turn() -> None:
        tracker = await store.retrieve("first")
        tracker.update(UserUttered("one more"))
        queries.clear()
        await store.save(tracker)

    asyncio.run(one_turn())
    assert any(q.startswith("INSERT") for q in queries)
    assert not [q for q in queries if "count(" in q.lower()], queries


def test_a_tracker_not_read_by_retrieve_is_counted_as_rasa_does(
    store: SQLTrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook(monkeypatch)
    conversation(store, "full")
    queries = counted_queries(store)

    async def from_every_session() -> None:
        tracker = await store.retrieve_full_tracker("full")
        assert not hasattr(tracker, tracker_saves.STORED)
        tracker.update(UserUttered("and another"))
        await store.save(tracker)

    asyncio.run(from_every_session())
    assert [q for q in queries if "count(" in q.lower()]
