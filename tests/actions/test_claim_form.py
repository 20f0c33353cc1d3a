"""The claim form reads each message for the question it asked: answers, corrections, asides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.claim_form import ValidateClaimForm, _names_other_lines_missing
from actions.claim_turn import ClaimTurn
from actions.common import client
from actions.item_choice import choose_items
from actions.items import Line, Wanted
from actions.turn_orders import ORDERS
from actions.turns import Turn, latest_turn
from tests.actions.conftest import (
    JORDAN_EMAIL,
    JORDAN_SPLIT,
    MAYA_CLAIMED_ORDER,
    MAYA_EMAIL,
    MAYA_ORDER,
    MAYA_TRACKING,
    loop_event,
    make_tracker,
    message,
    run,
    slot_event,
    user_event,
    validate,
    verified,
)
from tests.conftest import start_supportdesk, stop

FORM = "claim_form"
HEADPHONES = {"line_id": f"{MAYA_ORDER}-L1", "name": "Wireless Over-Ear Headphones"}
CASE = {"line_id": f"{MAYA_ORDER}-L2", "name": "Clear Phone Case"}
CABLE = {"line_id": f"{MAYA_ORDER}-L3", "name": "USB-C Charging Cable (3-pack)"}
SIMILAR = "STS-2604-8813"


def turn(asked: str, text: str, intent: str = "inform", slots: dict | None = None, **kwargs: Any):
    """The form's validation of one message, sent while `asked` is the question."""
    return validate(
        ValidateClaimForm(),
        FORM,
        kwargs.pop("candidates", {}),
        slots=slots,
        requested_slot=asked,
        text=text,
        intent=intent,
        **kwargs,
    )


def taken(outcome) -> list[dict]:
    """The slots a validation set, leaving out requested_slot (Rasa rejects without others)."""
    return [e for e in outcome.events if e.get("name") != "requested_slot"]


def at_summary(**more: Any) -> dict[str, Any]:
    return verified(
        tracking_number=MAYA_TRACKING,
        missing_items=[{**CASE, "quantity": 1}],
        description="The bag was sealed but only one case was inside.",
        claim_checked=MAYA_ORDER,
        **more,
    )


# Natural first messages ------------------------------------------------------------------------


def test_items_named_before_the_order_is_known_are_used_once_it_is(shared_desk) -> None:
    first = turn(
        None,
        "hello, I picked up my order and the phone cases weren't in the bag",
        intent="report_missing_item",
    )
    mentions = first.slots["item_mentions"]
    assert "phone cases" in mentions
    verifying = turn(
        "email",
        MAYA_EMAIL,
        slots={"order_number": MAYA_ORDER, "item_mentions": mentions},
        candidates={"email": MAYA_EMAIL},
    )
    assert verifying.slots["verified_order"] == MAYA_ORDER
    assert verifying.slots["missing_items"] == []
    assert verifying.slots["pending_item"] == [{**CASE, "max": 2}]  # "the cases": how many?
    assert verifying.slots["item_mentions"] is None
    assert verifying.next_slot(FORM) == "tracking_number"  # never "which items are missing?"


def test_a_mention_of_an_item_in_transit_is_explained_before_any_question(shared_desk) -> None:
    outcome = turn(
        "email",
        JORDAN_EMAIL,
        slots={"order_number": JORDAN_SPLIT, "item_mentions": "my yoga mat never came"},
        candidates={"email": JORDAN_EMAIL},
    )
    assert "still on its way" in outcome.text
    assert outcome.slots["stop_reason"] == "in_transit"
    assert outcome.slots["requested_slot"] is None


@pytest.mark.parametrize(
    ("story", "stops"),
    [
        ("I got a text that part of my order is ready but where's the rest of it?", True),
        ("got the water bottle but where's the rest? the yoga mat", True),  # named: on its way
        ("the water bottle is missing, where's the rest?", False),  # a line at the store
    ],
)
def test_where_the_rest_is_with_a_package_on_its_way_is_no_claim(
    shared_desk, story: str, stops: bool
) -> None:
    """The rest of a split order is the package still on its way: told, and nothing asked."""
    outcome = turn(
        "email",
        JORDAN_EMAIL,
        slots={"order_number": JORDAN_SPLIT, "item_mentions": story},
        candidates={"email": JORDAN_EMAIL},
    )
    assert "still on its way" in outcome.text
    assert (outcome.slots.get("stop_reason") == "in_transit") is stops
    assert (outcome.slots["requested_slot"] is None) is stops


def test_an_order_not_picked_up_is_said_before_the_questions(shared_desk) -> None:
    outcome = turn(
        "email",
        JORDAN_EMAIL,
        slots={"order_number": "STS-7315-2264"},
        candidates={"email": JORDAN_EMAIL},
    )
    assert "not picked up yet" in outcome.text
    assert outcome.next_slot(FORM) == "tracking_number"


# Free text where free text is asked ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("just the other stuff was inside", "check_tracking"),
        ("it wasnt in teh bag", "greet"),
        ("hello? the bag only had the headphones", "greet"),
        ("where did it go, the box was taped shut when I got it", "check_tracking"),
        ("gone", "nlu_fallback"),
        ("fewer cases than I ordered", "out_of_scope"),  # tells of a shortfall: no aside
    ],
)
def test_the_description_is_whatever_the_customer_writes(shared_desk, text, intent) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = turn("description", text, intent=intent, slots=slots)
    assert outcome.slots.get("description") == text or "A few more words" in outcome.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("talk to a person", "request_human"),
        ("I want to speak to a person", "request_human"),
        ("stop", "stop"),
        ("actually never mind, I'll sort it out", "stop"),
        ("oh wait never mind, just found it under the car seat lol. sorry!", "stop"),
        ("am I talking to a real person?", "bot_challenge"),
        ("wait, where's the package at the moment?", "check_tracking"),
        (
            "oh wait. never mind, it was in the pocket of the headphones box. nothing's missing",
            "stop",
        ),
        ("oh also, can I return the headphones? turns out I don't need them", "out_of_scope"),
    ],
)
def test_a_short_clear_aside_breaks_into_the_description(shared_desk, text, intent) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = turn("description", text, intent=intent, slots=slots)
    assert taken(outcome) == []  # nothing taken: the form rejects, a digression rule answers


@pytest.mark.parametrize(
    "text",
    [
        "omg wait. it was taped to the back of the mat. never mind, please don't file anything!!",
        "actually wait, my husband might have left it in the truck. let's cancel this for now",
        "oh hang on. my roommate just texted that he already unpacked the filter and stuck it "
        "under the stand. never mind, sorry about that!",  # a "never mind" that closes it
    ],
)
def test_a_description_that_calls_the_claim_off_files_nothing(shared_desk, text) -> None:
    """Whatever the NLU made of it, "don't file anything" is no description."""
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = turn("description", text, intent="inform", slots=slots)
    assert outcome.slots["stop_reason"] == "called_off"
    assert outcome.slots["description"] is None
    assert outcome.responses == ["utter_claim_not_filed"]


def test_a_request_for_a_person_wins_even_in_a_long_message(shared_desk) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    text = (
        "I uploaded a photo. Can I talk to a real person? I want to make sure the refund is right"
    )
    outcome = turn("description", text, intent="request_human", slots=slots)
    assert taken(outcome) == []


@pytest.mark.parametrize(
    "text",
    ["the phone case was not there", "no phone case in the bag", "one phone case wasn't inside"],
)
def test_a_description_naming_the_claimed_item_is_the_description(shared_desk, text) -> None:
    """It names the missing item and changes nothing: not a correction, and not asked again."""
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = turn("description", text, intent="correct", slots=slots)
    assert outcome.slots.get("description") == text
    assert outcome.next_slot(FORM) == "claim_confirmed"


def test_an_aside_at_the_order_number_question_is_no_answer(shared_desk) -> None:
    outcome = turn("order_number", "are you a bot", intent="bot_challenge")
    assert taken(outcome) == []


def test_a_wrong_answer_at_the_order_number_question_is_explained(shared_desk) -> None:
    outcome = turn("order_number", "I dont have it", intent="inform")
    assert "doesn't look like an order number" in outcome.text


# Corrections ------------------------------------------------------------------------------------


def test_an_item_added_at_the_summary_is_confirmed_before_the_summary(shared_desk) -> None:
    outcome = turn(
        "claim_confirmed",
        "no, hold on, the charger was missing as well",
        intent="deny",
        slots=at_summary(),
    )
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 1}, {**CABLE, "quantity": 1}]
    assert outcome.slots["claim_confirmed"] is None  # not cancelled
    assert outcome.slots["items_inferred"] is True  # a line never confirmed: confirmed first
    assert outcome.next_slot(FORM) == "items_confirmed"
    after = {**at_summary(), **outcome.slots}
    confirmed = turn("items_confirmed", "yes", intent="affirm", slots=after)
    assert confirmed.next_slot(FORM) == "claim_confirmed"


def test_a_quantity_changed_at_the_summary_needs_no_confirmation(shared_desk) -> None:
    outcome = turn("claim_confirmed", "and one of the cases too", slots=at_summary())
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 2}]
    assert outcome.next_slot(FORM) == "claim_confirmed"


def test_an_item_swapped_at_the_summary_asks_how_many_of_the_new_one(shared_desk) -> None:
    text = "no sorry, I mixed it up. the cable is here. it's the phone cases that are missing"
    slots = {**at_summary(), "missing_items": [{**CABLE, "quantity": 1}]}
    outcome = turn("claim_confirmed", text, intent="correct", slots=slots)
    assert outcome.slots["missing_items"] == []  # begun: not "which items are missing?" again
    assert outcome.slots["pending_item"] == [{**CASE, "max": 2}]
    assert outcome.next_slot(FORM) == "item_quantity"


def test_one_more_of_an_item_at_the_summary(shared_desk) -> None:
    outcome = turn("claim_confirmed", "and one of the cases too", slots=at_summary())
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 2}]


def test_not_that_item_but_another(shared_desk) -> None:
    outcome = turn("claim_confirmed", "not the case, the headphones", slots=at_summary())
    assert outcome.slots["missing_items"] == [{**HEADPHONES, "quantity": 1}]


def test_a_question_after_the_order_at_the_summary_changes_no_item(shared_desk) -> None:
    """ "also where is the cable package right now?": answered as an aside, the claim stands."""
    text = "also where is the cable package right now? I want to know it got there"
    outcome = turn("claim_confirmed", text, intent="check_tracking", slots=at_summary())
    assert "missing_items" not in outcome.slots  # the claim's items, as they were
    assert "claim_confirmed" not in outcome.slots
    assert taken(outcome) == []  # nothing for the form: a digression rule answers


def test_a_question_at_the_description_is_an_aside(shared_desk) -> None:
    """ "how long does the refund take to show up on my card?" describes nothing."""
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    ranking = [
        {"name": "out_of_scope", "confidence": 0.49},
        {"name": "check_claim_status", "confidence": 0.32},
    ]
    text = "how long does it take for the refund to show up on my card?"
    outcome = turn("description", text, intent="out_of_scope", slots=slots, intent_ranking=ranking)
    assert outcome.slots.get("description") is None


def test_a_count_over_the_one_claimable_takes_the_one(shared_desk) -> None:
    """ "2 headphones" of one: no question with one possible answer, the one, and why."""
    slots = verified(tracking_number=MAYA_TRACKING)
    outcome = turn("missing_items", "2 headphones", slots=slots)
    assert outcome.slots["missing_items"] == [{**HEADPHONES, "quantity": 1}]
    assert "Only 1 × Wireless Over-Ear Headphones can be claimed" in outcome.text
    assert not outcome.slots.get("pending_item")


def test_a_count_put_right_after_a_dash_at_the_summary(shared_desk) -> None:
    """ "make it 2 not 4 — I just found two of them in the X box": the clause after the dash
    names another line as a place, the count before it stands."""
    slots = {**at_summary(), "missing_items": [{**CASE, "quantity": 2}]}
    text = "no, make it 1 not 2 — I just found one of them inside the headphones box"
    outcome = turn("claim_confirmed", text, intent="correct", slots=slots)
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 1}]


def test_not_that_package_asks_for_the_package_again(shared_desk) -> None:
    outcome = turn("claim_confirmed", "not that package", intent="correct", slots=at_summary())
    assert outcome.slots["tracking_number"] is None
    assert outcome.slots["tracking_declined"] is True
    assert outcome.next_slot(FORM) == "tracking_number"


@pytest.mark.parametrize("text", ["yes, 1 case", "yes, the phone case"])
def test_a_yes_that_names_the_claim_as_it_stands_files_it(shared_desk, text: str) -> None:
    """ "yes, 3 plates" changes nothing: it is a yes, not the summary once more."""
    outcome = turn("claim_confirmed", text, intent="affirm", slots=at_summary())
    assert outcome.slots["claim_confirmed"] is True


@pytest.mark.parametrize(("text", "files"), [("yes, 2 towels", True), ("yes, 1 towel", False)])
def test_a_yes_whose_words_fit_the_claimed_line_among_others_files_it(
    desk, text: str, files: bool
) -> None:
    """ "Yes, 2 towels" when the claim has 2 hand towels: those, though bath towels fit too;
    with another count, it is a change, and the assistant asks which towels."""
    hand = {"line_id": f"{SIMILAR}-L2", "name": "Cotton Hand Towel, Grey", "quantity": 2}
    slots = verified(
        SIMILAR,
        MAYA_EMAIL,
        tracking_number="1Z8V3K510326048819",
        missing_items=[hand],
        description="Only the bath towel was in the bag.",
        claim_checked=SIMILAR,
    )
    outcome = turn("claim_confirmed", text, intent="affirm", slots=slots, candidates={})
    assert (outcome.slots.get("claim_confirmed") is True) is files


def test_a_plain_no_at_the_summary_cancels(shared_desk) -> None:
    outcome = turn("claim_confirmed", "no", intent="deny", slots=at_summary())
    assert outcome.slots["claim_confirmed"] is False


def test_a_no_with_a_question_at_the_summary_cancels_and_answers(shared_desk) -> None:
    """ "No, don't. I'd rather return the whole order … How do I send it back?": nothing filed,
    and the question answered; "no wait, ..." is not such a no."""
    text = (
        "No, don't. I'd rather return the whole order and get my money back. How do I send it back?"
    )
    outcome = turn("claim_confirmed", text, intent="out_of_scope", slots=at_summary())
    assert outcome.slots["claim_confirmed"] is False
    answered = {"utter_help_center_answer", "utter_help_center_unknown_in_form"}
    assert answered & set(outcome.responses)  # the article, or an honest "I don't know"
    waiting = turn(
        "claim_confirmed",
        "no wait, how long do refunds take?",
        intent="out_of_scope",
        slots=at_summary(),
    )
    assert waiting.slots.get("claim_confirmed") is not False


def test_an_item_added_while_the_description_is_asked(shared_desk) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = turn("description", "oh and the cable too", slots=slots)
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 1}, {**CABLE, "quantity": 1}]
    assert "description" not in outcome.slots or outcome.slots["description"] is None
    assert outcome.next_slot(FORM) == "items_confirmed"  # the cable was never confirmed


def test_a_story_at_the_description_that_tells_one_more_short_adds_it_and_is_kept(
    shared_desk,
) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CABLE, "quantity": 1}])
    text = "the bag was sealed, no charging cable and only one phone case inside"
    outcome = turn("description", text, slots=slots)
    assert outcome.slots["missing_items"] == [{**CABLE, "quantity": 1}, {**CASE, "quantity": 1}]
    assert outcome.slots["description"] == text  # the story is the description as well
    assert outcome.next_slot(FORM) == "items_confirmed"  # the case: confirmed first


def test_a_story_at_the_description_that_swaps_the_items_is_confirmed(shared_desk) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    slots["items_confirmed"] = True
    text = "the phone case was in the bag after all, it's the charging cable that never came"
    outcome = turn("description", text, slots=slots)
    assert outcome.slots["missing_items"] == [{**CABLE, "quantity": 1}]
    assert outcome.slots["items_confirmed"] is None
    assert outcome.next_slot(FORM) == "items_confirmed"


# Clarification and quantity words --------------------------------------------------------------


def test_words_that_fit_two_lines_ask_which_one(desk) -> None:
    slots = verified(SIMILAR, MAYA_EMAIL, tracking_number="1Z8V3K510326048819")
    outcome = turn("missing_items", "the towels", slots=slots, candidates={})
    question = outcome.slots["pending_item"][0]
    assert [o["name"] for o in question["choice"]] == [
        "Cotton Bath Towel, Grey",
        "Cotton Hand Towel, Grey",
    ]
    assert outcome.next_slot(FORM) == "item_quantity"
    answer = turn(
        "item_quantity", "the hand towels", slots={**slots, **outcome.slots}, candidates={}
    )
    hand = {"line_id": f"{SIMILAR}-L2", "name": "Cotton Hand Towel, Grey"}
    assert answer.slots["pending_item"] == [{**hand, "max": 2}]  # then: how many?
    both = turn("item_quantity", "both", slots={**slots, **outcome.slots, **answer.slots})
    assert both.slots["missing_items"] == [{**hand, "quantity": 2}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("both of them", [{**CASE, "quantity": 2}]),
        ("all of them", [{**HEADPHONES, "quantity": 1}, {**CASE, "quantity": 2},
                         {**CABLE, "quantity": 1}]),
        ("one of the cases", [{**CASE, "quantity": 1}]),
        ("2 cases", [{**CASE, "quantity": 2}]),
    ],
)  # fmt: skip
def test_quantity_words(shared_desk, text: str, expected: list) -> None:
    slots = verified(tracking_number=MAYA_TRACKING)
    assert turn("missing_items", text, slots=slots).slots["missing_items"] == expected


def test_a_button_with_a_number_in_its_name_is_no_quantity(shared_desk) -> None:
    slots = verified("STS-7315-2264", JORDAN_EMAIL, tracking_number="612999905187")
    outcome = turn("missing_items", "Building Blocks Set (500 pcs)", slots=slots)
    assert outcome.slots["missing_items"] == [
        {"line_id": "STS-7315-2264-L1", "name": "Building Blocks Set (500 pcs)", "quantity": 1}
    ]


def test_no_at_the_items_question_stops_without_a_claim(shared_desk) -> None:
    slots = verified(MAYA_CLAIMED_ORDER, tracking_number="1Z0F31V20344772012")
    outcome = turn("missing_items", "no", intent="deny", slots=slots)
    assert outcome.slots["stop_reason"] == "nothing_missing"


def test_units_claimed_meanwhile_by_another_conversation_end_the_form(desk) -> None:
    from actions.common import client

    client().create_claim(
        MAYA_CLAIMED_ORDER,
        MAYA_EMAIL,
        [{"line_id": f"{MAYA_CLAIMED_ORDER}-L1", "quantity": 2}],
        "Both lipsticks were missing from the bag.",
        idempotency_key="meanwhile",
    )
    slots = verified(MAYA_CLAIMED_ORDER, tracking_number="1Z0F31V20344772012")
    slots["claim_checked"] = MAYA_CLAIMED_ORDER
    thanks = message("thanks", "thank")
    events = [
        loop_event(FORM),
        user_event("thanks", thanks),
        {"event": "action", "timestamp": 0, "name": "action_answer_aside"},
        {"event": "action", "timestamp": 0, "name": FORM},
    ]
    after_the_aside = make_tracker(
        {**slots, "requested_slot": "missing_items"},
        text="thanks",
        intent="thank",
        events=events,
        active_loop=FORM,
    )
    outcome = run(ValidateClaimForm(), after_the_aside)
    assert outcome.slots["stop_reason"] == "nothing_to_claim"
    assert "already part of" in outcome.text
    assert outcome.slots["requested_slot"] is None  # the form ends instead of asking again


def test_a_support_desk_that_is_down_is_asked_once_per_request(desk_down, monkeypatch) -> None:
    calls = []
    lookup = client().lookup_order

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return lookup(*args, **kwargs)

    monkeypatch.setattr(client(), "lookup_order", counted)
    tracker = make_tracker(verified(MAYA_ORDER))
    turn = ClaimTurn(latest_turn(tracker))
    assert turn.order(tracker) is None
    assert turn.order(tracker) is None
    assert len(calls) == 1 and turn.order_error is not None


def test_which_one_is_read_from_what_the_answer_says_is_missing() -> None:
    from actions.claim_form import _option_named
    from actions.items import Line

    tv = Line("T1", "55-inch 4K Smart TV", 1, 1, 0)
    mount = Line("T2", "Universal TV Wall Mount", 1, 1, 0)
    assert _option_named("the TV", [tv, mount]) == tv  # what the name ends with: what it is
    assert _option_named("the mount", [tv, mount]) == mount
    robot = Line("V1", "Robot Vacuum R7", 1, 1, 0)
    stick = Line("V2", "Cordless Stick Vacuum", 1, 1, 0)
    text = "the cordless stick vacuum. the robot one came fine"
    assert _option_named(text, [robot, stick]) == stick
    small = Line("S1", "Men's Trail Runner, 10.5", 1, 1, 0)
    large = Line("S2", "Men's Trail Runner, 11", 1, 1, 0)
    assert _option_named("the 10.5s", [small, large]) == small
    assert _option_named("the shoes", [small, large]) is None
    long = Line("W1", "Wiper Blade, 22 in", 2, 2, 0)
    short = Line("W2", "Wiper Blade, 18 in", 2, 2, 0)
    for text in (
        "the 22 inch ones. the 18 inch one was there",
        "the 22 inch ones, the 18 inch one came fine",
    ):
        assert _option_named(text, [long, short]) == long, text  # the other size came
    assert _option_named("22 and 18", [long, short]) is None


def test_which_one_is_the_one_said_missing_however_its_number_is_written() -> None:
    from actions.claim_form import _option_left
    from actions.items import Line

    low = Line("D1", "Vitamin D3 1,000 IU Softgels, 120-ct", 1, 1, 0)
    high = Line("D2", "Vitamin D3 4,000 IU Softgels, 90-ct", 1, 1, 0)
    text = "the 4000 IU one. the 1000 IU bottle was there"
    assert _option_left(text, [low, high]) == high


def test_a_size_at_which_one_is_not_a_count(shared_desk) -> None:
    pair = [
        {"line_id": f"{MAYA_ORDER}-L2", "name": "Clear Phone Case, 6 in", "max": 2},
        {"line_id": f"{MAYA_ORDER}-L3", "name": "Clear Phone Case, 7 in", "max": 2},
    ]
    slots = verified(
        tracking_number=MAYA_TRACKING,
        pending_item=[{"choice": pair, "quantity": None, "everything": False}],
        claim_checked=MAYA_ORDER,
    )
    outcome = turn("item_quantity", "the 9 inch ones", slots=slots)  # no size of theirs
    assert "Got it" not in outcome.text


def test_a_story_at_the_description_is_the_description_even_with_numbers(shared_desk) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    text = "counted them at home, 1 phone case instead of 2"
    outcome = turn("description", text, intent="inform", slots=slots)
    assert outcome.slots.get("description") == text
    assert "missing_items" not in outcome.slots or outcome.slots["missing_items"] == [
        {**CASE, "quantity": 1}
    ]


def test_an_aside_at_the_package_question_is_no_yes(shared_desk) -> None:
    outcome = turn("tracking_number", "am I talking to a real person?", intent="bot_challenge",
                   slots=verified())  # fmt: skip
    assert taken(outcome) == []


def test_a_yes_with_a_laugh_at_the_package_question_is_a_yes(shared_desk) -> None:
    outcome = turn("tracking_number", "yes lol", intent="chitchat", slots=verified())
    assert outcome.slots["tracking_number"] == MAYA_TRACKING


def test_a_yes_after_a_no_to_the_package_takes_the_package_after_all(shared_desk) -> None:
    text = "sorry, I misread - yes, the one that's at the store"
    outcome = turn("tracking_number", text, slots=verified(tracking_declined=True))
    assert outcome.slots["tracking_number"] == MAYA_TRACKING
    assert outcome.slots["tracking_declined"] is False
    typed = turn("tracking_number", "it's another one", slots=verified(tracking_declined=True))
    assert typed.slots.get("tracking_number") != MAYA_TRACKING


def test_a_request_for_a_person_wins_over_the_items_it_names(shared_desk) -> None:
    text = "the headphones are missing but I want to speak to a person"
    outcome = turn("missing_items", text, intent="request_human", slots=verified())
    assert outcome.events == []  # the form rejects; the digression rule hands off and ends it


def test_a_message_that_changes_nothing_is_answered_in_other_words(shared_desk) -> None:
    """The order number again at the package question: not silence, and never a third time."""
    slots = verified(claim_checked=MAYA_ORDER)
    history = [
        loop_event(FORM),
        *(slot_event(name, value) for name, value in slots.items()),
        slot_event("requested_slot", "tracking_number"),
    ]
    outcome = turn(
        "tracking_number",
        MAYA_ORDER,
        slots=slots,
        candidates={"order_number": MAYA_ORDER},
        history=history,
    )
    assert 'answer "yes" or "no"' in outcome.text
    assert outcome.slots["failed_attempts"] == {"tracking_number": 1}
    again = turn(
        "tracking_number",
        MAYA_ORDER,
        slots={**slots, "failed_attempts": {"tracking_number": 1}},
        candidates={"order_number": MAYA_ORDER},
        history=history,
    )
    assert again.slots["stop_reason"] == "left_step"
    assert again.slots["requested_slot"] is None


def test_which_one_is_not_the_option_the_word_only_describes() -> None:
    from actions.claim_form import _option_named
    from actions.items import Line

    laptop = Line("P1", 'Laptop 14" Ultrabook, 16GB/512GB', 1, 1, 0)
    sleeve = Line("P2", 'Laptop Sleeve 14"', 1, 1, 0)
    assert _option_named("the laptop", [laptop, sleeve]) == laptop
    assert _option_named("the sleeve", [laptop, sleeve]) == sleeve
    assert _option_named("the 14 inch one", [laptop, sleeve]) is None


def test_a_package_named_by_its_carrier() -> None:
    from actions.claim_form import _package_by_carrier

    order = {
        "shipments": [
            {"carrier": "FedEx", "tracking_number": "711035889946"},
            {"carrier": "UPS", "tracking_number": "1ZD0115E0394111768"},
        ]
    }
    assert _package_by_carrier("the ups one", order) == "1ZD0115E0394111768"
    assert _package_by_carrier("FedEx please", order) == "711035889946"
    assert _package_by_carrier("the big one", order) is None
    both = {"shipments": [{**s, "carrier": "UPS"} for s in order["shipments"]]}
    assert _package_by_carrier("the ups one", both) is None
    usps = {"shipments": [order["shipments"][1], {**order["shipments"][0], "carrier": "USPS"}]}
    assert _package_by_carrier("my bad, the USPS box, not the UPS one", usps) == "711035889946"


def test_a_quantity_answer_about_several_lines_is_read_for_the_line_asked() -> None:
    from actions.claim_form import _part_about, _quantity_answer
    from actions.items import Line

    drops = Line("D1", "Cough Drops, Honey Lemon", 4, 4, 0)
    bandages = Line("D2", "Bandages, Assorted 60-ct", 3, 3, 0)
    text = "3 of the 4 cough drop bags, and all 3 boxes of bandages"
    both = [drops, bandages]
    assert _quantity_answer(_part_about(text, "D1", both, both), 4) == 3
    assert _quantity_answer(_part_about(text, "D2", both, both), 3) == 3
    assert _part_about("2 of the cough drops", "D1", both, both) == "2 of the cough drops"


def test_sizes_said_in_the_plural_are_read_among_the_lines_asked_about() -> None:
    from actions.claim_form import _part_about, _quantity_answer
    from actions.items import Line

    small = Line("D1", "Lyrical Dress, Teal, Adult S", 4, 4, 0)
    medium = Line("D2", "Lyrical Dress, Teal, Adult M", 3, 3, 0)
    tights = Line("T1", "Skin-Tone Convertible Tights, Light, Adult S/M", 7, 7, 0)
    text = "2 of the 4 smalls and 1 of the 3 mediums"
    lines, asked = [small, medium, tights], [small, medium]
    assert _quantity_answer(_part_about(text, "D1", lines, asked), 4) == 2
    assert _quantity_answer(_part_about(text, "D2", lines, asked), 3) == 1


def test_a_new_quantity_at_the_summary_is_read_where_no_item_is_named() -> None:
    from actions.claim_form import _new_quantity
    from actions.items import Line

    wipes = Line("W1", "Makeup Remover Wipes, 25-ct", 4, 4, 0)
    dryer = Line("W2", "Hair Dryer, Ionic 1875W", 1, 1, 0)
    chosen = [{"line_id": "W1", "name": wipes.name, "quantity": 4}]
    text = "actually make that 3, one pack was stuck under the hair dryer box"
    assert _new_quantity(chosen, text, [wipes, dryer]) == [{**chosen[0], "quantity": 3}]
    assert _new_quantity(chosen, "the hair dryer too", [wipes, dryer]) is None
    found = "wait no - I just found one under the paper. so it's 2 missing not 4"
    assert _new_quantity(chosen, found, [wipes, dryer]) == [{**chosen[0], "quantity": 2}]


@pytest.mark.parametrize(("text", "quantity"), [("one bag of each", 1), ("2 of each", 2)])
def test_a_count_of_each_is_that_count_not_all(text: str, quantity: int) -> None:
    from actions.claim_form import _quantity_answer

    assert _quantity_answer(text, 3) == quantity


def test_each_claimed_line_said_with_its_count_at_the_summary_is_recounted() -> None:
    from actions.claim_form import _new_counts
    from actions.items import Line

    small = Line("D1", "Lyrical Dress, Teal, Adult S", 4, 4, 0)
    medium = Line("D2", "Lyrical Dress, Teal, Adult M", 3, 3, 0)
    tights = Line("T1", "Skin-Tone Convertible Tights, Light, Adult S/M", 7, 7, 0)
    lines = [small, medium, tights]
    chosen = [
        {"line_id": "D1", "name": small.name, "quantity": 2},
        {"line_id": "D2", "name": medium.name, "quantity": 2},
    ]
    recounted = _new_counts(chosen, "Yes - 2 small and 1 medium", lines)
    assert [(i["line_id"], i["quantity"]) for i in recounted] == [("D1", 2), ("D2", 1)]
    assert _new_counts(recounted, "Yes - 2 small and 1 medium", lines) is None  # as it stands
    assert _new_counts(chosen, "yes", lines) is None


def test_a_change_of_count_asked_as_a_question_is_made() -> None:
    from actions.claim_form import _new_quantity
    from actions.items import Line

    lopi = Line("L1", "Icelandic Lopi, Black Sheep, 100g", 8, 8, 0)
    chosen = [{"line_id": "L1", "name": lopi.name, "quantity": 8}]
    text = (
        "hang on, I just found 5 of them under the tissue paper. So only 3 are actually "
        "missing, can you change it to 3?"
    )
    assert _new_quantity(chosen, text, [lopi]) == [{**chosen[0], "quantity": 3}]
    assert _new_quantity(chosen, "can I choose which card the refund goes to?", [lopi]) is None


def test_a_count_said_missing_by_its_unit_is_the_count_before_the_unit() -> None:
    from actions.claim_form import _new_quantity
    from actions.items import Line

    socks = Line("R1", "No-Show Running Socks, 3-pair, Size S", 3, 3, 0)
    shorts = Line("R2", "Women's Pacer Shorts 3in, Size S", 2, 2, 0)
    chosen = [{"line_id": "R2", "name": shorts.name, "quantity": 2}]
    story = "I just found one pair folded under the socks. so it's only ONE pair missing, not two"
    at_description = _new_quantity(chosen, story, [socks, shorts], said_missing_only=True)
    assert at_description == [{**chosen[0], "quantity": 1}]
    one = [{**chosen[0], "quantity": 1}]
    assert _new_quantity(one, "no, it's only one pair missing, not both", [socks, shorts]) is None
    sealed = "the box was sealed, 2 tears in the tape"
    assert _new_quantity(one, sealed, [socks, shorts], said_missing_only=True) is None


def test_an_ambiguous_item_already_claimed_at_the_description_is_the_description(
    shared_desk,
) -> None:
    hand = {"line_id": f"{SIMILAR}-L2", "name": "Cotton Hand Towel, Grey", "quantity": 2}
    slots = verified(
        SIMILAR, MAYA_EMAIL, tracking_number="1Z8V3K510326048819", missing_items=[hand]
    )
    text = "no towels in the box, the mat was there"
    outcome = turn("description", text, intent="report_missing_item", slots=slots)
    assert outcome.slots.get("description") == text
    assert not outcome.slots.get("pending_item")


def test_naming_another_item_at_which_one_takes_that_item(desk) -> None:
    slots = verified(SIMILAR, MAYA_EMAIL, tracking_number="1Z8V3K510326048819")
    outcome = turn("missing_items", "the towels", slots=slots, candidates={})
    answer = turn("item_quantity", "the bath mat", slots={**slots, **outcome.slots}, candidates={})
    mat = {"line_id": f"{SIMILAR}-L3", "name": "Bamboo Bath Mat"}
    assert answer.slots["missing_items"] == [{**mat, "quantity": 1}]
    assert not answer.slots.get("pending_item")


def test_a_longer_addition_at_the_description_adds_the_item(shared_desk) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    text = "wait, I just looked through the bag again and the cable is missing too, add it please"
    outcome = turn("description", text, intent="report_missing_item", slots=slots)
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 1}, {**CABLE, "quantity": 1}]
    assert not outcome.slots.get("description")


def test_a_long_swap_at_the_description_changes_the_items(shared_desk) -> None:
    """A claimed line said to have come and another said missing: a correction, however long."""
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    text = (
        "ok so the phone case is actually here, I found it under the packing paper when I "
        "unpacked everything again. it's the charging cable that's missing, not the case"
    )
    outcome = turn("description", text, intent="inform", slots=slots)
    assert outcome.slots["missing_items"] == [{**CABLE, "quantity": 1}]
    assert not outcome.slots.get("description")


def test_a_long_story_of_the_claimed_line_is_the_description(shared_desk) -> None:
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    text = (
        "I opened the bag at the counter, the headphones and the cable were there but the "
        "phone case was nowhere, I checked twice"
    )
    outcome = turn("description", text, intent="inform", slots=slots)
    assert outcome.slots.get("description") == text


def test_the_package_offered_holds_the_items_already_named() -> None:
    from actions.claim_form import offered_package

    bed = {"carrier": "FedEx", "tracking_number": "710698867008", "received_by_store": True}
    soil = {"carrier": "UPS", "tracking_number": "1ZC730CC0390096473", "received_by_store": True}
    order = {
        "shipments": [
            {**bed, "items": [{"line_id": "G1", "quantity": 1}]},
            {**soil, "items": [{"line_id": "G2", "quantity": 4}, {"line_id": "G3", "quantity": 6}]},
        ]
    }
    mix = [{"line_id": "G2", "name": "Potting Mix, 1.5 cu ft", "quantity": 1}]
    named = offered_package(order, make_tracker({"missing_items": mix}))
    assert named is not None and named["carrier"] == "UPS"
    assert offered_package(order, make_tracker({})) is None  # nothing named: both are listed
    both = mix + [{"line_id": "G1", "name": "Raised Garden Bed", "quantity": 1}]
    assert offered_package(order, make_tracker({"missing_items": both})) is None


@pytest.mark.parametrize(("text", "quantity"), [("bpth packs", 2), ("bothh", 2), ("bath", None)])
def test_a_slip_of_both_answers_how_many(text: str, quantity: int | None) -> None:
    from actions.claim_form import _quantity_answer

    assert _quantity_answer(text, 2) == quantity


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("2, I only got one of the three", 2),  # the answer comes first
        ("I only got one of the three", 2),  # a count of what came: the rest is missing
        ("one of them", 1),
        ("just one", 1),
        ("2 of the pens (only 1 came)", 2),  # a count first, in figures
        ("1 came out of 3", 2),  # the figure first, of what came
        ("2 were there", 1),
        ("shuld be 3, only got 1 so 2 missng", 2),  # the count said missing
        ("2, got one out of three", 2),  # the answer first, set off by a comma
    ],
)
def test_how_many_reads_a_count_of_what_came(text: str, quantity: int) -> None:
    from actions.claim_form import _quantity_answer

    assert _quantity_answer(text, 3) == quantity


def test_the_plural_of_what_all_options_share_names_them_all() -> None:
    from actions.claim_form import _options_named
    from actions.items import Line

    short = Line("B1", "Baby Bodysuit 5-pack, Short Sleeve, 6-9 months", 1, 1, 0)
    long = Line("B2", "Baby Bodysuit 5-pack, Long Sleeve, 6-9 months", 1, 1, 0)
    text = "everything apart from the sleepsuits and the hats, so the bodysuit packs"
    assert _options_named(text, [short, long]) == [short, long]
    assert _options_named("the bodysuit pack", [short, long]) == []  # one of them: which?
    small = Line("D1", "Lyrical Dress, Teal, Adult S", 4, 4, 0)
    medium = Line("D2", "Lyrical Dress, Teal, Adult M", 3, 3, 0)
    assert _options_named("the teal lyrical dresses", [small, medium]) == [small, medium]
    assert _options_named("the teal lyrical dress", [small, medium]) == []


def test_an_answer_to_which_one_may_name_several_of_the_options() -> None:
    from actions.claim_form import _options_named
    from actions.items import Line

    micro = Line("M1", "Memory Card microSD 64GB", 1, 1, 0)
    sd = Line("M2", "Memory Card SD 64GB", 1, 1, 0)
    case = Line("M3", "Memory Card Case (holds 12)", 1, 1, 0)
    assert _options_named("the microSD and the SD cards", [micro, sd, case]) == [micro, sd]
    assert _options_named("the microSD one", [micro, sd, case]) == []


def test_all_of_the_options_named_with_one_of_them_again_are_all_of_them() -> None:
    from actions.claim_form import _entry

    micro = Line("M1", "Memory Card microSD 64GB", 2, 2, 0)
    sd = Line("M2", "Memory Card SD 64GB", 2, 2, 0)
    case = Line("M3", "Memory Card Case (holds 12)", 1, 1, 0)
    question = {"choice": [_entry(o) for o in (micro, sd, case)], "quantity": None}
    text = "all the memory cards and the card case"
    tracker = make_tracker(slots=verified(), text=text)
    chosen = ValidateClaimForm()._choose(question, [], text, CollectingDispatcher(), tracker)
    counts = {item["line_id"]: item["quantity"] for item in chosen["missing_items"]}
    assert counts == {"M1": 2, "M2": 2, "M3": 1}  # not the case alone
    assert not chosen["pending_item"]


def test_a_question_at_the_summary_is_no_new_count() -> None:
    from actions.claim_form import _new_quantity
    from actions.items import Line

    notebooks = Line("N1", "Composition Notebook, Wide Ruled", 6, 6, 0)
    chosen = [{"line_id": "N1", "name": notebooks.name, "quantity": 2}]
    question = "I paid with a gift card and my visa, can I choose which one the refund goes to?"
    assert _new_quantity(chosen, question, [notebooks]) is None
    assert _new_quantity(chosen, "no, just one actually", [notebooks])[0]["quantity"] == 1


def test_a_look_alike_of_an_item_on_its_way_is_asked_with_it() -> None:
    from rasa_sdk.executor import CollectingDispatcher

    from actions.items import Line, Wanted

    bed = Line("B1", 'Orthopedic Dog Bed, XL (42" x 34")', 1, 0, 1)
    cover = Line("B2", "Dog Bed Cover, XL - Slate Gray", 1, 1, 0)
    order = {"pickup_store": {"time_zone": "America/Los_Angeles"}, "shipments": [], "claims": []}
    wanted = [Wanted(cover, None, False, (bed,))]
    dispatcher = CollectingDispatcher()
    result = ValidateClaimForm()._select(wanted, order, dispatcher, make_tracker({}), quiet=True)
    [question] = result["pending_item"]
    assert [o["line_id"] for o in question["choice"]] == ["B2", "B1"]  # not the cover alone


def test_a_line_claimed_before_in_part_is_confirmed_naming_that_claim(desk) -> None:
    """One lipstick of two was claimed before: the shopper may have forgotten that claim."""
    from actions.claims import ActionAskItemsConfirmed

    lipstick = f"{MAYA_CLAIMED_ORDER}-L1"
    earlier = client().create_claim(
        MAYA_CLAIMED_ORDER,
        MAYA_EMAIL,
        [{"line_id": lipstick, "quantity": 1}],
        "One lipstick was missing.",
        idempotency_key="earlier",
    )
    chosen = [{"line_id": lipstick, "name": "Matte Lipstick, Rosewood", "quantity": 1}]
    slots = verified(
        MAYA_CLAIMED_ORDER,
        tracking_number="1Z0F31V20344772012",
        missing_items=chosen,
        claim_checked=MAYA_CLAIMED_ORDER,
    )
    asked = run(ActionAskItemsConfirmed(), make_tracker(slots))
    assert asked.responses == ["utter_ask_items_besides_claimed"]
    assert earlier["claim_number"] in asked.messages[0]["claims"]
    assert asked.payloads == ["/affirm", "/deny"]
    reported = turn("items_confirmed", "no", intent="deny", slots=slots)
    assert reported.slots["stop_reason"] == "already_claimed"
    assert reported.slots["missing_items"] is None
    more = turn("items_confirmed", "yes", intent="affirm", slots=slots)
    assert more.slots["items_confirmed"] is True
    assert more.next_slot(FORM) == "description"


def test_an_item_claimed_before_gets_that_claims_status_and_nothing_new_is_filed(
    shared_desk,
) -> None:
    """ "Checking on my refund for the brushes that never showed up": the claim, as it stands."""
    slots = verified(
        MAYA_CLAIMED_ORDER, tracking_number="1Z0F31V20344772012", claim_checked=MAYA_CLAIMED_ORDER
    )
    outcome = turn("missing_items", "the makeup brush set never showed up", slots=slots)
    assert outcome.slots["stop_reason"] == "already_claimed"
    assert outcome.slots["missing_items"] is None
    texts = [m.get("text") or "" for m in outcome.messages]
    status = next(t for t in texts if t.startswith("Claim CLM-000001"))
    assert "Makeup Brush Set" in status and "History:" in status
    assert outcome.slots["claim_number"] == "CLM-000001"
    assert [b["payload"] for b in outcome.messages[-1]["buttons"]] == ["/report_missing_item"]


def test_at_which_one_another_line_of_the_order_is_an_answer(shared_desk) -> None:
    choice = [{"line_id": f"{MAYA_ORDER}-L1", "name": "x", "max": 1}]
    slots = verified(
        tracking_number=MAYA_TRACKING,
        pending_item=[{"choice": choice, "quantity": None, "everything": False}],
        claim_checked=MAYA_ORDER,
    )
    # whatever the NLU made of it, the answer names a line: taken, not answered as an aside
    outcome = turn("item_quantity", "the phone case", intent="out_of_scope", slots=slots)
    assert [p["name"] for p in outcome.slots["pending_item"]] == ["Clear Phone Case"]


def headphones_to_confirm() -> dict[str, Any]:
    """At "is this what's missing? 1 × Wireless Over-Ear Headphones", read from a story."""
    headphones = {"line_id": f"{MAYA_ORDER}-L1", "name": "Wireless Over-Ear Headphones"}
    return verified(
        tracking_number=MAYA_TRACKING,
        missing_items=[{**headphones, "quantity": 1}],
        items_inferred=True,
        claim_checked=MAYA_ORDER,
    )


def test_items_implied_at_the_confirmation_are_confirmed_in_turn(shared_desk) -> None:
    """ "The headphones came fine" at "is this what's missing? 1 × headphones" leaves the other
    lines as candidates: they are shown for a yes, never filed on the strength of that answer."""
    slots = headphones_to_confirm()
    outcome = turn("items_confirmed", "no, the headphones came fine", intent="deny", slots=slots)
    assert outcome.slots.get("items_confirmed") is not True
    assert outcome.slots["items_inferred"] is True
    assert outcome.next_slot(FORM) == "items_confirmed"
    named = turn("items_confirmed", "the phone cases", slots=slots)
    assert named.slots["items_confirmed"] is True  # named as the answer: no second question


def test_the_lines_being_confirmed_named_again_are_a_yes_and_what_came_is_no_answer(
    shared_desk,
) -> None:
    """At "is this what's missing? 1 × headphones", "the wireless over-ear ones" names the
    headphones only by their kind; it is still those lines, so no second question."""
    slots = headphones_to_confirm()
    again = turn("items_confirmed", "the wireless over-ear ones", slots=slots)
    assert again.slots["items_confirmed"] is True
    # the very lines left over from what came are no yes, and no new question either
    came = turn("items_confirmed", "the phone cases and the cable came", slots=slots)
    assert came.slots.get("items_confirmed") is not True
    assert "missing_items" not in came.slots  # unchanged
    assert 'Please answer "yes"' in came.text


def which_of_case_and_cable(text: str):
    """The answer to "which one do you mean: the phone case or the cable?"."""
    slots = verified(
        tracking_number=MAYA_TRACKING,
        pending_item=[
            {
                "choice": [{**CASE, "max": 2}, {**CABLE, "max": 1}],
                "quantity": None,
                "everything": False,
            }
        ],
        claim_checked=MAYA_ORDER,
    )
    return turn("item_quantity", text, slots=slots)


@pytest.mark.parametrize(
    "text",
    [
        "both - the phone case and the cable",
        "both",
        "both of them (case and cable) and the headphones",  # another line named besides
    ],
)
def test_at_which_one_both_options_named_are_both_chosen(shared_desk, text: str) -> None:
    outcome = which_of_case_and_cable(text)
    chosen = {i["name"]: i["quantity"] for i in outcome.slots["missing_items"]}
    assert chosen == {"Clear Phone Case": 2, "USB-C Charging Cable (3-pack)": 1}
    assert outcome.slots["pending_item"] is None


def test_at_which_one_two_options_named_without_a_count_ask_how_many(shared_desk) -> None:
    """ "the phone case and the cable", two cases ordered: the cable, and how many cases."""
    outcome = which_of_case_and_cable("the phone case and the cable")
    assert [i["name"] for i in outcome.slots["missing_items"]] == [CABLE["name"]]
    assert [p["name"] for p in outcome.slots["pending_item"]] == [CASE["name"]]  # how many?


BOTTLE = {"line_id": f"{JORDAN_SPLIT}-L1", "name": "Stainless Steel Water Bottle"}


def bottle_claimed(**more: Any) -> dict[str, Any]:
    """Jordan's split order verified, one water bottle on the claim; the yoga mat on its way."""
    return verified(
        JORDAN_SPLIT,
        JORDAN_EMAIL,
        claim_checked=JORDAN_SPLIT,
        missing_items=[{**BOTTLE, "quantity": 1}],
        **more,
    )


def test_asking_about_the_package_on_its_way_keeps_the_items_named(shared_desk) -> None:
    slots = bottle_claimed()
    text = "btw where's my other box? the one with the yoga mat"
    outcome = turn("tracking_number", text, slots=slots)
    assert "Yoga Mat is in a separate package that is still on its way" in outcome.text
    assert "missing_items" not in outcome.slots and "stop_reason" not in outcome.slots
    assert outcome.next_slot(FORM) == "tracking_number"  # asked again, the bottle kept


def test_an_item_on_its_way_added_at_the_summary_keeps_the_claim(shared_desk) -> None:
    slots = bottle_claimed(
        tracking_number="781246930512",  # the package at the store
        items_confirmed=True,
        description="the bottle was not in the bag",
    )
    text = "oh wait, the yoga mat wasn't there either, can you add it too?"
    outcome = turn("claim_confirmed", text, intent="report_missing_item", slots=slots)
    assert "still on its way" in outcome.text
    assert "nothing to claim" not in outcome.text
    assert "Please say" not in outcome.text
    kept = [{**BOTTLE, "quantity": 1}]
    assert outcome.slots.get("missing_items", kept) == kept  # the bottle stays claimed
    assert outcome.slots.get("claim_confirmed") is None
    assert outcome.next_slot(FORM) == "claim_confirmed"


def test_a_stop_at_the_items_question_is_not_read_as_items(shared_desk) -> None:
    slots = verified(
        tracking_number=MAYA_TRACKING,
        missing_items=[{**CASE, "quantity": 1}],
        items_inferred=True,
        claim_checked=MAYA_ORDER,
    )
    text = "you know what, forget it. not worth the hassle over a phone case"
    outcome = turn("items_confirmed", text, intent="stop", slots=slots)
    assert "items_confirmed" not in outcome.slots and "missing_items" not in outcome.slots


def test_the_same_words_again_at_the_description_are_the_description(shared_desk) -> None:
    """Said once, "oh and the cable too" changed the items; said again at the same question,
    after the conversation came round, it is what the shopper has to say: the description."""
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    text = "oh and the cable too"
    history = [
        loop_event(FORM),
        slot_event("requested_slot", "description"),
        user_event(text),
        slot_event("requested_slot", "item_quantity"),
        user_event("just the case"),
    ]
    outcome = turn("description", text, slots=slots, history=history)
    assert outcome.slots.get("description") == text
    assert outcome.slots.get("missing_items") in (None, [{**CASE, "quantity": 1}])


def test_the_same_words_again_at_another_question_say_what_it_needs(shared_desk) -> None:
    slots = verified()
    text = "not sure which one honestly"
    history = [
        loop_event(FORM),
        slot_event("requested_slot", "tracking_number"),
        user_event(text),
        slot_event("requested_slot", "missing_items"),
        user_event("the phone case"),
        slot_event("requested_slot", "tracking_number"),
    ]
    outcome = turn("tracking_number", text, slots=slots, history=history)
    assert 'Please answer "yes" or "no"' in outcome.text
    assert outcome.slots.get("tracking_number") is None


def test_one_answer_gives_how_many_of_every_line_asked_about(shared_desk) -> None:
    """ "2 cases, 3 cables" at "how many cases?" settles the cables' question too."""
    pending = [{**CASE, "max": 2}, {**CABLE, "max": 3}]
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[], pending_item=pending)
    outcome = turn("item_quantity", "all of them: 2 cases, 3 cables", slots=slots)
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 2}, {**CABLE, "quantity": 3}]
    assert not outcome.slots.get("pending_item")


@pytest.mark.parametrize(
    "text",
    [
        "the circular ones on the cable - the straight bamboo pair is here",
        "the circular ones. the bamboo ones came",
    ],
)
def test_which_one_is_the_one_said_missing_or_the_one_left(text: str) -> None:
    from actions.claim_form import _option_left
    from actions.items import Line

    bamboo = Line("N1", "Bamboo Knitting Needles, US 8", 1, 1, 0)
    circular = Line("N2", "Circular Knitting Needles, US 8, 24in", 1, 1, 0)
    assert _option_left(text, [bamboo, circular]) == circular
    assert _option_left("knitting needles", [bamboo, circular]) is None
    charger = Line("C1", "USB-C Phone Charger 20W", 1, 1, 0)
    pad = Line("C2", "Wireless Charger Pad 15W", 1, 1, 0)
    assert _option_left("the charger, the 2 cables and the wireless pad", [charger, pad]) is None


def test_the_same_words_a_second_time_at_which_one_leave_the_step(shared_desk) -> None:
    """ "That could be either of them", then the same words again: no third question, however
    this turn's own validation counted its failures."""
    pair = [
        {"line_id": f"{SIMILAR}-L1", "name": "Cotton Bath Towel, Grey", "max": 2},
        {"line_id": f"{SIMILAR}-L2", "name": "Cotton Hand Towel, Grey", "max": 2},
    ]
    slots = verified(
        SIMILAR,
        MAYA_EMAIL,
        tracking_number="1Z8V3K510326048819",
        pending_item=[{"choice": pair, "quantity": None, "everything": False}],
        failed_attempts={"item_quantity": 1},
    )
    text = "the grey towel I think"
    history = [
        loop_event(FORM),
        slot_event("requested_slot", "item_quantity"),
        user_event(text),
        slot_event("failed_attempts", {"item_quantity": 1}),
    ]
    outcome = turn("item_quantity", text, slots=slots, history=history)
    assert outcome.slots.get("stop_reason") == "left_step"
    assert "utter_left_step" in outcome.responses


def test_a_count_with_a_which_one_still_to_ask_keeps_it(shared_desk) -> None:
    """ "1" at "how many cases?" while "which towel?" waits: no crash, the question stays."""
    choice = {
        "choice": [{**HEADPHONES, "max": 1}, {**CABLE, "max": 1}],
        "quantity": None,
        "everything": False,
    }
    pending = [{**CASE, "max": 2}, choice]
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[], pending_item=pending)
    outcome = turn("item_quantity", "1", slots=slots)
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 1}]
    assert outcome.slots["pending_item"] == [choice]


# Two packages at the store ---------------------------------------------------------------------

OUTDOOR = Path(__file__).parents[1] / "shoppers" / "catalogues" / "outdoor.json"
TWO_AT_STORE = "STS-9903-4120"  # both of its packages have reached the store


@pytest.fixture
def outdoor_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    desk = start_supportdesk(tmp_path, catalogues=(OUTDOOR,))
    monkeypatch.setenv("SUPPORTDESK_URL", desk.url)
    monkeypatch.setenv("SUPPORTDESK_API_KEY", desk.key)
    client.cache_clear()
    ORDERS.clear()
    yield
    client.cache_clear()
    stop(desk)


def test_a_yes_to_which_of_two_packages_asks_again_and_counts(outdoor_desk) -> None:
    """ "Yes" picks neither of two packages: the shopper is asked to tap one, and it counts
    toward leaving the step, so the question never goes out a third time."""
    slots = verified(TWO_AT_STORE, "siobhan.darcy@example.net")
    first = turn("tracking_number", "yes", intent="affirm", slots=slots)
    assert first.slots["tracking_number"] is None
    assert first.text.startswith("There are several packages")
    assert "tracking_declined" not in first.slots  # not a no: the label's number isn't asked
    again = turn("tracking_number", "yes", intent="affirm", slots={**slots, **first.slots})
    assert again.slots.get("stop_reason") == "left_step"


def test_which_one_answered_with_a_spec_of_the_name_picks_it() -> None:
    from actions.claim_form import _entry

    romex14 = Line("R1", "Romex 14/2 NM-B Wire, 50ft", 1, 1, 0)
    romex12 = Line("R2", "Romex 12/2 NM-B Wire, 50ft", 1, 1, 0)
    question = {"choice": [_entry(romex14), _entry(romex12)], "quantity": None}
    tracker = make_tracker(slots=verified(), text="the 14/2 Romex")
    chosen = ValidateClaimForm()._choose(
        question, [], "the 14/2 Romex", CollectingDispatcher(), tracker
    )
    assert [(i["line_id"], i["quantity"]) for i in chosen["missing_items"]] == [("R1", 1)]


def test_a_yes_that_names_the_carrier_picks_that_package(outdoor_desk) -> None:
    slots = verified(TWO_AT_STORE, "siobhan.darcy@example.net")
    outcome = turn("tracking_number", "yes, the UPS one", intent="affirm", slots=slots)
    assert outcome.slots["tracking_number"] == "1Z0C1F4A0354830391"


@pytest.mark.parametrize("text", ["the one with the sunscreen", "the sunscreen box"])
def test_a_package_named_by_what_it_holds_is_picked(outdoor_desk, text: str) -> None:
    slots = verified(TWO_AT_STORE, "siobhan.darcy@example.net")
    outcome = turn("tracking_number", text, intent="inform", slots=slots)
    assert outcome.slots["tracking_number"] == "1Z0C1F4A0354830391"
    assert not outcome.slots.get("missing_items")  # which items is still to ask


def test_a_package_named_by_what_is_missing_from_it_answers_which_items_too(outdoor_desk) -> None:
    slots = verified(TWO_AT_STORE, "siobhan.darcy@example.net")
    outcome = turn("tracking_number", "the sunscreen wasn't in it", intent="inform", slots=slots)
    assert outcome.slots["tracking_number"] == "1Z0C1F4A0354830391"
    asked = outcome.slots.get("pending_item") or outcome.slots["missing_items"]
    assert [i["name"] for i in asked] == ["SPF 50 Sunscreen, 3.4 fl oz"]  # how many of 3?


def test_an_item_name_read_as_a_goodbye_is_still_the_answer(shared_desk) -> None:
    """ "night lights" once sounded like "good night": a message of item words only is the
    answer; one that tells more ("forget it, not worth it over headphones") leaves."""
    slots = headphones_to_confirm()
    named = turn("items_confirmed", "over-ear headphones", intent="goodbye", slots=slots)
    assert named.slots["items_confirmed"] is True
    leaving = "forget it, not worth the hassle over headphones"
    left = turn("items_confirmed", leaving, intent="goodbye", slots=slots)
    assert "items_confirmed" not in left.slots or left.slots["items_confirmed"] is None


def test_naming_the_lines_being_confirmed_keeps_their_count(shared_desk) -> None:
    """At "is this what's missing? 2 × Clear Phone Case", "phone cases" is a yes: the count
    stays 2, and "how many?" is not asked again."""
    case = {"line_id": f"{MAYA_ORDER}-L2", "name": "Clear Phone Case", "quantity": 2}
    slots = verified(
        tracking_number=MAYA_TRACKING,
        missing_items=[case],
        items_inferred=True,
        claim_checked=MAYA_ORDER,
    )
    outcome = turn("items_confirmed", "phone cases", slots=slots)
    assert outcome.slots["items_confirmed"] is True
    assert outcome.slots.get("missing_items", [case]) == [case]


def test_both_options_named_keep_the_count_said_for_each() -> None:
    from actions.claim_form import _counts_said, _options_named
    from actions.items import Line

    hdmi = Line("C1", "HDMI Cable 2m", 2, 2, 0)
    display = Line("C2", "DisplayPort Cable 1.8m", 2, 2, 0)
    text = "both HDMI cables and one of the DisplayPort cables"
    assert _options_named(text, [hdmi, display]) == [hdmi, display]
    assert _counts_said(text, [hdmi, display]) == {"C2": 1}  # the HDMI cables: all of them


def test_a_remark_in_brackets_explains_the_count_it_follows() -> None:
    from actions.claim_form import _quantity_answer

    assert _quantity_answer("one set is missing (so 2 chairs). the other set was there", 2) == 1
    assert _quantity_answer("Dining Chair (2)", 2) == 2  # a button's title typed: its count


@pytest.mark.parametrize(
    ("text", "intent", "aside"),
    [
        ("how long until the money is back on my card?", "ask_next_steps", True),
        ("also where is the cable package right now?", "check_tracking", True),
        ("can you take the cable off?", "correct", False),  # a change asked
        ("can you add the cable too?", "correct", False),
        ("can you make it 2?", "correct", False),  # a count
        ("the cable is missing too, can you add it?", "correct", False),  # a shortfall told
    ],
)
def test_a_question_that_asks_no_change_leaves_the_items(text: str, intent: str, aside) -> None:
    """At the summary, "how long until the money is back?" names no "Long Sleeve" shirt."""
    from actions.claim_form import _asks_after_the_order
    from actions.turns import Turn

    assert _asks_after_the_order(Turn(text, intent, 0.95, {})) is aside


def test_the_other_carrier_named_at_the_summary_moves_the_claim_to_that_package(
    outdoor_desk,
) -> None:
    """ "my bad, the USPS box, not the UPS one": that package, not its tracking number asked."""
    beanie = {"line_id": f"{TWO_AT_STORE}-L2", "name": "Wool Beanie (One Size)", "quantity": 1}
    slots = verified(
        TWO_AT_STORE,
        "siobhan.darcy@example.net",
        tracking_number="1Z0C1F4A0354830391",
        missing_items=[beanie],
        description="Only one beanie was in the box.",
        claim_checked=TWO_AT_STORE,
    )
    text = "sorry my bad - the USPS box I picked up, not the UPS one"
    outcome = turn("claim_confirmed", text, intent="correct", slots=slots)
    assert outcome.slots["tracking_number"] == "9205577629943544094758"
    assert not outcome.slots.get("tracking_declined")


def test_a_story_at_the_description_that_counts_the_claimed_line_is_the_description(
    shared_desk,
) -> None:
    """ "it had 1 water bottle. No yoga mat in it": a count of the claimed line that came, and a
    line on its way said missing, is what happened, not a change of the items."""
    slots = bottle_claimed(tracking_number="781246930512", items_confirmed=True)
    text = "Picked up one bag at the counter, it had 1 water bottle. No yoga mat in it."
    outcome = turn("description", text, intent="inform", slots=slots)
    assert outcome.slots.get("description") == text
    assert "can't reach" not in outcome.text


def test_a_change_that_leaves_only_goods_on_their_way_asks_the_items_again(shared_desk) -> None:
    """ "the bottle came, it's the yoga mat": the mat is on its way, so nothing is left on the
    claim, and the items are asked again rather than kept as an empty claim."""
    slots = bottle_claimed(tracking_number="781246930512", items_confirmed=True)
    outcome = turn(
        "description", "oh the bottle came, it's the yoga mat", intent="correct", slots=slots
    )
    assert "still on its way" in outcome.text
    assert outcome.slots.get("missing_items") is None
    again = turn("description", "sorry", slots={**slots, **outcome.slots})
    assert "can't reach" not in again.text


def test_a_yes_whose_words_also_fit_a_line_on_its_way_is_a_yes() -> None:
    """ "Yes, both subs." with a Sub Enclosure still on its way: the claim's subwoofers."""
    from actions.claim_form import _yes_to_the_claims_items
    from actions.items import Line, Wanted

    enclosure = Line("S3", "Dual 12-in Sealed Sub Enclosure, Carpeted", 1, 0, 1)
    subs = [{"line_id": "S1", "name": "12-in Subwoofer, 2-Ohm DVC", "quantity": 2}]
    assert _yes_to_the_claims_items(subs, [Wanted(enclosure, 2, True)], subs)
    amp = Line("S2", "Monoblock Amplifier, 1500W", 1, 1, 0)
    assert not _yes_to_the_claims_items(subs, [Wanted(amp, 1)], subs)


# A line with units at the store and units on their way -----------------------------------------

PANEL = Line("P1", "100W Flexible Solar Panel", 2, 1, 1)  # one came, one on its way
SPLIT_ORDER = {
    "order_number": "STS-1357-9012",
    "pickup_store": {"time_zone": "America/Phoenix"},
    "claims": [],
    "shipments": [
        {"received_by_store": True, "items": [{"line_id": "P1", "quantity": 1}]},
        {
            "received_by_store": False,
            "expected_at": "2026-12-08T17:00:00Z",
            "items": [{"line_id": "P1", "quantity": 1}],
        },
    ],
}


def test_a_line_partly_on_its_way_asks_how_many_of_those_that_came(shared_desk) -> None:
    from actions.claims import split_question

    tracker = make_tracker(slots=verified(), text="the flexible panels")
    dispatcher = CollectingDispatcher()
    chosen = ValidateClaimForm()._select([Wanted(PANEL, None)], SPLIT_ORDER, dispatcher, tracker)
    assert chosen["missing_items"] == []  # nothing claimed before the answer
    (question,) = chosen["pending_item"]
    assert (question["max"], question["on_its_way"], question["by"]) == (1, 1, "Tue 8 Dec")
    asked = split_question(question)
    assert "1 reached the store and 1 is still on the way (expected Tue 8 Dec)" in asked
    said_one = ValidateClaimForm()._select([Wanted(PANEL, 1)], SPLIT_ORDER, dispatcher, tracker)
    assert said_one["missing_items"][0]["quantity"] == 1  # a count said is taken as it is


SPLIT_QUESTION = {
    "line_id": f"{JORDAN_SPLIT}-L1",
    "name": "Stainless Steel Water Bottle",
    "max": 1,
    "ordered": 2,
    "on_its_way": 1,
    "by": "Tue 8 Dec",
}


@pytest.mark.parametrize(
    "text",
    [
        "none, it's on its way",
        "0",
        "oh, it's the one on its way then",
        "I'll wait",
        "one of the two",  # of the whole line: the other is the one on its way
        "got 1 of 2",
    ],
)
def test_none_of_those_that_came_leaves_nothing_to_claim(shared_desk, text: str) -> None:
    slots = verified(JORDAN_SPLIT, JORDAN_EMAIL, claim_checked=JORDAN_SPLIT, missing_items=[])
    outcome = turn("item_quantity", text, slots={**slots, "pending_item": [SPLIT_QUESTION]})
    assert "isn't missing, just still on its way (expected Tue 8 Dec)" in outcome.text
    assert outcome.slots["stop_reason"] == "in_transit"
    assert not outcome.slots.get("missing_items")


def test_none_of_a_split_line_keeps_the_other_items(shared_desk) -> None:
    slots = verified(JORDAN_SPLIT, JORDAN_EMAIL, claim_checked=JORDAN_SPLIT)
    other = {"line_id": f"{JORDAN_SPLIT}-L9", "name": "Something Else", "quantity": 1}
    slots.update(missing_items=[other], pending_item=[SPLIT_QUESTION])
    outcome = turn("item_quantity", "none", slots=slots)
    assert outcome.slots["missing_items"] == [other] and "stop_reason" not in outcome.slots


def test_none_of_a_split_line_with_a_question_to_come_asks_it_next(shared_desk) -> None:
    slots = verified(JORDAN_SPLIT, JORDAN_EMAIL, claim_checked=JORDAN_SPLIT, missing_items=[])
    slots["tracking_number"] = "781246930512"  # the package at the store
    later = {"line_id": f"{JORDAN_SPLIT}-L9", "name": "Something Else", "max": 2}
    outcome = turn(
        "item_quantity", "none", slots={**slots, "pending_item": [SPLIT_QUESTION, later]}
    )
    assert outcome.slots["missing_items"] == [] and outcome.slots["pending_item"] == [later]
    assert outcome.next_slot(FORM) == "item_quantity"  # not "which items are missing?" again


def test_the_option_on_its_way_with_a_question_to_come_asks_it_next(shared_desk) -> None:
    """ "which one?" answered with the yoga mat, which is on its way: the next question follows,
    not "which items are missing?" again."""
    slots = verified(JORDAN_SPLIT, JORDAN_EMAIL, claim_checked=JORDAN_SPLIT, missing_items=[])
    slots["tracking_number"] = "781246930512"
    mat = {"line_id": f"{JORDAN_SPLIT}-L2", "name": "Non-Slip Yoga Mat", "max": 0}
    which = {"choice": [{**BOTTLE, "max": 2}, mat]}
    later = {"line_id": f"{JORDAN_SPLIT}-L9", "name": "Something Else", "max": 2}
    outcome = turn("item_quantity", "the yoga mat", slots={**slots, "pending_item": [which, later]})
    assert "on its way" in outcome.text
    assert outcome.slots["missing_items"] == [] and outcome.slots["pending_item"] == [later]
    assert outcome.next_slot(FORM) == "item_quantity"


def test_one_of_those_that_came_goes_on_the_claim(shared_desk) -> None:
    slots = verified(JORDAN_SPLIT, JORDAN_EMAIL, claim_checked=JORDAN_SPLIT, missing_items=[])
    outcome = turn("item_quantity", "1", slots={**slots, "pending_item": [SPLIT_QUESTION]})
    assert outcome.slots["missing_items"] == [
        {"line_id": f"{JORDAN_SPLIT}-L1", "name": "Stainless Steel Water Bottle", "quantity": 1}
    ]


def test_a_count_of_the_whole_line_leaves_out_those_on_their_way() -> None:
    from actions.claim_form import _missing_of_the_whole

    question = {"ordered": 3, "max": 2, "on_its_way": 1}
    assert _missing_of_the_whole("2 of 3 missing", question) == 1
    assert _missing_of_the_whole("only got one of the 3", question) == 1
    assert _missing_of_the_whole("1", question) is None  # a count of what came: asked as usual


@pytest.mark.parametrize(
    ("story", "claimed"),
    [
        ("only got 1 of the 2 flexible panels", None),  # the other is the one on its way
        ("2 of the 2 flexible panels are missing", 1),  # one of them is on its way
    ],
)
def test_a_story_counting_a_split_line_whole_settles_how_many(story, claimed) -> None:
    from actions.claim_form import _settled_by_the_story

    tracker = make_tracker(slots=verified(), text=story)
    dispatcher = CollectingDispatcher()
    wanted = choose_items(story, [PANEL], answering=False).wanted
    settled = [_settled_by_the_story(story, SPLIT_ORDER, want) for want in wanted]
    chosen = ValidateClaimForm()._select(settled, SPLIT_ORDER, dispatcher, tracker, quiet=True)
    assert not chosen.get("pending_item")  # no "how many of those that came?"
    if claimed is None:
        assert "still on its way" in dispatcher.messages[0]["text"]
        assert chosen["stop_reason"] == "in_transit"
    else:
        assert [item["quantity"] for item in chosen["missing_items"]] == [claimed]


def test_a_package_typed_among_other_words_is_the_answer_whatever_the_intent(shared_desk) -> None:
    text = f"the smaller box, not the big one. tracking {MAYA_TRACKING}"
    entity = {"entity": "tracking_number", "value": MAYA_TRACKING, "start": 44, "end": 62}
    outcome = turn(
        "tracking_number", text, intent="out_of_scope", entities=[entity], slots=verified()
    )
    assert outcome.slots["tracking_number"] == MAYA_TRACKING
    elsewhere = {**entity, "value": "1Z999AA10123456784"}  # valid, but no package of this order
    aside = turn("tracking_number", text, intent="out_of_scope", entities=[elsewhere],
                 slots=verified())  # fmt: skip
    assert taken(aside) == []


def test_another_order_asked_about_at_the_summary_leaves_the_claims_order(shared_desk) -> None:
    """ "where is my charger? that's on my other order, STS-…": answered aside, claim kept."""
    other = "STS-6230-0958"  # Maya's order still on its way
    text = f"also where is my charger? that's on my other order, {other}"
    entities = [{"entity": "order_number", "value": other}]
    outcome = turn(
        "claim_confirmed",
        text,
        intent="check_tracking",
        slots=at_summary(),
        candidates={"order_number": other},
        entities=entities,
    )
    assert outcome.slots["order_number"] == MAYA_ORDER
    assert "missing_items" not in outcome.slots and other in outcome.text


def test_an_option_named_by_its_letter_or_by_setting_the_other_aside() -> None:
    from actions.claim_form import _option_named, _without_named_numbers
    from actions.items import parse_quantity

    cover_a = Line("B1", "Absolute Batman #1 (Cover A)", 1, 1, 0)
    cover_b = Line("B2", "Absolute Batman #1 (Cover B Variant)", 1, 1, 0)
    assert _option_named("absolute batman cover A", [cover_a, cover_b]) == cover_a
    regular = Line("H1", "HP 67 Black Ink Cartridge", 1, 1, 0)
    high = Line("H2", "HP 67XL Black Ink Cartridge", 1, 1, 0)
    text = "the normal HP 67 black, not the XL"
    assert _option_named(text, [regular, high]) == regular
    assert parse_quantity(_without_named_numbers(text, [regular, high])) is None  # no 67 of it
    assert parse_quantity(_without_named_numbers("2 of them", [regular, high])) == 2
    tea = Line("T1", "Tea for a Crowd", 1, 1, 0)
    assert _option_named("the one for a friend", [tea, regular]) != tea  # "a" is no letter


def test_a_measure_with_a_fraction_names_its_option_whole() -> None:
    from actions.claim_form import _option_named
    from actions.items import Line, measures_named

    wide = Line("L1", "Titanium Flat Iron, 1 1/4 inch", 1, 1, 0)
    narrow = Line("L2", "Titanium Flat Iron, 1 inch", 1, 1, 0)
    assert measures_named(wide.name) == {(1.25, "in")}
    answer = "the 1 inch one, the smallr one. the big 1 1/4 was ther"
    assert _option_named(answer, [wide, narrow]) == narrow
    assert _option_named("the 1 1/4 inch", [wide, narrow]) == wide


def test_words_that_fit_two_lines_say_no_yes_to_one_of_them() -> None:
    from actions.claim_form import _names_again
    from actions.items import Line

    wide = Line("L1", "Titanium Flat Iron, 1 1/4 inch", 1, 1, 0)
    narrow = Line("L2", "Titanium Flat Iron, 1 inch", 1, 1, 0)
    confirming = [{"line_id": "L1", "name": wide.name, "quantity": 1}]
    tracker = make_tracker({"missing_items": confirming})
    assert not _names_again("the flat iron", [wide, narrow], tracker)
    assert _names_again("the 1 1/4 inch flat iron", [wide, narrow], tracker)


def test_a_name_part_after_a_comma_describes_nothing_before_it() -> None:
    from actions.claim_form import _option_named
    from actions.items import Line

    plug_20 = Line("L1", "20A Single-Pole Breaker, Plug-On", 2, 2, 0)
    plug_15 = Line("L2", "15A Single-Pole Breaker, Plug-On", 4, 4, 0)
    afci = Line("L3", "20A Dual-Function AFCI/GFCI Breaker", 2, 2, 0)
    options = [plug_20, plug_15, afci]
    assert _option_named("a breaker", options) is None  # any of the three: still to ask
    answer = "the 15 amp single pole. not the 20s and not the combo AFCI ones"
    assert _option_named(answer, options) == plug_15


def test_a_description_that_counts_the_one_claimed_line_short_recounts_it() -> None:
    """ "only 2 fenders were in the FedEx box" of 4 ordered: 2 missing, not the 4 inferred."""
    from actions.claim_form import _recounted_by_the_story
    from actions.items import Line

    fenders = Line("F1", "Boat Fender 6.5 x 23 in", 4, 4, 0)
    fender_line = Line("F2", "Fender Line 3/8 in x 6 ft, 2-pack", 2, 2, 0)
    chosen = [{"line_id": "F1", "name": fenders.name, "quantity": 4}]
    text = "only 2 fenders were in the FedEx box, the fender lines were there"
    lines = [fenders, fender_line]
    assert _recounted_by_the_story(chosen, text, lines) == [{**chosen[0], "quantity": 2}]
    assert _recounted_by_the_story(chosen, "the box was taped shut", lines) is None
    asked = "only 2 fenders were in the box, is that normal?"
    assert _recounted_by_the_story(chosen, asked, lines) is None  # a question changes nothing


def test_a_line_a_change_asks_about_is_a_new_line_to_confirm() -> None:
    """A line read from the description that still waits for its count is confirmed too."""
    from actions.claim_form import _new_lines

    claimed = [{"line_id": "A", "name": "Spray", "quantity": 1}]
    waiting = {"missing_items": [], "pending_item": [{"line_id": "B", "name": "Gel", "max": 3}]}
    assert _new_lines(claimed, waiting)
    same = [{"line_id": "A", "name": "Spray", "max": 1}, {"line_id": "C", "name": "S2", "max": 1}]
    which = {"missing_items": [], "pending_item": [{"choice": same, "quantity": None}]}
    assert not _new_lines(claimed, which)  # "which spray?" of the claimed spray adds nothing


def test_a_description_saying_none_of_the_claimed_line_came_claims_them_all() -> None:
    from actions.claim_form import _recounted_by_the_story
    from actions.items import Line

    thin = Line("W1", "Anodized Aluminum Bonsai Wire 1.0mm, 100g", 2, 2, 0)
    thick = Line("W2", "Anodized Aluminum Bonsai Wire 2.5mm, 100g", 1, 1, 0)
    copper = Line("W3", "Annealed Copper Bonsai Wire 2.0mm, 250g", 1, 1, 0)
    chosen = [{"line_id": "W1", "name": thin.name, "quantity": 1}]
    text = "the 2.5mm roll and the copper wire were in the box, but no 1.0mm rolls at all"
    recounted = _recounted_by_the_story(chosen, text, [thin, thick, copper])
    assert recounted == [{**chosen[0], "quantity": 2}]


def test_a_count_at_the_summary_beside_a_line_that_came_recounts_the_claim(shared_desk) -> None:
    """ "found 2 of them at the bottom of the bucket. so only 2 are missing": the bucket (here
    the headphones) is another line that came, and the claim's count is what changes."""
    slots = verified(
        tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 2}], description="x"
    )
    text = "wait, the headphones were there and I just found one. so only 1 is missing"
    outcome = turn("claim_confirmed", text, intent="correct", slots=slots)
    assert outcome.slots.get("missing_items") == [{**CASE, "quantity": 1}]


def test_a_description_recounts_each_claimed_line_it_counts_and_keeps_the_others() -> None:
    """ "the UPS box only had one 36 inch clamp in it" of two: one missing; the 12 inch stay."""
    from actions.claim_form import _recounted_by_the_story
    from actions.items import Line

    short = Line("C1", "Bar Clamp 12 in.", 2, 2, 0)
    long = Line("C2", "Bar Clamp 36 in.", 2, 2, 0)
    chosen = [
        {"line_id": "C1", "name": short.name, "quantity": 2},
        {"line_id": "C2", "name": long.name, "quantity": 2},
    ]
    text = "the UPS box only had one 36 inch clamp in it"
    assert _recounted_by_the_story(chosen, text, [short, long]) == [
        chosen[0],
        {**chosen[1], "quantity": 1},
    ]


def test_the_second_pair_not_there_keeps_one_pair_claimed() -> None:
    from actions.claim_form import _recounted_by_the_story
    from actions.items import Line

    lanyard = Line("L1", "Via Ferrata Lanyard Set", 1, 1, 0)
    gloves = Line("L2", "Via Ferrata Gloves, Size L", 2, 2, 0)
    chosen = [{"line_id": "L2", "name": gloves.name, "quantity": 1}]
    text = "lanyard set and one pair of gloves in the box, second pair of gloves not there"
    assert _recounted_by_the_story(chosen, text, [lanyard, gloves]) is None


def test_look_alikes_all_on_their_way_are_explained_never_asked_about() -> None:
    """ "neither pair of gloves was in the box", both pairs in the package still coming."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.items import Line, Wanted

    goatskin = Line("G1", "Goatskin Beekeeping Gloves, M", 1, 0, 1)
    vented = Line("G2", "Ventilated Beekeeping Gloves, M", 1, 0, 1)
    pellets = Line("P1", "Smoker Fuel Pellets, 2 lb", 2, 2, 0)
    order = {
        "pickup_store": {"time_zone": "America/Chicago"},
        "shipments": [
            {
                "received_by_store": False,
                "expected_at": "2026-12-10T12:00:00Z",
                "items": [{"line_id": "G1"}, {"line_id": "G2"}],
            }
        ],
        "claims": [],
    }
    wanted = [Wanted(goatskin, None, True, (vented,)), Wanted(pellets, 1)]
    dispatcher = CollectingDispatcher()
    result = ValidateClaimForm()._select(wanted, order, dispatcher, make_tracker({}), quiet=True)
    assert result["missing_items"] == [{"line_id": "P1", "name": pellets.name, "quantity": 1}]
    assert result["pending_item"] is None
    told = [m["text"] for m in dispatcher.messages]
    assert len(told) == 2 and all("on its way" in t for t in told)
    quiet = CollectingDispatcher()
    ValidateClaimForm()._select(wanted, order, quiet, make_tracker({}), quiet=True, told=True)
    assert quiet.messages == []  # the store's facts just said so


def test_another_orders_matter_is_answered_and_a_claim_let_go_ends_the_form(shared_desk) -> None:
    """ "forget the case, it's like 6 bucks. what I really need is to cancel my other order
    STS-…": not that order's tracking; the request gets its answer, and no question follows."""
    other = "STS-6230-0958"  # Maya's order still on its way
    text = (
        "actually forget the case, it's like 6 bucks, whatever. what I really need is to "
        f"cancel my other order {other}"
    )
    entities = [{"entity": "order_number", "value": other}]
    slots = verified(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = turn("description", text, intent="out_of_scope", slots=slots, entities=entities)
    assert outcome.slots["order_number"] == MAYA_ORDER and other not in outcome.text
    assert outcome.slots["stop_reason"] == "called_off"
    assert outcome.slots["requested_slot"] is None  # the form ends: nothing more is asked
    kept = turn(
        "description",
        f"oh and can I cancel my other order {other}? I don't need it anymore",
        intent="out_of_scope",
        slots=slots,
        entities=entities,
    )
    assert "stop_reason" not in kept.slots and kept.slots["requested_slot"] == "description"


def test_another_matter_at_the_count_is_an_aside_whatever_count_it_holds(shared_desk) -> None:
    """ "can I get an invoice for this order? the school … want one" at "how many?": no 1."""
    case = {"line_id": f"{MAYA_ORDER}-L2", "name": "Clear Phone Case", "max": 2}
    slots = verified(tracking_number=MAYA_TRACKING, pending_item=[case], claim_checked=MAYA_ORDER)
    text = (
        "oh also can I get an invoice for this order? the school reimburses supplies and they "
        "want one"
    )
    aside = turn("item_quantity", text, intent="out_of_scope", slots=slots)
    assert "missing_items" not in aside.slots and "item_quantity" not in aside.slots
    answer = turn("item_quantity", "2, and can I get an invoice too?", intent="out_of_scope",
                  slots=slots)  # fmt: skip
    assert answer.slots["missing_items"][0]["quantity"] == 2


def test_a_count_answer_without_the_names_big_numbers() -> None:
    from actions.claim_form import _quantity_answer, _without_sizes

    panel = {"line_id": "P1", "name": "Blackout Curtain Panel 52x63, Navy", "max": 2}
    assert _quantity_answer(_without_sizes("just one, the other 63 was there", panel), 2) == 1
    diapers = {"line_id": "D1", "name": "Diapers Size 2, 186-ct", "max": 3}
    assert _quantity_answer(_without_sizes("2", diapers), 3) == 2  # small enough to count


def test_both_of_what_came_is_no_answer_of_both() -> None:
    from actions.claim_form import _options_named

    mm = Line("J1", "Jumper Wires M-M 40-pack", 2, 2, 0)
    mf = Line("J2", "Jumper Wires M-F 40-pack", 1, 1, 0)
    assert _options_named("the other kind. both male-male packs were there", [mm, mf]) == []
    assert _options_named("both", [mm, mf]) == [mm, mf]


def test_a_carrier_named_at_the_package_question_answers_it_whatever_was_read(
    shared_desk,
) -> None:
    """ "the big UPS box with the chairs" read as an aside: the UPS package all the same."""
    slots = verified(missing_items=None)
    outcome = turn(
        "tracking_number", "the big UPS box with the chairs", intent="out_of_scope", slots=slots
    )
    assert outcome.slots.get("tracking_number") == MAYA_TRACKING


def test_a_swap_at_the_description_with_a_count_of_the_other_line_is_a_change(
    shared_desk,
) -> None:
    """ "I mixed that up. the headphones are here. it's a phone case that's missing, one of the
    two": the count is the case's, not of what came; the items change, not the description."""
    headphones = {"line_id": f"{MAYA_ORDER}-L1", "name": "Wireless Over-Ear Headphones"}
    slots = verified(
        tracking_number=MAYA_TRACKING,
        missing_items=[{**headphones, "quantity": 1}],
        claim_checked=MAYA_ORDER,
    )
    text = (
        "sorry, hold on, I mixed that up. the headphones are here. it's a phone case that's "
        "missing, one of the two"
    )
    outcome = turn("description", text, slots=slots)
    assert "description" not in outcome.slots
    assert outcome.slots["missing_items"] in ([], None) or all(
        item["line_id"] != headphones["line_id"] for item in outcome.slots["missing_items"]
    )


FILTERS = [
    Line("L1", "Filter Cartridge 50 sq ft (Top Load)", 2, 2, 0),
    Line("L2", "Filter Cartridge 75 sq ft (Bottom Load)", 1, 1, 0),
    Line("L3", "Filter Soak Bucket", 1, 1, 0),
]


@pytest.mark.parametrize(
    "text, swaps",
    [
        # the claimed line counted whole (the "50" is the name's): it came, the claim swaps
        ("sorry, I got that wrong. the 50 sq ft filters are both here. it's the filter soak "
         "bucket that's missing, not a filter", True),
        # a question that asks for the change told is no question of its own
        ("the 50 sq ft filters ARE here. it's the filter soak bucket that's missing. can you "
         "change that?", True),
        ("the filter soak bucket is missing too, where is it?", False),
        # a count short of the claimed line tells what happened ("it had 4 geraniums" of 6)
        ("the box had 1 of the 50 sq ft filters in it, no soak bucket", False),
    ],
)  # fmt: skip
def test_a_claimed_line_counted_whole_at_the_description_swaps_the_claim(
    text: str, swaps: bool
) -> None:
    claimed = [{"line_id": "L1", "name": FILTERS[0].name, "quantity": 1}]
    message = Turn(text, "correct", 0.9, {})
    assert _names_other_lines_missing(claimed, message, FILTERS) is swaps
