"""Engine and session handling for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

Base = declarative_base()
logger = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, explicit BEGIN modes and a pool."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, future=True)
    options = {}
    if _is_file(url):
        # SQLAlchemy 1.4 opens a new SQLite connection for every session of a file database
        # (NullPool): with its pragmas, about a millisecond, twice per order look-up. Pooled
        # connections (SQLAlchemy 2.0's default for files) are opened once.
        options["poolclass"] = QueuePool
    engine = create_engine(
        url, future=True, connect_args={"check_same_thread": False, "timeout": 30}, **options
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # A writer takes SQLite's write lock up front, so that two writers
        # checking the same rows are serialised instead of deadlocking.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _is_file(url: str) -> bool:
    database = make_url(url).database
    return bool(database) and database != ":memory:" and not database.startswith("file::memory:")


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)

    def create_schema(self) -> None:
        from supportdesk import models  # noqa: F401  (registers the tables)

        Base.metadata.create_all(self.engine)
        self._add_missing_columns()
        self._add_missing_indexes()

    def _add_missing_columns(self) -> None:
        """Add columns that newer versions put on existing tables (no migration tool here)."""
        added = {
            ("handoffs", "agent_id"): "INTEGER REFERENCES agents(id)",
            ("lookup_failures", "source"): "VARCHAR(220)",
        }
        existing = inspect(self.engine)
        with self.engine.begin() as conn:
            for (table, column), ddl in added.items():
                names = {c["name"] for c in existing.get_columns(table)}
                if column not in names:
                    conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")

    def _add_missing_indexes(self) -> None:
        """Create the indexes that newer versions put on existing tables.

        A unique index that the rows already break (say two open handoffs of one conversation,
        written before the index existed) is not created: a warning names it, and the next
        start tries again.
        """
        existing = inspect(self.engine)
        for table in Base.metadata.sorted_tables:
            names = {index["name"] for index in existing.get_indexes(table.name)}
            for index in table.indexes:
                if index.name in names:
                    continue
                try:
                    with self.engine.begin() as conn:
                        index.create(conn, checkfirst=True)
                except IntegrityError as error:
                    logger.warning(
                        "index %s is not created: rows of %s break it (%s); resolve them, "
                        "and the next start creates it",
                        index.name,
                        table.name,
                        error.orig,
                    )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with self._sessions() as session:
            session.connection(execution_options={"write": True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
