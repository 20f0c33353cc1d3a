"""The help center on blind set hcJ, search only (the conversations are `make evaluate`'s).

The floors are the figures of the set's one play (tests/blind/README.md), not the issue's
targets: they catch a change that makes the search worse, while the targets stay open.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.blind.help_center import help_center, retrieval

SET = Path(__file__).with_name("sets") / "hcJ" / "questions.json"
FLOORS = {"top1": 0.43, "top3": 0.83, "declined": 0.98}


def test_the_blind_questions_are_answered_no_worse_than_at_their_play() -> None:
    report = retrieval(json.loads(SET.read_text()), help_center())
    assert {name: report[name] >= floor for name, floor in FLOORS.items()} == dict.fromkeys(
        FLOORS, True
    ), {name: report[name] for name in FLOORS}
