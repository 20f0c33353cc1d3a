"""Words of a claim (actions/claim_talk.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from actions.claim_talk import names_a_claim, speaks_of_a_claim

SETS = Path(__file__).parents[1] / "blind" / "sets"


@pytest.mark.parametrize(
    "text", ["any news on my claim?", "checking on clm000876", "what happened with my refund"]
)
def test_a_claim_or_its_outcome_is_named(text: str) -> None:
    assert speaks_of_a_claim(text)


@pytest.mark.parametrize(
    "text", ["i keep getting logged out of the app", "can you help me with my homework"]
)
def test_nothing_of_a_claim(text: str) -> None:
    assert not speaks_of_a_claim(text)


def test_blind_claim_status_messages_nearly_all_name_a_claim() -> None:
    """The gate in front of the claim status form costs almost no real status question."""
    asked = [
        case["text"]
        for path in SETS.glob("first*/first_messages.json")
        for case in json.loads(path.read_text())
        if case["expect"] == "claim_status"
    ]
    named = [text for text in asked if speaks_of_a_claim(text)]
    assert len(asked) > 300 and len(named) / len(asked) >= 0.99


def test_blind_claim_status_first_messages_name_a_claim_or_its_number() -> None:
    """The help center's gate ("are your suitcases TSA approved" is no claim's status) costs
    no real status question: each names a claim, a refund or a report, or gives a number."""
    asked = [
        case["text"]
        for path in SETS.glob("first*/first_messages.json")
        for case in json.loads(path.read_text())
        if case["expect"] == "claim_status"
    ]
    unnamed = [t for t in asked if not (names_a_claim(t) or re.search(r"clm|\d{3}", t, re.I))]
    assert len(asked) > 300 and unnamed == []


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("following up on a claim about missing shin pads, my email is a@b.org", True),
        ("follow up on the refund please", True),
        ("following up on my missing items request for order STS-8804-2216. processed yet?", True),
        ("I want to make a claim", False),
        ("following up on a claim, the lamp is now missing too", False),  # a new shortfall
        # an "also" that joins the conversation tells of nothing new
        ("Also, I filed a claim weeks ago for the tiles. Any news on that one?", True),
        ("I filed a claim for missing goggles 10 days ago and heard nothing", True),
        # a promised time gone by
        ("I submitted a claim about the missing game mat, the email said 3-5 business days, "
         "it's day 7", True),
        ("I filed a claim for the lamp last week but now the mug is still missing too", False),
        # a report named vaguely, but never "made something"
        ("I filed something about my order being short on 12/2, order STS-3381-0046, is anyone "
         "actually looking at it?", True),
        ("i made something for my son and the paint was missing from the order?", False),
        ("they told me at the store theyd open a claim for the missing chair covers. Any news?",
         True),
        ("hey did u guys ever decide on my claim for the missing tig filler rod", True),
        ("I can't decide which items to put on my claim", False),
        # a report hedged: one now, and the claim form tells if it exists
        ("the kit was missing, I'd like a refund. my wife might have already reported it, not "
         "sure", False),
        ("where are we on my missing item claim for order STS-8804-1163?", True),
    ],
)  # fmt: skip
def test_following_up_a_claim_asks_about_one_made_before(text: str, earlier: bool) -> None:
    from actions.claim_talk import asks_about_an_earlier_claim

    assert asks_about_an_earlier_claim(text) is earlier


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("I filed a refund request for the paint and got a confirmation but nothing since", True),
        ("any news on the refund I asked for? the one for the shelf brackets", True),
        ("it's been 10 days since I asked for a refund and nothing on my card", True),
        ("is my refund for the missing drill bits processed?", True),
        ("i reported missing stuff 2 weeks ago and nobody got back to me", True),
        ("where is my refund? I already asked for it for the missing items 2 weeks ago", True),
        ("I already filed for a refund for missing items. when does the money come back?", True),
        ("I reported a missing item, got a claim number, now what?", True),  # not a new one
        ("whats happening with my missing item report", True),
        ("Claim for the missing bike helmet - has anyone looked at it?", True),
        ("i put in a request for money back for the missing gloves, did it go through", True),
        ("when will I get the money from my claim", True),
        ("claim for the missing lamp please", False),
        ("refund for items not received", False),  # a refund asked for now
        ("refund the missing items, i'm not going back to the store again", False),
        ("can I get my refund?", False),  # none asked for yet
        ("the lamp is missing, I want a refund", False),
        ("you said I'd get a refund for the missing lamp, it hasn't arrived in my bank", True),
        ("the refund for my missing items hasnt shown on my card yet", True),
        ("I already requested a refund for the missing stuff, when is it coming", True),
        (
            "Hi! I have an open case about an incomplete pickup, can you tell me where it's at?",
            True,
        ),
        ("They told me at the store they'd file a claim for my missing items, is it done?", True),
        ("I want my refund, the lamp never came to the store", False),  # the goods, not the money
        ("I returned a coat 2 weeks ago, where's my refund for the return?", False),  # a return's
        (
            "I already reported the carafe, but I've gone through the rest of the bag and only "
            "the coffee maker was in there.",
            False,
        ),  # goods gone through, not a claim
    ],
)
def test_a_refund_asked_for_before_is_named_in_many_words(text: str, earlier: bool) -> None:
    from actions.claim_talk import asks_about_an_earlier_claim

    assert asks_about_an_earlier_claim(text) is earlier


@pytest.mark.parametrize(
    ("text", "anew"),
    [
        ("I want to report my watch missing, it's been over a week", True),
        (
            "the rope I reported last week, and now I see the swing seat is not here either",
            True,
        ),
        ("I reported the lamp missing last week and the rug is missing too", True),
        ("I reported the lamp missing and haven't heard back either", False),
        ("I told you the rug was missing a week ago and still nothing", False),
        ("got everything except the crackers (and the jam, but I already reported that one)", True),
        ("you said my missing item claim would be reviewed in 3-5 days, its day 7 now", False),
        # an "also" that opens the sentence telling of the report joins; one that opens a new
        # shortfall adds
        (
            "Thanks. Also, I reported the monomer missing on a different order a while back. "
            "What's the status on that one?",
            False,
        ),
        ("the rope I reported last week. also the swing seat is not here", True),
    ],
)
def test_one_more_thing_missing_besides_a_report_is_a_new_report(text: str, anew: bool) -> None:
    from actions.claim_talk import reports_anew

    assert reports_anew(text) is anew


@pytest.mark.parametrize(
    "text",
    [
        "the booster box wasn't in my order. I don't think I reported it yet? maybe my brother did",
        "we haven't filed a claim yet, the lamp wasn't in the box",
        "I never made a claim, the charger is missing, can you check?",
    ],
)
def test_a_shortfall_said_not_reported_is_a_new_report(text: str) -> None:
    from actions.claim_talk import asks_about_an_earlier_claim, reports_anew

    assert reports_anew(text)
    assert not asks_about_an_earlier_claim(text)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("is the hard bow case TSA approved", False),  # a thing's case
        ("any news on my case?", True),
        ("status of case 123", True),
        ("I have an open case about the missing lid", True),
        ("I was told someone would look into my short order. Did anything happen?", True),
    ],
)
def test_a_case_after_a_things_words_is_the_thing(text: str, named: bool) -> None:
    assert names_a_claim(text) is named


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("Hi, you guys opened a case for my missing racket, any news?", True),
        ("you guys said you'd refund the missing soldering iron, when will I see it", True),
        ("I reported the feeder missing, when will I get the money?", True),
        ("you said you would refund me if I send photos, can I do that?", False),
    ],
)
def test_a_claim_the_shop_made_or_promised_is_asked_after(text: str, earlier: bool) -> None:
    from actions.claim_talk import asks_about_an_earlier_claim

    assert asks_about_an_earlier_claim(text) is earlier
