"""A message that asks for a person is a request for a person, whatever else it tells.

"The box was EMPTY, that's $899!! I need a human to deal with this, not a bot": the
classifier weighs every word, and a story of missing items or a refund can outvote the one
clause that asks for someone. The explicit request wins (issue 17, "the explicit request
wins"), so a clause that asks for a person sets the intent. It must ask: "am I talking to a
real person?" asks what the assistant is, and "the person at the store was rude" asks for
no one.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.intent_override import IntentOverride

HUMAN = "request_human"
PEOPLE = (
    r"(?:human|humans|person|people|agent|representative|rep|someone|somebody|employee|"
    r"staff|supervisor|manager|operator|customer (?:service|support|care)|support team)"
)
TALK = r"(?:talk|speak|chat)(?:\s+(?:to|with))?"
ASKING = (
    r"(?:i|we)\s+(?:really\s+|just\s+)?(?:need|want|would like|demand)|(?:i|we)'d\s+like"
    r"|(?:can|could|may)\s+(?:i|we)\s+(?:just\s+|please\s+)?(?:get|have)"
    r"|get me|give me|put me through to|transfer me to|connect me (?:to|with)"
    rf"|let me {TALK}|(?:can|could|may)\s+i\s+(?:please\s+)?{TALK}"
    rf"|(?:want|need|like)\s+to\s+{TALK}"
    rf"|how (?:do|can) i (?:reach|contact|get hold of|get in touch with|get through to|{TALK})"
    r"|is there (?:a|an|any)"
)
REQUEST = re.compile(rf"\b(?:{ASKING})\s+(?:[\w']+\s+){{0,3}}?{PEOPLE}\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:don'?t|do not|no need to|never)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def asks_for_a_person(text: str) -> bool:
    """A clause of the message asks to reach a person."""
    plain = text.replace("’", "'")
    return any(not NEGATED.search(plain[: m.start()]) for m in REQUEST.finditer(plain))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PersonRequest(IntentOverride):
    """Sets the intent to `request_human` when a clause asks for a person."""

    intent = HUMAN

    def applies(self, message: Message) -> bool:
        text = message.get(TEXT) or ""
        return not text.startswith("/") and asks_for_a_person(text)
