"""Rasa's SQLite tracker store commits a turn with one append to a log, not two disk flushes.

Rasa 3.6's `SQLTrackerStore` opens SQLite with its defaults: a rollback journal and
`synchronous=FULL`, so each saved turn waits for the disk to flush the journal and then the
database; with the support desk writing to the same disk at the same time, that was about 3 ms
of each turn here (py-spy: the largest part of the save). The store's database is switched to
write-ahead logging (`journal_mode=WAL`, kept in the file) and each of its connections to
`synchronous=NORMAL`, SQLite's documented pairing for WAL: a commit appends to the log, and the
database stays consistent after a crash of Rasa or of the machine; a power cut may lose the
last turns, never corrupt the rest. Readers (the HTTP API) no longer wait for a writer either.
Other databases (PostgreSQL, in-memory SQLite) are left as Rasa makes them. The support desk,
the system of record for claims, keeps SQLite's full flushes.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event
from sqlalchemy.engine import Engine

JOURNAL_MODE = "wal"
SYNCHRONOUS = "NORMAL"


def tune(engine: Engine) -> None:
    """Write-ahead logging for an SQLite engine's database, `synchronous=NORMAL` for each of
    its connections; any other engine is left alone."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    event.listen(engine, "connect", _on_connect)
    engine.dispose()  # connections opened before the listener get it too
    with engine.connect() as connection:
        connection.exec_driver_sql(f"PRAGMA journal_mode={JOURNAL_MODE}")  # kept in the file


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")  # one connection's setting
    cursor.close()


def install() -> None:
    """Tune the engine of every SQL tracker store Rasa creates from now on."""
    original = SQLTrackerStore.__init__
    if getattr(original, "_tuned", False):
        return

    def __init__(self: SQLTrackerStore, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        tune(self.engine)

    __init__._tuned = True  # type: ignore[attr-defined]
    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    SQLTrackerStore.__init__ = __init__  # type: ignore[method-assign]
