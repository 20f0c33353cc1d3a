"""A report tells of a shortfall; without one, a way asked is tracking (tracking_request)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu_components.tracking_request import UntoldShortfall


def guessed(text: str, *names: str, entities: list[dict] | None = None) -> Message:
    ranking = [{"name": name, "confidence": 0.9 - n * 0.3} for n, name in enumerate(names)]
    data = {"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": []}
    data["entities"] = entities or []
    return Message(data=data)


def intent_after(component, message: Message) -> str:
    [processed] = component.process([message])
    return processed.get("intent")["name"]


def test_a_report_that_tells_of_nothing_short_and_asks_the_way_is_tracking() -> None:
    text = (
        "hey so i ordered a cricket keeper and calcium powder, got a text it shipped but "
        "nothing since. is it at the store or not"
    )
    message = guessed(text, "report_missing_item", "check_tracking")
    assert intent_after(UntoldShortfall(), message) == "check_tracking"


@pytest.mark.parametrize(
    "text",
    [
        "the charger wasn't in the box, where is it?",  # a shortfall told
        "I want to report a problem with my order",  # no way asked
    ],
)
def test_a_report_that_tells_of_a_shortfall_or_asks_no_way_stays(text: str) -> None:
    message = guessed(text, "report_missing_item", "check_tracking")
    assert intent_after(UntoldShortfall(), message) == "report_missing_item"
