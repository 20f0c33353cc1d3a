"""A message about a claim already made asks for its status, however much it speaks of items.

"I reported a missing item a while ago. Is it being looked at?" names a missing item, and the
classifier reads a new report; the shopper asks how the earlier one is going. A clause that
says a report was made ("I reported", "I filed a claim", "I made a missing item report")
together with a question about its progress sets the intent to `check_claim_status`. A new
shortfall told besides ("I reported the lamp last week, now the rug is missing too") asks
for no status and is left alone.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.intent_override import IntentOverride

STATUS = "check_claim_status"
# Intents a message about an earlier report is mistaken for; any other is left as it is.
MISTAKEN_FOR = {
    "report_missing_item",
    "request_refund",
    "ask_next_steps",
    "nlu_fallback",
    "chitchat",  # "how's my claim going" read as "how are you going"
    "check_tracking",  # "any news on my refund request for order 7720-1145?"
}
REPORTED = re.compile(
    r"\b(?:i|we|they|you|the agent|an agent|the store|someone|somebody|support)\s+"
    r"(?:already\s+|have\s+|had\s+|'ve\s+)?(?:reported\b|"
    r"(?:filed|submitted|made|opened|raised|lodged|put in|sent in|started)"
    r"(?:\s+[\w'-]+){0,4}?\s+(?:claim|report|complaint|request|ticket|case)s?\b)",
    re.IGNORECASE,
)
# Words that ask how a claim is going, in both forms below.
HOW_IT_GOES = (
    r"status|update|news|progress|stands|looked at|heard back|hear back|follow(?:ing)? up|going on"
)
PROGRESS = re.compile(
    rf"\?|\b(?:{HOW_IT_GOES}|happening|happened|decided?|any word)\b", re.IGNORECASE
)
# "was my missing item claim accepted?", "status of the report I made": a claim that already
# exists, named with what became of it (a question mark alone would not do: "can I make my claim?")
MY_CLAIM = re.compile(
    r"\b(?:my|the|our)\s+(?:[\w'-]+\s+){0,3}?(?:claim|report|refund request)\b"
    r"(?!\s+(?:form|page|button|link|process))",  # "the claim form won't load": no claim yet
    re.IGNORECASE,
)
OUTCOME = re.compile(
    rf"\b(?:{HOW_IT_GOES}|accepted|approved|denied|rejected|declined|processed|received|"
    r"reviewed|going|check(?:ing)? (?:on|in on|up on)|still open|closed|pending|resolved|"
    r"did (?:you|u)(?: guys| all)? (?:get|see|receive))\b",
    re.IGNORECASE,
)
NEW_SHORTFALL = re.compile(r"\b(?:now|also|too|another|as well|this time)\b", re.IGNORECASE)


def asks_about_an_earlier_claim(text: str) -> bool:
    """A clause says a claim or report was made, and the message asks how it is going."""
    plain = text.replace("’", "'")
    reported = REPORTED.search(plain) and PROGRESS.search(plain)
    named = MY_CLAIM.search(plain) and OUTCOME.search(plain)
    return bool(reported or named) and not NEW_SHORTFALL.search(plain)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EarlierClaim(IntentOverride):
    """Sets the intent to `check_claim_status` for a question about a claim already made."""

    intent = STATUS

    def applies(self, message: Message) -> bool:
        text = message.get(TEXT) or ""
        guessed = (message.get(INTENT) or {}).get("name")
        return (
            not text.startswith("/")
            and guessed in MISTAKEN_FOR
            and asks_about_an_earlier_claim(text)
        )
