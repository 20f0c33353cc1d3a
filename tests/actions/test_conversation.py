"""Conversation repair: stopping a form, the two-stage fallback and handing over."""

from __future__ import annotations

import pytest

from actions.claims import CLAIM_SLOTS
from actions.conversation import (
    READABLE_INTENTS,
    ActionDefaultAskAffirmation,
    ActionDefaultFallback,
    ActionStopForm,
)
from tests.actions.conftest import DOMAIN, handoffs, make_tracker, run, verified


def ranking(*names: str) -> list[dict]:
    return [{"name": name, "confidence": round(0.5 - 0.1 * n, 2)} for n, name in enumerate(names)]


def ask(*names: str):
    tracker = make_tracker(
        text="blorp the parcel",
        intent=names[0] if names else None,
        intent_ranking=ranking(*names),
    )
    return run(ActionDefaultAskAffirmation(), tracker)


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


def test_the_fallback_question_uses_readable_words(desk_down) -> None:
    outcome = ask("nlu_fallback", "check_claim_status", "greet")
    assert outcome.text == (
        "Sorry, I'm not sure I understood. Did you want to: Check the status of my claim?"
    )
    assert outcome.buttons == [
        {"title": "Check the status of my claim", "payload": "/check_claim_status"},
        {"title": "Talk to a person", "payload": "/request_human"},
        {"title": "Something else", "payload": "/out_of_scope"},
    ]


# Sent by the Telegram channel for a photo: never predicted from text, so never guessed.
CHANNEL_ONLY_INTENTS = {"share_photo"}


@pytest.mark.parametrize("intent", sorted(set(DOMAIN["intents"]) - CHANNEL_ONLY_INTENTS))
def test_every_intent_of_the_domain_has_a_readable_title(desk_down, intent: str) -> None:
    outcome = ask(intent)
    first = outcome.buttons[0]
    assert first == {"title": READABLE_INTENTS[intent], "payload": f"/{intent}"}
    assert "_" not in first["title"]
    titles = [b["title"] for b in outcome.buttons]
    assert len(titles) == len(set(titles)), titles  # no button twice


def test_a_person_is_offered_once_when_it_is_the_guess(desk_down) -> None:
    outcome = ask("request_human", "greet")
    assert outcome.payloads == ["/request_human", "/out_of_scope"]


def test_without_a_known_guess_it_offers_a_person_and_something_else(desk_down) -> None:
    outcome = ask("nlu_fallback")
    assert outcome.payloads == ["/out_of_scope", "/request_human"]
    assert [b["title"] for b in outcome.buttons] == ["Something else", "Talk to a person"]


def test_the_last_fallback_hands_over_to_a_person(desk) -> None:
    tracker = make_tracker(verified(), text="blorp", intent="nlu_fallback")
    outcome = run(ActionDefaultFallback(), tracker)
    assert "having trouble understanding" in outcome.messages[0]["text"]
    assert "reference H-" in outcome.text
    assert outcome.events[-1]["event"] == "rewind"
    assert isinstance(outcome.slots["handoff_id"], float)
    assert handoffs(desk)[0]["reason"] == "The assistant repeatedly misunderstood."


def test_the_last_fallback_when_the_support_desk_is_down(desk_down) -> None:
    outcome = run(ActionDefaultFallback(), make_tracker(text="blorp", intent="nlu_fallback"))
    assert "support@example.com" in outcome.text
    assert [e["event"] for e in outcome.events] == ["rewind"]
