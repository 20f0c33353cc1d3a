"""A message the classifier is unsure of, which says goods were missing, reports them.

"my TV is missing. order STS-8800-1234" and "the coffee grinder was not in my delivery" sit
between tracking and a missing item for the classifier: the fallback says it did not
understand, or a weak tracking guess asks for the order and shows where it is. When a missing
item is among its guesses and the item grammar (`actions.item_reading`) reads goods missing
from what came, with no damage told, the report wins. The claim form then asks only what it
does not know.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.help_center import asks_the_way
from actions.item_reading import (
    tells_of_damage,
    tells_of_goods_left_out,
    tells_of_missing_goods,
    tells_someone_forgot_goods,
)
from nlu_components.intent_override import IntentOverride
from nlu_components.person_request import HUMAN, names_people

REPORT = "report_missing_item"
UNSURE = "nlu_fallback"
TRACKING = "check_tracking"
WEAK = 0.6  # a tracking guess below this, with a report close behind, is no reading to trust
SMALL_TALK = {"chitchat", "greet", "thank"}
GUESSES = 3  # the report must be one of the classifier's first guesses after the fallback


def among_the_guesses(message: Message) -> bool:
    ranking = [r.get("name") for r in message.get(INTENT_RANKING_KEY) or []]
    return REPORT in [name for name in ranking if name != UNSURE][:GUESSES]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MissingGoods(IntentOverride):
    """Sets `report_missing_item` for an unsure guess at a message that tells of missing goods."""

    intent = REPORT

    @staticmethod
    def _unsure(message: Message) -> bool:
        """The fallback; a weak guess of tracking ("The TV was not in my pickup" at 0.48), or
        any guess of it for goods said to be absent from what came, in a message that asks
        no way ("None of the boxwoods were in my delivery!"); or a person asked for in no
        word about people."""
        guess = message.get(INTENT) or {}
        text = message.get(TEXT) or ""
        weak = guess.get("confidence", 1) < WEAK
        left_out = tells_of_goods_left_out(text) and not asks_the_way(text) and "?" not in text
        tracking = guess.get("name") == TRACKING and (weak or left_out)
        no_one_asked = guess.get("name") == HUMAN and not names_people(text)
        return guess.get("name") == UNSURE or tracking or no_one_asked

    def applies(self, message: Message) -> bool:
        text = message.get(TEXT) or ""
        guessed = (message.get(INTENT) or {}).get("name")
        unsure = self._unsure(message) and among_the_guesses(message)
        # "you forgot my gym towel lol" read as small talk: the goods left out are the news
        joking = guessed in SMALL_TALK and (
            tells_of_goods_left_out(text) or tells_someone_forgot_goods(text)
        )
        return (
            (unsure or joking)
            and not text.startswith("/")
            and tells_of_missing_goods(text)
            and not tells_of_damage(text)
        )
