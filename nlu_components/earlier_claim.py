"""A message about a claim already made asks for its status, however much it speaks of items.

"I reported a missing item a while ago. Is it being looked at?" names a missing item, and the
classifier reads a new report; the shopper asks how the earlier one is going. A clause that
says a report was made ("I reported", "I filed a claim", "I made a missing item report")
together with a question about its progress sets the intent to `check_claim_status`. A new
shortfall told besides ("I reported the lamp last week, now the rug is missing too") asks
for no status and is left alone.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.claim_talk import asks_about_an_earlier_claim
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
    "out_of_scope",  # "I already filed a claim, just want to know if it went thru"
}


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
