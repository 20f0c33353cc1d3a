"""A message that opens (or closes) by taking back what the shopper was doing is a cancellation.

"Never mind, just found it under the seat", "cancel that, I'll do it later when I have the
receipt": the classifier weighs every word, so the reason that follows ("receipt", "seat")
can outvote the opening. How a message opens decides instead, as `actions.turns` does for
corrections. Only a withdrawal with nothing of its own after it counts: "never mind the
cable, it's the charger" is a correction, and "cancel that order" a request about an order.
An explicit request for a person or a goodbye keeps its intent.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import DamerauLevenshtein
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.intent_override import FALLBACK, IntentOverride, give_way

STOP = "stop"
KEPT = {"request_human", "goodbye"}  # the explicit request wins (a person, leaving)
WEAK = 0.6  # a goodbye guessed below this, in a message that withdraws, is the withdrawal
OPENERS = (
    r"(?:(?:oh|ah|hmm+|um+|ok(?:ay)?|actually|wait|sorry|no|oops|ugh|well|you know what|"
    r"on second thoughts?|come to think of it)[\s,.!]+)*"
)
WITHDRAWALS = (
    r"(?:never\s*mind|nevermind|nvm|scratch that|forget (?:it|that|about it|the whole thing)|"
    r"cancel (?:it|that|this|everything|all (?:of )?(?:this|that))|don'?t bother|no need)"
)
# After the withdrawal: the end, a break, or a new clause by the shopper ("I'll", "just").
BOUNDARY = (
    r"(?=\s*$|\s*[,.!;:)\-]|\s+(?:i|i'll|i'm|i've|we|we'll|just|found|it's|its|it|lol|"
    r"please|pls|thanks|for now|then|anyway|sorry)\b)"
)
LEADING = re.compile(rf"^\s*{OPENERS}{WITHDRAWALS}{BOUNDARY}", re.IGNORECASE)
# "... it's my friend's order. forget it": a closing withdrawal that stands alone. Not "cancel
# it", which at the end of a message is often about the order ("it arrived late, cancel it").
CLOSING = re.compile(
    r"(?:^|[.,;!:\-]\s*)(?:so\s+|just\s+|oh well,?\s+|ok(?:ay)?,?\s+)?"
    r"(?:never\s*mind|nevermind|nvm|forget (?:it|that|about it)|don'?t bother)"
    r"(?:[\s,]*(?:then|for now|thanks|sorry|my bad|(?:i\s+)?found (?:it|them)))?[\s.!]*$",
    re.IGNORECASE,
)


def withdraws(text: str) -> bool:
    """The message opens, or ends with a sentence of its own, by taking back what was going on:
    "I don't know what e-mail he used. Never mind, I'll have my husband do it"."""
    plain = text.replace("’", "'")
    last = SENTENCE_END.split(plain.strip())[-1]
    return bool(LEADING.search(plain) or LEADING.search(last) or CLOSING.search(plain))


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LeadingCancellation(IntentOverride):
    """Sets the intent to `stop` when the message opens (or closes) with a withdrawal."""

    intent = STOP

    def applies(self, message: Message) -> bool:
        guess = message.get(INTENT) or {}
        # "nvm, my husband already picked it up ... all good, bye": a weak goodbye withdraws
        weak_goodbye = guess.get("name") == "goodbye" and guess.get("confidence", 1) < WEAK
        kept = guess.get("name") in KEPT and not weak_goodbye
        return not kept and withdraws(message.get(TEXT) or "")


# Any word a withdrawal is made of; a message of three words or more with none of them takes
# nothing back: "the scratching post and the litter mat aren't here" tells what is missing.
STOP_CUES = re.compile(
    r"\b(?:stop\w*|cancel\w*|quit|forget|never\s*mind|nevermind|nvm|scratch|don'?t|do not|"
    r"no longer|any ?more|later|another time|not now|skip|drop|leave it|enough|no need|"
    r"changed? my mind|change of plans?|not worth|hold off|abort|end|exit|done|withdraw|"
    r"call (?:it|this|that) off|give up|whatever|actually|wait|start|restart|reset|beginning|"
    r"let'?s not)\b",
    re.IGNORECASE,
)


# Short withdrawals typed with slips ("stpo", "cancle", "nevermid", "forgt it").
STOP_WORDS = ("stop", "cancel", "nevermind", "never", "mind", "forget", "quit", "enough")
SLIPS = 1


def takes_nothing_back(text: str) -> bool:
    """A message without a word of withdrawal in it; in a short one, nor a slip of one
    ("qwerty uiop" takes nothing back, "stpo" does)."""
    plain = text.replace("’", "'")
    if STOP_CUES.search(plain):
        return False
    if len(text.split()) >= 3:
        return True
    words = re.findall(r"[a-z]+", plain.lower())
    return not any(
        DamerauLevenshtein.distance(word, cue) <= SLIPS
        for word in words
        for cue in STOP_WORDS
        if len(word) >= 3
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnfoundedStop(IntentOverride):
    """A `stop` guess for a message that takes nothing back gives way to the next guess, or to
    the fallback when that guess is weak.

    "scratch that, everything is here" taught the classifier that "here" can stop a claim; a
    message with no word of withdrawal in it is never read as one. Unlike the other overrides,
    the intent it sets is the classifier's own next guess, and `stop` leaves the ranking.
    """

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            guessed = (message.get(INTENT) or {}).get("name")
            if guessed != STOP or not takes_nothing_back(message.get(TEXT) or ""):
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            if any(r.get("name") not in {STOP, FALLBACK} for r in ranking):
                give_way(message, STOP)  # with no other guess, the stop is left as it is
        return messages
