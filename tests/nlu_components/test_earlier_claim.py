"""A question about a claim already made asks for its status (nlu_components/earlier_claim.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.claim_talk import asks_about_an_earlier_claim
from nlu_components.earlier_claim import EarlierClaim


@pytest.mark.parametrize(
    "text",
    [
        "I made a missing item report for order STS-2020-3131, what's happening with it",
        "I reported a missing item a while ago. Is it being looked at?",
        "I submitted a claim for a missing item and want to know where it stands",
        "we filed a claim yesterday, any news?",
        "was my claim for the missing kettle approved or not",
        "checking on the status of my missing-item report",
        "hows my claim going",
        "following up on the report I sent on Monday",
        "hello, checking on the claim I made for a missing kettle",
        "Did you receive my missing item claim? I never got a confirmation email",
        "The agent opened a claim for me about my incomplete order 4410-7782, is it resolved?",
        "did you guys get my claim? submitted it monday",
        "is my missing item claim still open? my email is mark.t@outlook.com",
        "did u guys approve my claim or not",
        "Did you guys ever process my missing item claim?",
        "i already filed a claim, just want to know if it went thru",
        "I filed a missing item claim for my wine kit 5 days ago and havent heard a thing",
        "you said my refund for the missing airlocks would be back in 3-5 days, it's been a week",
        "I already filed a claim, when will it be resolved",
        "already made a claim. when do I hear back",
        "I made a claim about the missing rc car body, was it accepted",
        "I put in a refund request for the missing LP, order STS-4420-7781. where is it at",
        "how far along is my missing item claim",
    ],
)
def test_a_question_about_an_earlier_claim(text: str) -> None:
    assert asks_about_an_earlier_claim(text)


@pytest.mark.parametrize(
    "text",
    [
        "I reported the lamp missing last week, now the rug is missing too",
        "I made an order and the lamp is missing?",
        "we opened the box and the charger was missing?",
        "I filed a claim",  # no question about it
        "can I make my claim for the missing rug?",
        "I need to report a missing lamp",
        "the claim form is confusing, the rug never came",
        "did you get my order? the claim form won't load",
        "can you process my claim for the missing lamp",
        "you said I could get a refund for the missing lamp",  # a refund still to ask for
        "already checked the box twice, the lamp is missing",
        "the lamp is missing, can this be resolved today",
    ],
)
def test_no_question_about_an_earlier_claim(text: str) -> None:
    assert not asks_about_an_earlier_claim(text)


def _parsed(text: str, intent: str) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    return message


def test_only_a_mistaken_intent_is_overridden() -> None:
    text = "I reported a missing item a while ago. Is it being looked at?"
    component = EarlierClaim()
    [mistaken] = component.process([_parsed(text, "report_missing_item")])
    assert mistaken.get(INTENT)["name"] == "check_claim_status"
    assert mistaken.get(INTENT_RANKING_KEY)[1]["name"] == "report_missing_item"
    [chat] = component.process([_parsed("how's my claim going?", "chitchat")])
    assert chat.get(INTENT)["name"] == "check_claim_status"
    [elsewhere] = component.process(
        [_parsed("I filed a claim, did it go through?", "out_of_scope")]
    )
    assert elsewhere.get(INTENT)["name"] == "check_claim_status"
    [person] = component.process([_parsed(text, "request_human")])
    assert person.get(INTENT)["name"] == "request_human"
