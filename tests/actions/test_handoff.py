"""Escalation to a person: the handoff with the transcript and what was collected."""

from __future__ import annotations

import json

from actions.handoff import (
    ActionHandoff,
    collected_details,
    escalate,
    handoff_events,
    handoff_message,
    transcript,
)
from tests.actions.conftest import (
    MAYA_EMAIL,
    MAYA_ORDER,
    MAYA_TRACKING,
    bot_event,
    handoffs,
    make_tracker,
    run,
    sender,
    user_event,
    verified,
)


def conversation_events(channel: str = "telegram") -> list[dict]:
    return [
        {"event": "action", "name": "action_listen"},
        user_event("hi", channel=channel),
        bot_event("Hi! I'm the Ship to Store assistant."),
        {"event": "slot", "name": "order_number", "value": MAYA_ORDER},
        user_event("I want to talk to a person", channel=channel),
        {"event": "user", "text": None, "input_channel": channel},  # e.g. a button without text
    ]


def test_a_handoff_is_created_with_its_reference(desk) -> None:
    conversation = sender()
    tracker = make_tracker(
        verified(tracking_number=MAYA_TRACKING),
        text="I want to talk to a person",
        intent="request_human",
        events=conversation_events(),
        sender_id=conversation,
    )
    outcome = run(ActionHandoff(), tracker)
    handoff_id = outcome.slots["handoff_id"]
    assert isinstance(handoff_id, float) and handoff_id >= 1
    assert outcome.events == [
        {"event": "slot", "timestamp": None, "name": "handoff_id", "value": handoff_id}
    ]
    assert f"(reference H-{int(handoff_id)})" in outcome.text
    # No agent is signed in to the test desk: the case stays open and the bot goes on helping.
    assert "case stays open" in outcome.text and "keep helping" in outcome.text

    [stored] = handoffs(desk)
    assert stored["id"] == handoff_id
    assert stored["conversation_id"] == conversation
    assert stored["channel"] == "telegram"
    assert stored["reason"] == "The customer asked for a person."
    assert json.loads(stored["transcript"]) == [
        {"sender": "customer", "text": "hi", "at": None},
        {"sender": "bot", "text": "Hi! I'm the Ship to Store assistant.", "at": None},
        {"sender": "customer", "text": "I want to talk to a person", "at": None},
    ]
    assert json.loads(stored["details"]) == {
        "verified_order": MAYA_ORDER,
        "email": MAYA_EMAIL,
        "tracking_number": MAYA_TRACKING,
    }


def test_an_unverified_email_is_not_passed_on(desk) -> None:
    tracker = make_tracker({"order_number": MAYA_ORDER, "email": "someone@example.org"})
    outcome = run(ActionHandoff(), tracker)
    assert "handoff_id" in outcome.slots
    [stored] = handoffs(desk)
    assert json.loads(stored["details"]) == {}


def test_a_support_desk_that_is_down_gives_the_support_address(desk_down) -> None:
    outcome = run(ActionHandoff(), make_tracker(verified(), intent="request_human"))
    assert outcome.events == []
    assert "couldn't reach our support team's system" in outcome.text
    assert "support@example.com" in outcome.text


def test_the_support_address_comes_from_the_environment(desk_down, monkeypatch) -> None:
    monkeypatch.setenv("SUPPORT_EMAIL", "help@shop.example")
    outcome = run(ActionHandoff(), make_tracker(verified(), intent="request_human"))
    assert "help@shop.example" in outcome.text


def test_an_escalation_without_announcement_says_the_team_knows(desk) -> None:
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = escalate(dispatcher, make_tracker(verified()), "Claim in review", announce=False)
    [message] = dispatcher.messages
    assert message["text"].startswith("I've also let the support team know (reference H-")
    assert events[0]["name"] == "handoff_id"
    assert handoffs(desk)[0]["reason"] == "Claim in review"


def test_the_transcript_keeps_the_latest_sixty_messages_oldest_first() -> None:
    events = [user_event(f"message {n}") for n in range(70)] + [bot_event("x" * 6000)]
    entries = transcript(make_tracker(events=events))
    assert len(entries) == 60
    assert entries[0] == {"sender": "customer", "text": "message 11"}
    assert entries[-1] == {"sender": "bot", "text": "x" * 5000}


def test_collected_details_leave_out_empty_slots() -> None:
    tracker = make_tracker(verified(missing_items=[], claim_number="CLM-000002"))
    assert collected_details(tracker) == {
        "verified_order": MAYA_ORDER,
        "email": MAYA_EMAIL,
        "claim_number": "CLM-000002",
    }


def test_the_message_says_when_a_person_will_answer() -> None:
    soon = handoff_message("H-7", {"agents_available": True})
    assert "H-7" in soon and "as soon as they can" in soon
    busy = handoff_message(
        "H-7", {"agents_available": False, "within_business_hours": True, "business_hours": "x"}
    )
    assert "as soon as someone is free" in busy and "case stays open" in busy
    closed = handoff_message(
        "H-7",
        {
            "agents_available": False,
            "within_business_hours": False,
            "business_hours": "Mon-Sat 08:00-20:00 (Chicago time)",
        },
    )
    assert "when the team is back (Mon-Sat 08:00-20:00 (Chicago time))" in closed


def test_when_the_team_inbox_holds_the_conversation_the_bot_does_not_offer_to_go_on() -> None:
    """With Chatwoot the assistant is paused at once, so it must not promise self-service."""
    hours = {
        "agents_available": False,
        "within_business_hours": False,
        "business_hours": "Mon-Fri 09:00-17:00 (Chicago time)",
    }
    held = handoff_message("H-8", hours, {"name": "chatwoot", "status": "open"})
    assert "when the team is back (Mon-Fri 09:00-17:00 (Chicago time))" in held
    assert "goes straight to them" in held and "keep helping" not in held
    now = handoff_message("H-8", {"agents_available": True}, {"status": "open"})
    assert "as soon as they can" in now and "keep helping" not in now
    # Chatwoot unreachable: the handoff waits in the built-in queue and the bot goes on.
    queued = handoff_message("H-8", {"agents_available": True}, {"status": "unreachable"})
    assert "keep helping" in queued


def test_an_inbox_that_takes_the_conversation_pauses_the_bot_in_the_same_turn() -> None:
    taken = {"handoff_id": 8, "inbox": {"name": "chatwoot", "status": "open"}}
    assert handoff_events(taken) == [
        {"event": "slot", "timestamp": None, "name": "handoff_id", "value": 8.0},
        {"event": "pause", "timestamp": None},
    ]
    queued = {"handoff_id": 8, "inbox": {"name": "builtin", "status": "queued"}}
    assert [e["event"] for e in handoff_events(queued)] == ["slot"]
    again = {**taken, "existing": True}  # already with the inbox, and paused then
    assert [e["event"] for e in handoff_events(again)] == ["slot"]
