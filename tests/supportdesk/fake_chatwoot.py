"""A small local Chatwoot: the endpoints the support desk calls, answering as Chatwoot documents.

- Client API of one API-channel inbox (no token): contacts, conversations, incoming messages.
- Application API with an `api_access_token` header (401 without the bot's token): messages
  (private notes) and `toggle_status`.

It keeps contacts, conversations (status and its history) and messages, and sends webhooks as
Chatwoot does, one after the other from a worker thread: to the agent bot's outgoing URL
(`message_created`, `conversation_opened`, `conversation_resolved`; never
`conversation_status_changed`) and, when set, to an account webhook (`message_created`,
`conversation_status_changed`) signed with `X-Chatwoot-Signature` over `{timestamp}.{body}`.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

INBOX_ID = 7
PUBLIC = r"^/public/api/v1/inboxes/(?P<inbox>[^/]+)"
CONTACT = PUBLIC + r"/contacts/(?P<source>[^/]+)"
ACCOUNT = r"^/api/v1/accounts/(?P<account>\d+)/conversations/(?P<conversation>\d+)"


@dataclass
class Conversation:
    id: int
    source_id: str
    status: str
    custom_attributes: dict[str, Any]
    status_history: list[str] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Delivery:
    url: str
    event: str
    status: int | None
    body: Any


class FakeChatwoot:
    def __init__(
        self,
        account_id: int = 1,
        inbox_identifier: str = "stsApiInbox42",
        bot_token: str = "bot-token-" + "b" * 20,
        webhook_secret: str = "account-webhook-secret-" + "s" * 20,
    ) -> None:
        self.account_id = account_id
        self.inbox_identifier = inbox_identifier
        self.bot_token = bot_token
        self.webhook_secret = webhook_secret
        self.bot_url: str | None = None  # the agent bot's outgoing URL
        self.account_webhook_url: str | None = None
        self.contacts: dict[str, dict[str, Any]] = {}
        self.conversations: dict[int, Conversation] = {}
        self.failures: dict[str, list[int]] = {}  # operation → statuses to answer, in turn
        self.deliveries: list[Delivery] = []
        self.lock = threading.RLock()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1001)
        self._outbox: queue.Queue[tuple[str, dict[str, Any], bool] | None] = queue.Queue()
        self._server: ThreadingHTTPServer | None = None

    # --- running ---

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
                length = int(self.headers.get("content-length", 0))
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = None
                status, answer = fake.handle(self.path, dict(self.headers), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        threading.Thread(target=self._send_webhooks, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        self._outbox.put(None)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def env(self, secret: str) -> dict[str, str]:
        """What the support desk needs to use this Chatwoot."""
        return {
            "HANDOFF_INBOX": "chatwoot",
            "CHATWOOT_URL": self.url,
            "CHATWOOT_ACCOUNT_ID": str(self.account_id),
            "CHATWOOT_INBOX_IDENTIFIER": self.inbox_identifier,
            "CHATWOOT_BOT_TOKEN": self.bot_token,
            "CHATWOOT_WEBHOOK_SECRET": secret,
        }

    # --- the API ---

    def handle(self, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        routes: list[tuple[str, Callable[..., tuple[int, Any]], bool]] = [
            (PUBLIC + r"/contacts$", self._create_contact, False),
            (CONTACT + r"/conversations$", self._create_conversation, False),
            (CONTACT + r"/conversations/(?P<conversation>\d+)/messages$", self._incoming, False),
            (ACCOUNT + r"/messages$", self._account_message, True),
            (ACCOUNT + r"/toggle_status$", self._toggle_status, True),
        ]
        for pattern, handler, needs_token in routes:
            found = re.match(pattern, path.split("?")[0])
            if not found:
                continue
            if needs_token:
                token = {k.lower(): v for k, v in headers.items()}.get("api_access_token")
                if token != self.bot_token or int(found["account"]) != self.account_id:
                    return 401, {"error": "Invalid Access Token"}
            elif found["inbox"] != self.inbox_identifier:
                return 404, {"error": "Resource could not be found"}
            if not isinstance(body, dict):
                return 400, {"error": "Invalid JSON"}
            failure = self._failure(handler.__name__.strip("_"))
            if failure:
                return failure, {"error": "Simulated failure"}
            with self.lock:
                return handler(body, **found.groupdict())
        return 404, {"error": "Resource could not be found"}

    def fail_next(self, operation: str, status: int = 500, times: int = 1) -> None:
        """Answer `status` to the next calls of one operation (e.g. "toggle_status")."""
        self.failures.setdefault(operation, []).extend([status] * times)

    def _failure(self, operation: str) -> int | None:
        with self.lock:
            pending = self.failures.get(operation)
            return pending.pop(0) if pending else None

    def _create_contact(self, body: dict[str, Any], inbox: str) -> tuple[int, Any]:
        existing = next(
            (
                c
                for c in self.contacts.values()
                if body.get("identifier") and c["identifier"] == body.get("identifier")
            ),
            None,
        )
        contact_id = existing["id"] if existing else next(self._ids)
        source_id = str(uuid.uuid4())
        self.contacts[source_id] = {
            "id": contact_id,
            "source_id": source_id,
            "identifier": body.get("identifier"),
            "name": body.get("name") or f"visitor-{contact_id}",
            "email": body.get("email"),
            "phone_number": None,
            "custom_attributes": body.get("custom_attributes") or {},
        }
        public = {k: self.contacts[source_id][k] for k in ("id", "name", "email", "phone_number")}
        return 200, {"source_id": source_id, "pubsub_token": uuid.uuid4().hex, **public}

    def _create_conversation(
        self, body: dict[str, Any], inbox: str, source: str
    ) -> tuple[int, Any]:
        if source not in self.contacts:
            return 404, {"error": "Resource could not be found"}
        # The inbox has an agent bot: a new conversation is the bot's, `pending`.
        conversation = Conversation(
            id=len(self.conversations) + 1,
            source_id=source,
            status="pending",
            custom_attributes=body.get("custom_attributes") or {},
            status_history=["pending"],
        )
        self.conversations[conversation.id] = conversation
        return 200, self._public_conversation(conversation)

    def _incoming(
        self, body: dict[str, Any], inbox: str, source: str, conversation: str
    ) -> tuple[int, Any]:
        found = self.conversations.get(int(conversation))
        if found is None or found.source_id != source:
            return 404, {"error": "Resource could not be found"}
        sender = {**self._contact_ref(found), "type": "contact"}
        message = self._add_message(found, body.get("content"), "incoming", False, sender)
        return 200, {
            "id": message["id"],
            "content": message["content"],
            "message_type": 0,
            "content_type": "text",
            "content_attributes": {},
            "created_at": int(time.time()),
            "conversation_id": found.id,
            "sender": sender,
        }

    def _account_message(
        self, body: dict[str, Any], account: str, conversation: str
    ) -> tuple[int, Any]:
        found = self.conversations.get(int(conversation))
        if found is None:
            return 404, {"error": "Resource could not be found"}
        sender = {"id": 3, "name": "Ship to Store assistant", "type": "agent_bot"}
        private = body.get("private") is True
        kind = body.get("message_type") or "outgoing"
        message = self._add_message(found, body.get("content"), kind, private, sender)
        return 200, {**message, "conversation_id": found.id, "message_type": 1}

    def _toggle_status(
        self, body: dict[str, Any], account: str, conversation: str
    ) -> tuple[int, Any]:
        found = self.conversations.get(int(conversation))
        if found is None:
            return 404, {"error": "Resource could not be found"}
        status = body.get("status")
        if status not in ("open", "resolved", "pending", "snoozed"):
            return 422, {"error": "Invalid status"}
        self._set_status(found, status)
        return 200, {
            "meta": {},
            "payload": {"success": True, "current_status": status, "conversation_id": found.id},
        }

    # --- what agents do in Chatwoot's dashboard ---

    def agent_replies(self, conversation: int, text: str, agent: str = "Sam Rivera") -> dict:
        """A human agent's reply: its `message_created` payload (also sent to the webhooks)."""
        with self.lock:
            sender = {"id": 5, "name": agent, "email": "sam@example.com", "type": "user"}
            found = self.conversations[conversation]
            return self._add_message(found, text, "outgoing", False, sender)

    def agent_writes_note(self, conversation: int, text: str) -> dict:
        with self.lock:
            sender = {"id": 5, "name": "Sam Rivera", "email": "sam@example.com", "type": "user"}
            return self._add_message(
                self.conversations[conversation], text, "outgoing", True, sender
            )

    def bot_says(self, conversation: int, text: str) -> dict:
        """A public message of the agent bot itself (its `message_created` payload)."""
        with self.lock:
            sender = {"id": 3, "name": "Ship to Store assistant", "type": "agent_bot"}
            return self._add_message(
                self.conversations[conversation], text, "outgoing", False, sender
            )

    def customer_writes(self, conversation: int, text: str) -> dict:
        with self.lock:
            found = self.conversations[conversation]
            sender = {**self._contact_ref(found), "type": "contact"}
            return self._add_message(found, text, "incoming", False, sender)

    def resolve(self, conversation: int) -> list[dict[str, Any]]:
        """The agent resolves it; the payloads sent (agent bot, then account webhook)."""
        with self.lock:
            return self._set_status(self.conversations[conversation], "resolved")

    def set_pending(self, conversation: int) -> list[dict[str, Any]]:
        """The agent gives it back to the bot; only an account webhook hears of it."""
        with self.lock:
            return self._set_status(self.conversations[conversation], "pending")

    # --- state and webhooks ---

    def texts(self, conversation: int, kind: str = "incoming") -> list[str]:
        with self.lock:
            found = self.conversations[conversation]
            return [m["content"] for m in found.messages if m["message_type"] == kind]

    def notes(self, conversation: int) -> list[str]:
        with self.lock:
            return [m["content"] for m in self.conversations[conversation].messages if m["private"]]

    def wait_until(self, check: Callable[[], Any], seconds: float = 10) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"not within {seconds} s")

    def drain(self, seconds: float = 10) -> None:
        """Wait until every webhook queued so far was delivered."""
        self.wait_until(lambda: self._outbox.unfinished_tasks == 0, seconds)

    def _add_message(
        self,
        conversation: Conversation,
        content: Any,
        kind: str,
        private: bool,
        sender: dict[str, Any],
    ) -> dict[str, Any]:
        message = {
            "id": next(self._message_ids),
            "content": content,
            "message_type": kind,
            "content_type": "text",
            "content_attributes": {},
            "private": private,
            "source_id": None,
            "created_at": datetime.now(timezone.utc).isoformat(),
            "sender": sender,
        }
        conversation.messages.append(message)
        payload = {
            **message,
            "event": "message_created",
            "inbox": {"id": INBOX_ID, "name": "Ship to Store"},
            "conversation": self._conversation_data(conversation),
            "account": {"id": self.account_id, "name": "Ship to Store"},
        }
        self._queue(payload, bot=True, account=True)
        return payload

    def _set_status(self, conversation: Conversation, status: str) -> list[dict[str, Any]]:
        conversation.status = status
        conversation.status_history.append(status)
        sent = []
        bot_event = {"open": "conversation_opened", "resolved": "conversation_resolved"}
        if status in bot_event:
            sent.append({**self._conversation_data(conversation), "event": bot_event[status]})
            self._queue(sent[-1], bot=True, account=False)
        changed = {**self._conversation_data(conversation), "event": "conversation_status_changed"}
        sent.append(changed)
        self._queue(changed, bot=False, account=True)
        return sent

    def _queue(self, payload: dict[str, Any], bot: bool, account: bool) -> None:
        if bot and self.bot_url:
            self._outbox.put((self.bot_url, payload, False))
        if account and self.account_webhook_url:
            self._outbox.put((self.account_webhook_url, payload, True))

    def _send_webhooks(self) -> None:
        while True:
            item = self._outbox.get()
            if item is None:
                self._outbox.task_done()
                return
            url, payload, signed = item
            body = json.dumps(payload).encode()
            headers = {"Content-Type": "application/json"}
            if signed:
                stamp = str(int(time.time()))
                digest = hmac.new(
                    self.webhook_secret.encode(), stamp.encode() + b"." + body, hashlib.sha256
                ).hexdigest()
                headers |= {
                    "X-Chatwoot-Timestamp": stamp,
                    "X-Chatwoot-Signature": f"sha256={digest}",
                }
            try:
                answer = requests.post(url, data=body, headers=headers, timeout=15)
                status, content = answer.status_code, answer.text
            except requests.RequestException as error:
                status, content = None, str(error)
            with self.lock:
                self.deliveries.append(Delivery(url, payload["event"], status, content))
            self._outbox.task_done()

    def _contact_ref(self, conversation: Conversation) -> dict[str, Any]:
        contact = self.contacts[conversation.source_id]
        return {"id": contact["id"], "name": contact["name"], "email": contact["email"]}

    def _public_conversation(self, conversation: Conversation) -> dict[str, Any]:
        return {
            "id": conversation.id,
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"conversation-{conversation.id}")),
            "inbox_id": INBOX_ID,
            "contact_last_seen_at": 0,
            "status": conversation.status,
            "agent_last_seen_at": 0,
            "messages": [],
            "contact": self._contact_ref(conversation),
        }

    def _conversation_data(self, conversation: Conversation) -> dict[str, Any]:
        """A conversation as webhooks carry it (`id` is the id shown in the dashboard)."""
        contact = self.contacts[conversation.source_id]
        return {
            "additional_attributes": {},
            "can_reply": True,
            "channel": "Channel::Api",
            "id": conversation.id,
            "inbox_id": INBOX_ID,
            "contact_inbox": {"contact_id": contact["id"], "source_id": conversation.source_id},
            "custom_attributes": conversation.custom_attributes,
            "meta": {"sender": {**self._contact_ref(conversation), "type": "contact"}},
            "status": conversation.status,
            "unread_count": 0,
            "timestamp": int(time.time()),
        }
