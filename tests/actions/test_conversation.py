"""Conversation repair: stopping, not understanding, asides in a form, and what happens next."""

from __future__ import annotations

import pytest

from actions.claims import CLAIM_SLOTS
from actions.conversation import (
    ActionAnswerAside,
    ActionCannotHandle,
    ActionNextSteps,
    ActionStopForm,
    misunderstood_in_a_row,
)
from tests.actions.conftest import (
    JORDAN_SPLIT,
    MAYA_EMAIL,
    MAYA_NOT_AT_STORE,
    MAYA_ORDER,
    MAYA_TRACKING,
    bot_event,
    handoffs,
    loop_event,
    make_tracker,
    message,
    run,
    slot_event,
    user_event,
    verified,
)

FORM = "claim_form"


def not_understood_before(
    times: int, text: str = "blorp", action: str = "action_cannot_handle"
) -> list[dict]:
    """A history where the last `times` messages each got the cannot-handle answer (or
    another `action`'s)."""
    events: list[dict] = []
    for n in range(times):
        events.append(user_event(f"blorp {n}"))
        events.append({"event": "action", "timestamp": 0, "name": action})
        events.append(bot_event("Sorry, I didn't understand that."))
    events.append(user_event(text))
    return events


def test_stop_form_deactivates_the_loop_and_drops_the_claim_details(desk_down) -> None:
    tracker = make_tracker(
        verified(missing_items=[{"line_id": "x", "name": "y", "quantity": 1}]),
        text="stop",
        intent="stop",
        active_loop="claim_form",
    )
    outcome = run(ActionStopForm(), tracker)
    assert outcome.responses == ["utter_stopped"]
    assert outcome.events[0] == {"event": "active_loop", "timestamp": None, "name": None}
    assert outcome.slots["requested_slot"] is None
    assert all(outcome.slots[slot] is None for slot in CLAIM_SLOTS)
    assert "verified_order" not in outcome.slots and "email" not in outcome.slots


def test_not_understood_says_what_the_assistant_can_do_and_hands_nothing_off(desk) -> None:
    outcome = run(ActionCannotHandle(), make_tracker(text="blorp", intent="nlu_fallback"))
    assert outcome.responses == ["utter_cannot_handle"]
    assert "/report_missing_item" in outcome.payloads and "/request_human" in outcome.payloads
    assert outcome.events == []
    assert handoffs(desk) == []


def test_in_a_form_not_understood_stays_on_the_step(desk) -> None:
    tracker = make_tracker(text="blorp", intent="nlu_fallback", active_loop="claim_form")
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.responses == ["utter_cannot_handle_in_form"]
    assert outcome.events == []  # the digression rule runs the form again, on the same step


def test_in_a_form_a_message_not_understood_that_gives_an_identifier_is_taken_quietly(
    desk,
) -> None:
    """ "it was for the toothbrush heads, order #STS 3010 2999": the form takes the number."""
    text = "it was for the toothbrush heads, order #STS 3010 2999"
    events = [
        loop_event("claim_status_form"),
        user_event(text, message(text, "nlu_fallback")),
        slot_event("order_number", "STS-3010-2999"),
    ]
    tracker = make_tracker(
        text=text, intent="nlu_fallback", active_loop="claim_status_form", events=events
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.messages == [] and outcome.events == []


def test_in_a_form_an_identifier_that_answers_the_question_is_taken_after_asides(desk) -> None:
    """Two asides at the claim number, then "not sure where that email went, it was for order
    9013-0168" (read as a correction): the form takes the number, nothing is left."""
    text = "hmm not sure where that email went, it was for order 9013-0168"
    entities = [{"entity": "order_number", "value": "9013-0168"}]
    tracker = make_tracker(
        {"requested_slot": "claim_number"},
        text=text,
        intent="correct",
        entities=entities,
        active_loop="claim_status_form",
        events=[
            loop_event("claim_status_form"),
            user_event(text, message(text, "correct", entities)),
        ],
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.messages == [] and outcome.events == []


def test_the_third_misunderstanding_in_a_row_brings_in_a_person_once(desk) -> None:
    tracker = make_tracker(text="blorp", intent="nlu_fallback", events=not_understood_before(2))
    outcome = run(ActionCannotHandle(), tracker)
    assert "reference H-" in outcome.text
    assert outcome.slots["auto_escalated"] is True
    assert handoffs(desk)[0]["reason"] == "The assistant repeatedly misunderstood."
    history = not_understood_before(5)
    again = make_tracker({"auto_escalated": True}, text="b", intent="nlu_fallback", events=history)
    assert "reference H-" not in run(ActionCannotHandle(), again).text
    assert len(handoffs(desk)) == 1


@pytest.mark.parametrize(
    "noise", ["<script>alert(1)</script>", "😀😀😀", "{{7*7}} ${7*7}", "\x01\x02\x03", "x" * 1500]
)
def test_noise_is_answered_but_never_brings_in_a_person(desk, noise: str) -> None:
    tracker = make_tracker(text=noise, intent="nlu_fallback", events=not_understood_before(4))
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.responses == ["utter_cannot_handle"]  # still answered: what it can do
    assert "reference H-" not in outcome.text and handoffs(desk) == []


def test_misunderstandings_are_counted_only_in_a_row() -> None:
    events = not_understood_before(2)
    events.insert(3, user_event("where is my order"))  # understood in between
    events.insert(4, {"event": "action", "timestamp": 0, "name": "verify_form"})
    tracker = make_tracker(text="blorp", intent="nlu_fallback", events=events)
    assert misunderstood_in_a_row(tracker) == 1


def test_a_story_the_nlu_could_not_place_starts_the_claim_form(desk_down) -> None:
    tracker = make_tracker(text="my bag wasnt complete, the cable was missing", intent="inform")
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "claim_form"}]


def test_a_shortfall_wins_over_an_unsure_out_of_scope_guess(desk_down) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "out_of_scope", "confidence": 0.29},
        {"name": "stop", "confidence": 0.08},
    ]
    text = "3 of the chocolate bars aren't there"
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "claim_form"}]
    fits = make_tracker(text="the jeans don't fit", intent="nlu_fallback", intent_ranking=ranking)
    assert run(ActionCannotHandle(), fits).events == []


def test_the_way_asked_wins_over_an_unsure_out_of_scope_guess(desk_down) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "out_of_scope", "confidence": 0.3},
        {"name": "greet", "confidence": 0.1},
    ]
    tracker = make_tracker(
        text="hi can i check on an order", intent="nlu_fallback", intent_ranking=ranking
    )
    assert run(ActionCannotHandle(), tracker).followups == ["verify_form"]
    change = make_tracker(
        text="can I change the pickup store on my order?",
        intent="nlu_fallback",
        intent_ranking=ranking,
    )
    assert "verify_form" not in run(ActionCannotHandle(), change).followups


def test_a_guess_of_a_missing_item_without_a_shortfall_opens_no_claim(desk_down) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "report_missing_item", "confidence": 0.3},
        {"name": "check_tracking", "confidence": 0.25},
    ]
    entities = [{"entity": "order_number", "value": "STS-9021-7785"}]
    text = "Hi, I need help with my order STS-9021-7785"
    tracker = make_tracker(
        text=text, intent="nlu_fallback", intent_ranking=ranking, entities=entities
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.followups == ["action_listen"]  # understood: no form, no miss counted
    assert outcome.messages[0]["response"] == "utter_what_to_do_with_order"


@pytest.mark.parametrize(("text", "claim"), [("what's 15% of 240", False), ("rufund pls", True)])
def test_a_guess_of_a_refund_opens_a_claim_only_for_money_back(desk_down, text, claim) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "request_refund", "confidence": 0.35},
        {"name": "out_of_scope", "confidence": 0.1},
    ]
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    outcome = run(ActionCannotHandle(), tracker)
    assert ("claim_form" in [e.get("name") for e in outcome.events]) is claim


def test_a_problem_announced_with_nothing_told_asks_what_it_is(desk_down) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.2}]
    text = "I have a small problem with my order"
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.responses == ["utter_what_to_do_with_order"]
    assert outcome.followups == ["action_listen"]
    assert "/report_missing_item" in outcome.payloads


@pytest.mark.parametrize(
    ("text", "greeted"),
    [
        ("good morning!! hope ur having a great day 😊", True),
        ("hello, my lamp is missing from the bag", False),
        ("hi what are your store hours?", False),
        ("hello do you sell gift cards?", False),
        ("hi, how are you?", True),
    ],
)
def test_a_greeting_not_understood_is_greeted_back(desk_down, text: str, greeted: bool) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.3}]
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    outcome = run(ActionCannotHandle(), tracker)
    assert ("utter_greet" in outcome.responses) is greeted


def test_a_claim_number_with_nothing_asked_looks_up_the_claim(desk_down) -> None:
    entities = [{"entity": "claim_number", "value": "CLM-000001"}]
    tracker = make_tracker(text="CLM-000001", intent="inform", entities=entities)
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.events[0]["name"] == "claim_status_form"


def test_a_size_the_classifier_took_for_a_claim_number_looks_up_nothing(desk_down) -> None:
    """ "whats the difference between 52mm and 54mm wheels": no claim's status asked."""
    entities = [{"entity": "claim_number", "value": "52"}]
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "check_claim_status", "confidence": 0.35},
    ]
    text = "whats the difference between 52mm and 54mm wheels"
    for found in (entities, []):
        tracker = make_tracker(
            text=text, intent="nlu_fallback", entities=found, intent_ranking=ranking
        )
        outcome = run(ActionCannotHandle(), tracker)
        assert not any(e.get("name") == "claim_status_form" for e in outcome.events)
    asked = make_tracker(
        text="any news on my claim?", intent="nlu_fallback", intent_ranking=ranking
    )
    assert run(ActionCannotHandle(), asked).events[0]["name"] == "claim_status_form"


def test_an_order_number_with_nothing_asked_asks_what_to_do(desk_down) -> None:
    entities = [{"entity": "order_number", "value": MAYA_ORDER}]
    tracker = make_tracker(text=MAYA_ORDER, intent="inform", entities=entities)
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.responses == ["utter_what_to_do_with_order"]
    assert "/check_tracking" in outcome.payloads


def test_a_tracking_question_in_a_form_waits_for_verification(desk) -> None:
    tracker = make_tracker(text="where is it", intent="check_tracking", active_loop="claim_form")
    outcome = run(ActionAnswerAside(), tracker)
    assert outcome.responses == ["utter_tracking_after_verification"]
    assert MAYA_TRACKING not in outcome.text


def test_a_tracking_question_in_a_form_once_verified(desk) -> None:
    tracker = make_tracker(
        verified(), text="where is it", intent="check_tracking", active_loop="claim_form"
    )
    assert MAYA_TRACKING in run(ActionAnswerAside(), tracker).text


def another_order_asked(number: str, **slots) -> object:
    """ "where is my battery charger? that's on my other order, STS-…" at the summary."""
    text = f"also where is my battery charger? that's on my other order, {number}"
    entities = [{"entity": "order_number", "value": number}]
    return make_tracker(
        verified(**slots),
        text=text,
        intent="check_tracking",
        entities=entities,
        active_loop="claim_form",
    )


def test_another_order_of_the_same_email_is_tracked_aside(desk) -> None:
    outcome = run(ActionAnswerAside(), another_order_asked(MAYA_NOT_AT_STORE))
    assert MAYA_NOT_AT_STORE in outcome.text and MAYA_TRACKING not in outcome.text


def test_another_order_of_another_email_stays_private(desk) -> None:
    outcome = run(ActionAnswerAside(), another_order_asked(JORDAN_SPLIT))
    assert outcome.responses == ["utter_other_order_after"]
    assert "Yoga" not in outcome.text and "USPS" not in outcome.text


def test_small_talk_in_a_form_gets_a_short_answer(desk_down) -> None:
    for intent, response in [
        ("thank", "utter_you_are_welcome_in_form"),
        ("bot_challenge", "utter_iamabot"),
        ("chitchat", "utter_chitchat"),
        ("out_of_scope", "utter_out_of_scope/other"),
    ]:
        tracker = make_tracker(text="x", intent=intent, active_loop="claim_form")
        assert run(ActionAnswerAside(), tracker).responses == [response]


def test_what_happens_next_is_told_from_the_claim(desk) -> None:
    from actions.common import client

    claim = client().create_claim(
        order_number=MAYA_ORDER,
        email=MAYA_EMAIL,
        items=[{"line_id": f"{MAYA_ORDER}-L2", "quantity": 1}],
        description="one case was not in the bag",
        idempotency_key="next-steps-test",
        tracking_number=MAYA_TRACKING,
        channel="rest",
        conversation_id="c1",
    )
    tracker = make_tracker(
        verified(claim_number=claim["claim_number"]), text="what now?", intent="ask_next_steps"
    )
    text = run(ActionNextSteps(), tracker).text
    assert claim["claim_number"] in text and "3 to 5 business days" in text


def test_what_happens_next_without_a_claim(desk_down) -> None:
    outcome = run(ActionNextSteps(), make_tracker(text="how long?", intent="ask_next_steps"))
    assert outcome.responses == ["utter_next_steps_without_claim"]


def test_when_a_claim_from_before_this_chat_is_meant_it_is_looked_up(desk_down) -> None:
    """A claim number, or the NLU's second guess of a status question, starts the status form."""
    entities = [{"entity": "claim_number", "value": "CLM-000918"}]
    numbered = make_tracker(text="how long now? CLM-000918", intent="ask_next_steps",
                            entities=entities)  # fmt: skip
    ranking = [
        {"name": "ask_next_steps", "confidence": 0.6},
        {"name": "check_claim_status", "confidence": 0.35},
    ]
    guessed = make_tracker(
        text="when will the refund you approved show up",
        intent="ask_next_steps",
        intent_ranking=ranking,
    )
    own = make_tracker(  # "my claim": one made before this chat
        text="got an email that my claim is 'under review' what does that mean, how long?",
        intent="ask_next_steps",
    )
    for tracker in (numbered, guessed, own):
        outcome = run(ActionNextSteps(), tracker)
        assert outcome.events == [
            {"event": "followup", "timestamp": None, "name": "claim_status_form"}
        ]


def test_store_hours_in_a_form_once_verified_and_not_before(desk) -> None:
    asked = make_tracker(text="when do you close", intent="ask_store_hours", active_loop=FORM)
    assert run(ActionAnswerAside(), asked).responses == ["utter_store_after_verification"]
    verified_asked = make_tracker(
        verified(), text="when do you close", intent="ask_store_hours", active_loop=FORM
    )
    text = run(ActionAnswerAside(), verified_asked).text
    assert "Riverside Commons" in text and "Mon-Sat 9:00-21:00" in text


def test_a_tracking_question_the_nlu_took_for_a_detail_starts_verification(desk_down) -> None:
    entities = [{"entity": "order_number", "value": "sts48291307"}]
    tracker = make_tracker(
        text="where is my order sts48291307?", intent="inform", entities=entities
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "verify_form"}]


def test_store_hours_when_the_support_desk_is_down_are_explained(desk_down) -> None:
    from actions.out_of_scope import ActionStoreHours

    outcome = run(ActionStoreHours(), make_tracker(verified(), text="when do you close"))
    assert "can't reach our order system" in outcome.text


@pytest.mark.parametrize(
    ("text", "tracks"),
    [
        ("when can i pick up my rc car", True),
        ("what time can I pick up my order on Saturday?", False),
        ("what are your hours?", False),
    ],
)
def test_when_the_shoppers_goods_can_be_picked_up_is_their_way(desk, text, tracks) -> None:
    from actions.out_of_scope import ActionStoreHours

    outcome = run(ActionStoreHours(), make_tracker(text=text, intent="ask_store_hours"))
    assert (outcome.followups == ["verify_form"]) is tracks


def test_a_request_for_a_person_the_nlu_was_unsure_of_still_brings_one_in(desk) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "request_human", "confidence": 0.49},
        {"name": "out_of_scope", "confidence": 0.48},
    ]
    text = "I'd rather discuss this with a staff member directly. Could you put me through?"
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    outcome = run(ActionCannotHandle(), tracker)
    assert "reference H-" in outcome.text
    assert handoffs(desk)[0]["reason"] == "The customer asked for a person."
    weak = [{"name": "request_human", "confidence": 0.2}, {"name": "inform", "confidence": 0.1}]
    unsure = make_tracker(text="hmm", intent="nlu_fallback", intent_ranking=weak)
    assert "reference H-" not in run(ActionCannotHandle(), unsure).text


def test_the_same_aside_said_again_leaves_the_step_instead_of_asking_a_third_time(desk) -> None:
    """ "tent footprint" twice, read both times as an aside: the shopper means it as the answer,
    so the question does not go out a third time. Two different asides are both answered."""
    events = not_understood_before(1, "tent footprint", action="action_answer_aside")
    events[0] = user_event("tent footprint")
    repeated = make_tracker(
        {"requested_slot": "item_quantity"},
        text="tent footprint",
        intent="out_of_scope",
        events=events,
        active_loop=FORM,
    )
    outcome = run(ActionAnswerAside(), repeated)
    assert outcome.responses[-1] == "utter_left_step"
    assert outcome.slots["stop_reason"] == "left_step"
    another = make_tracker(
        {"requested_slot": "item_quantity"},
        text="are you a bot?",
        intent="bot_challenge",
        events=[*events[:-1], user_event("are you a bot?")],
        active_loop=FORM,
    )
    assert run(ActionAnswerAside(), another).responses == ["utter_iamabot"]


def test_a_miss_after_an_aside_leaves_the_step(desk) -> None:
    events = not_understood_before(1, "blorp", action="action_answer_aside")
    tracker = make_tracker(
        {"requested_slot": "description"},
        text="blorp",
        intent="nlu_fallback",
        events=events,
        active_loop=FORM,
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.slots["stop_reason"] == "left_step"


def test_an_aside_after_an_answer_that_could_not_be_used_leaves_the_step(desk) -> None:
    """The e-mail didn't match and was asked again; an aside now: not a third time."""
    tracker = make_tracker(
        {"requested_slot": "email", "failed_attempts": {"verification": 1}},
        text="can't you just tell me?",
        intent="bot_challenge",
        active_loop="verify_form",
    )
    outcome = run(ActionAnswerAside(), tracker)
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.slots["failed_attempts"] == {}  # forgotten with the step


def test_a_message_passed_on_to_a_task_is_no_misunderstanding() -> None:
    events = [
        user_event("3 of the chocolate bars aren't there"),
        {"event": "action", "timestamp": 0, "name": "action_cannot_handle"},
        {"event": "followup", "timestamp": 0, "name": "claim_form"},
        user_event("ordered 6, got 3"),
    ]
    tracker = make_tracker(text="ordered 6, got 3", events=events)
    assert misunderstood_in_a_row(tracker) == 0


def test_a_guess_of_tracking_opens_the_tracking_only_for_a_way_asked(desk_down) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "check_tracking", "confidence": 0.35},
        {"name": "out_of_scope", "confidence": 0.1},
    ]
    noise = make_tracker(text="what's 2+2", intent="nlu_fallback", intent_ranking=ranking)
    assert run(ActionCannotHandle(), noise).events == []
    way = make_tracker(text="has it shipped yet??", intent="nlu_fallback", intent_ranking=ranking)
    assert run(ActionCannotHandle(), way).events == [
        {"event": "followup", "timestamp": None, "name": "verify_form"}
    ]


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("I'd rather have the money than wait for a replacement on the missing lamp", "claim_form"),
        ("I reported the lamp missing last week, any news?", "claim_status_form"),
    ],
)
def test_a_shortfall_wins_over_a_guess_of_a_claims_status(desk_down, text, form) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "check_claim_status", "confidence": 0.38},
        {"name": "request_refund", "confidence": 0.32},
    ]
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    assert run(ActionCannotHandle(), tracker).events == [
        {"event": "followup", "timestamp": None, "name": form}
    ]


def test_damage_alone_behind_the_fallback_enters_no_form(desk) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "check_claim_status", "confidence": 0.38},
    ]
    text = "the strap on my new beach bag snapped the first day, what can i do"
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking)
    outcome = run(ActionCannotHandle(), tracker)
    assert not [e for e in outcome.events if e.get("event") == "followup"]
    assert outcome.messages  # answered: the help center's article, or an honest "not here"


def test_a_shortfall_wins_over_a_guess_of_tracking(desk_down) -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "check_tracking", "confidence": 0.38},
        {"name": "report_missing_item", "confidence": 0.3},
    ]
    text = "My order STS-9157-3380 under jordan.reyes@example.net came without the mouse"
    entities = [{"entity": "order_number", "value": "STS-9157-3380"}]
    tracker = make_tracker(
        text=text, intent="nlu_fallback", intent_ranking=ranking, entities=entities
    )
    assert run(ActionCannotHandle(), tracker).events == [
        {"event": "followup", "timestamp": None, "name": "claim_form"}
    ]


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("how are you?", "utter_chitchat_what_next"),
        ("ok cool", "utter_noted"),
        ("ok cool ill go saturday", "utter_noted"),
    ],
)
def test_small_talk_that_asks_after_the_assistant_is_answered_as_such(text, response) -> None:
    from actions.conversation import ActionSmallTalk

    outcome = run(ActionSmallTalk(), make_tracker(text=text, intent="chitchat"))
    assert outcome.responses == [response]


def test_thanks_not_understood_is_answered_as_thanks(desk) -> None:
    tracker = make_tracker(text="gracias", intent="nlu_fallback")
    assert run(ActionCannotHandle(), tracker).responses == ["utter_you_are_welcome"]


def test_a_sign_off_not_understood_is_acknowledged(desk) -> None:
    tracker = make_tracker(text="ok fine, I'll have her message you herself", intent="nlu_fallback")
    assert run(ActionCannotHandle(), tracker).responses == ["utter_all_right"]


def test_a_stop_that_asks_another_matter_gets_its_answer(desk) -> None:
    """ "nothing's missing. but the boots are too small, can I return them here?": the claim
    stops, and the return is answered from the help center rather than "anything else?"."""
    text = (
        "ugh scratch that, my wife had it in the laundry pile. nothing's missing. "
        "but the boots are too small, can I return them here?"
    )
    tracker = make_tracker(verified(), text=text, intent="stop", active_loop="claim_form")
    outcome = run(ActionStopForm(), tracker)
    assert outcome.responses[0] == "utter_stopped"
    assert len(outcome.messages) > 1  # an answer follows the stop
    assert outcome.events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}


def test_an_identifier_that_answers_the_question_is_no_aside(desk) -> None:
    """ "don't know it, it was for order 2280-7731" at the claim number question, read as
    tracking: the form takes the order number; nothing is answered aside, no step is left."""
    events = not_understood_before(2, "is it normal for these to take this long?")
    tracker = make_tracker(
        {"requested_slot": "claim_number"},
        text="don't know it, it was for order 2280-7731",
        intent="check_tracking",
        entities=[{"entity": "order_number", "value": "2280-7731"}],
        events=events,
        active_loop="claim_status_form",
    )
    outcome = run(ActionAnswerAside(), tracker)
    assert outcome.events == [] and outcome.responses == []
    asked = make_tracker(
        {"requested_slot": "claim_number"},
        text="where is order 2280-7731?",
        intent="check_tracking",
        entities=[{"entity": "order_number", "value": "2280-7731"}],
        active_loop="claim_status_form",
    )
    assert run(ActionAnswerAside(), asked).responses  # a question: answered aside
