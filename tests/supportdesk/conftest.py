from __future__ import annotations

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
