"""Settings read from the environment, with the embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

API_KEY_ENV = "SUPPORTDESK_API_KEY"
UPLOAD_SECRET_ENV = "SUPPORTDESK_UPLOAD_SECRET"  # noqa: S105  (a variable name)


def data_dir() -> Path:
    """The folder for SQLite files and uploads; created on first use, never committed."""
    path = Path(os.environ.get("STS_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return (
        os.environ.get("SUPPORTDESK_DATABASE_URL") or f"sqlite:///{data_dir() / 'supportdesk.db'}"
    )


def api_key() -> str | None:
    key = os.environ.get(API_KEY_ENV, "").strip()
    return key or None


def upload_secret() -> str | None:
    """The HMAC secret for evidence upload links."""
    secret = os.environ.get(UPLOAD_SECRET_ENV, "").strip()
    return secret or None


def public_url(port: int) -> str:
    """Where customers' browsers reach the support desk (upload links point here)."""
    return os.environ.get("SUPPORTDESK_PUBLIC_URL", f"http://localhost:{port}").rstrip("/")


def help_center_dir() -> Path:
    """The help center's Markdown articles (the demo's by default)."""
    default = Path(__file__).with_name("articles")
    return Path(os.environ.get("HELP_CENTER_DIR") or default).resolve()


def help_center_settings() -> dict[str, str]:
    """The contact details that the articles' placeholders stand for."""
    return {
        "support_email": os.environ.get("SUPPORT_EMAIL", "support@example.com"),
        "help_center_url": os.environ.get("HELP_CENTER_URL", "https://help.example.com").rstrip(
            "/"
        ),
        "app_support_section": os.environ.get("APP_SUPPORT_SECTION", "Help & Support"),
    }
