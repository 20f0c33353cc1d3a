"""Verifying the customer (order number and the order's e-mail) before any detail is shown."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.verification import ValidateVerifyForm, verified_order
from tests.actions.conftest import (
    JORDAN_EMAIL,
    MAYA_CLAIMED_ORDER,
    MAYA_EMAIL,
    MAYA_ORDER,
    MAYA_TRACKING,
    form_tracker,
    make_tracker,
    sender,
    validate,
    verified,
)

FORM = "verify_form"


def check(candidates: dict, **kwargs):
    return validate(ValidateVerifyForm(), FORM, candidates, **kwargs)


def at_email(text: str, intent: str = "inform"):
    """A message with no address in it, sent at the e-mail question of Maya's order."""
    return check(
        {}, slots={"order_number": MAYA_ORDER}, requested_slot="email", text=text, intent=intent
    )


@pytest.mark.parametrize("typed", ["sts48291307", "#STS 4829 1307", "4829-1307", "STS-4829-1307"])
def test_order_numbers_are_normalised(shared_desk, typed: str) -> None:
    outcome = check({"order_number": typed})
    assert outcome.slots["order_number"] == MAYA_ORDER
    assert outcome.slots["verified_order"] is None  # not before the e-mail is checked
    assert outcome.messages == []


def test_an_unreadable_order_number_is_asked_again_with_what_is_expected(shared_desk) -> None:
    outcome = check({"order_number": "my order from last week"})
    assert outcome.slots["order_number"] is None
    assert "STS-1234-5678" in outcome.text and "order confirmation" in outcome.text
    assert outcome.slots["failed_attempts"] == {"order_number": 1}
    assert "/request_human" not in outcome.payloads


def test_the_second_unreadable_order_number_is_not_asked_a_third_time(shared_desk) -> None:
    outcome = check(
        {"order_number": "12345"},
        slots={"failed_attempts": {"order_number": 1}, "auto_escalated": True},
    )
    assert outcome.slots["order_number"] is None
    assert "STS-1234-5678" in outcome.text
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.responses[-1] == "utter_left_step"
    assert outcome.payloads == ["/request_human"]


def test_the_right_email_verifies_the_order(shared_desk) -> None:
    outcome = check(
        {"email": "  Maya.Chen@Example.com "},
        slots={"order_number": MAYA_ORDER, "failed_attempts": {"verification": 1}},
    )
    assert outcome.slots["verified_order"] == MAYA_ORDER
    assert outcome.slots["email"] == MAYA_EMAIL
    assert outcome.slots["order_number"] == MAYA_ORDER
    assert outcome.slots["failed_attempts"] == {}  # earlier failures forgotten
    assert outcome.messages == []


def test_order_number_and_email_in_one_message(shared_desk) -> None:
    outcome = check({"order_number": "sts48291307", "email": MAYA_EMAIL})
    assert outcome.slots["verified_order"] == MAYA_ORDER
    assert outcome.slots["order_number"] == MAYA_ORDER
    assert outcome.slots["email"] == MAYA_EMAIL
    assert outcome.messages == []


def test_an_email_before_the_order_number_is_kept_for_later(shared_desk) -> None:
    outcome = check({"email": MAYA_EMAIL})
    assert outcome.slots["email"] == MAYA_EMAIL
    assert outcome.slots.get("verified_order") is None
    outcome = check({"order_number": "4829-1307"}, slots={"email": MAYA_EMAIL})
    assert outcome.slots["verified_order"] == MAYA_ORDER


def test_a_malformed_email_is_asked_again(shared_desk) -> None:
    outcome = check({"email": "maya at example"}, slots={"order_number": MAYA_ORDER})
    assert outcome.slots["email"] is None
    assert "name@example.com" in outcome.text
    assert outcome.slots.get("verified_order") is None


def test_a_question_at_the_email_question_is_no_answer(shared_desk) -> None:
    """ "can I return the art easel?" is an aside: the form takes nothing, a rule answers."""
    text = "actually it's not about anything missing - can I return the art easel?"
    outcome = check(
        {}, slots={"order_number": MAYA_ORDER}, requested_slot="email", text=text, intent="correct"
    )
    assert "doesn't look like an e-mail" not in outcome.text
    assert [e for e in outcome.events if e.get("name") == "email"] == []


def test_the_other_customers_email_never_reveals_the_order(desk) -> None:
    outcome = check({"email": JORDAN_EMAIL}, slots={"order_number": MAYA_ORDER})
    assert outcome.slots.get("order_number", MAYA_ORDER) == MAYA_ORDER  # only the e-mail again
    assert outcome.slots["email"] is None
    assert outcome.slots["verified_order"] is None
    assert outcome.slots["failed_attempts"] == {"verification": 1}
    assert "couldn't find order STS-4829-1307" in outcome.text
    for secret in (MAYA_TRACKING, "Headphones", "Phone Case", "Maya", "UPS"):
        assert secret not in outcome.text
    assert "/request_human" not in outcome.payloads


def test_a_wrong_email_given_with_the_order_number_is_cleared(desk) -> None:
    outcome = check({"order_number": MAYA_ORDER, "email": JORDAN_EMAIL})
    assert outcome.slots["order_number"] == MAYA_ORDER  # kept: the e-mail is asked again
    assert outcome.next_slot("verify_form") == "email"
    assert outcome.slots["email"] is None
    assert outcome.slots["verified_order"] is None
    assert "couldn't find order" in outcome.text
    assert len(outcome.messages) == 1


def test_the_second_failed_verification_asks_the_order_number_again(desk) -> None:
    """Either may hold the typo: the order number is asked next, the e-mail kept for it."""
    outcome = check(
        {"email": JORDAN_EMAIL},
        slots={"order_number": MAYA_ORDER, "failed_attempts": {"verification": 1}},
    )
    assert outcome.slots["verified_order"] is None
    assert outcome.slots["order_number"] is None
    assert outcome.slots["email"] == JORDAN_EMAIL
    assert outcome.next_slot("verify_form") == "order_number"
    assert outcome.responses == ["utter_recheck_order_number"]
    for secret in (MAYA_TRACKING, "Headphones", "Maya", "UPS"):
        assert secret not in outcome.text
    again = check(
        {"order_number": MAYA_ORDER},
        slots={"email": JORDAN_EMAIL, "failed_attempts": outcome.slots["failed_attempts"]},
    )
    assert again.slots["stop_reason"] == "left_step"  # the third miss: the step is left


def test_the_third_failed_verification_stops_there_and_offers_a_person(desk) -> None:
    """The e-mail question does not go out a third time, and the order stays private."""
    failed = {"verification": 1, "verification_order": 1}
    outcome = check(
        {"email": JORDAN_EMAIL}, slots={"order_number": MAYA_ORDER, "failed_attempts": failed}
    )
    assert outcome.slots["verified_order"] is None
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.next_slot("verify_form") is None
    assert outcome.responses[-1] == "utter_verification_left"
    assert {"title": "Talk to a person", "payload": "/request_human"} in outcome.buttons


def test_the_sixth_failed_attempt_is_rate_limited_politely(desk) -> None:
    conversation = sender()
    failures = {}
    for _ in range(5):
        outcome = check(
            {"email": JORDAN_EMAIL},
            slots={"order_number": MAYA_ORDER, "failed_attempts": failures},
            sender_id=conversation,
        )
        assert "couldn't find order" in outcome.text or outcome.responses == [
            "utter_recheck_order_number"
        ]
        failures = outcome.slots["failed_attempts"]
    outcome = check(
        {"email": MAYA_EMAIL},  # even the right address now waits
        slots={"order_number": MAYA_ORDER, "failed_attempts": failures},
        sender_id=conversation,
    )
    assert outcome.slots["stop_reason"] == "support_desk"
    assert outcome.slots.get("verified_order") is None
    assert "For your security" in outcome.text and "minutes" in outcome.text
    assert "/request_human" in outcome.payloads
    assert MAYA_TRACKING not in outcome.text
    assert outcome.slots["requested_slot"] is None  # the form stops


def test_a_support_desk_that_is_down_gets_a_polite_message(desk_down) -> None:
    outcome = check({"email": MAYA_EMAIL}, slots={"order_number": MAYA_ORDER})
    assert "stop_reason" not in outcome.slots  # the step is kept: the e-mail is asked again
    assert outcome.slots["email"] is None and outcome.slots["verified_order"] is None
    assert outcome.slots.get("order_number", MAYA_ORDER) == MAYA_ORDER
    assert "can't reach our order system" in outcome.text and "kept" in outcome.text
    assert "support@example.com" in outcome.text
    assert outcome.payloads == ["/request_human"]


def test_an_email_the_support_desk_refuses_is_asked_again_and_not_kept(desk) -> None:
    too_long = "a" * 300 + "@example.com"  # parse_email stops it; here the desk must refuse it
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(FORM, {"email": too_long}, slots={"order_number": MAYA_ORDER})
    result = ValidateVerifyForm()._verify(MAYA_ORDER, too_long, dispatcher, tracker)
    assert result["email"] is None and result["verified_order"] is None
    text = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "doesn't look like an e-mail address" in text
    assert "can't reach" not in text


def test_another_order_number_is_verified_with_the_known_email(shared_desk) -> None:
    outcome = check({"order_number": "8406 5519"}, slots=verified())
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER


def test_the_verified_order_again_needs_no_new_lookup(desk_down) -> None:
    outcome = check({"order_number": "sts48291307"}, slots=verified())
    assert outcome.slots["order_number"] == MAYA_ORDER
    assert "verified_order" not in outcome.slots  # unchanged
    assert outcome.messages == []


def test_verified_order_fetches_the_order_only_once_verified(shared_desk) -> None:
    assert verified_order(make_tracker({"order_number": MAYA_ORDER, "email": MAYA_EMAIL})) is None
    order = verified_order(make_tracker(verified()))
    assert order["order_number"] == MAYA_ORDER
    assert [s["tracking_number"] for s in order["shipments"]] == [MAYA_TRACKING]


def test_the_action_is_named_after_its_form() -> None:
    assert ValidateVerifyForm().name() == "validate_verify_form"


def test_another_email_for_the_verified_order_is_checked_and_kept_if_it_matches(desk) -> None:
    slots = {"order_number": MAYA_ORDER, "verified_order": MAYA_ORDER}
    slots["verified_email"] = JORDAN_EMAIL
    outcome = check({"email": MAYA_EMAIL}, slots=slots)
    assert outcome.slots["email"] == MAYA_EMAIL and outcome.slots["verified_email"] == MAYA_EMAIL
    assert "updated your e-mail" in outcome.text


def test_another_email_that_does_not_match_keeps_the_first(desk) -> None:
    slots = {"order_number": MAYA_ORDER, "verified_order": MAYA_ORDER}
    slots["verified_email"] = MAYA_EMAIL
    outcome = check({"email": JORDAN_EMAIL}, slots=slots)
    assert outcome.slots["email"] == MAYA_EMAIL
    assert "keep using the one you gave first" in outcome.text


def test_an_unreadable_order_number_counts_once(shared_desk) -> None:
    """Said to be no order number, and asked again: one miss, not two."""
    from tests.actions.conftest import loop_event, slot_event

    history = [loop_event(FORM), slot_event("requested_slot", "order_number")]
    outcome = check({"order_number": "qwerty uiop"}, requested_slot="order_number",
                    history=history)  # fmt: skip
    assert outcome.slots["failed_attempts"] == {"order_number": 1}
    assert outcome.slots.get("stop_reason") is None


def test_an_unusable_answer_right_after_an_aside_leaves_the_step(desk) -> None:
    """The e-mail question went out, then again after an aside: an unusable answer now ends
    the step instead of a third ask."""
    from tests.actions.conftest import loop_event, user_event

    history = [
        loop_event("verify_form"),
        user_event("can't you just look it up by the order?"),
        {"event": "action", "timestamp": 0, "name": "action_answer_aside"},
    ]
    outcome = check(
        {"email": "no I don't have it"}, slots={"order_number": MAYA_ORDER}, history=history
    )
    assert outcome.slots["stop_reason"] == "left_step"
    assert (
        check({"email": "no I don't have it"}, slots={"order_number": MAYA_ORDER}).slots.get(
            "stop_reason"
        )
        is None
    )  # without the aside: asked once more


def test_an_order_number_typed_among_words_is_read(shared_desk) -> None:
    outcome = check({"order_number": "ordr 4829 1307"})
    assert outcome.slots["order_number"] == MAYA_ORDER


@pytest.mark.parametrize(
    "text",
    [
        "I don't know which email she used. can't you just look it up with the order number?",
        "no idea which one she used, sorry",
        "dunno",
    ],
)
def test_not_knowing_the_email_is_answered_and_the_question_is_not_asked_again(
    shared_desk, text: str
) -> None:
    outcome = at_email(text)
    assert outcome.responses == ["utter_email_unknown"]
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.payloads == ["/request_human"]
    assert outcome.slots.get("verified_order") is None


def test_an_email_given_with_a_doubt_is_still_checked(shared_desk) -> None:
    outcome = check(
        {"email": MAYA_EMAIL},
        slots={"order_number": MAYA_ORDER},
        requested_slot="email",
        text=f"not sure which email, maybe {MAYA_EMAIL}",
    )
    assert outcome.slots["verified_order"] == MAYA_ORDER


def test_an_order_number_inside_a_request_it_cannot_serve_leaves_the_step(shared_desk) -> None:
    text = f"I want to take the flash off order {MAYA_ORDER} and get my money back before pickup"
    outcome = check({"order_number": MAYA_ORDER}, requested_slot="order_number", text=text)
    assert outcome.slots["order_number"] == MAYA_ORDER  # kept for a later task
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.slots.get("verified_order") is None
    assert outcome.responses[0] == "utter_help_center_answer"
    assert "e-mail address did you use" not in outcome.text  # nothing more is asked


def test_another_orders_number_inside_a_request_it_cannot_serve_is_not_kept(shared_desk) -> None:
    """ "before that - can you cancel my other order STS-…?": not the order the claim is for."""
    text = f"before that - can you cancel my other order {MAYA_ORDER}? I don't need it anymore"
    outcome = check({"order_number": MAYA_ORDER}, requested_slot="order_number", text=text)
    assert outcome.slots["order_number"] is None
    assert outcome.slots["stop_reason"] == "left_step"


def test_an_order_number_given_with_a_where_question_is_no_other_matter(shared_desk) -> None:
    text = f"where is my order {MAYA_ORDER}? it was meant to be at the store"
    outcome = check({"order_number": MAYA_ORDER}, requested_slot="order_number", text=text)
    assert outcome.slots["order_number"] == MAYA_ORDER
    assert outcome.slots.get("stop_reason") is None


def test_trouble_signing_in_at_the_email_question_is_no_unknown_address(shared_desk) -> None:
    text = "btw I can't log in to my account, it says my password is wrong. can you reset it?"
    outcome = at_email(text)
    assert "utter_email_unknown" not in outcome.responses
    assert outcome.slots.get("stop_reason") is None


def test_a_request_asked_at_the_email_question_is_no_address(shared_desk) -> None:
    text = "actually, can you just cancel it? the kit is taking forever and I found one locally"
    outcome = at_email(text, intent="stop")
    assert "doesn't look like an e-mail" not in outcome.text
    assert outcome.slots.get("email") is None


def test_someone_elses_plan_to_get_in_touch_is_no_request_for_a_person(shared_desk) -> None:
    text = "I don't know which email she used, I'll have her contact you herself"
    outcome = at_email(text, intent="request_human")
    assert outcome.responses == ["utter_email_unknown"]
    assert outcome.slots["stop_reason"] == "left_step"
