"""The help center on blind set hcJ, search only (the conversations are `make evaluate`'s).

The floors are the set's figures on the current search (tests/blind/README.md), not the issue's
targets: they catch a change that makes the search worse. The set was played blind once, on
the first version; it is no longer blind, so it only guards.
"""

from __future__ import annotations

import json
from pathlib import Path

from supportdesk.help_center import Settings
from tests.blind.help_center import help_center, retrieval

SETS = Path(__file__).with_name("sets")
SET = SETS / "hcJ" / "questions.json"
FLOORS = {"top1": 0.82, "top3": 0.98, "declined": 0.90}


def test_the_blind_questions_are_answered_no_worse_than_at_their_play() -> None:
    report = retrieval(json.loads(SET.read_text()), help_center())
    assert {name: report[name] >= floor for name, floor in FLOORS.items()} == dict.fromkeys(
        FLOORS, True
    ), {name: report[name] for name in FLOORS}


def test_no_article_question_copies_a_blind_question() -> None:
    """The blind sets stay blind: no longer question of an article's is a near-copy of theirs
    (the rule of tests/test_nlu_data.py for training examples)."""
    from rapidfuzz import fuzz, process

    from supportdesk.help_center import ARTICLES_DIR, read_article
    from tests.test_nlu_data import COPY_RATIO, COPY_WORDS

    blind = [
        case["text"].lower()
        for path in SETS.glob("hc*/questions.json")
        for case in json.loads(path.read_text())
        if len(case["text"].split()) >= COPY_WORDS
    ]
    assert len(blind) > 100
    settings = Settings("help@shop.test", "https://help.shop.test", "Help")
    copies = [
        (path.stem, question, match[0])
        for path in sorted(ARTICLES_DIR.glob("*.md"))
        for question in read_article(path, settings).questions
        if len(question.split()) >= COPY_WORDS
        and (
            match := process.extractOne(
                question.lower(), blind, scorer=fuzz.ratio, score_cutoff=COPY_RATIO
            )
        )
    ]
    assert copies == []
