"""An agent's actions on a handoff, carried into the customer's conversation.

Taking or answering a conversation pauses the bot; replies go out on the customer's channel;
hand-back and closing resume the bot with a short message. Customer messages written while
an agent holds the conversation are copied into the inbox.
"""

from __future__ import annotations

import contextlib
from typing import Any

import requests

from supportdesk import claims, handoffs
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


# Channels on which Rasa can deliver a message the customer did not ask for.
PUSH_CHANNELS = {"socketio", "callback", "telegram"}


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


def decide_claim(
    db: Database, bridge: Bridge, claim_number: str, status: str, actor: str, note: str
) -> dict[str, Any]:
    """Record a decision and tell the customer on their channel when it can reach them.

    On a channel the support desk cannot push to (plain REST), the assistant shows the
    update on the customer's next message instead.
    """
    claim = claims.change_status(db, claim_number, status, actor, note)
    conversation = claim.get("conversation_id")
    if conversation and claim.get("channel") in PUSH_CHANNELS:
        # When it cannot be delivered now, the customer sees it on their next message.
        with contextlib.suppress(requests.RequestException):
            bridge.say(conversation, claim_update(claim), claim_status=claim["status"])
    return claim


def claim_update(claim: dict[str, Any]) -> str:
    """The message a customer gets when their claim's status changes."""
    note = claim["history"][-1].get("note") or ""
    words = {
        "approved": "has been approved: the refund of ${amount} goes back to your original "
        "payment method, usually within 3 to 5 business days.",
        "rejected": "was not approved.",
        "needs_info": "needs a little more information from you.",
        "in_review": "is being reviewed by our support team.",
    }.get(claim["status"], f"is now {claim['status']}.")
    text = f"Update on claim {claim['claim_number']}: it " + words.replace(
        "${amount}", f"${claim['refund_amount']}"
    )
    if note:
        text += f' Note from our team: "{note}"'
    if claim["status"] == "needs_info":
        text += " You can reply here or add photos with your upload link."
    return text


def _resume(bridge: Bridge, conversation: str, message: str) -> None:
    _deliver(lambda: bridge.resume(conversation, message))


def _deliver(send) -> None:
    try:
        send()
    except requests.RequestException:
        raise ConversationUnreachable(
            "The customer's conversation could not be reached (the assistant's server did not "
            "answer). Nothing was sent; try again in a moment."
        ) from None
