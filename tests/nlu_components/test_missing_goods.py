"""An unsure guess at a message that tells of missing goods reports them (missing_goods)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu_components.missing_goods import MissingGoods


def guessed(text: str, *names: str) -> Message:
    ranking = [{"name": name, "confidence": 0.4 - n * 0.05} for n, name in enumerate(names)]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def intent_after(message: Message) -> str:
    [processed] = MissingGoods().process([message])
    return processed.get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    ["my TV is missing. order STS-8800-1234", "Hi, the coffee grinder was not in my delivery."],
)
def test_an_unsure_guess_at_missing_goods_is_a_report(text: str) -> None:
    unsure = guessed(text, "nlu_fallback", "check_tracking", "report_missing_item")
    assert intent_after(unsure) == "report_missing_item"


def test_a_weak_tracking_guess_at_missing_goods_is_a_report() -> None:
    text = "The TV was not in my pickup. Order STS-6603-4751."
    weak = guessed(text, "check_tracking", "report_missing_item")  # 0.40, then 0.35
    assert intent_after(weak) == "report_missing_item"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a sure guess is left as it is
        ("my TV is missing. order STS-8800-1234", ("greet", "report_missing_item")),
        # no report among the guesses
        ("the lamp is missing", ("nlu_fallback", "check_tracking", "greet", "out_of_scope")),
        # nothing missing told, or damage
        ("where is my order", ("nlu_fallback", "check_tracking", "report_missing_item")),
        ("the lamp came broken and a screw is missing", ("nlu_fallback", "report_missing_item")),
        ("/report_missing_item", ("nlu_fallback", "report_missing_item")),
    ],
)
def test_other_messages_keep_their_guess(text: str, names: tuple[str, ...]) -> None:
    assert intent_after(guessed(text, *names)) == names[0]


def test_a_sure_tracking_guess_is_left_as_it_is() -> None:
    ranking = [
        {"name": "check_tracking", "confidence": 0.9},
        {"name": "report_missing_item", "confidence": 0.05},
    ]
    sure = Message(
        data={"text": "my package is missing", "intent": ranking[0], "intent_ranking": ranking}
    )
    assert intent_after(sure) == "check_tracking"


def test_a_person_guessed_in_no_word_about_people_gives_way_to_the_report() -> None:
    text = "I looked through the whole bag twice and the phone case just isn't there."
    assert intent_after(guessed(text, "request_human", "report_missing_item")) == (
        "report_missing_item"
    )


def test_a_person_asked_for_beside_missing_goods_stays_the_request() -> None:
    text = "the phone case isn't there, can I talk to someone"
    assert intent_after(guessed(text, "request_human", "report_missing_item")) == "request_human"


def test_a_sure_tracking_guess_at_goods_left_out_of_what_came_is_a_report() -> None:
    """ "None of the boxwoods were in my delivery!" asks no way: the report, however sure."""
    ranking = [
        {"name": "check_tracking", "confidence": 0.8},
        {"name": "report_missing_item", "confidence": 0.2},
    ]
    text = "None of the boxwoods were in my delivery!"
    sure = Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})
    assert intent_after(sure) == "report_missing_item"
    asked = "None of the boxwoods were in my delivery, where are they?"
    way = Message(data={"text": asked, "intent": ranking[0], "intent_ranking": ranking})
    assert intent_after(way) == "check_tracking"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("you forgot my gym towel lol", "report_missing_item"),
        ("haha the charger wasnt in the bag", "report_missing_item"),
        ("lol you guys are funny", "chitchat"),
        ("I forgot my password lol", "chitchat"),
    ],
)
def test_small_talk_that_tells_of_goods_left_out_is_a_report(text: str, expected: str) -> None:
    sure = [
        {"name": "chitchat", "confidence": 0.92},
        {"name": "check_tracking", "confidence": 0.03},
    ]
    message = Message(data={"text": text, "intent": sure[0], "intent_ranking": sure})
    assert intent_after(message) == expected
