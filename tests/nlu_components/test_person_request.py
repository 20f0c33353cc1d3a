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
        "I'm not good with these chat things. Can I talk to a lady or gentleman on the phone?",
        "I'd like to talk to someone",
        "this is taking forever, can I just get an agent",
        "ugh can I just talk to somebody? this is taking forever",
        "could we please just speak with someone",
        "representative please",
        "talk to someone",
        "is a live agent available",
        "is there anyone I can talk to",
        "can someone from your team look at this",
        "I don't want to explain it all to a bot, can someone from your team phone me?",
        "we need 14 rackets strung before the league starts, could I talk to one of your team",
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
        "can you have support contact me? my number is 312 555 0198",
        "is this a real person or automated? I need a real one",
        "stop the bot, human",  # a clause that is the request alone
        "the bag was missing stuff and I'm not dealing with a bot about it. person please",
        "they say my package isnt here, the app says it is. need a human to sort this out",
        "my mum is not good with computers. Could a person ring her instead?",
        "is there someone she could phone instead?",
        "do you have live chat with actual people",
        "I'd rather speak to somebody, this is about a big office supply order for our school",
        "My elderly father is upset. Can a real person give him a call?",
    ],
)
def test_a_clause_that_asks_for_a_person(text: str) -> None:
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "am I talking to a real person?",
        "the person at the store was rude",
        "I talked to one of your team yesterday and the lid is missing",
        "someone phoned me yesterday about the lid",
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
        "I have someone to call me about it",
        "Hello, is anyone there?",  # a greeting
        "Just want to say the staff at the Oak Ridge store were amazing, thanks!",
        "I'm a travel agent, where is my order",
        "ok. roughly when will someone look at it?",  # when the review comes
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


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("agnet", True),
        ("humna please", True),
        ("customer servce please", True),
        ("transfer me pls", True),
        ("callback please", True),
        ("do you have a hotline", True),
        ("can i phone you", True),
        ("cn i tlk to sumone plz", True),
        ("Is there an email for customer care?", True),
        ("the phone case just isn't there", False),
        ("half my stuff isnt here??", False),
        ("does the kettle have temperature control?", False),
    ],
)
def test_a_person_is_named_in_a_word_or_a_slip_of_one(text: str, named: bool) -> None:
    from nlu_components.person_request import names_people

    assert names_people(text) is named


def _ranked(text: str, *guesses: tuple[str, float]) -> Message:
    ranking = [{"name": name, "confidence": confidence} for name, confidence in guesses]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def test_a_person_guessed_for_goods_told_missing_gives_way() -> None:
    guessed = _ranked(
        "half my stuff isnt here??", ("request_human", 0.97), ("ask_store_hours", 0.01)
    )
    [message] = PersonRequest().process([guessed])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert "request_human" not in [r["name"] for r in message.get("intent_ranking")]


def test_a_person_guessed_behind_the_fallback_leaves_the_ranking() -> None:
    guessed = _ranked(
        "Does the 1.7L kettle have temperature control?",
        ("nlu_fallback", 0.4),
        ("request_human", 0.34),
        ("out_of_scope", 0.28),
    )
    [message] = PersonRequest().process([guessed])
    assert [r["name"] for r in message.get("intent_ranking")] == ["nlu_fallback", "out_of_scope"]


def test_a_sure_guess_of_a_person_that_names_no_one_gives_way() -> None:
    # help with an order is not a person asked for: the fallback's routing offers the tasks
    guessed = _ranked(
        "I have a small problem with my order", ("request_human", 0.9), ("deny", 0.05)
    )
    [message] = PersonRequest().process([guessed])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_a_guess_of_a_person_for_another_matter_gives_way() -> None:
    # a complaint about the staff names people but asks for no one: the help center's
    guessed = _ranked(
        "I want to complain about an employee", ("request_human", 0.8), ("out_of_scope", 0.15)
    )
    [message] = PersonRequest().process([guessed])
    assert message.get("intent")["name"] == "nlu_fallback"
    asked = _ranked("I want to complain to a manager", ("request_human", 0.8))
    [message] = PersonRequest().process([asked])
    assert message.get("intent")["name"] == "request_human"


@pytest.mark.parametrize(
    "text",
    [
        "I don't know which email she used, I'll just have her contact you herself",
        "Fine, I'll call them.",  # the shopper's own plan
    ],
)
def test_a_guess_of_a_person_for_a_plan_of_the_shoppers_own_gives_way(text: str) -> None:
    [message] = PersonRequest().process([_ranked(text, ("request_human", 0.9))])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_being_told_to_contact_head_office_asks_how_to_reach_it() -> None:
    from nlu_components.person_request import asks_for_a_person

    assert asks_for_a_person("the store told me to contact head office, how do I get hold of them?")
    assert asks_for_a_person("how do I contact your head office?")
    assert not asks_for_a_person("the head office sent me an e-mail about my order")
    # sent here by the store with a report: the report, not a request for a person
    assert not asks_for_a_person(
        "the dampeners werent in it, the staff told me to contact you online"
    )
