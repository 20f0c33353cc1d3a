"""The support desk's way into the conversation, through Rasa's HTTP API.

While an agent holds a conversation the bot is paused (Rasa keeps logging the customer's
messages but predicts nothing); agent replies are logged as bot messages and sent on the
customer's latest channel; hand-back resumes the bot.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol
from urllib.parse import quote

import requests

logger = logging.getLogger(__name__)
TIMEOUT = (3.05, 10)


class Bridge(Protocol):
    def pause(self, conversation_id: str) -> None: ...
    def resume(self, conversation_id: str, message: str | None = None) -> None: ...
    def say(self, conversation_id: str, text: str, claim_status: str | None = None) -> None: ...
    def customer_messages(self, conversation_id: str) -> list[tuple[datetime, str]]: ...


class NoBridge:
    """When no Rasa server is configured (RASA_URL unset): the inbox works on its own."""

    def pause(self, conversation_id: str) -> None:
        return None

    def resume(self, conversation_id: str, message: str | None = None) -> None:
        return None

    def say(self, conversation_id: str, text: str, claim_status: str | None = None) -> None:
        return None

    def customer_messages(self, conversation_id: str) -> list[tuple[datetime, str]]:
        return []


@dataclass
class RasaBridge:
    """Rasa's HTTP API (`rasa run --enable-api --auth-token …`)."""

    base_url: str
    token: str

    def pause(self, conversation_id: str) -> None:
        self._post(conversation_id, "tracker/events", {"event": "pause"})

    def resume(self, conversation_id: str, message: str | None = None) -> None:
        """Let the bot answer again; with `message`, tell the customer in the same call, so
        that nothing the customer writes is answered before it."""
        events: list[dict[str, Any]] = [{"event": "resume"}]
        if message:
            events += said(message)
        self._post(conversation_id, "tracker/events", events, latest=True, side_effects=True)

    def say(self, conversation_id: str, text: str, claim_status: str | None = None) -> None:
        """Send a message on the channel the customer used last, even while the bot is paused.

        One call, under the conversation's lock: the message is logged as the bot's and sent
        (`execute_side_effects`), then the assistant listens, as after any bot turn, so that
        the rules still match the customer's next message once the bot is resumed. With
        `claim_status`, the conversation also notes that the customer has been told of it,
        so that the assistant does not repeat the update on the next message.
        """
        events = said(text)
        if claim_status:
            events.insert(0, {"event": "slot", "name": "claim_status_seen", "value": claim_status})
        self._post(conversation_id, "tracker/events", events, latest=True, side_effects=True)

    def customer_messages(self, conversation_id: str) -> list[tuple[datetime, str]]:
        """Every message the customer wrote in the conversation, with its time."""
        answer = requests.get(
            self._url(conversation_id, "tracker"),
            params={"token": self.token, "include_events": "ALL"},
            timeout=TIMEOUT,
        )
        answer.raise_for_status()
        return [
            (datetime.fromtimestamp(e["timestamp"], timezone.utc), e.get("text") or "")
            for e in answer.json().get("events", [])
            if e.get("event") == "user" and e.get("text")
        ]

    def _post(
        self,
        conversation_id: str,
        path: str,
        body: Any,
        latest: bool = False,
        side_effects: bool = False,
    ) -> None:
        params = {"token": self.token}
        if latest:
            params["output_channel"] = "latest"
        if side_effects:
            params["execute_side_effects"] = "true"
        answer = requests.post(
            self._url(conversation_id, path), params=params, json=body, timeout=TIMEOUT
        )
        answer.raise_for_status()

    def _url(self, conversation_id: str, path: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{path}"


def said(text: str) -> list[dict[str, Any]]:
    """The events of a message from the support team: logged as the bot's, then listening."""
    return [
        {"event": "slot", "name": "agent_message", "value": text},
        {"event": "bot", "text": text, "metadata": {"utter_action": "utter_agent_message"}},
        {"event": "action", "name": "action_listen"},
    ]


def bridge_from_env() -> Bridge:
    """RASA_URL and RASA_AUTH_TOKEN, as `make run` sets them; without RASA_URL, no bridge."""
    url = os.environ.get("RASA_URL", "").strip().rstrip("/")
    if not url:
        return NoBridge()
    return RasaBridge(url, os.environ.get("RASA_AUTH_TOKEN", ""))
