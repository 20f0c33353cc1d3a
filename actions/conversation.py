"""Conversation repair: stopping a form, the two-stage fallback, and giving up gracefully."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.claims import reset_claim_slots
from actions.handoff import escalate

READABLE_INTENTS = {
    "greet": "Say hello",
    "goodbye": "End the conversation",
    "thank": "Say thanks",
    "affirm": "Yes",
    "deny": "No",
    "report_missing_item": "Report items missing from my order",
    "check_tracking": "Check where my order is",
    "request_refund": "Ask for a refund for missing items",
    "check_claim_status": "Check the status of my claim",
    "request_human": "Talk to a person",
    "inform": "Give you a detail you asked for",
    "bot_challenge": "Ask whether you are a bot",
    "out_of_scope": "Something else",
    "stop": "Stop what we're doing",
    "send_evidence": "Send photos for my claim",
}


class ActionStopForm(Action):
    """The customer wants to stop: end the form and drop what it collected for the claim."""

    def name(self) -> str:
        return "action_stop_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_stopped")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *reset_claim_slots()]


class ActionDefaultAskAffirmation(Action):
    """First stage of the fallback: 'Did you mean …?' with readable buttons."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        guesses = [
            r["name"]
            for r in ranking
            if r.get("name") in READABLE_INTENTS and r["name"] != "nlu_fallback"
        ]
        top = guesses[0] if guesses else "out_of_scope"
        buttons = [{"title": READABLE_INTENTS[top], "payload": f"/{top}"}]
        if top != "request_human":
            buttons.append({"title": "Talk to a person", "payload": "/request_human"})
        if top != "out_of_scope":
            buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        dispatcher.utter_message(
            text=f"Sorry, I'm not sure I understood. Did you want to: {READABLE_INTENTS[top]}?",
            buttons=buttons,
        )
        return []


class ActionDefaultFallback(Action):
    """Still not understood after rephrasing: hand over to a person rather than loop."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text="I'm sorry, I'm having trouble understanding. Let me bring in a person."
        )
        return [
            *escalate(dispatcher, tracker, "The assistant repeatedly misunderstood."),
            UserUtteranceReverted(),
        ]
