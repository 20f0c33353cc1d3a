"""What a customer's message is: here, whether it is a person's attempt or noise."""

from __future__ import annotations

import pytest

from actions.turns import Turn


def turn(text: str) -> Turn:
    return Turn(text, "nlu_fallback", 0.3, {})


@pytest.mark.parametrize(
    "text",
    [
        "STS-4829-1307",
        "12345678",
        "asdf",
        "I dont know!!!",
        "maya.chen@example.com",
        "mi pedido llegó sin la funda",
        "注文した商品が届いていません",
    ],
)
def test_words_and_numbers_are_attempts(text: str) -> None:
    assert turn(text).is_attempt


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "{{7*7}} ${7*7} <%= 7*7 %>",
        "😀😀",
        "\x01\x02abc",
        "?!",
        "/request_human",
        "the box " * 200,
    ],
)
def test_markup_emoji_control_characters_commands_and_walls_of_text_are_not(text: str) -> None:
    assert not turn(text).is_attempt


def test_a_short_yes_the_nlu_ranks_second_is_still_a_yes() -> None:
    from actions.turns import Turn

    ranking = (("report_missing_item", 0.64), ("affirm", 0.34))
    yes = Turn("yep, file it", "report_missing_item", 0.64, {}, ranking)
    assert yes.says("affirm")
    story = Turn(
        "yes the cable was missing from the bag I picked up", "report_missing_item", 0.64, {},
        ranking,
    )  # fmt: skip
    assert not story.says("affirm")  # a whole sentence is no yes/no answer
    unsure = Turn("hmm", "chitchat", 0.5, {}, (("chitchat", 0.5), ("affirm", 0.2)))
    assert not unsure.says("affirm")


def test_a_weak_guess_behind_the_nlus_own_fallback_is_no_yes() -> None:
    noise = Turn("asdfgh", "nlu_fallback", 0.4, {}, (("nlu_fallback", 0.4), ("affirm", 0.34)))
    assert not noise.says("affirm")
    sure = Turn("yess pls", "nlu_fallback", 0.4, {}, (("nlu_fallback", 0.4), ("affirm", 0.55)))
    assert sure.says("affirm")


@pytest.mark.parametrize("text", ["yse", "yeha", "Yse!", "yep", "ys", "ye"])
def test_a_one_slip_yes_is_a_yes(text: str) -> None:
    slip = Turn(text, "inform", 0.44, {}, (("inform", 0.44), ("chitchat", 0.2)))
    assert slip.says("affirm") and not slip.says("deny")


@pytest.mark.parametrize("text", ["yes please file it", "eys", "yellow", "yo", "y"])
def test_other_words_are_no_slip_of_yes(text: str) -> None:
    other = Turn(text, "inform", 0.44, {}, (("inform", 0.44), ("chitchat", 0.2)))
    assert not other.says("affirm")


def test_a_clear_cancellation_breaks_free_text_however_long() -> None:
    text = "oh wait never mind, just found it under the passenger seat lol. sorry!"
    assert Turn(text, "stop", 0.86, {}).breaks_free_text(describes=False)
    assert not Turn(text, "stop", 0.5, {}).breaks_free_text(describes=False)
    assert not Turn("the stop sign fell on the box", "stop", 0.9, {}).breaks_free_text(True)


def test_questions_are_told_apart_from_answers() -> None:
    assert Turn("btw where's my other box, the one with the puzzle?", "", 0.4, {}).is_question
    assert Turn("where is the other package", "", 0.4, {}).is_question
    assert not Turn("the puzzle", "", 0.4, {}).is_question
    assert not Turn("yes, the one with the puzzle", "", 0.4, {}).is_question


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("yes, 2 pairs", True),
        ("yep that's it", True),
        ("yse, file it", True),
        ("yes? is it to my card", False),
        ("yesterday it came", False),
        ("no", False),
    ],
)
def test_a_message_that_opens_with_yes(text: str, yes: bool) -> None:
    assert Turn(text, "inform", 1.0, {}).opens_with_yes() is yes


def test_a_question_about_the_order_breaks_free_text_even_naming_an_item() -> None:
    text = "also where's my other package, the one with the sleeping bag?"
    assert Turn(text, "check_tracking", 0.84, {}).breaks_free_text(describes=True)
    assert not Turn(text.rstrip("?"), "check_tracking", 0.84, {}).breaks_free_text(True)
    assert not Turn(text, "report_missing_item", 0.84, {}).breaks_free_text(describes=True)


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("ok cool yes", True),
        ("yes file it", True),
        ("no wait, yes", False),
        ("ya thats rigth", True),
        ("ok yes, just the bio rings then", True),
        ("ok, the fan is missing", False),
        ("ok no, not that one", False),
        ("yo what's up", False),
        ("not sure, yes", False),
        ("the one I picked up, yes", True),  # a plain yes set off at the end
        ("not the one I picked up, yes", False),
    ],
)
def test_a_short_message_with_a_plain_yes_and_nothing_against_it(text: str, yes: bool) -> None:
    assert Turn(text, "inform", 0.5, {}).opens_with_yes() is yes


@pytest.mark.parametrize(
    ("text", "thanks"),
    [
        ("thanks, sorry for the confusion", True),
        ("oh ok, so the rain cover is still coming? thanks", True),  # an echo, then thanks
        ("gracias", True),
        ("thanks, but where is my order?", False),
        ("where is my order? thanks", False),
        ("I want to say thanks to the store staff", False),
        ("Thanks, recital is in 2 weeks so hoping this is quick", True),  # manners and a hope
        ("thanks, hoping you can also check where the other box is", False),
        ("ah ok no worries, thanks anyway!", True),
    ],
)
def test_only_thanks_asks_nothing_new(text: str, thanks: bool) -> None:
    from actions.turns import only_thanks

    assert only_thanks(text) is thanks


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        (
            "oh wait. never mind, it was stuffed in the brush roll lol. sorry, nothing's missing",
            True,
        ),
        ("never mind, found it in the bag with the brushes", True),
        ("never mind the brush roll, the cleaner is what's missing", False),
    ],
)
def test_a_clear_stop_that_takes_the_report_back_breaks_free_text(text: str, breaks: bool) -> None:
    from actions.turns import Turn

    assert Turn(text, "stop", 1.0, {}).breaks_free_text(True) is breaks


@pytest.mark.parametrize(
    ("text", "signing_off"),
    [
        ("ok I'll check with them then", True),
        ("fine, I'll get her to message you herself", True),
        ("got it, I'll check back when the other one arrives", True),
        ("ok i'll check, but where is my order?", False),
        ("ok so the speaker is missing", False),
        ("ok so the rug is coming later, got it", True),
        ("oh right, the second box is still on its way. makes sense", True),
        ("ok so the rug is coming later, got it?", False),
        ("got it", False),  # an answer to a question, not a sign-off
        ("I'll check my email", False),  # no acknowledgement: maybe more to come
    ],
)
def test_a_sign_off_acknowledges_and_asks_nothing(text: str, signing_off: bool) -> None:
    from actions.turns import signs_off

    assert signs_off(text) is signing_off


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("Have a lovely evening", True),
        ("thanks, have a great night", True),
        ("enjoy the rest of your day", True),
        ("have a look at my order", False),
        ("do you have a day for pickup?", False),
    ],
)
def test_a_farewell_wish(text: str, wish: bool) -> None:
    from actions.turns import wishes_well

    assert wishes_well(text) is wish
