"""Escalation to a human agent: the handoff with the transcript and what was collected."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_of, client, support_email
from actions.help_center import rate
from actions.supportdesk_client import SupportDeskError

TRANSCRIPT_LIMIT = 60
DETAIL_SLOTS = [
    "verified_order",
    "email",
    "tracking_number",
    "missing_items",
    "description",
    "claim_number",
]


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """The conversation's messages, oldest first, as the agent will read them."""
    entries = []
    for event in tracker.events:
        if event.get("event") in {"user", "bot"} and event.get("text"):
            sender = "customer" if event["event"] == "user" else "bot"
            entries.append({"sender": sender, "text": event["text"][:5000]})
    return entries[-TRANSCRIPT_LIMIT:]


def collected_details(tracker: Tracker) -> dict[str, Any]:
    """What the bot knows; an order only counts once the customer was verified for it."""
    details = {slot: tracker.get_slot(slot) for slot in DETAIL_SLOTS}
    if not details["verified_order"]:
        details["email"] = None
    return {key: value for key, value in details.items() if value}


def escalate(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    reason: str,
    announce: bool = True,
    claim_number: str | None = None,
) -> list[dict[str, Any]]:
    """Create a handoff (or add to the conversation's open one) and say what happens next.

    The support desk keeps one open handoff per conversation: asked again, it answers with
    that handoff (`existing`), which then carries the new reason and details as well.
    A person asked for right after a help-center answer rates that answer "no".
    """
    rated = rate(tracker, helpful=False)
    try:
        handoff = client().create_handoff(
            conversation_id=tracker.sender_id,
            channel=channel_of(tracker),
            reason=reason,
            transcript=transcript(tracker),
            details={
                **collected_details(tracker),
                **({"claim_number": claim_number} if claim_number else {}),
            },
        )
    except SupportDeskError:
        dispatcher.utter_message(
            text="I'm sorry, I couldn't reach our support team's system just now. Please write "
            f"to {support_email()} with your order number, and they'll get back to you."
        )
        return rated
    reference = f"H-{handoff['handoff_id']}"
    if handoff.get("existing"):
        dispatcher.utter_message(text=already_open_message(reference, announce, claim_number))
    elif announce:
        dispatcher.utter_message(
            text=handoff_message(reference, handoff.get("availability"), handoff.get("inbox"))
        )
    else:
        dispatcher.utter_message(
            text=f"I've also let the support team know (reference {reference}); "
            "a person may reply here if they need anything from you."
        )
    return [*rated, *handoff_events(handoff)]


def handoff_events(handoff: dict[str, Any]) -> list[dict[str, Any]]:
    """The handoff's id; and a pause when a new handoff's inbox has taken the conversation.

    The support desk pauses the bot for such an inbox (Chatwoot) too, but from outside the
    turn: pausing in the turn itself, under its lock, keeps the bot quiet for the customer's
    very next message, whichever Rasa server that reaches first.
    """
    events = [SlotSet("handoff_id", float(handoff["handoff_id"]))]
    taken = (handoff.get("inbox") or {}).get("status") == "open"
    if taken and not handoff.get("existing"):
        events.append(ConversationPaused())
    return events


def already_open_message(reference: str, asked: bool, claim: str | None = None) -> str:
    """The conversation already has an open handoff: the team has the case."""
    if asked:
        return (
            f"Our support team already has your case (reference {reference}), so you don't need "
            "to ask again: a person will reply here as soon as they can. Meanwhile I'm happy to "
            "keep helping."
        )
    what = f"claim {claim}" if claim else "this"
    return f"I've added {what} to your open case with the support team (reference {reference})."


def handoff_message(
    reference: str, availability: dict[str, Any] | None, inbox: dict[str, Any] | None = None
) -> str:
    """What happens next: a person soon, or when the team is back, with the case kept open."""
    if inbox and inbox.get("status") == "open":
        return agents_have_it(reference, availability)
    if not availability or availability.get("agents_available"):
        return (
            f"I've passed our conversation to the support team (reference {reference}). A person "
            "will reply here as soon as they can, and they can see everything we've discussed, "
            "so you won't need to repeat yourself. Meanwhile I'm happy to keep helping."
        )
    if availability.get("within_business_hours"):
        when = "as soon as someone is free"
    else:
        when = f"when the team is back ({availability.get('business_hours', 'business hours')})"
    return (
        f"I've passed our conversation to the support team (reference {reference}), and your "
        f"case stays open. Nobody is available right now, so a person will reply here {when}; "
        "they'll see everything we've discussed. Meanwhile I can keep helping: I can check your "
        "tracking, report missing items or tell you how a claim is going."
    )


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return escalate(dispatcher, tracker, "The customer asked for a person.")


def agents_have_it(reference: str, availability: dict[str, Any] | None) -> str:
    """The support team's inbox (Chatwoot) holds the conversation now: the assistant is quiet."""
    if not availability or availability.get("agents_available"):
        when = "as soon as they can"
    else:
        when = f"when the team is back ({availability.get('business_hours', 'business hours')})"
    return (
        f"I've passed our conversation to the support team (reference {reference}). A person "
        f"will reply here {when}, and they can see everything we've discussed. From now on, "
        "what you write here goes straight to them."
    )
