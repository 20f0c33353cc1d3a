"""The demo store help page with the chat widget (`web/index.html`), and the widget's script.

The page is a static file with one placeholder, filled in when it is served: where the
browser reaches Rasa's socket.io channel. The widget (npm `rasa-webchat`) is fetched by the
set-up into `web/vendor/`, which is never committed.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
PLACEHOLDER = "{{RASA_PUBLIC_URL}}"
RASA_PUBLIC_URL_ENV = "RASA_PUBLIC_URL"
DEFAULT_RASA_PUBLIC_URL = "http://localhost:5005"
WIDGET = Path("vendor", "rasa-webchat", "index.js")
WIDGET_MISSING = (
    "The chat widget (npm package rasa-webchat 1.0.1) has not been fetched yet. "
    "Run `make web/vendor/rasa-webchat/index.js` (make run and make test do it), "
    "then reload the page.\n"
)


def rasa_public_url(environ: dict[str, str] | None = None) -> str:
    """Where customers' browsers reach the Rasa server: `RASA_PUBLIC_URL`, else the default."""
    environ = os.environ if environ is None else environ
    return checked_url(environ.get(RASA_PUBLIC_URL_ENV, "").strip() or DEFAULT_RASA_PUBLIC_URL)


def checked_url(url: str) -> str:
    """An absolute http(s) URL without a trailing slash; ValueError for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{RASA_PUBLIC_URL_ENV} must be an http(s) URL, not {url!r}")
    return url.rstrip("/")


def render_page(rasa_url: str, web_dir: Path = WEB_DIR) -> str:
    """`web/index.html` with the socket URL filled in (it sits in an HTML attribute)."""
    page = (web_dir / "index.html").read_text(encoding="utf-8")
    return page.replace(PLACEHOLDER, html.escape(checked_url(rasa_url), quote=True))


def widget_script(web_dir: Path = WEB_DIR) -> bytes | None:
    """The fetched widget bundle, or None when the set-up has not fetched it yet."""
    path = web_dir / WIDGET
    return path.read_bytes() if path.is_file() else None
