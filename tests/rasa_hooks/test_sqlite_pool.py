"""Rasa's SQLite tracker store opens its database connection once, not for every session."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
import rasa.core.tracker_store
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event

from rasa_hooks import sqlite_pool

DOMAIN = Domain.load(Path(__file__).resolve().parents[2] / "domain.yml")


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    original = rasa.core.tracker_store.create_engine_kwargs
    monkeypatch.setattr(
        rasa.core.tracker_store,
        "create_engine_kwargs",
        getattr(original, "__wrapped__", original),
    )
    sqlite_pool.install()


def _turns(store: SQLTrackerStore, sender: str, turns: int) -> DialogueStateTracker:
    async def talk() -> DialogueStateTracker:
        for n in range(turns):
            tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
            tracker.update(UserUttered(f"message {n}", {"name": "greet", "confidence": 1.0}))
            tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)
        return await store.retrieve(sender)

    return asyncio.run(talk())


def test_a_conversation_is_kept_over_one_connection(tmp_path: Path) -> None:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    store.engine.dispose()
    connects: list[object] = []
    event.listen(store.engine, "connect", lambda *args: connects.append(args))
    tracker = _turns(store, "shopper", 5)
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
        f"message {n}" for n in range(5)
    ]
    assert len(connects) == 1  # Rasa alone connects for each of its eleven sessions


def test_the_connection_may_serve_another_thread(tmp_path: Path) -> None:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    _turns(store, "shopper", 1)
    found: list[DialogueStateTracker | None] = []
    worker = threading.Thread(target=lambda: found.append(asyncio.run(store.retrieve("shopper"))))
    worker.start()
    worker.join()
    assert found[0] is not None and found[0].latest_message.text == "message 0"


@pytest.mark.parametrize(
    "url",
    ["sqlite://", "sqlite:///:memory:", "postgresql://rasa:secret@localhost:5432/rasa"],
)
def test_other_databases_keep_rasas_options(url: str) -> None:
    rasa_options = rasa.core.tracker_store.create_engine_kwargs.__wrapped__(url)
    assert rasa.core.tracker_store.create_engine_kwargs(url) == rasa_options
