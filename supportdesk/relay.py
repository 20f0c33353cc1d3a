"""An agent's actions on a handoff, carried into the customer's conversation.

Taking or answering a conversation pauses the bot; replies go out on the customer's channel;
hand-back and closing resume the bot with a short message. Customer messages written while
an agent holds the conversation are copied into the inbox.
"""

from __future__ import annotations

from typing import Any

import requests

from supportdesk import handoffs
from supportdesk.db import Database
from supportdesk.errors import DomainError
from supportdesk.rasa_bridge import Bridge

HANDED_BACK = (
    "You're back with the assistant. I still have everything we talked about: ask me about "
    "your order, a missing item or your claim whenever you like."
)
CLOSED = (
    "Our support team has closed this conversation. If you need anything else, just write: "
    "the assistant is here."
)


class ConversationUnreachable(DomainError):
    status = 502
    code = "conversation_unreachable"


def take(db: Database, bridge: Bridge, handoff_id: int, agent_id: int) -> dict[str, Any]:
    view = handoffs.take(db, handoff_id, agent_id)
    _deliver(lambda: bridge.pause(view["conversation_id"]))
    return view


def release(db: Database, bridge: Bridge, handoff_id: int, agent_id: int) -> dict[str, Any]:
    """Back to the queue; the bot stays quiet until another agent or hand-back."""
    return handoffs.release(db, handoff_id, agent_id)


def reply(
    db: Database, bridge: Bridge, handoff_id: int, agent_id: int, name: str, text: str
) -> dict[str, Any]:
    """Deliver first, then store: what the inbox shows has reached the customer."""
    found = handoffs.get_handoff(db, handoff_id)
    handoffs.check_actionable(db, handoff_id, agent_id)
    conversation = found["conversation_id"]
    _deliver(lambda: (bridge.pause(conversation), bridge.say(conversation, f"{name}: {text}")))
    return handoffs.add_agent_reply(db, handoff_id, agent_id, text)


def hand_back(db: Database, bridge: Bridge, handoff_id: int, agent_id: int) -> dict[str, Any]:
    view = handoffs.hand_back(db, handoff_id, agent_id)
    _resume(bridge, view["conversation_id"], HANDED_BACK)
    return view


def close(db: Database, bridge: Bridge, handoff_id: int, agent_id: int) -> dict[str, Any]:
    view = handoffs.close(db, handoff_id, agent_id)
    _resume(bridge, view["conversation_id"], CLOSED)
    return view


def sync_customer_messages(db: Database, bridge: Bridge, handoff_id: int) -> dict[str, Any]:
    """Copy the customer's new messages from the conversation into the handoff."""
    found = handoffs.get_handoff(db, handoff_id)
    if found["status"] not in handoffs.OPEN_STATUSES:
        return found
    try:
        written = bridge.customer_messages(found["conversation_id"])
    except requests.RequestException:
        return found  # the inbox still shows what it has; the next poll tries again
    return handoffs.store_customer_messages(db, handoff_id, written)


def _resume(bridge: Bridge, conversation: str, message: str) -> None:
    _deliver(lambda: (bridge.resume(conversation), bridge.say(conversation, message)))


def _deliver(send) -> None:
    try:
        send()
    except requests.RequestException:
        raise ConversationUnreachable(
            "The customer's conversation could not be reached (the assistant's server did not "
            "answer). Nothing was sent; try again in a moment."
        ) from None
