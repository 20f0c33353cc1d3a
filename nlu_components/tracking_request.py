"""A report of missing goods tells of a shortfall; without one, a way asked is tracking.

"I ordered a cricket keeper and calcium powder, got a text it shipped but nothing since. is it
at the store or not" lists items, and the classifier reads a report at full confidence.
Nothing in it is short, and it asks where the order is: `UntoldShortfall` makes it the
tracking request it is. (The other way round, a tracking guess for a message that asks no
way, was tried and left: shoppers ask for tracking without a question or a word of the way
often enough, "package location pls", "my order is late", that taking the guess away lost
about two tracking requests for each message it set right.)
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.help_center import asks_the_way
from actions.item_reading import tells_of_shortfall
from nlu_components.intent_override import IntentOverride

TRACKING = "check_tracking"
REPORT = "report_missing_item"


def _guess(message: Message) -> str | None:
    text = message.get(TEXT) or ""
    return None if text.startswith("/") else (message.get(INTENT) or {}).get("name")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UntoldShortfall(IntentOverride):
    """Sets `check_tracking` for a report guessed from a message that asks where the order is
    and tells of nothing short."""

    intent = TRACKING

    def applies(self, message: Message) -> bool:
        text = message.get(TEXT) or ""
        return _guess(message) == REPORT and asks_the_way(text) and not tells_of_shortfall(text)
