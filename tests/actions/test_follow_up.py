"""Step 4: a claim's status, by claim number or for the order, and the evidence upload link."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from PIL import Image

from actions.follow_up import (
    ActionClaimStatus,
    ActionEvidenceLink,
    ValidateClaimStatusForm,
    ValidateSlotMappings,
)
from tests.actions.conftest import (
    JORDAN_EMAIL,
    JORDAN_READY,
    MAYA_CLAIMED_ORDER,
    MAYA_EMAIL,
    MAYA_ORDER,
    make_tracker,
    run,
    validate,
    verified,
)

FORM = "claim_status_form"
CLAIM = "CLM-000001"  # Maya's claim for the Makeup Brush Set on STS-8406-5519


def check(candidates: dict, slots: dict | None = None, **kwargs: Any):
    return validate(ValidateClaimStatusForm(), FORM, candidates, slots=slots, **kwargs)


def status(slots: dict[str, Any]):
    return run(ActionClaimStatus(), make_tracker(slots, text="status of my claim"))


def test_a_claim_number_is_normalised(desk_down) -> None:
    outcome = check({"claim_number": "clm 1"})
    assert outcome.slots["claim_number"] == CLAIM
    assert outcome.messages == []
    assert outcome.next_slot(FORM) == "email"


def test_no_claim_number_asks_for_the_order_number_instead(desk_down) -> None:
    outcome = check({"claim_number": "I never got a number I think"})
    assert outcome.slots["claim_number"] is None
    assert outcome.slots["status_by_order"] is True
    assert outcome.responses == ["utter_status_by_order"]
    assert outcome.next_slot(FORM) == "order_number"


@pytest.mark.parametrize(
    "text",
    [
        "not sure of the number, can you look it up with my order?",
        "I don't have it, can you look it up with the order number?",
    ],
)
def test_a_question_that_says_the_number_is_unknown_asks_for_the_order(desk_down, text) -> None:
    outcome = check({}, requested_slot="claim_number", text=text, intent="out_of_scope")
    assert outcome.slots["status_by_order"] is True
    assert outcome.responses == ["utter_status_by_order"]
    assert outcome.next_slot(FORM) == "order_number"


def test_no_claim_number_uses_the_verified_order(desk_down) -> None:
    slots = {"verified_order": MAYA_CLAIMED_ORDER, "email": MAYA_EMAIL}
    outcome = check({"claim_number": "I don't know"}, slots=slots)
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
    assert outcome.next_slot(FORM) is None  # the order's claims are shown


def test_the_order_number_question_explains_the_format_or_takes_a_claim_number(desk_down) -> None:
    slots = {"status_by_order": True, "requested_slot": "order_number"}
    wrong = check({"order_number": "my claim"}, slots=slots)
    assert wrong.slots["order_number"] is None and "STS-1234-5678" in wrong.text
    claim = check({"order_number": "clm 1"}, slots=slots)
    assert claim.slots["claim_number"] == CLAIM and claim.slots["status_by_order"] is None


def test_the_claims_email_verifies_it_and_the_status_shows_its_history(shared_desk) -> None:
    outcome = check({"email": "Maya.Chen@example.com"}, slots={"claim_number": CLAIM})
    assert outcome.slots["email"] == MAYA_EMAIL
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
    assert outcome.messages == []
    assert outcome.next_slot(FORM) is None

    shown = status({"claim_number": CLAIM, **outcome.slots})
    assert len(shown.messages) == 1
    text = shown.text
    assert f"Claim {CLAIM} (order {MAYA_CLAIMED_ORDER}) for 1 × Makeup Brush Set" in text
    assert "refund $" in text
    assert "History: " in text
    # The claim shown is remembered, with its photo count, to acknowledge new photos later.
    assert shown.events == [
        slot_set("claim_number", CLAIM),
        slot_set("evidence_seen", 0.0),
        slot_set("claim_status_seen", "approved"),
    ]


def test_the_wrong_email_shows_nothing_and_asks_again(desk) -> None:
    outcome = check({"email": JORDAN_EMAIL}, slots={"claim_number": CLAIM})
    assert outcome.slots["claim_number"] is None
    assert outcome.slots["email"] is None
    assert outcome.slots["verified_order"] is None
    assert outcome.slots["order_number"] is None
    assert outcome.slots["failed_attempts"] == {"verification": 1}
    assert "couldn't find that claim or order with that e-mail address" in outcome.text
    for secret in ("Makeup Brush", MAYA_CLAIMED_ORDER, "approved", "review"):
        assert secret not in outcome.text
    assert outcome.next_slot(FORM) == "claim_number"


def test_an_unknown_claim_gets_the_same_answer_as_a_wrong_email(shared_desk) -> None:
    outcome = check({"email": MAYA_EMAIL}, slots={"claim_number": "CLM-999999"})
    assert outcome.slots["claim_number"] is None
    assert "couldn't find that claim or order with that e-mail address" in outcome.text


def test_an_order_number_instead_of_a_claim_number_asks_for_the_orders_email(desk_down) -> None:
    outcome = check({"claim_number": "sts84065519"})
    assert outcome.slots["claim_number"] is None
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
    assert outcome.slots["verified_order"] is None
    assert outcome.messages == []
    assert outcome.next_slot(FORM) == "email"


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("I don't have the number handy, it's the one on order STS-8406-5519", True),
        ("can I cancel my other order STS-8406-5519?", False),
    ],
)
def test_an_order_number_in_a_message_read_as_out_of_scope(desk_down, text, taken) -> None:
    """The identifier asked for is the answer, unless the message asks something else."""
    entities = [{"entity": "order_number", "value": "STS-8406-5519"}]
    outcome = check(
        {}, requested_slot="claim_number", text=text, intent="out_of_scope", entities=entities
    )
    assert (outcome.slots.get("order_number") == MAYA_CLAIMED_ORDER) is taken


def test_the_status_for_an_order_lists_its_claims(shared_desk) -> None:
    outcome = check({"email": MAYA_EMAIL}, slots={"order_number": MAYA_CLAIMED_ORDER})
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    assert outcome.next_slot(FORM) is None
    shown = status({"order_number": MAYA_CLAIMED_ORDER, **outcome.slots})
    assert f"Claim {CLAIM}" in shown.text and "History: " in shown.text


def test_an_order_without_claims_offers_to_report_missing_items(shared_desk) -> None:
    shown = status(verified(MAYA_ORDER))
    assert f"There are no claims on order {MAYA_ORDER} yet" in shown.text
    assert shown.payloads == ["/report_missing_item"]


def test_a_claim_of_another_order_is_never_shown(shared_desk) -> None:
    shown = status(verified(JORDAN_READY, JORDAN_EMAIL, claim_number=CLAIM))
    assert CLAIM not in shown.text and "Makeup Brush" not in shown.text
    assert f"no claims on order {JORDAN_READY}" in shown.text


def test_the_status_before_verification_asks_for_the_claim_number(desk_down) -> None:
    shown = status({"claim_number": CLAIM, "email": MAYA_EMAIL})
    assert shown.responses == ["utter_ask_claim_number"]


def test_the_status_after_a_stopped_form_only_clears_the_reason(desk_down) -> None:
    shown = status({**verified(MAYA_CLAIMED_ORDER), "stop_reason": "support_desk"})
    assert shown.messages == []
    assert shown.slots == {"stop_reason": None}


def test_a_support_desk_that_is_down_is_said_and_the_email_asked_again(desk_down) -> None:
    outcome = check({"email": MAYA_EMAIL}, slots={"claim_number": CLAIM})
    assert "stop_reason" not in outcome.slots  # the step is kept
    assert outcome.slots["email"] is None  # not checked, so not kept as the answer
    assert outcome.slots.get("claim_number", CLAIM) == CLAIM
    assert "can't reach our order system" in outcome.text and "kept" in outcome.text
    assert outcome.payloads == ["/request_human"]


def test_the_status_when_the_support_desk_is_down(desk_down) -> None:
    shown = status(verified(MAYA_CLAIMED_ORDER, claim_number=CLAIM))
    assert "can't reach our order system" in shown.text
    assert shown.events == []


def evidence(slots: dict[str, Any]):
    return run(
        ActionEvidenceLink(), make_tracker(slots, text="I have photos", intent="send_evidence")
    )


def test_the_upload_link_is_given_for_a_verified_claim(shared_desk) -> None:
    outcome = evidence(verified(MAYA_CLAIMED_ORDER, claim_number=CLAIM))
    assert f"claim {CLAIM}" in outcome.text
    assert "/upload/" in outcome.text and "72 hours" in outcome.text


def test_no_upload_link_without_verification(shared_desk) -> None:
    outcome = evidence({"claim_number": CLAIM, "email": MAYA_EMAIL})
    assert "/upload/" not in outcome.text
    assert outcome.payloads == ["/check_claim_status", "/report_missing_item"]


def test_no_upload_link_for_a_claim_of_another_order(shared_desk) -> None:
    outcome = evidence(verified(JORDAN_READY, JORDAN_EMAIL, claim_number=CLAIM))
    assert "/upload/" not in outcome.text and CLAIM not in outcome.text


def test_no_upload_link_for_an_unknown_claim(shared_desk) -> None:
    outcome = evidence(verified(MAYA_CLAIMED_ORDER, claim_number="CLM-999999"))
    assert "/upload/" not in outcome.text
    assert "can't reach" not in outcome.text  # an unknown number is not an outage
    assert outcome.payloads == ["/check_claim_status", "/report_missing_item"]


def test_the_upload_link_when_the_support_desk_is_down(desk_down) -> None:
    outcome = evidence(verified(MAYA_CLAIMED_ORDER, claim_number=CLAIM))
    assert "can't reach our order system" in outcome.text
    assert "/upload/" not in outcome.text


def test_an_email_before_the_claim_number_is_kept_until_there_is_one(shared_desk) -> None:
    outcome = check({"email": MAYA_EMAIL}, text=f"status of my claim? I'm {MAYA_EMAIL}")
    assert outcome.slots["email"] == MAYA_EMAIL
    assert outcome.slots.get("verified_order") is None
    assert outcome.slots.get("stop_reason") is None
    assert outcome.messages == []
    assert outcome.next_slot(FORM) == "claim_number"
    assert "can't reach" not in outcome.text

    outcome = check({"claim_number": "CLM-000001"}, slots={"email": MAYA_EMAIL})
    assert outcome.slots["claim_number"] == CLAIM
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    assert outcome.next_slot(FORM) is None


def test_a_claim_number_is_checked_against_the_email_known_from_before(desk) -> None:
    outcome = check({"claim_number": "CLM-000001"}, slots=verified(JORDAN_READY, JORDAN_EMAIL))
    assert outcome.slots["claim_number"] is None
    assert outcome.slots["email"] is None
    assert outcome.slots["verified_order"] is None
    assert "couldn't find that claim or order" in outcome.text
    assert "Makeup Brush" not in outcome.text
    assert outcome.next_slot(FORM) == "claim_number"


def test_another_order_number_is_verified_with_the_email_known_from_before(shared_desk) -> None:
    outcome = check({"claim_number": "STS-8406-5519"}, slots=verified(MAYA_ORDER))
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    assert outcome.next_slot(FORM) is None
    shown = status({**verified(MAYA_ORDER), **outcome.slots})
    assert f"Claim {CLAIM}" in shown.text


def test_an_order_number_with_the_wrong_email_starts_over(desk) -> None:
    outcome = check({"email": JORDAN_EMAIL}, slots={"order_number": MAYA_CLAIMED_ORDER})
    assert outcome.slots["order_number"] is None
    assert outcome.slots["verified_order"] is None
    assert "couldn't find that claim or order" in outcome.text
    assert outcome.next_slot(FORM) == "claim_number"


def test_the_second_failed_verification_stops_there_and_offers_a_person(desk) -> None:
    outcome = check(
        {"email": JORDAN_EMAIL},
        slots={"claim_number": CLAIM, "failed_attempts": {"verification": 1}},
    )
    assert outcome.slots["stop_reason"] == "left_step"
    assert outcome.responses[-1] == "utter_verification_left"
    assert "/request_human" in outcome.payloads


def slot_set(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "timestamp": None, "value": value}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "purple").save(out, "PNG")
    return out.getvalue()


def test_new_photos_are_acknowledged_on_the_next_message_once(desk) -> None:
    slots = verified(MAYA_CLAIMED_ORDER, claim_number=CLAIM, evidence_seen=0.0)
    quiet = run(ValidateSlotMappings(), make_tracker(slots, text="hello", intent="greet"))
    assert quiet.messages == [] and quiet.events == []

    requests.post(
        f"{desk.url}/api/v1/claims/{CLAIM}/evidence",
        headers=desk.headers,
        files=[
            ("files", ("a.png", _png(), "image/png")),
            ("files", ("b.png", _png(), "image/png")),
        ],
        timeout=10,
    ).raise_for_status()
    thanked = run(ValidateSlotMappings(), make_tracker(slots, text="any news?", intent="inform"))
    assert "2 new photos" in thanked.text and CLAIM in thanked.text
    assert slot_set("evidence_seen", 2.0) in thanked.events

    slots["evidence_seen"] = 2.0
    again = run(ValidateSlotMappings(), make_tracker(slots, text="ok", intent="affirm"))
    assert again.messages == []


def test_photos_are_not_mentioned_to_an_unverified_conversation(desk) -> None:
    slots = {"claim_number": CLAIM, "evidence_seen": 0.0}
    outcome = run(ValidateSlotMappings(), make_tracker(slots, text="hi", intent="greet"))
    assert outcome.messages == []


def test_a_new_status_is_shown_on_the_next_message_once(desk) -> None:
    slots = verified(
        MAYA_CLAIMED_ORDER, claim_number=CLAIM, evidence_seen=0.0, claim_status_seen="in_review"
    )
    news = run(ValidateSlotMappings(), make_tracker(slots, text="hi", intent="greet"))
    assert "There's news on your claim" in news.text and "approved" in news.text
    assert slot_set("claim_status_seen", "approved") in news.events
    slots["claim_status_seen"] = "approved"
    assert run(ValidateSlotMappings(), make_tracker(slots, text="ok")).messages == []


def test_nothing_is_said_while_a_person_has_the_conversation(desk) -> None:
    slots = verified(
        MAYA_CLAIMED_ORDER, claim_number=CLAIM, evidence_seen=0.0, claim_status_seen="in_review"
    )
    tracker = make_tracker(slots, text="hello?")
    tracker._paused = True  # as Rasa sends it while an agent holds the conversation
    assert run(ValidateSlotMappings(), tracker).messages == []


def test_another_order_typed_in_the_status_question_is_the_one_answered(shared_desk) -> None:
    # A claim filed in this chat is on MAYA_ORDER; the shopper asks about their other order.
    slots = verified(MAYA_ORDER, claim_number="CLM-000099")
    entities = [{"entity": "order_number", "value": MAYA_CLAIMED_ORDER}]
    outcome = check(
        {"order_number": MAYA_CLAIMED_ORDER, "claim_number": "CLM-000099"},
        slots=slots,
        entities=entities,
        text=f"and my claim on my other order, {MAYA_CLAIMED_ORDER}?",
    )
    assert outcome.slots["claim_number"] is None
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    assert outcome.next_slot(FORM) is None
    shown = status({**slots, **outcome.slots})
    assert f"Claim {CLAIM}" in shown.text


def test_another_order_typed_when_the_form_starts_with_the_kept_claim(shared_desk) -> None:
    """Started by a help-center article, the form validates only the claim kept from before:
    the order typed in the message is still the one answered, not the kept claim's."""
    slots = verified(MAYA_ORDER, claim_number="CLM-000099")
    entities = [{"entity": "order_number", "value": MAYA_CLAIMED_ORDER}]
    text = f"where is my other claim at? the one on order {MAYA_CLAIMED_ORDER}"
    outcome = check({"claim_number": "CLM-000099"}, slots=slots, entities=entities, text=text)
    assert outcome.slots["claim_number"] is None
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
    assert outcome.slots["verified_order"] == MAYA_CLAIMED_ORDER
    shown = status({**slots, **outcome.slots})
    assert f"Claim {CLAIM}" in shown.text


def test_without_a_number_given_every_claim_of_the_order_is_shown(shared_desk) -> None:
    from tests.actions.conftest import user_event

    filed = [
        {"event": "action", "timestamp": 0, "name": "action_submit_claim"},
        {"event": "slot", "timestamp": 0, "name": "claim_number", "value": "CLM-000099"},
    ]
    slots = verified(MAYA_CLAIMED_ORDER, claim_number="CLM-000099")
    latest = {"text": "and my older claim?", "intent": {"name": "check_claim_status"}}
    tracker = make_tracker(slots, text=latest["text"], events=[*filed, user_event("x", latest)])
    shown = run(ActionClaimStatus(), tracker)
    assert f"Claim {CLAIM}" in shown.text  # the order's earlier claim, not only the new one


def test_not_knowing_the_orders_email_is_answered_once_and_the_step_left(shared_desk) -> None:
    text = "that's the only email I have, I don't know which one she used"
    outcome = check(
        {}, slots={"order_number": MAYA_CLAIMED_ORDER}, requested_slot="email", text=text
    )
    assert outcome.responses == ["utter_email_unknown"]
    assert outcome.slots["stop_reason"] == "left_step"
    assert "Makeup Brush" not in outcome.text


def test_an_order_number_typed_among_words_is_read_for_its_claims(desk_down) -> None:
    slots = {"status_by_order": True, "claim_number": None}
    outcome = check({"order_number": "ordr 8406 5519"}, slots=slots, requested_slot="order_number")
    assert outcome.slots["order_number"] == MAYA_CLAIMED_ORDER
