"""Requests the assistant does not serve, and the missing goods told among them (out_of_scope)."""

from __future__ import annotations

import pytest

from actions.out_of_scope import _short_beside_what_came
from tests.actions.conftest import make_tracker, run


@pytest.mark.parametrize(
    ("text", "short"),
    [
        (
            "I picked up STS-8802-6613 today. the charcoal yarn was there but I don't have the "
            "heather grey yarn, the blocking mats or the needle set",
            True,
        ),
        ("I don't have my receipt", False),  # nothing came beside it
        ("my order came but I can't log in", False),  # the order came, no goods named
        ("the package was there but the store was closed", False),
    ],
)
def test_something_short_beside_goods_that_came_is_missing_goods(text: str, short: bool) -> None:
    assert _short_beside_what_came(text) is short


def test_cancelling_a_line_not_yet_picked_up_starts_no_claim(desk) -> None:
    """ "can I cancel just the grooming table …? haven't picked it up yet, found one cheaper"."""
    from actions.out_of_scope import ActionOutOfScope

    text = (
        "hey can I cancel just the grooming table from order STS-5506-9021? haven't picked it "
        "up yet, found one cheaper locally"
    )
    outcome = run(ActionOutOfScope(), make_tracker(text=text, intent="out_of_scope"))
    assert not any(e.get("name") == "claim_form" for e in outcome.events)
