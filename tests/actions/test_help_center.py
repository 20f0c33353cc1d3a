"""Questions outside the flows: the help center's answer, its rating, or an honest "not here"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actions.conversation import ActionAnswerAside
from actions.handoff import ActionHandoff
from actions.help_center import ActionNoWithNothingAsked, ActionYesWithNothingAsked
from actions.out_of_scope import ActionOutOfScope
from tests.actions.conftest import (
    MAYA_ORDER,
    desk_get,
    loop_event,
    make_tracker,
    message,
    run,
    slot_event,
    user_event,
)

CANCEL = "how do I cancel my order?"


def answered(text: str = CANCEL) -> tuple[str, dict]:
    """Ask the desk's help center, as the out-of-scope rule does; the answer id and outcome."""
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    return outcome.slots["help_answer_id"], outcome


def reply_to(answer_id: str, text: str, intent: str):
    """The shopper's next message, right after the answer."""
    events = [
        user_event(CANCEL, message(CANCEL, "out_of_scope")),
        slot_event("help_answer_id", answer_id),
        user_event(text, message(text, intent)),
    ]
    return make_tracker({"help_answer_id": answer_id}, text=text, intent=intent, events=events)


def gaps(desk) -> dict:
    return desk_get(desk, "/api/v1/help/gaps")


def test_a_question_gets_the_articles_answer_link_and_the_rating_question(desk) -> None:
    answer_id, outcome = answered()
    assert outcome.responses == ["utter_help_center_answer", "utter_ask_help_helpful"]
    [answer, _] = outcome.messages
    assert answer["title"] == "Cancelling an order"
    assert answer["url"].endswith("/articles/cancel-an-order")
    assert "Orders" in answer["answer"]
    assert outcome.payloads == ["/affirm", "/request_human"]
    assert answer_id


def test_yes_records_that_it_helped(desk) -> None:
    answer_id, _ = answered()
    outcome = run(ActionYesWithNothingAsked(), reply_to(answer_id, "yes thanks", "affirm"))
    assert outcome.responses == ["utter_glad_it_helped"]
    assert outcome.slots == {"help_answer_id": None}
    assert gaps(desk)["not_helpful"] == []


def test_no_records_that_it_did_not_help_and_offers_a_person(desk) -> None:
    answer_id, _ = answered()
    outcome = run(ActionNoWithNothingAsked(), reply_to(answer_id, "no", "deny"))
    assert outcome.responses == ["utter_help_not_helpful"]  # its button: a person (domain)
    [gap] = gaps(desk)["not_helpful"]
    assert gap["question"] == CANCEL and gap["article"] == "cancel-an-order"


def test_a_person_right_after_the_answer_rates_it_no(desk) -> None:
    answer_id, _ = answered()
    outcome = run(ActionHandoff(), reply_to(answer_id, "/request_human", "request_human"))
    assert outcome.slots["help_answer_id"] is None and outcome.slots["handoff_id"]
    assert [g["article"] for g in gaps(desk)["not_helpful"]] == ["cancel-an-order"]


def test_yes_and_no_later_are_no_rating(desk) -> None:
    answer_id, _ = answered()
    later = reply_to(answer_id, "yes", "affirm")
    later.events.insert(2, user_event("and something else"))
    assert run(ActionYesWithNothingAsked(), later).responses == ["utter_what_else"]
    assert run(ActionNoWithNothingAsked(), make_tracker(text="no", intent="deny")).responses == [
        "utter_goodbye"
    ]


@pytest.mark.parametrize(
    ("text", "claim"), [("radio not here", True), ("no it did not help", False)]
)
def test_a_thing_short_read_as_a_no_starts_the_claim(desk, text: str, claim: bool) -> None:
    outcome = run(ActionNoWithNothingAsked(), make_tracker(text=text, intent="deny"))
    assert ("claim_form" in followups(outcome)) is claim


def test_a_question_with_no_article_is_declined_honestly_with_a_person_offered(desk) -> None:
    answer_id, outcome = answered("are you hiring for the summer?")
    assert answer_id is None
    assert outcome.responses == ["utter_help_center_unknown", "utter_help_center_offer"]
    assert "/request_human" in outcome.payloads
    assert [g["question"] for g in gaps(desk)["unanswered"]] == ["are you hiring for the summer?"]


def test_inside_a_form_the_answer_is_an_aside_without_the_rating_question(desk) -> None:
    tracker = make_tracker(
        text="do you take paypal?", intent="out_of_scope", active_loop="claim_form"
    )
    outcome = run(ActionAnswerAside(), tracker)
    assert outcome.responses[0] == "utter_help_center_answer"
    assert "utter_ask_help_helpful" not in outcome.responses
    assert outcome.messages[0]["title"] == "Payment methods"


def test_a_question_about_the_assistants_own_task_starts_it(desk) -> None:
    text = "what do I do when my ship to store order is incomplete and items are missing?"
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert outcome.messages == []  # no article: the task itself
    assert {"event": "followup", "timestamp": None, "name": "claim_form"} in outcome.events


def test_a_missing_item_the_grammar_misses_starts_the_claim_through_its_article(desk) -> None:
    from actions.claims import ActionStartClaim

    text = "what do I do when my ship to store order is incomplete and items are missing?"
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    followups = [e["name"] for e in outcome.events if e.get("event") == "followup"]
    assert followups == ["claim_form"]  # not the article, and never a silent action_listen


def test_a_half_placed_question_inside_a_form_is_answered_from_the_help_center(desk) -> None:
    from actions.conversation import ActionCannotHandle

    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "out_of_scope", "confidence": 0.51},
        {"name": "ask_store_hours", "confidence": 0.45},
    ]
    tracker = make_tracker(
        text="what time does it close?",
        intent="nlu_fallback",
        intent_ranking=ranking,
        active_loop="claim_form",
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.responses == ["utter_help_center_answer"]
    assert outcome.messages[0]["title"] == "Stores and opening hours"


def test_a_question_of_its_own_not_understood_in_a_form_is_an_aside(desk) -> None:
    """ "actually, can I return the easel? my kid has one" at the e-mail question."""
    from actions.conversation import ActionCannotHandle

    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "correct", "confidence": 0.3}]
    tracker = make_tracker(
        text="actually it's not about anything missing - can I return the art easel?",
        intent="nlu_fallback",
        intent_ranking=ranking,
        active_loop="verify_form",
    )
    outcome = run(ActionCannotHandle(), tracker)
    assert outcome.responses[0] in {"utter_help_center_answer", "utter_help_center_unknown_in_form"}
    assert "utter_cannot_handle_in_form" not in outcome.responses


def followups(outcome) -> list[str]:
    return outcome.followups


def test_a_question_read_as_tracking_gets_its_article_when_the_help_center_is_sure(desk) -> None:
    from actions.help_center import ActionStartTracking

    text = "can you resend my order confirmation email"
    outcome = run(ActionStartTracking(), make_tracker(text=text, intent="check_tracking"))
    assert outcome.responses == ["utter_help_center_answer", "utter_ask_help_helpful"]
    assert outcome.messages[0]["title"] == "Order confirmation e-mails"
    assert outcome.payloads == ["/affirm", "/check_tracking", "/request_human"]
    assert followups(outcome) == ["action_listen"] and outcome.slots["help_answer_id"]


def test_the_assistants_own_task_starts_without_an_article(desk) -> None:
    from actions.help_center import ActionStartClaimStatus, ActionStartRefund, ActionStartTracking

    order = [{"entity": "order_number", "value": "STS-4829-1307"}]
    cases = [
        (ActionStartTracking(), make_tracker(text="where is my order?", intent="check_tracking")),
        (ActionStartTracking(), make_tracker(text="is my order ready for pickup yet")),
        (ActionStartTracking(), make_tracker(text="how do i see where my ship to store order is")),
        (ActionStartTracking(), make_tracker(text="resend STS-4829-1307", entities=order)),
        (ActionStartClaimStatus(), make_tracker(text="any update on my claim?")),
        (ActionStartRefund(), make_tracker(text="I want a refund for the missing items")),
    ]
    for action, tracker in cases:
        outcome = run(action, tracker)
        assert outcome.messages == [], tracker.latest_message["text"]
        assert followups(outcome) in (["verify_form"], ["claim_status_form"], ["claim_form"])
    assert gaps(desk)["unanswered"] == []


def test_the_task_button_after_an_article_starts_the_task_and_rates_it_no(desk) -> None:
    from actions.help_center import ActionStartTracking

    text = "can you resend my order confirmation email"
    answer_id = run(ActionStartTracking(), make_tracker(text=text, intent="check_tracking")).slots[
        "help_answer_id"
    ]
    events = [
        user_event(text, message(text, "check_tracking")),
        slot_event("help_answer_id", answer_id),
        user_event("/check_tracking", message("/check_tracking", "check_tracking")),
    ]
    tracker = make_tracker(
        {"help_answer_id": answer_id},
        text="/check_tracking",
        intent="check_tracking",
        events=events,
    )
    outcome = run(ActionStartTracking(), tracker)
    assert followups(outcome) == ["verify_form"] and outcome.slots == {"help_answer_id": None}
    [unhelpful] = gaps(desk)["not_helpful"]
    assert unhelpful["article"] == "order-confirmation-email"


def test_a_refund_question_read_as_a_claim_gets_the_refund_times_article(desk) -> None:
    from actions.help_center import ActionStartRefund

    text = "how long does a refund take to reach my card"
    outcome = run(ActionStartRefund(), make_tracker(text=text, intent="request_refund"))
    assert outcome.messages[0]["title"] == "How long refunds take"
    assert outcome.payloads == ["/affirm", "/report_missing_item", "/request_human"]


def test_missing_goods_read_as_out_of_scope_start_the_claim(desk) -> None:
    for text in [
        "I'd like what I paid for the missing lamp put back on my card",
        "the rug was not included when I collected, I'd like that money back",
    ]:
        outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
        assert outcome.messages == [], text
        assert followups(outcome) == ["claim_form"], text


def test_lost_or_forgotten_things_read_as_out_of_scope_get_the_help_center(desk) -> None:
    outcome = run(
        ActionOutOfScope(), make_tracker(text="I forgot my password", intent="out_of_scope")
    )
    assert outcome.messages[0]["title"] == "Signing in and passwords"
    assert "claim_form" not in followups(outcome)


def test_missing_goods_after_a_claim_was_spoken_of_are_no_reason_for_a_second_claim() -> None:
    text = "how long until the money for the missing lamp is back on my card?"
    fresh = make_tracker(text=text, intent="out_of_scope")
    after = make_tracker({"claim_number": "CLM-000001"}, text=text, intent="out_of_scope")
    in_form = make_tracker(text=text, intent="out_of_scope", active_loop="verify_form")
    assert ActionOutOfScope._tells_of_missing_goods(fresh)
    assert not ActionOutOfScope._tells_of_missing_goods(after)
    assert not ActionOutOfScope._tells_of_missing_goods(in_form)


def test_damage_read_as_out_of_scope_is_no_claim(desk) -> None:
    text = "Hi, the chair I collected has a missing leg screw and a big scratch on the seat"
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert "claim_form" not in followups(outcome)
    assert outcome.messages  # the help center's answer, or its honest "I don't know"


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("half the balloons were popped when I opened the box", False),
        ("the box was crushed and the charger was missing", True),
        ("both candles are gone, the box was kinda ripped on one side", True),
    ],
)
def test_damage_read_as_a_missing_item_is_no_claim_unless_goods_are_missing(
    desk, text, claim
) -> None:
    from actions.claims import ActionStartClaim

    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert ("claim_form" in followups(outcome)) is claim


def test_a_flow_article_starts_its_task_only_for_a_message_of_that_task(desk) -> None:
    """ "refund me for the shoes, they're too small" tells of no shortfall: a return, whatever
    article fits it best; "will they keep my package?" asks nothing about the package's way."""
    from actions.help_center import _fits

    assert not _fits("claim", "refund me for the shoes, they're too small")
    assert _fits("claim", "my order was short 2 things, refund them")
    assert not _fits("tracking", "I can't get to the store until next week, will they keep it?")
    assert _fits("tracking", "where is my ship to store order")
    assert not _fits("claim_status", "are your suitcases TSA approved")
    assert _fits("claim_status", "has my refund been approved yet?")
    for text in ["refund me for the shoes, they're too small", "I want to order more of the same"]:
        outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
        assert "claim_form" not in followups(outcome), text
        assert outcome.messages, text


def test_where_my_order_is_read_as_out_of_scope_starts_the_tracking(desk) -> None:
    text = "how do i see where my ship to store order is"
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert followups(outcome) == ["verify_form"]
    refund = run(ActionOutOfScope(), make_tracker(text="where is my refund", intent="out_of_scope"))
    assert "verify_form" not in followups(refund)


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("quick question about my order 4829-1307", False),
        ("I have an issue with my order STS-4829-1307", False),
        ("where is my order 4829-1307", True),
    ],
)
def test_a_question_announced_about_an_order_is_waited_for(desk_down, text, starts) -> None:
    """ "Quick question about my order …" asks nothing yet: what would you like to do?"""
    from actions.help_center import ActionStartTracking

    entities = [{"entity": "order_number", "value": "4829-1307"}]
    tracker = make_tracker(text=text, intent="check_tracking", entities=entities)
    outcome = run(ActionStartTracking(), tracker)
    assert (followups(outcome) == ["verify_form"]) is starts
    assert (outcome.responses == ["utter_what_to_do_with_order"]) is not starts


@pytest.mark.parametrize(
    ("text", "announced"),
    [
        ("I have a question about my order STS-1234-5678", True),
        ("hi, question about my order sts48291307 please", True),
        ("quick question about order STS-3377-2010 - can you send me an itemized invoice?", False),
        ("I have a problem with my order, 2 items missing", False),
        ("hi, it's about my order STS-1207-6654", True),
        ("it's about my order STS-1207-6654, where is it?", False),
        ("hi I need some help with my order from Mill Yard", True),
        ("I still need help with my order", False),
    ],
)
def test_a_question_announced_is_one_that_asks_nothing_after_it(text, announced) -> None:
    from actions.help_center import announces_a_question

    assert announces_a_question(text) is announced


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("i keep getting logged out of the app", False),
        ("any news on my claim?", True),
        ("checking on clm000876", True),
    ],
)
def test_a_claims_status_needs_a_word_of_a_claim(desk, text, starts) -> None:
    """Read as a claim's status, a message with no word of a claim gets the help center."""
    from actions.help_center import ActionStartClaimStatus

    tracker = make_tracker(text=text, intent="check_claim_status")
    outcome = run(ActionStartClaimStatus(), tracker)
    assert ("action_listen" not in followups(outcome)) is starts
    if not starts:
        assert outcome.responses[0].startswith("utter_help_center")


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("sts48291307 status pls", "verify_form"),  # an order's status: where it is
        ("status of the refund for sts48291307?", "claim_status_form"),
        ("I filed one a while ago on sts48291307, any news on that one?", "claim_status_form"),
    ],
)
def test_a_status_with_an_order_number_is_the_orders_unless_it_names_a_claim(
    desk, text, form
) -> None:
    from actions.help_center import ActionStartClaimStatus

    entities = [{"entity": "order_number", "value": "sts48291307"}]
    tracker = make_tracker(text=text, intent="check_claim_status", entities=entities)
    assert followups(run(ActionStartClaimStatus(), tracker)) == [form]


def test_a_missing_item_report_that_asks_where_the_order_is_tracks_it(desk) -> None:
    """Nothing in it is short yet: "wheres my stuff?? ordered a kettle 6 days ago"."""
    from actions.claims import ActionStartClaim

    text = "wheres my stuff?? ordered a kettle and a toaster 6 days ago"
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert followups(outcome) == ["verify_form"]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("can you help me with my homework", False),
        ("is it there yet?", True),
        ("where is it", True),
        ("will Bachmann HO cars work on my Lionel track", False),  # the goods, not the verb
        ("can u track it", True),
        ("trackin info plz", True),
        ("trakcing info plz", True),  # a slip of its letters
        ("hey! whats the latest on it, the ICOM one", True),
        ("still waiting on my shin guards, its been 9 days", True),  # goods awaited
        ("still waiting on the mount, any idea when it gets in", True),
        ("still waiting for a reply to my email", False),
        ("hoping to grab my bow strings on the way home, will they be there by then?", True),
    ],
)
def test_tracking_needs_a_word_of_an_order(desk, text, starts) -> None:
    """Read as tracking, a message with no word of an order or its way gets the help center."""
    from actions.help_center import ActionStartTracking

    outcome = run(ActionStartTracking(), make_tracker(text=text, intent="check_tracking"))
    assert ("action_listen" not in followups(outcome)) is starts


def test_blind_tracking_messages_all_name_an_order_or_its_way() -> None:
    from actions.help_center import WHERE_WORDS, speaks_of_an_order

    asked = [
        case["text"]
        for path in (Path(__file__).parents[1] / "blind" / "sets").glob(
            "first*/first_messages.json"
        )
        for case in json.loads(path.read_text())
        if case["expect"] == "track"
    ]
    named = [t for t in asked if speaks_of_an_order(t) or WHERE_WORDS.search(t)]
    assert len(asked) > 500 and len(named) / len(asked) >= 0.99


def test_asking_to_carry_on_resumes_the_claim_that_was_left(desk) -> None:
    """After "Let's not go round in circles ...", "I still need help with my order" goes back
    to the claim, with what was said kept; with no claim begun it is the task it reads as."""
    from actions.help_center import ActionStartClaimStatus, ActionStartTracking

    text = "I still need help with my order"
    left = {"missing_items": [{"line_id": "STS-4829-1307-L2", "name": "Case", "quantity": 1}]}
    outcome = run(ActionStartTracking(), make_tracker(left, text=text, intent="check_tracking"))
    assert followups(outcome) == ["claim_form"]
    mentions = {"item_mentions": "the hoodies weren't in the bag"}
    again = make_tracker(
        mentions, text="can we finish what we started?", intent="check_claim_status"
    )
    assert followups(run(ActionStartClaimStatus(), again)) == ["claim_form"]
    fresh = run(ActionStartTracking(), make_tracker(text=text, intent="check_tracking"))
    assert followups(fresh) != ["claim_form"]


@pytest.mark.parametrize(("left_at", "resumes"), [("left_step", True), ("in_transit", False)])
def test_carrying_on_after_the_claim_was_left_at_a_step(desk, left_at, resumes) -> None:
    """Left at "which package?" before any item was named: the claim is still what the
    shopper carries on with; a claim that ended otherwise is not."""
    from actions.help_center import ActionStartTracking

    text = "I still need help with my order"
    events = [
        loop_event("claim_form"),
        slot_event("stop_reason", left_at),
        loop_event(None),
        slot_event("stop_reason", None),
        user_event(text, message(text, "check_tracking")),
    ]
    tracker = make_tracker(text=text, intent="check_tracking", events=events)
    assert (followups(run(ActionStartTracking(), tracker)) == ["claim_form"]) is resumes


@pytest.mark.parametrize("intent", ["out_of_scope", "report_missing_item"])
@pytest.mark.parametrize(
    "text",
    [
        "Hello, I need help with order STS-4829-1307.",
        "hi, I need to do something with order STS-4829-1307",
    ],
)
def test_help_announced_with_an_order_asks_what_to_do(desk, intent: str, text: str) -> None:
    """ "Hello, I need help with order …" asks nothing yet, whatever the classifier read."""
    from actions.claims import ActionStartClaim
    from actions.out_of_scope import ActionOutOfScope

    action = ActionOutOfScope() if intent == "out_of_scope" else ActionStartClaim()
    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    outcome = run(action, make_tracker(text=text, intent=intent, entities=entities))
    assert outcome.responses == ["utter_what_to_do_with_order"]
    assert not {"claim_form", "verify_form"} & set(followups(outcome))  # no form yet


def test_asking_if_the_order_is_ready_tracks_it_whatever_the_classifier_read(desk) -> None:
    text = "hi, I'm picking up my husband's order, can I see if it's ready? STS-4829-1307"
    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    tracker = make_tracker(text=text, intent="out_of_scope", entities=entities)
    assert followups(run(ActionOutOfScope(), tracker)) == ["verify_form"]
    restated = make_tracker(text="I still need help with my order", intent="out_of_scope")
    assert run(ActionOutOfScope(), restated).responses != ["utter_what_to_do_with_order"]


@pytest.mark.parametrize(
    "text",
    [
        "I'm on vacation, will my order STS-4829-1307 still be there in 2 weeks?",
        "can I still cancel STS-4829-1307 if it hasn't reached the store yet?",
        "I can't get to the store until next week, will they still have my order 4829-1307?",
    ],
)
def test_keeping_or_cancelling_the_order_is_no_tracking(desk, text: str) -> None:
    """Read as tracking, a question about keeping or cancelling the order gets the help
    center, even with the order's number: no form."""
    from actions.help_center import ActionStartTracking

    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    tracker = make_tracker(text=text, intent="check_tracking", entities=entities)
    outcome = run(ActionStartTracking(), tracker)
    assert "verify_form" not in followups(outcome)
    assert outcome.responses[0].startswith("utter_help_center")


@pytest.mark.parametrize("intent", ["report_missing_item", "out_of_scope"])
@pytest.mark.parametrize(
    "text",
    [
        "has my order STS-4829-1307 made it to the Riverside store",
        "need to know if STS-4829-1307 came in",
        "is my order at the pickup location? STS-4829-1307",
        "When will STS-4829-1307 be available to collect?",
        "Hi, I'm her sister, she asked me to check on her order STS-4829-1307",
        "when can I pick up my headphones? STS-4829-1307",
        "roughly what day will my STS-4829-1307 headphones get to the Riverside store?",
        "did my order STS-4829-1307 ship yet?",
        "is the gravel bike I ordered (STS-4829-1307) in store yet?",
        "order STS-4829-1307 still says processing after 6 days??",
        "checking on an order, STS-4829-1307, placed on the 3rd",
        "I placed order STS-4829-1307 on Monday. How far along is it?",
        "Could you tell me whether it has arrived? STS-4829-1307",
        "STS-4829-1307: want to know if it shipped",
        "Is my order on its way? STS-4829-1307",
        "my mom placed order STS-4829-1307 for embroidery floss, can you see if its arrived",
    ],
)
def test_whether_the_order_has_come_tracks_it_whatever_the_classifier_read(
    desk, intent: str, text: str
) -> None:
    from actions.claims import ActionStartClaim

    action = ActionStartClaim() if intent == "report_missing_item" else ActionOutOfScope()
    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    tracker = make_tracker(text=text, intent=intent, entities=entities)
    assert followups(run(action, tracker)) == ["verify_form"]


@pytest.mark.parametrize(
    "text", ["is there a store near me", "my coupon is in the app but won't apply"]
)
def test_words_of_place_alone_ask_for_no_order(desk, text: str) -> None:
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert "verify_form" not in followups(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "does this jacket come in XL",
        "can I change the pickup date for my order",
        "my order is at the store but can I change who is picking it up?",
        "Can I swap the colour on my gi order? It still says processing",
    ],
)
def test_a_question_about_the_goods_or_a_change_enters_no_tracking(desk, text: str) -> None:
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert "verify_form" not in followups(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "when will the kayak paddles be back in stock?",
        "can my husband come to the store to pick it up?",
        "Can my neighbor pick up my order for me? I'll be out of town",
        "when can I return the lamp?",
        "how much is it to have it shipped to my house instead?",
    ],
)
def test_a_question_about_stock_returns_or_who_picks_up_is_no_tracking(desk, text) -> None:
    """Whatever the classifier read, none of these asks where an order is."""
    from actions.help_center import ActionStartTracking, asks_if_it_came

    assert not asks_if_it_came(text)

    outcome = run(ActionStartTracking(), make_tracker(text=text, intent="check_tracking"))
    assert "verify_form" not in followups(outcome)
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert "verify_form" not in followups(outcome)


@pytest.mark.parametrize(
    "text",
    [
        "I want a refund, my dog hates this food",
        "the shampoo barely foams, I want my money back",
        # a wish unmet, even with the order's number
        "I want a refund for the LED wash, it's just not bright enough. order STS-4829-1307",
        "I want a refund, the headphones are not loud enough",
    ],
)
def test_a_refund_for_goods_that_came_but_disappoint_starts_no_claim(desk, text) -> None:
    from actions.help_center import ActionStartRefund

    outcome = run(ActionStartRefund(), make_tracker(text=text, intent="request_refund"))
    assert "claim_form" not in followups(outcome)
    assert outcome.messages


def test_goods_left_out_read_as_tracking_start_the_claim(desk) -> None:
    from actions.help_center import ActionStartTracking

    text = "i think u forgot to pack the cushions for my garden sofa"
    outcome = run(ActionStartTracking(), make_tracker(text=text, intent="check_tracking"))
    assert followups(outcome) == ["claim_form"]


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("the desk lamp isn't here. what's going on?", True),  # nothing reported yet
        ("my order isn't here yet, what happened?", False),  # where it is
        ("the desk lamp was missing, any update on my claim?", False),
        ("I want to report my watch and its winder missing, it's been over a week", True),
    ],
)
def test_goods_not_there_read_as_a_claims_status_start_the_claim(desk, text, claim) -> None:
    from actions.help_center import ActionStartClaimStatus

    outcome = run(ActionStartClaimStatus(), make_tracker(text=text, intent="check_claim_status"))
    assert (followups(outcome) == ["claim_form"]) is claim


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("forgot to use my 15% off code on my order, can you apply it now?", True),
        ("I changed my mind about the sofa, can I send it back?", True),
        ("the card I paid with expired, will the order still go through", True),
        ("can I pay in cash when I pick up?", True),
        ("what happens if I miss the pickup window?", True),
        ("track my return please", True),
        ("I had a job interview at the Elm St store, any news?", True),
        ("please cancel the e-bike order and refund me", True),
        ("update the phone number on my order", True),
        ("how much is shipping to the store?", True),
        ("can you take the tripod off my order, I found it cheaper", True),
        ("Does the kids swim nappy come in a 2 pack", True),
        ("do you deliver to my house or only to stores?", True),
        ("can I return the lamp? turns out I don't need it", True),
        ("decided I want charcoal after all, how do I send it back and get a refund", True),
        ("when do I get my refund after returning the cleats at the store", True),
        ("I'd like to add a second charger to my order", True),
        ("can I add a box of wood screws to my existing order", True),
        ("how do I use my store credit", True),
        ("I want to return everything in my order, I just don't want it", True),
        ("I'd like to update the delivery address on my order", True),
        ("why was my card charged before the order shipped", True),
        ("I was charged for 5 and only got 3", False),  # a shortfall, told as a charge
        ("the fly rug never came in my collection and i was charged for it", False),
        ("no HDMI cable. It's on the receipt tho", False),  # the receipt as evidence
        ("Did not receive all items!! 8 items on receipt, 6 in the bag", False),
        ("lost my receipt, can you send it again", True),
        ("it's cheaper online at another shop, can you match?", True),
        ("and I can't log in to my account, how do I reset my password?", True),
        ("remove the lamp from my claim, it turned up", False),
        ("I want to cancel, the speaker is missing", False),
        ("the gift card I ordered wasn't in the bag", False),  # goods missing: the claim
        ("my receipt lists 3 mugs but only 2 were in the box", False),
        ("where is my order?", False),
        ("I ordered O gauge track but I actually needed HO, can I get the right size", True),
        ("the second box was the right size but it only had packing foam in it", False),
        ("when will you get more chick starter in", True),
        ("do i need the order number or just my name when I go get it", True),
        ("what do I need to bring to pick up my order?", True),
        ("the store made me wait 40 minutes and the staff just ignored me", True),
        ("the store made me wait and the lamp wasnt in the bag", False),
        ("Can I change the card my refund goes to? I closed that account", True),
        ("can the refund go to a different card", True),
        ("I'd like to file a complaint about the store manager", True),
        ("What sizes do the kids rain boots come in", True),
        ("Is there any way to stop the order before it goes out to the store?", True),
        ("can I get my order delivered home instead of to the store", True),
        ("I want to leave a review of the store manager", True),
        ("is my claim still under review?", False),
        ("just wanted to say the girl at the westgate store was super helpful :)", True),
        ("I'd like to swap the readers I got for +2.0 instead of +1.5", True),
        ("why is there a pending charge on my card when my order hasnt even shipped", True),
        ("the box was empty?? just the packaging and a receipt, no ring", False),
        ("can I get my money back? the watch just isnt what I expected", True),
        ("hi, can I cancel order STS-9988-0312? it hasn't gotten to the store yet", True),
        ("lost my reciept, can you email it again", True),  # a receipt, misspelt
        ("The saddle was the wrong width for my mare so I need my money back", True),
        ("picked up my bat and I want to trade it for the drop 10 version instead", True),
        ("the wrong one was in the box and the lid is missing", False),
        ("I forgot to apply my 10% code to order STS-9012-3346, can you add it now?", True),
        ("can fireworks be shipped straight to my house", True),
        ("hi can i get a invoce for my ordr STS-4418-9072", True),  # one slip
        ("only 1 pair of spacers in the box, recipt says 2", False),  # the receipt as evidence
    ],
)
def test_another_matter_is_one_that_tells_of_no_missing_goods(text: str, other: bool) -> None:
    from actions.help_center import another_matter

    assert another_matter(text) is other


@pytest.mark.parametrize(
    ("intent", "action"),
    [
        ("check_tracking", "ActionStartTracking"),
        ("check_claim_status", "ActionStartClaimStatus"),
        ("request_refund", "ActionStartRefund"),
    ],
)
def test_another_matter_enters_no_form_whatever_the_classifier_read(desk, intent, action) -> None:
    import actions.help_center as help_center

    text = "forgot to use my 15% off code on order STS-4829-1307, can you apply it now?"
    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    tracker = make_tracker(text=text, intent=intent, entities=entities)
    outcome = run(getattr(help_center, action)(), tracker)
    assert not {"verify_form", "claim_form", "claim_status_form"} & set(followups(outcome))
    assert outcome.messages


@pytest.mark.parametrize(
    "text",
    [
        "I can't get to the store until next week, will they keep my stuff? order STS-4829-1307",
        "does the store hold orders? STS-4829-1307",
    ],
)
def test_how_long_the_store_keeps_it_read_as_tracking_enters_no_form(desk, text: str) -> None:
    from actions.help_center import ActionStartTracking

    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    tracker = make_tracker(text=text, intent="check_tracking", entities=entities)
    outcome = run(ActionStartTracking(), tracker)
    assert "verify_form" not in followups(outcome)
    assert outcome.messages


@pytest.mark.parametrize(
    ("text", "could"),
    [
        ("refund please", True),
        ("i want a refnd", True),  # a slip of "refund"
        ("can you pay me back for it", True),
        ("only got 3 of the 5", True),
        ("what rpm is the Beatles Abbey Road reissue", False),
        ("what's 15% of 240", False),
        ("give me my $23.99 back for the lizard hide", True),
    ],
)
def test_a_claim_could_be_meant_only_with_a_shortfall_or_money_back(text, could) -> None:
    from actions.help_center import could_be_a_claim

    assert could_be_a_claim(text) is could


def test_a_refund_read_where_no_money_back_is_asked_enters_no_claim(desk) -> None:
    from actions.help_center import ActionStartRefund

    text = "what rpm is the Beatles Abbey Road reissue"
    outcome = run(ActionStartRefund(), make_tracker(text=text, intent="request_refund"))
    assert "claim_form" not in followups(outcome) and outcome.messages
    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    tracker = make_tracker(
        text="STS-4829-1307 can u help", intent="request_refund", entities=entities
    )
    outcome = run(ActionStartRefund(), tracker)
    assert outcome.responses == ["utter_what_to_do_with_order"]


@pytest.mark.parametrize("intent", ["check_tracking", "report_missing_item"])
def test_damage_alone_enters_no_form(desk, intent: str) -> None:
    from actions.claims import ActionStartClaim
    from actions.help_center import ActionStartTracking

    text = "my cymbal arrived bent. order STS-4829-1307"
    entities = [{"entity": "order_number", "value": "STS-4829-1307"}]
    action = ActionStartTracking() if intent == "check_tracking" else ActionStartClaim()
    outcome = run(action, make_tracker(text=text, intent=intent, entities=entities))
    assert not {"verify_form", "claim_form", "claim_status_form"} & set(followups(outcome))
    assert outcome.messages


def test_missing_goods_start_the_claim_whatever_article_the_help_center_finds(desk) -> None:
    from actions.claims import ActionStartClaim

    text = "the charging cable wasn't in my order"
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert followups(outcome) == ["claim_form"] and not outcome.messages


def test_a_no_that_tells_of_missing_goods_starts_the_claim(desk) -> None:
    text = "no, the olive oil isn't here, neither bottle"
    outcome = run(ActionNoWithNothingAsked(), make_tracker(text=text, intent="deny"))
    assert followups(outcome) == ["claim_form"]
    assert "utter_goodbye" not in outcome.responses


def test_thanks_read_as_out_of_scope_is_answered_as_thanks(desk) -> None:
    tracker = make_tracker(text="thanks, sorry for the confusion", intent="out_of_scope")
    assert run(ActionOutOfScope(), tracker).responses == ["utter_you_are_welcome"]


def test_a_sign_off_read_as_a_task_starts_nothing(desk) -> None:
    from actions.help_center import ActionStartClaimStatus

    tracker = make_tracker(text="ok I'll check with them then", intent="check_claim_status")
    outcome = run(ActionStartClaimStatus(), tracker)
    assert outcome.responses == ["utter_all_right"]
    assert followups(outcome) == ["action_listen"]


@pytest.mark.parametrize(
    ("text", "article"),
    [
        ("actually I just want to cancel it, I changed my mind about the sunglasses", True),
        ("never mind", False),
    ],
)
def test_a_stop_with_nothing_going_on_is_answered_for_a_matter_of_its_own(
    desk, text: str, article: bool
) -> None:
    from actions.out_of_scope import ActionNothingToStop

    outcome = run(ActionNothingToStop(), make_tracker(text=text, intent="stop"))
    assert ("utter_help_center_answer" in outcome.responses) is article
    assert ("utter_how_can_i_help" in outcome.responses) is not article


@pytest.mark.parametrize(
    "text",
    [
        "can i pick up my watch today",
        "wen can i colect my order",
        "Could you please provide the tracking details for my recent purchase, reference "
        "STS-1029-3384?",
        "Could you tell me the expected arrival date?",
        "how do I know if theyre there yet?",
        "can i pick up today? ordered the red dot finder yesterday",
        "my order shipped but the link doesnt work. Can you tell me where it is?",
        "order STS-4827-1190. Has it arrived at the Maple Ave store yet?",
        "will they get to the store by friday",
        "can u tell me if the wellies r at the store",
        "estimated arrival for my knife block order?",
        "how far away is my box of underglazes",
        "Did my order make it to the pickup store?",
        "is my waterproof in the building yet lol",
        "My foam roller and resistance bands still say 'processing' after 4 days, where r they",
        "ok so when exactly can i go get my binders",
        "my mom placed an order, can you see if its arrived at the store",
        "I'd like to know whether it has been delivered to the store so I can plan the drive",
        "My husband ordered a car vacuum to the Route 9 store, he wants to know if it's in.",
        "hi, has my parcel got to the store yet? ordered a Lamy Safari and some cartridges",
        "will the order be at the Maple Street store by then?",
        "is my griptape order at the downtown store or not",
        "Went to Lakeshore Commons to pick up my order and they couldn't find it",
        "email said shipped but store says they dont have it",
        "Bought a traxxas last tuesday, ship to store in Elm Park. how much longer",
        "when can i pick up",
        "Still waiting on the bricks I ordered. Any update?",
        "ordered the modular bakery 2 weeks ago, never got a pickup email. whats going on",
        "did the claw machine ship",
        "wen will my order be reddy to pik up",
        "my son ordered climbing shoes on my account, can u tell me where they are?",
        "Can you check if the Roman candles I ordered are at the Elm Street store now",
        "order STS-2045-7719 - is it in the store so I don't waste a 40 minute drive?",
    ],
)
def test_the_way_asked_in_other_words(text: str) -> None:
    from actions.help_center import asks_if_it_came

    assert asks_if_it_came(text)


def test_a_claim_read_where_only_the_way_is_asked_tracks_the_order(desk) -> None:
    """ "can i pick up today?" read as a missing item: nothing short, the order's way asked."""
    from actions.claims import ActionStartClaim

    text = "can i pick up today? ordered the red dot finder yesterday"
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert followups(outcome) == ["verify_form"]


def test_an_order_number_typed_with_a_request_served_elsewhere_is_kept(desk) -> None:
    text = "hey can you cancel my putter order? sts-2471-6639. found it cheaper elsewhere"
    entities = [{"entity": "order_number", "value": "sts-2471-6639"}]
    outcome = run(
        ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope", entities=entities)
    )
    assert outcome.slots["order_number"] == "STS-2471-6639"
    assert not {"claim_form", "verify_form"} & set(followups(outcome))
    other = make_tracker(
        text=text, intent="out_of_scope", entities=entities, slots={"verified_order": MAYA_ORDER}
    )
    assert "order_number" not in run(ActionOutOfScope(), other).slots  # the order in play stays


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("do you string rackets in store", True),
        ("Do you guys sell replacement grips?", True),
        ("can you check where my order is", False),
    ],
)
def test_a_service_of_the_store_is_no_orders_way(text: str, service: bool) -> None:
    from actions.help_center import SERVICE_ASKED

    assert bool(SERVICE_ASKED.search(text)) is service


def test_a_cancellation_typed_with_slips_is_another_matter() -> None:
    from actions.help_center import another_matter

    text = "how do i cancle my ordr STS-5526-0083, i dont need the green screeen anymore"
    assert another_matter(text)


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope"])
def test_help_announced_with_an_order_named_by_its_store_asks_what_to_do(desk, intent) -> None:
    from actions.conversation import ActionCannotHandle
    from actions.out_of_scope import ActionOutOfScope

    text = "hi I need some help with my order from Mill Yard"
    action = ActionCannotHandle() if intent == "nlu_fallback" else ActionOutOfScope()
    ranking = [
        {"name": intent, "confidence": 0.4},
        {"name": "greet", "confidence": 0.32},
        {"name": "out_of_scope", "confidence": 0.22},
    ]
    outcome = run(action, make_tracker(text=text, intent=intent, intent_ranking=ranking))
    assert outcome.responses == ["utter_what_to_do_with_order"]


def test_money_asked_right_after_an_article_is_its_topic_not_a_claim(desk) -> None:
    from actions.help_center import ActionStartRefund

    answer_id, _ = answered("how do I return a wetsuit that is too big?")
    text = "ok, and will the money go back on my visa?"
    outcome = run(ActionStartRefund(), reply_to(answer_id, text, "request_refund"))
    assert "claim_form" not in followups(outcome)
    assert outcome.messages
    short = "ok, but the hood was missing too, I want a refund"
    assert "claim_form" in followups(
        run(ActionStartRefund(), reply_to(answer_id, short, "request_refund"))
    )


def test_a_pen_got_at_the_store_asks_no_way() -> None:
    from actions.help_center import asks_if_it_came

    assert not asks_if_it_came("the pen I got at the store is leaking")
    assert not asks_if_it_came("the store couldn't find the charger in the bag")


def test_the_way_asked_read_as_a_claims_status_tracks_the_order(desk) -> None:
    """ "Still waiting on the bricks I ordered. Any update?" names no claim: the order's way."""
    from actions.help_center import ActionStartClaimStatus

    text = "Still waiting on the bricks I ordered. Any update?"
    outcome = run(ActionStartClaimStatus(), make_tracker(text=text, intent="check_claim_status"))
    assert followups(outcome) == ["verify_form"]
    claimed = "still waiting on my refund for the missing bricks, any update?"
    outcome = run(ActionStartClaimStatus(), make_tracker(text=claimed, intent="check_claim_status"))
    assert followups(outcome) == ["claim_status_form"]
