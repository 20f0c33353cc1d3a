"""A clause that asks for a person sets the intent, whatever else the message tells."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu_components.person_request import PersonRequest, asks_for_a_person


@pytest.mark.parametrize(
    "text",
    [
        "The espresso machine box was EMPTY when I opened it. That's $899!! I need a human to "
        "deal with this, not a bot.",
        "how do I get hold of a human at your company",
        "is there a person I can email or call?",
        "I uploaded a photo. Can I talk to a real person? I want to make sure the refund is right",
        "connect me with an agent please",
        "I'd like to talk to someone",
        "this is taking forever, can I just get an agent",
        "ugh can I just talk to somebody? this is taking forever",
        "could we please just speak with someone",
        "representative please",
        "talk to someone",
        "is a live agent available",
        "is there anyone I can talk to",
        "can someone from your team look at this",
        "can you escalate this to a supervisor",
        "hand me over to a human",
        "connect me to support",
        "you know what, this is a $280 soundbar, I'd like an actual human employee to handle this",
        "two of my towels weren't in the bag and honestly I'd rather sort this out with a human",
        "the robot vacuum wasn't in my pickup and I'd rather have an actual person handle this",
        "before I say yes, can a supervisor or an actual agent look at this? it's $1,199",
        "I would prefer to deal with a real person",
        "how can we get in touch with your team?",
        "what's your toll-free number",
        "do you have a phone number I can ring",
        "phone number?",
        "could I request a call back tomorrow morning",
        "Could somebody ring me back? my number is on the account",
        "I do not want to chat with a bot",
        "hello? is anybody real here",
    ],
)
def test_a_clause_that_asks_for_a_person(text: str) -> None:
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "am I talking to a real person?",
        "the person at the store was rude",
        "I don't want to talk to a person, just fix it",
        "someone stole my package",
        "I need a refund",
        "is there a store near me",
        "can I get a refund for the missing person-sized sleeping bag",
        "I'd rather not talk to a human",
        "can a person pick up my order for me?",
        "can the staff check the bag at the counter?",
        "please update the phone number on my order",
        "my contact number changed last month",
        "what is the tracking number",
        "the store never gave me a call back",
        "how do I call off my order",
        "how can I contact the store about its opening hours",
        "the escalator at the store was broken",
        "can someone else collect my order",
        "is anyone at the store able to check",
    ],
)
def test_no_request_for_a_person(text: str) -> None:
    assert not asks_for_a_person(text)


def _message(text: str, intent: str) -> Message:
    guess = {"name": intent, "confidence": 0.99}
    return Message(data={"text": text, "intent": guess, "intent_ranking": [guess]})


def test_the_component_sets_request_human_and_keeps_the_ranking_below_it() -> None:
    story = "two things were missing and I want to speak to an actual employee"
    [message] = PersonRequest().process([_message(story, "report_missing_item")])
    assert message.get("intent") == {"name": "request_human", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == [
        "request_human",
        "report_missing_item",
    ]


def test_other_messages_and_button_payloads_keep_their_intent() -> None:
    [story] = PersonRequest().process([_message("the mug was missing", "report_missing_item")])
    assert story.get("intent")["name"] == "report_missing_item"
    [button] = PersonRequest().process([_message("/deny", "deny")])
    assert button.get("intent")["name"] == "deny"


def test_a_request_the_classifier_was_unsure_of_becomes_certain() -> None:
    unsure = Message(
        data={
            "text": "this is a $280 soundbar, I'd like an actual human employee to handle this",
            "intent": {"name": "request_human", "confidence": 0.65},
            "intent_ranking": [
                {"name": "request_human", "confidence": 0.65},
                {"name": "bot_challenge", "confidence": 0.33},
            ],
        }
    )
    [message] = PersonRequest().process([unsure])
    assert message.get("intent") == {"name": "request_human", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["request_human", "bot_challenge"]
