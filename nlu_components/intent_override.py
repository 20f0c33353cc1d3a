"""The base of the components that set an intent by how a message is written.

The classifier weighs every word; a few messages say what they are in one clause ("never
mind, ...", "... I need a human to deal with this"). A subclass names the intent it sets and
decides, per message, whether it applies; the intent it sets goes first in the ranking, with
full confidence, and the classifier's other guesses stay below it.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

FALLBACK = "nlu_fallback"
FALLBACK_THRESHOLD = 0.4  # the FallbackClassifier's threshold in config.yml


def give_way(message: Message, intent: str) -> None:
    """`intent` leaves the ranking, and the classifier's next guess takes its place; when that
    guess is as weak as none, the fallback does (what reads the fallback takes the message up:
    `MissingGoods`, the fallback's routing)."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
    others = [r for r in ranking if r.get("name") != FALLBACK]
    guess = dict(others[0]) if others else {}
    if guess.get("confidence", 0) < FALLBACK_THRESHOLD:
        guess = {"name": FALLBACK, "confidence": FALLBACK_THRESHOLD}
        ranking = [guess, *others]
    message.set(INTENT, guess, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


class IntentOverride(GraphComponent):
    """Sets `intent` on the messages `applies` accepts."""

    intent: str = ""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        return cls()

    def applies(self, message: Message) -> bool:
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not self.applies(message):
                continue
            chosen = {"name": self.intent, "confidence": 1.0}
            others = message.get(INTENT_RANKING_KEY) or []
            ranking = [r for r in others if r.get("name") != self.intent]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
