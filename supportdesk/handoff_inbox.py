"""Where handoffs go, chosen by HANDOFF_INBOX: the built-in agent inbox or Chatwoot.

An inbox is told when a handoff is created (and may change the answer: Chatwoot opens a
conversation for it), and is given a regular `sync` to carry what happens in the customer's
conversation (new messages, the bot's pause and resume) to the agents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from supportdesk import chatwoot
from supportdesk.db import Database
from supportdesk.rasa_bridge import Bridge


class HandoffInbox(Protocol):
    name: str
    poll_seconds: float | None  # how often `sync` runs; None: never

    def handoff_created(self, db: Database, handoff: dict[str, Any]) -> dict[str, Any]: ...
    def sync(self, db: Database) -> None: ...


class BuiltinInbox:
    """The support desk's own inbox at /agent: it reads the conversation when an agent looks."""

    name = "builtin"
    poll_seconds = None

    def handoff_created(self, db: Database, handoff: dict[str, Any]) -> dict[str, Any]:
        """The handoff waits in the queue; nothing else happens."""
        return {**handoff, "inbox": {"name": self.name, "status": "queued"}}

    def sync(self, db: Database) -> None:
        return None


def inbox_from_env(bridge: Bridge, environ: Mapping[str, str] | None = None) -> HandoffInbox:
    """HANDOFF_INBOX and, for Chatwoot, the CHATWOOT_* variables; ValueError names a bad one."""
    if chatwoot.inbox_choice(environ) == "builtin":
        return BuiltinInbox()
    from supportdesk.chatwoot_inbox import ChatwootInbox

    return ChatwootInbox(chatwoot.ChatwootClient(chatwoot.config_from_env(environ)), bridge)
