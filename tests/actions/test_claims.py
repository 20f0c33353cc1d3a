"""Steps 2 and 3: the claim form's validation, its questions, the summary and filing the claim."""

from __future__ import annotations

from typing import Any

import pytest

from actions.claims import (
    CLAIM_SLOTS,
    ActionAskClaimConfirmed,
    ActionAskItemQuantity,
    ActionAskMissingItems,
    ActionAskTrackingNumber,
    ActionShowFiledClaim,
    ActionStartClaim,
    ActionSubmitClaim,
    ValidateClaimForm,
    idempotency_key,
)
from actions.common import client
from actions.formatting import day
from tests.actions.conftest import (
    FORM_STARTED_AT,
    JORDAN_EMAIL,
    JORDAN_LAPTOP,
    JORDAN_SPLIT,
    MAYA_CLAIMED_ORDER,
    MAYA_EMAIL,
    MAYA_NOT_AT_STORE,
    MAYA_ORDER,
    MAYA_TRACKING,
    bot_event,
    desk_get,
    handoffs,
    loop_event,
    make_tracker,
    run,
    sender,
    user_event,
    validate,
    verified,
)

FORM = "claim_form"
HEADPHONES = {"line_id": f"{MAYA_ORDER}-L1", "name": "Wireless Over-Ear Headphones"}
CASE = {"line_id": f"{MAYA_ORDER}-L2", "name": "Clear Phone Case"}
DESCRIPTION = "The box was sealed but only one phone case was inside."


def check(candidates: dict, slots: dict | None = None, **kwargs: Any):
    return validate(ValidateClaimForm(), FORM, candidates, slots=slots, **kwargs)


def maya(**more: Any) -> dict[str, Any]:
    return verified(**more)


def ready_to_file(**more: Any) -> dict[str, Any]:
    """A claim form filled in for one missing phone case on Maya's order."""
    filled = {
        "tracking_number": MAYA_TRACKING,
        "missing_items": [{**CASE, "quantity": 1}],
        "item_quantity": "1",
        "description": DESCRIPTION,
        "claim_confirmed": True,
    }
    return maya(**{**filled, **more})


def claim_tracker(slots: dict[str, Any], conversation: str | None = None, started=FORM_STARTED_AT):
    """The tracker action_submit_claim sees: the form's run, its messages, and its end."""
    events = [
        user_event("some items are missing from my order"),
        loop_event(FORM, started),
        bot_event("What is your order number?"),
        user_event("yes"),
        loop_event(None, started + 30),
    ]
    return make_tracker(slots, text="yes", intent="affirm", events=events, sender_id=conversation)


# Order and e-mail --------------------------------------------------------------------------------


def test_an_order_not_yet_at_the_store_stops_the_claim_form(shared_desk) -> None:
    outcome = check({"order_number": "6230-0958"}, slots={"email": MAYA_EMAIL})
    assert outcome.slots["verified_order"] == MAYA_NOT_AT_STORE
    assert outcome.slots["stop_reason"] == "not_at_store"
    assert outcome.slots["requested_slot"] is None
    assert "hasn't reached the store yet" in outcome.text and "UPS" in outcome.text
    assert "no claim to open" in outcome.text


def test_an_order_whose_items_are_all_claimed_stops_the_form(desk) -> None:
    client().create_claim(
        MAYA_CLAIMED_ORDER,
        MAYA_EMAIL,
        [{"line_id": f"{MAYA_CLAIMED_ORDER}-L1", "quantity": 2}],
        "Both lipsticks were missing from the bag.",
        idempotency_key=sender(),
    )
    outcome = check({"email": MAYA_EMAIL}, slots={"order_number": MAYA_CLAIMED_ORDER})
    assert outcome.slots["stop_reason"] == "nothing_to_claim"
    assert outcome.slots["requested_slot"] is None
    assert "CLM-000001" in outcome.text and "CLM-000002" in outcome.text
    assert outcome.payloads == ["/check_claim_status"]


def test_a_verified_order_goes_on_to_the_tracking_number(shared_desk) -> None:
    outcome = check({"email": MAYA_EMAIL}, slots={"order_number": MAYA_ORDER})
    assert outcome.slots["verified_order"] == MAYA_ORDER
    assert outcome.slots.get("stop_reason") is None
    assert outcome.next_slot(FORM) == "tracking_number"


def test_another_order_forgets_what_was_collected_for_the_first(shared_desk) -> None:
    collected = maya(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])
    outcome = check(
        {"order_number": JORDAN_SPLIT},
        slots={**collected, "email": JORDAN_EMAIL},
        text=JORDAN_SPLIT,
    )
    assert outcome.slots["verified_order"] == JORDAN_SPLIT
    assert outcome.slots["tracking_number"] is None
    assert outcome.slots["missing_items"] is None
    assert outcome.next_slot(FORM) == "tracking_number"


# Tracking number ---------------------------------------------------------------------------------


def test_yes_to_the_only_package_fills_its_tracking_number(shared_desk) -> None:
    outcome = check({}, slots=maya(), requested_slot="tracking_number", text="yes", intent="affirm")
    assert outcome.slots["tracking_number"] == MAYA_TRACKING
    assert outcome.messages == []
    assert outcome.next_slot(FORM) == "missing_items"


def test_a_yes_with_more_words_to_the_only_package_fills_it(shared_desk) -> None:
    outcome = check(
        {}, slots=maya(), requested_slot="tracking_number", text="yes, the one I picked up"
    )
    assert outcome.slots["tracking_number"] == MAYA_TRACKING


def test_a_typed_tracking_number_with_spaces_is_accepted(shared_desk) -> None:
    outcome = check({"tracking_number": "1z4e 82a7 0362 8155 96"}, slots=maya())
    assert outcome.slots["tracking_number"] == MAYA_TRACKING


def test_a_wrong_check_digit_is_asked_again_with_the_formats(shared_desk) -> None:
    outcome = check({"tracking_number": "1Z4E82A70362815597"}, slots=maya())
    assert outcome.slots["tracking_number"] is None
    assert "doesn't look like a valid tracking number" in outcome.text
    assert "UPS numbers start with 1Z" in outcome.text and "FedEx" in outcome.text
    assert "USPS" in outcome.text
    assert outcome.next_slot(FORM) == "tracking_number"


def test_a_valid_number_of_another_order_is_asked_again(shared_desk) -> None:
    outcome = check({"tracking_number": "1Z7A19F40355104429"}, slots=maya())
    assert outcome.slots["tracking_number"] is None
    assert "valid UPS number, but it isn't one of this order's packages" in outcome.text
    assert MAYA_TRACKING in outcome.text  # the order's own package, to compare with


def test_the_second_wrong_tracking_number_is_not_asked_a_third_time(desk) -> None:
    """The form ends with what it collected kept; a person is offered, never forced."""
    outcome = check(
        {"tracking_number": "12345"},
        slots=maya(failed_attempts={"tracking_number": 1}),
    )
    assert outcome.slots["tracking_number"] is None
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.next_slot(FORM) is None
    assert outcome.responses[-1] == "utter_left_step"
    assert "/request_human" in outcome.payloads
    assert handoffs(desk) == []


def test_no_to_the_offered_package_asks_for_the_label_once(shared_desk) -> None:
    outcome = check({}, slots=maya(), requested_slot="tracking_number", text="no", intent="deny")
    assert outcome.slots.get("tracking_number") is None
    assert outcome.next_slot(FORM) == "tracking_number"
    assert outcome.slots["tracking_declined"] is True
    assert outcome.messages == []  # the question comes from the ask action, once
    asked = run(ActionAskTrackingNumber(), make_tracker(maya(tracking_declined=True)))
    assert asked.responses == ["utter_ask_tracking_number_typed"]
    assert asked.buttons == []  # no second yes/no about the same package


def test_naming_the_items_at_the_package_question_means_that_package(shared_desk) -> None:
    outcome = check(
        {}, slots=maya(), requested_slot="tracking_number", text="the headphones", intent="inform"
    )
    assert outcome.slots["tracking_number"] == MAYA_TRACKING
    assert outcome.slots["missing_items"] == [{**HEADPHONES, "quantity": 1}]
    assert outcome.next_slot(FORM) == "description"


def test_the_package_of_a_split_shipment_is_picked_by_number(shared_desk) -> None:
    outcome = check({"tracking_number": "781246930512"}, slots=verified(JORDAN_SPLIT, JORDAN_EMAIL))
    assert outcome.slots["tracking_number"] == "781246930512"


def test_ask_tracking_number_offers_the_only_package(shared_desk) -> None:
    outcome = run(ActionAskTrackingNumber(), make_tracker(maya()))
    assert f"The package at the store is UPS {MAYA_TRACKING}" in outcome.text
    assert "picked up" not in outcome.text  # nothing assumes a pickup
    assert outcome.payloads == ["/affirm", "/deny"]


def test_ask_tracking_number_offers_only_the_package_at_the_store(shared_desk) -> None:
    outcome = run(ActionAskTrackingNumber(), make_tracker(verified(JORDAN_SPLIT, JORDAN_EMAIL)))
    assert "FedEx 781246930512" in outcome.text
    assert "94001112062138594462" not in outcome.text  # the USPS package is still on its way
    assert outcome.payloads == ["/affirm", "/deny"]


# Missing items -----------------------------------------------------------------------------------


def items_outcome(text: str, slots: dict | None = None):
    return check({"missing_items": text}, slots=slots or maya(tracking_number=MAYA_TRACKING))


def test_the_headphones_match_the_order_line(shared_desk) -> None:
    outcome = items_outcome("the headphones")
    assert outcome.slots["missing_items"] == [{**HEADPHONES, "quantity": 1}]
    assert outcome.slots["pending_item"] is None
    assert outcome.next_slot(FORM) == "description"
    assert outcome.messages == []


def test_a_number_in_the_text_gives_the_quantity(shared_desk) -> None:
    outcome = items_outcome("2 phone cases")
    assert outcome.slots["missing_items"] == [{**CASE, "quantity": 2}]
    assert outcome.next_slot(FORM) == "description"


def test_a_line_with_several_units_and_no_number_asks_how_many(shared_desk) -> None:
    outcome = items_outcome("the phone case")
    assert outcome.slots["missing_items"] == []
    assert outcome.slots["pending_item"] == [{**CASE, "max": 2}]
    assert outcome.next_slot(FORM) == "item_quantity"


def test_several_items_in_one_message(shared_desk) -> None:
    outcome = items_outcome("the headphones and the phone case")
    assert outcome.slots["missing_items"] == [{**HEADPHONES, "quantity": 1}]
    assert outcome.slots["pending_item"] == [{**CASE, "max": 2}]
    assert outcome.next_slot(FORM) == "item_quantity"


def test_everything_claims_every_unit(shared_desk) -> None:
    outcome = items_outcome("everything")
    assert [(i["name"], i["quantity"]) for i in outcome.slots["missing_items"]] == [
        ("Wireless Over-Ear Headphones", 1),
        ("Clear Phone Case", 2),
        ("USB-C Charging Cable (3-pack)", 1),
    ]


def test_more_units_than_ordered_are_explained_and_how_many_asked(shared_desk) -> None:
    outcome = items_outcome("3 phone cases")
    assert outcome.slots["missing_items"] == []
    assert outcome.slots["pending_item"] == [{**CASE, "max": 2}]
    assert "between 1 and 2 × Clear Phone Case, not 3" in outcome.text
    assert outcome.next_slot(FORM) == "item_quantity"


def test_something_not_on_the_order_lists_the_items(shared_desk) -> None:
    outcome = items_outcome("a toaster")
    assert outcome.slots["missing_items"] is None
    assert "couldn't match that" in outcome.text
    for name in ("Wireless Over-Ear Headphones", "Clear Phone Case", "USB-C Charging Cable"):
        assert name in outcome.text


def test_an_item_already_claimed_is_explained(shared_desk) -> None:
    outcome = items_outcome("the makeup brush set", slots=verified(MAYA_CLAIMED_ORDER))
    assert outcome.slots["missing_items"] is None
    assert "Makeup Brush Set is already part of CLM-000001" in outcome.text


def test_the_item_still_in_transit_is_not_claimable(shared_desk) -> None:
    order = client().lookup_order(JORDAN_SPLIT, JORDAN_EMAIL)
    moving = next(s for s in order["shipments"] if not s["received_by_store"])
    expected = day(moving["expected_at"], order["pickup_store"]["time_zone"])
    outcome = items_outcome("the yoga mat", slots=verified(JORDAN_SPLIT, JORDAN_EMAIL))
    assert outcome.slots["stop_reason"] == "in_transit"
    assert outcome.slots["missing_items"] is None
    assert outcome.slots["requested_slot"] is None
    assert "Non-Slip Yoga Mat is in a separate package that is still on its way" in outcome.text
    assert f"expected {expected}" in outcome.text
    assert outcome.responses == ["utter_nothing_to_claim_yet"]


def test_the_item_in_transit_is_left_out_of_a_claim_for_the_others(shared_desk) -> None:
    outcome = items_outcome(
        "the yoga mat and 1 water bottle", slots=verified(JORDAN_SPLIT, JORDAN_EMAIL)
    )
    assert outcome.slots.get("stop_reason") is None
    assert outcome.slots["missing_items"] == [
        {"line_id": f"{JORDAN_SPLIT}-L1", "name": "Stainless Steel Water Bottle", "quantity": 1}
    ]
    assert "still on its way" in outcome.text


def test_ask_missing_items_offers_the_claimable_lines(shared_desk) -> None:
    outcome = run(ActionAskMissingItems(), make_tracker(maya()))
    assert "Which items are missing?" in outcome.text
    assert outcome.buttons == [
        {"title": "Wireless Over-Ear Headphones (1)", "payload": "Wireless Over-Ear Headphones"},
        {"title": "Clear Phone Case (2)", "payload": "Clear Phone Case"},
        {"title": "USB-C Charging Cable (3-pack) (1)", "payload": "USB-C Charging Cable (3-pack)"},
    ]


def test_ask_missing_items_leaves_out_what_cannot_be_claimed(shared_desk) -> None:
    outcome = run(ActionAskMissingItems(), make_tracker(verified(JORDAN_SPLIT, JORDAN_EMAIL)))
    assert [b["payload"] for b in outcome.buttons] == ["Stainless Steel Water Bottle"]


# Quantity ----------------------------------------------------------------------------------------


def quantity_outcome(text: str, chosen: list | None = None):
    return check(
        {"item_quantity": text},
        slots=maya(
            tracking_number=MAYA_TRACKING,
            missing_items=chosen or [],
            pending_item=[{**CASE, "max": 2}],
        ),
    )


@pytest.mark.parametrize(("typed", "quantity"), [("1", 1), ("just one", 1), ("both", 2), ("2", 2)])
def test_the_quantity_question_is_answered(shared_desk, typed: str, quantity: int) -> None:
    outcome = quantity_outcome(typed, chosen=[{**HEADPHONES, "quantity": 1}])
    assert outcome.slots["missing_items"] == [
        {**HEADPHONES, "quantity": 1},
        {**CASE, "quantity": quantity},
    ]
    assert outcome.slots["pending_item"] is None
    assert outcome.slots["item_quantity"] == str(quantity)
    assert outcome.next_slot(FORM) == "description"


@pytest.mark.parametrize("typed", ["7", "0", "a few"])
def test_an_impossible_quantity_is_asked_again(shared_desk, typed: str) -> None:
    outcome = quantity_outcome(typed)
    assert outcome.slots["item_quantity"] is None
    assert "Please tell me a number from 1 to 2." in outcome.text
    assert outcome.next_slot(FORM) == "item_quantity"
    assert "missing_items" not in outcome.slots or outcome.slots["missing_items"] == []


def test_the_next_pending_item_is_asked_after_the_first(shared_desk) -> None:
    bottle = {"line_id": f"{JORDAN_SPLIT}-L1", "name": "Stainless Steel Water Bottle", "max": 2}
    other = {"line_id": "X-L9", "name": "Something", "max": 3}
    outcome = check(
        {"item_quantity": "2"},
        slots=verified(
            JORDAN_SPLIT,
            JORDAN_EMAIL,
            tracking_number="781246930512",
            missing_items=[],
            pending_item=[bottle, other],
        ),
    )
    assert outcome.slots["missing_items"] == [
        {"line_id": bottle["line_id"], "name": bottle["name"], "quantity": 2}
    ]
    assert outcome.slots["pending_item"] == [other]
    assert outcome.slots["item_quantity"] is None
    assert outcome.next_slot(FORM) == "item_quantity"


def test_ask_item_quantity_offers_the_possible_numbers(desk_down) -> None:
    outcome = run(ActionAskItemQuantity(), make_tracker({"pending_item": [{**CASE, "max": 2}]}))
    assert outcome.text == "How many Clear Phone Case are missing?"
    assert outcome.payloads == ["1", "2"]


# Description and confirmation --------------------------------------------------------------------


def description_slots() -> dict[str, Any]:
    return maya(tracking_number=MAYA_TRACKING, missing_items=[{**CASE, "quantity": 1}])


def test_a_description_that_is_too_short_is_asked_again_once(shared_desk) -> None:
    outcome = check({"description": "gone"}, slots=description_slots())
    assert outcome.slots["description"] is None
    assert "A few more words would help" in outcome.text and "For example" not in outcome.text
    assert 'for example: "' in outcome.text
    assert outcome.next_slot(FORM) == "description"
    again = check({"description": "gone"}, slots={**description_slots(), **outcome.slots})
    assert again.slots["description"] == "gone"  # the second answer is taken as it is
    assert again.next_slot(FORM) == "claim_confirmed"


def test_a_description_is_kept_with_its_spaces_tidied(shared_desk) -> None:
    outcome = check(
        {"description": "  The box was sealed,\n  one case missing. "}, slots=description_slots()
    )
    assert outcome.slots["description"] == "The box was sealed, one case missing."
    assert outcome.next_slot(FORM) == "claim_confirmed"


def test_a_description_that_is_too_long_is_kept_to_2000_characters(shared_desk) -> None:
    outcome = check({"description": "missing " * 300}, slots=description_slots())
    assert len(outcome.slots["description"]) == 2000
    assert outcome.next_slot(FORM) == "claim_confirmed"


@pytest.mark.parametrize("answer", [True, False])
def test_the_confirmation_ends_the_form(shared_desk, answer: bool) -> None:
    slots = {**description_slots(), "description": DESCRIPTION}
    outcome = check({"claim_confirmed": answer}, slots=slots, intent="affirm" if answer else "deny")
    assert outcome.slots["claim_confirmed"] is answer
    assert outcome.slots["requested_slot"] is None


def test_the_summary_shows_the_refund_from_the_quote(shared_desk) -> None:
    outcome = run(ActionAskClaimConfirmed(), make_tracker(ready_to_file(claim_confirmed=None)))
    text = outcome.text
    assert f"• Order: {MAYA_ORDER}" in text
    assert f"• Package: {MAYA_TRACKING}" in text
    assert "• Missing: 1 × Clear Phone Case" in text
    assert "• Refund: $13.50 to your original payment method" in text
    assert f'"{DESCRIPTION}"' in text
    assert outcome.payloads == ["/affirm", "/deny"]
    assert outcome.events == []


def test_the_summary_for_items_claimed_meanwhile_stops(shared_desk) -> None:
    slots = verified(
        MAYA_CLAIMED_ORDER,
        missing_items=[{"line_id": f"{MAYA_CLAIMED_ORDER}-L2", "name": "x", "quantity": 1}],
    )
    outcome = run(ActionAskClaimConfirmed(), make_tracker(slots))
    assert outcome.slots == {"stop_reason": "conflict"}
    assert "just been claimed" in outcome.text


def test_the_summary_when_the_support_desk_is_down(desk_down) -> None:
    outcome = run(ActionAskClaimConfirmed(), make_tracker(ready_to_file(claim_confirmed=None)))
    assert outcome.slots == {"stop_reason": "support_desk"}
    assert "/request_human" in outcome.payloads


# Filing ------------------------------------------------------------------------------------------


def test_a_confirmed_claim_is_filed(desk) -> None:
    conversation = sender()
    outcome = run(ActionSubmitClaim(), claim_tracker(ready_to_file(), conversation))
    number = outcome.slots["claim_number"]
    assert number == "CLM-000002"
    assert all(outcome.slots[slot] is None for slot in CLAIM_SLOTS)
    assert f"I've filed claim {number} for 1 × Clear Phone Case" in outcome.text
    assert "partial refund of $13.50 is approved" in outcome.text
    port = desk.url.rsplit(":", 1)[1]
    assert f":{port}/upload/" in outcome.text  # the signed evidence upload link

    claim = desk_get(desk, f"/api/v1/claims/{number}")
    assert claim["order_number"] == MAYA_ORDER
    assert claim["status"] == "approved"
    assert claim["refund_amount"] == "13.50"
    assert claim["items"][0]["line_id"] == CASE["line_id"] and claim["items"][0]["quantity"] == 1
    assert claim["tracking_number"] == MAYA_TRACKING
    assert claim["description"] == DESCRIPTION
    assert claim["conversation_id"] == conversation
    assert claim["channel"] == "rest"


def test_a_repeated_yes_after_filing_shows_the_claim_and_files_nothing(shared_desk) -> None:
    slots = verified(MAYA_CLAIMED_ORDER, claim_number="CLM-000001")
    outcome = run(ActionShowFiledClaim(), make_tracker(slots))
    assert "nothing new was filed" in outcome.text and "CLM-000001" in outcome.text
    assert outcome.events == []


def test_a_repeated_yes_never_shows_a_claim_of_another_order(shared_desk) -> None:
    slots = verified(MAYA_ORDER, claim_number="CLM-000001")  # typed: not this order's claim
    outcome = run(ActionShowFiledClaim(), make_tracker(slots))
    assert "CLM-000001" not in outcome.text
    assert outcome.responses == ["utter_what_else"]


def test_a_yes_after_filing_failed_files_it_now(desk) -> None:
    outcome = run(ActionShowFiledClaim(), claim_tracker(ready_to_file(), sender()))
    assert outcome.slots["claim_number"] == "CLM-000002"
    assert "I've filed claim CLM-000002" in outcome.text


def test_filing_twice_with_the_same_tracker_gives_the_same_claim(desk) -> None:
    tracker_slots, conversation = ready_to_file(), sender()
    first = run(ActionSubmitClaim(), claim_tracker(tracker_slots, conversation))
    second = run(ActionSubmitClaim(), claim_tracker(tracker_slots, conversation))
    assert first.slots["claim_number"] == second.slots["claim_number"] == "CLM-000002"
    assert "I've filed claim CLM-000002" in second.text
    claims = desk_get(desk, "/api/v1/claims", order_number=MAYA_ORDER)["claims"]
    assert [c["claim_number"] for c in claims] == ["CLM-000002"]


def test_the_idempotency_key_is_one_per_run_of_the_form() -> None:
    conversation = sender()
    first = claim_tracker(ready_to_file(), conversation, started=100.5)
    again = claim_tracker(ready_to_file(), conversation, started=100.5)
    later = claim_tracker(ready_to_file(), conversation, started=200.5)
    assert idempotency_key(first) == idempotency_key(again) == f"{conversation}:claim_form:100.5"
    assert idempotency_key(later) != idempotency_key(first)


def test_no_to_the_summary_files_nothing(desk) -> None:
    outcome = run(ActionSubmitClaim(), claim_tracker(ready_to_file(claim_confirmed=False)))
    assert outcome.responses == ["utter_claim_not_filed"]
    assert all(outcome.slots[slot] is None for slot in CLAIM_SLOTS)
    assert "claim_number" not in outcome.slots
    assert desk_get(desk, "/api/v1/claims", order_number=MAYA_ORDER)["claims"] == []


def test_a_stopped_form_files_nothing(desk) -> None:
    outcome = run(ActionSubmitClaim(), claim_tracker(ready_to_file(stop_reason="in_transit")))
    assert outcome.messages == []
    assert outcome.slots["stop_reason"] is None
    assert desk_get(desk, "/api/v1/claims", order_number=MAYA_ORDER)["claims"] == []


def test_an_item_already_claimed_names_the_existing_claim(desk) -> None:
    slots = verified(
        MAYA_CLAIMED_ORDER,
        tracking_number="1Z0F31V20344772012",
        missing_items=[
            {"line_id": f"{MAYA_CLAIMED_ORDER}-L2", "name": "Makeup Brush Set", "quantity": 1}
        ],
        description="The brush set was not in the bag at all.",
        claim_confirmed=True,
    )
    outcome = run(ActionSubmitClaim(), claim_tracker(slots))
    assert "already part of claim CLM-000001" in outcome.text
    assert outcome.payloads == ["/check_claim_status"]
    assert outcome.slots["claim_number"] == "CLM-000001"
    claims = desk_get(desk, "/api/v1/claims", order_number=MAYA_CLAIMED_ORDER)["claims"]
    assert [c["claim_number"] for c in claims] == ["CLM-000001"]


def test_a_high_value_claim_goes_to_review_and_to_a_person(desk) -> None:
    conversation = sender()
    slots = verified(
        JORDAN_LAPTOP,
        JORDAN_EMAIL,
        tracking_number="402237865418",
        missing_items=[
            {"line_id": f"{JORDAN_LAPTOP}-L1", "name": "14in Ultrabook Laptop", "quantity": 1}
        ],
        description="The laptop box was in the bag but it was empty.",
        claim_confirmed=True,
    )
    outcome = run(ActionSubmitClaim(), claim_tracker(slots, conversation))
    number = outcome.slots["claim_number"]
    claim = desk_get(desk, f"/api/v1/claims/{number}")
    assert claim["status"] == "in_review"
    assert "needs a quick review by our support team" in outcome.text
    assert "limit" not in outcome.text  # the policy's reason is for agents only
    assert f"refund of ${claim['refund_amount']}" in outcome.text
    assert isinstance(outcome.slots["handoff_id"], float)
    assert f"reference H-{int(outcome.slots['handoff_id'])}" in outcome.text

    [handoff] = handoffs(desk)
    assert handoff["id"] == outcome.slots["handoff_id"]
    assert handoff["conversation_id"] == conversation
    assert number in handoff["reason"] and "in review" in handoff["reason"]
    assert "What is your order number?" in handoff["transcript"]
    assert JORDAN_LAPTOP in handoff["details"]


def test_filing_when_the_support_desk_is_down_keeps_the_details(desk_down) -> None:
    outcome = run(ActionSubmitClaim(), claim_tracker(ready_to_file()))
    assert outcome.events == []  # the slots stay for another try
    assert "can't reach our order system" in outcome.text
    assert outcome.payloads == ["/request_human"]


def test_a_second_claim_on_another_order_asks_for_its_own_package(desk) -> None:
    conversation = sender()
    slots = ready_to_file()
    filed = run(ActionSubmitClaim(), claim_tracker(slots, conversation))
    slots.update(filed.slots)  # what Rasa keeps after the first claim
    outcome = check({"order_number": MAYA_CLAIMED_ORDER}, slots=slots, sender_id=conversation)
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    assert outcome.next_slot(FORM) == "tracking_number"  # not the first order's package


@pytest.mark.parametrize(
    "text",
    [
        "the lamp wasn't in the bag",
        "my order is incomplete",
        "only got 2 of the 3 chairs",
        "half my stuff is not here",
        "got everything except the rug",
        "the kettle is msising",
    ],
)
def test_a_report_that_says_something_is_short_starts_the_claim_form(text: str) -> None:
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "claim_form"}]
    assert outcome.messages == []


@pytest.mark.parametrize(
    "text", ["the lamp shade arrived bent", "the cashier was so slow today", "is the fan loud"]
)
def test_a_report_that_says_nothing_is_short_gets_its_topic_and_no_form(text: str) -> None:
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert outcome.responses[0].startswith("utter_out_of_scope/")
    assert "/report_missing_item" in outcome.payloads  # one tap if it was a missing item


@pytest.mark.parametrize(
    "text",
    [
        "I ordered pearl earrings last Tuesday. Any idea when they'll get to the Riverside branch?",
        "Did my outdoor pizza oven ship yet?",
    ],
)
def test_a_report_that_asks_when_the_order_arrives_tracks_it(desk, text: str) -> None:
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert outcome.followups == ["verify_form"]
    assert outcome.messages == []


def test_the_missing_items_button_always_starts_the_form() -> None:
    tracker = make_tracker(text="/report_missing_item", intent="report_missing_item")
    outcome = run(ActionStartClaim(), tracker)
    assert outcome.events[0]["name"] == "claim_form"


def test_in_another_form_a_report_with_nothing_short_goes_back_to_that_form() -> None:
    """ "not sure of the number, order is STS-…" at the claim number question is its answer."""
    tracker = make_tracker(
        {"requested_slot": "claim_number"},
        text="not sure of the number, order is STS-5168-9034",
        intent="report_missing_item",
        active_loop="claim_status_form",
    )
    outcome = run(ActionStartClaim(), tracker)
    assert outcome.events == [{"event": "followup", "timestamp": None, "name": "claim_status_form"}]
    assert outcome.messages == []


def test_a_missing_item_told_of_a_claim_made_before_asks_its_status(desk) -> None:
    from actions.claims import ActionStartClaim

    text = "I filed a claim for missing goggles 10 days ago and heard nothing"
    outcome = run(ActionStartClaim(), make_tracker(text=text, intent="report_missing_item"))
    assert outcome.followups == ["claim_status_form"]
