"""Rasa's SQLite tracker store writes ahead to a log, each connection with synchronous=NORMAL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from rasa_hooks import sqlite_tracker

DOMAIN = Domain.load(Path(__file__).resolve().parents[2] / "domain.yml")
NORMAL = 1  # what PRAGMA synchronous answers for NORMAL (FULL is 2)


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    original = SQLTrackerStore.__init__
    monkeypatch.setattr(SQLTrackerStore, "__init__", getattr(original, "__wrapped__", original))
    sqlite_tracker.install()


def _pragma(store: SQLTrackerStore, name: str) -> object:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_the_store_logs_ahead_and_flushes_less(tmp_path: Path) -> None:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert _pragma(store, "journal_mode") == "wal"
    assert _pragma(store, "synchronous") == NORMAL
    store.engine.dispose()
    assert _pragma(store, "synchronous") == NORMAL  # a new connection gets it too


def test_the_journal_mode_is_kept_in_the_file(tmp_path: Path) -> None:
    SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    with sqlite3.connect(tmp_path / "tracker.db") as other:  # e.g. a backup tool
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_in_memory_store_is_left_alone() -> None:
    store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=":memory:")
    assert _pragma(store, "journal_mode") == "memory"
