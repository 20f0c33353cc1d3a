"""Settings read from the environment, with the embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

API_KEY_ENV = "SUPPORTDESK_API_KEY"


def data_dir() -> Path:
    """The folder for SQLite files and uploads; created on first use, never committed."""
    path = Path(os.environ.get("STS_DATA_DIR", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return (
        os.environ.get("SUPPORTDESK_DATABASE_URL") or f"sqlite:///{data_dir() / 'supportdesk.db'}"
    )


def api_key() -> str | None:
    key = os.environ.get(API_KEY_ENV, "").strip()
    return key or None
