"""The parties of the whole-stack tests: a customer on Rasa's REST-callback channel, a support
agent on the inbox's JSON API, and a patient wait for what one of them should see."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
import sqlalchemy

from scripts import stack
from tests.conftest import ROOT, free_port

PASSWORD = "correct horse battery"


def wait_for(texts: Callable[[], list[str]], words: str, seconds: float, where: str) -> str:
    """The latest text containing `words`, polling `texts` until it comes or time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [t for t in texts() if words in t]
        if found:
            return found[-1]
        time.sleep(0.2)
    raise AssertionError(f"{words!r} never reached {where}; got {texts()}")


class _CallbackHandler(BaseHTTPRequestHandler):
    received: list[dict]

    def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        self.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def callback_server() -> Iterator[tuple[str, list[dict]]]:
    """The customer's side of the callback channel: its URL, and every message Rasa posts."""
    received: list[dict] = []
    handler = type("CallbackHandler", (_CallbackHandler,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/bot", received
    finally:
        server.shutdown()


def with_callback(workdir: Path, url: str) -> Path:
    """credentials.yml with the callback channel (Rasa's, body checked) added, posting to `url`."""
    credentials = workdir / "credentials.yml"
    channel = f"\nchannels.rest.CallbackInput:\n  url: {url}\n"
    credentials.write_text((ROOT / "credentials.yml").read_text() + channel)
    return credentials


class CallbackCustomer:
    """A customer on the callback channel: writes to Rasa, reads what Rasa posted back."""

    def __init__(self, running: stack.Stack, received: list[dict]) -> None:
        self.url = f"http://127.0.0.1:{running.ports.rasa}/webhooks/callback/webhook"
        self.sender = f"customer-{uuid.uuid4().hex[:8]}"
        self.received = received

    def says(self, text: str) -> None:
        answer = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        answer.raise_for_status()

    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.received if m.get("recipient_id") == self.sender]

    def waits_for(self, words: str, seconds: float = 20) -> str:
        return wait_for(self.texts, words, seconds, "the customer")


def add_agent(running: stack.Stack, username: str = "sam", name: str = "Sam Rivera") -> None:
    """An agent account, made as an administrator would; an existing one is left as it is."""
    subprocess.run(
        [sys.executable, "-m", "supportdesk", "add-agent", username, "--name", name],
        input=PASSWORD,
        text=True,
        cwd=ROOT,
        env=running.env,
        capture_output=True,
        check=False,
    )


class Agent:
    """A support agent signed in to the inbox's JSON API with a cookie and its CSRF token."""

    def __init__(self, running: stack.Stack, username: str = "sam") -> None:
        self.base = f"http://127.0.0.1:{running.ports.supportdesk}/agent"
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        answer = self.session.post(
            f"{self.base}/login", data={"username": username, "password": PASSWORD}, timeout=10
        )
        answer.raise_for_status()
        self.session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]

    def post(self, path: str, **data: str) -> dict[str, Any]:
        answer = self.session.post(f"{self.base}{path}", data=data, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def act(self, handoff: int, action: str, **data: str) -> dict[str, Any]:
        return self.post(f"/handoffs/{handoff}/{action}", **data)

    def handoff_of(self, conversation: str) -> int:
        queue = self.session.get(self.base, timeout=10).json()["queue"]
        return next(h["handoff_id"] for h in queue if h["conversation_id"] == conversation)

    def sees(self, handoff: int) -> list[dict[str, Any]]:
        return self.session.get(f"{self.base}/handoffs/{handoff}", timeout=10).json()["messages"]


def desk_rows(running: stack.Stack, sql: str, **params: object) -> list[tuple]:
    """Rows of a query on the support desk's own database (SQLite or PostgreSQL)."""
    engine = sqlalchemy.create_engine(running.desk_database_url)
    try:
        with engine.connect() as db:
            return [tuple(row) for row in db.execute(sqlalchemy.text(sql), params)]
    finally:
        engine.dispose()
