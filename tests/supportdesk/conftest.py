from __future__ import annotations

import os
from pathlib import Path

import pytest

from supportdesk.db import Database
from supportdesk.demo import seed


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """A real SQLite file with the schema and the demo data."""
    database = Database(f"sqlite:///{tmp_path / 'desk.db'}")
    database.create_schema()
    seed(database)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def default_lookup_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own SUPPORTDESK_LOOKUP_* settings must not change what tests see."""
    for name in [n for n in os.environ if n.startswith("SUPPORTDESK_LOOKUP_")]:
        monkeypatch.delenv(name)
