"""A message that opens by taking back what was going on is a cancellation."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu_components.cancellation import LeadingCancellation, UnfoundedStop, withdraws
from nlu_components.missing_goods import MissingGoods


@pytest.mark.parametrize(
    "text",
    [
        "never mind",
        "oh wait never mind, just found it under the passenger seat lol. sorry!",
        "hmm, cancel that, I'll do it later when I have the receipt in front of me",
        "actually forget it, I'm going back to the store tomorrow anyway",
        "Nevermind I found it",
        "ok scratch that.",
        "no, forget about it",
        "nvm it turned up",
        "no idea honestly, it's my friend's order. forget it",
        "the mat is missing - never mind, found them",
        "you know what, forget it. not worth the hassle over a roll of tape",
        "on second thought never mind, I'll sort it out at the store",
        "I don't know what email he used. never mind, I'll have my husband do it",
    ],
)
def test_an_opening_or_closing_withdrawal_is_a_cancellation(text: str) -> None:
    assert withdraws(text)


@pytest.mark.parametrize(
    "text",
    [
        "never mind the cable, it's the charger that's missing",
        "cancel that order please",
        "I want to cancel my order",
        "the charger is missing, never mind the rest",
        "forget the cable, the case is missing",
        "no need to hurry",
        "cancel it after you refund me",
        "it came late, cancel it",
        "I want to forget it ever happened",
        "The lamp is missing. Never mind the cable, it's fine",
    ],
)
def test_other_messages_are_not(text: str) -> None:
    assert not withdraws(text)


def _message(text: str, intent: str, confidence: float) -> Message:
    guess = {"name": intent, "confidence": confidence}
    return Message(data={"text": text, "intent": guess, "intent_ranking": [guess]})


def test_the_component_sets_stop_and_keeps_the_ranking_below_it() -> None:
    component = LeadingCancellation()
    [message] = component.process([_message("cancel that, I need the receipt", "out_of_scope", 1)])
    assert message.get("intent") == {"name": "stop", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["stop", "out_of_scope"]


def test_a_person_or_a_goodbye_keeps_its_intent() -> None:
    component = LeadingCancellation()
    [human] = component.process([_message("never mind, get me a person", "request_human", 0.9)])
    assert human.get("intent")["name"] == "request_human"
    [other] = component.process([_message("where is my order", "check_tracking", 0.9)])
    assert other.get("intent")["name"] == "check_tracking"
    [bye] = component.process([_message("never mind, bye!", "goodbye", 0.9)])
    assert bye.get("intent")["name"] == "goodbye"


def test_a_weak_goodbye_that_withdraws_is_a_cancellation() -> None:
    text = "nvm, my husband already picked it up and has the watch. all good, bye"
    [message] = LeadingCancellation().process([_message(text, "goodbye", 0.5)])
    assert message.get("intent")["name"] == "stop"


def _ranked(text: str, *guesses: tuple[str, float]) -> Message:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in guesses]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def test_a_stop_guess_that_takes_nothing_back_gives_way_to_the_next_guess() -> None:
    text = "the tent and the stakes weren't in the bag"
    guesses = [("stop", 0.5), ("nlu_fallback", 0.4), ("report_missing_item", 0.45)]
    [message] = UnfoundedStop().process([_ranked(text, *guesses)])
    assert message.get("intent") == {"name": "report_missing_item", "confidence": 0.45}
    assert [r["name"] for r in message.get("intent_ranking")] == [
        "nlu_fallback",
        "report_missing_item",
    ]


@pytest.mark.parametrize(
    "text",
    ["the scratching post and the litter mat aren't here", "no blender in the box I picked up"],
)
def test_a_weak_next_guess_is_the_fallback_which_the_missing_goods_reading_takes_up(
    text: str,
) -> None:
    guesses = [("stop", 0.85), ("bot_challenge", 0.03), ("report_missing_item", 0.02)]
    [message] = UnfoundedStop().process([_ranked(text, *guesses)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 0.4}
    [message] = MissingGoods().process([message])  # the next component in config.yml
    assert message.get("intent") == {"name": "report_missing_item", "confidence": 1.0}


@pytest.mark.parametrize(
    "text",
    ["stpo", "start over", "scratch that, everything is here", "let's not do this right now"],
)
def test_a_stop_with_a_word_of_withdrawal_or_a_short_one_stays(text: str) -> None:
    [message] = UnfoundedStop().process([_ranked(text, ("stop", 0.9), ("deny", 0.05))])
    assert message.get("intent")["name"] == "stop"


@pytest.mark.parametrize(
    ("text", "founded"), [("qwerty uiop", False), ("stpo", True), ("forgt it", True)]
)
def test_a_short_stop_is_founded_by_a_word_of_withdrawal_or_its_slip(
    text: str, founded: bool
) -> None:
    from nlu_components.cancellation import takes_nothing_back

    assert takes_nothing_back(text) is not founded
