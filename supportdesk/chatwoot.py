"""Chatwoot's HTTP API, as the support desk uses it: the only module that talks to Chatwoot.

Two of Chatwoot's APIs are used:
- the Client API of an API-channel inbox (`/public/api/v1/inboxes/{inbox_identifier}/…`, no
  token; the inbox identifier names the inbox): contacts, conversations, incoming messages;
- the Application API with the agent bot's access token (`api_access_token` header): private
  notes and `toggle_status`.

In an inbox with an agent bot, a new conversation is `pending` (the bot's); `open` hands it to
the agents. Webhooks come to the support desk with the secret in the URL's `token` (agent bot
webhooks are not signed) or signed with `X-Chatwoot-Signature` and `X-Chatwoot-Timestamp`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import requests

logger = logging.getLogger(__name__)
TIMEOUT = (3.05, 10)
SIGNATURE_MAX_AGE = 300  # seconds a signed webhook stays valid, against replays
MIN_SECRET = 16
MAX_CONTENT = 100_000  # Chatwoot refuses messages over 150,000 characters
INBOX_ENV = "HANDOFF_INBOX"
INBOXES = ("builtin", "chatwoot")


class ChatwootError(Exception):
    """Chatwoot did not do what was asked; `operation` says what, never with personal data."""

    def __init__(self, operation: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation
        self.status = status


class ChatwootUnreachable(ChatwootError):
    """No answer: connection refused, timeout, DNS."""


class ChatwootRejected(ChatwootError):
    """Chatwoot answered with an error status or a body we cannot read."""


class ChatwootNotFound(ChatwootRejected):
    """404: the inbox, contact or conversation does not exist (any more)."""


@dataclass(frozen=True)
class ChatwootConfig:
    url: str
    account_id: int
    inbox_identifier: str
    bot_token: str = field(repr=False)
    webhook_secret: str = field(repr=False)


def inbox_choice(environ: Mapping[str, str] | None = None) -> str:
    """HANDOFF_INBOX: `builtin` (the default) or `chatwoot`."""
    environ = os.environ if environ is None else environ
    choice = environ.get(INBOX_ENV, "").strip().lower() or "builtin"
    if choice not in INBOXES:
        raise ValueError(f"{INBOX_ENV} must be one of {', '.join(INBOXES)}, not {choice!r}.")
    return choice


def config_from_env(environ: Mapping[str, str] | None = None) -> ChatwootConfig:
    """The CHATWOOT_* variables, checked; a ValueError names the one that is wrong."""
    environ = os.environ if environ is None else environ

    def required(name: str) -> str:
        value = environ.get(name, "").strip()
        if not value:
            raise ValueError(f"{name} is not set; it is needed with {INBOX_ENV}=chatwoot.")
        return value

    url = required("CHATWOOT_URL").rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"CHATWOOT_URL must be an http(s) URL such as https://chat.example.com, not {url!r}."
        )
    account = required("CHATWOOT_ACCOUNT_ID")
    if not account.isdigit() or int(account) < 1:
        raise ValueError(f"CHATWOOT_ACCOUNT_ID must be a positive integer, not {account!r}.")
    identifier = required("CHATWOOT_INBOX_IDENTIFIER")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", identifier):
        raise ValueError(
            "CHATWOOT_INBOX_IDENTIFIER must be the API inbox's identifier (letters and digits)."
        )
    token = required("CHATWOOT_BOT_TOKEN")
    secret = required("CHATWOOT_WEBHOOK_SECRET")
    if len(secret) < MIN_SECRET:
        raise ValueError(f"CHATWOOT_WEBHOOK_SECRET must be at least {MIN_SECRET} characters long.")
    return ChatwootConfig(url, int(account), identifier, token, secret)


def mask_email(email: str | None) -> str:
    """`m***@example.com`: enough to tell contacts apart in logs, not to read the address."""
    if not email or "@" not in email:
        return "-"
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


def webhook_authentic(
    secret: str,
    body: bytes,
    token: str | None = None,
    signature: str | None = None,
    timestamp: str | None = None,
    now: float | None = None,
) -> bool:
    """The secret in the URL's `token`, or Chatwoot's signature of `{timestamp}.{body}`."""
    if token:
        return hmac.compare_digest(token.encode(), secret.encode())
    if not signature or not timestamp or not timestamp.isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > SIGNATURE_MAX_AGE:
        return False
    expected = "sha256=" + sign(secret, timestamp, body)
    return hmac.compare_digest(signature.strip().encode(), expected.encode())


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of `{timestamp}.{body}` in hex, as Chatwoot signs webhooks."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChatwootClient:
    config: ChatwootConfig

    def create_contact(self, identifier: str, email: str | None, attributes: dict[str, Any]) -> str:
        """The contact's `source_id` in the API inbox (Chatwoot reuses a known contact)."""
        body: dict[str, Any] = {"identifier": identifier, "custom_attributes": attributes}
        if email:
            body["email"] = email
        answer = self._post("create contact", self._public("contacts"), body)
        source_id = answer.get("source_id")
        if not isinstance(source_id, str) or not source_id:
            raise ChatwootRejected("create contact", "the answer has no source_id")
        logger.info("chatwoot: contact ready (e-mail %s)", mask_email(email))
        return source_id

    def create_conversation(self, source_id: str, attributes: dict[str, Any]) -> int:
        """A new conversation of the contact; with the inbox's agent bot it starts `pending`."""
        path = self._public(f"contacts/{quote(source_id, safe='')}/conversations")
        answer = self._post("create conversation", path, {"custom_attributes": attributes})
        return _integer(answer.get("id"), "create conversation")

    def post_incoming(self, source_id: str, conversation: int, content: str, echo_id: str) -> int:
        """The customer's message, as an incoming message of the conversation."""
        path = self._public(
            f"contacts/{quote(source_id, safe='')}/conversations/{conversation}/messages"
        )
        body = {"content": content[:MAX_CONTENT], "echo_id": echo_id}
        return _integer(self._post("post message", path, body).get("id"), "post message")

    def post_note(self, conversation: int, content: str) -> int:
        """A private note: agents see it, the customer does not."""
        body = {"content": content[:MAX_CONTENT], "message_type": "outgoing", "private": True}
        answer = self._post("post note", self._account(conversation, "messages"), body, bot=True)
        return _integer(answer.get("id"), "post note")

    def set_status(self, conversation: int, status: str) -> str:
        """`toggle_status` with the agent bot's token: `open` hands it to the agents."""
        path = self._account(conversation, "toggle_status")
        answer = self._post("toggle status", path, {"status": status}, bot=True)
        payload = answer.get("payload")
        current = payload.get("current_status") if isinstance(payload, dict) else None
        if current != status:
            raise ChatwootRejected(
                "toggle status", f"the conversation is {current!r}, not {status!r}"
            )
        return current

    def _public(self, path: str) -> str:
        inbox = quote(self.config.inbox_identifier, safe="")
        return f"/public/api/v1/inboxes/{inbox}/{path}"

    def _account(self, conversation: int, path: str) -> str:
        account = self.config.account_id
        return f"/api/v1/accounts/{account}/conversations/{conversation}/{path}"

    def _post(self, operation: str, path: str, body: dict[str, Any], bot: bool = False) -> dict:
        headers = {"api_access_token": self.config.bot_token} if bot else {}
        try:
            answer = requests.post(
                self.config.url + path, json=body, headers=headers, timeout=TIMEOUT
            )
        except requests.RequestException as error:
            raise ChatwootUnreachable(operation, type(error).__name__) from None
        if answer.status_code == 404:
            raise ChatwootNotFound(operation, "not found (404)", 404)
        if not answer.ok:
            # The body may echo what we sent (personal data): only the status is kept.
            raise ChatwootRejected(operation, f"HTTP {answer.status_code}", answer.status_code)
        try:
            data = answer.json()
        except ValueError:
            raise ChatwootRejected(operation, "the answer is not JSON") from None
        if not isinstance(data, dict):
            raise ChatwootRejected(operation, "the answer is not a JSON object")
        return data


def _integer(value: Any, operation: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ChatwootRejected(operation, "the answer has no numeric id")
    return value
