"""The help center on blind set hcJ, search only (the conversations are `make evaluate`'s).

The floors are the set's figures on the current search (tests/blind/README.md), not the issue's
targets: they catch a change that makes the search worse. The set was played blind once, on
the first version; it is no longer blind, so it only guards.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.blind.help_center import help_center, retrieval

SET = Path(__file__).with_name("sets") / "hcJ" / "questions.json"
FLOORS = {"top1": 0.70, "top3": 0.92, "declined": 0.88}


def test_the_blind_questions_are_answered_no_worse_than_at_their_play() -> None:
    report = retrieval(json.loads(SET.read_text()), help_center())
    assert {name: report[name] >= floor for name, floor in FLOORS.items()} == dict.fromkeys(
        FLOORS, True
    ), {name: report[name] for name in FLOORS}
