"""Rasa's SQLite tracker store keeps its database connection open between turns.

SQLAlchemy 1.4, which Rasa 3.6 uses, opens a new SQLite connection for every session on a
file database (its `NullPool`), and Rasa's SQL tracker store opens two sessions per turn: one
to load the conversation, one to save it. Connecting (opening the file, reading its schema)
was about a millisecond each time. Here a file database gets SQLAlchemy's `QueuePool`, the
default SQLAlchemy 2.0 chose for SQLite files, so the connection is opened once and reused.
The connection may then be handed from one thread to another between sessions (never used by
two at once), which pysqlite allows only when told (`check_same_thread=False`). In-memory
SQLite and other databases (PostgreSQL, which Rasa pools already) are left as Rasa makes them.
"""

from __future__ import annotations

from typing import Any

import rasa.core.tracker_store
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool


def is_sqlite_file(url: str | URL) -> bool:
    parsed = make_url(url)
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")


def install() -> None:
    """Add the pool to the engine options Rasa's SQL tracker store creates its engine with."""
    original = rasa.core.tracker_store.create_engine_kwargs
    if getattr(original, "_pooled", False):
        return

    def create_engine_kwargs(url: str | URL) -> dict[str, Any]:
        options = original(url)
        if is_sqlite_file(url):
            connect_args = {**options.get("connect_args", {}), "check_same_thread": False}
            options.update(poolclass=QueuePool, connect_args=connect_args)
        return options

    create_engine_kwargs._pooled = True  # type: ignore[attr-defined]
    create_engine_kwargs.__wrapped__ = original  # type: ignore[attr-defined]
    rasa.core.tracker_store.create_engine_kwargs = create_engine_kwargs
