"""Simulated shoppers in CI: fixed, stratified samples played against one whole stack.

The full runs (`python -m tests.shoppers --all`, on each catalogue, part of `make evaluate`)
play every generated conversation; these samples keep CI within a few minutes: 72 on the demo's
catalogue and 36 on a second retailer's (tests/shoppers/catalogues/outdoor.json), on one stack
whose support desk is restarted with the catalogue being played. Targets, on each: every money
check passes (no claim with wrong lines or quantities, none for a unit in transit or already
claimed, none for an unverified shopper) and at least 97% of the conversations pass every check.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import stack
from supportdesk.demo import DEMO_CATALOGUE
from tests.conftest import whole_stack
from tests.shoppers.__main__ import (
    MONEY_TARGET,
    OVERALL_TARGET,
    format_failure,
    summarize,
    table,
    write_report,
)
from tests.shoppers.driver import play_all
from tests.shoppers.generator import CATEGORIES, generate, load_orders, stratified_sample

ROOT = Path(__file__).resolve().parents[2]
OUTDOOR = Path(__file__).with_name("catalogues") / "outdoor.json"
SEED = 20261201
SAMPLE = 4 * len(CATEGORIES)  # 72: four conversations of every category
OUTDOOR_SAMPLE = 2 * len(CATEGORIES)  # 36: two of every category
CATALOGUES = {"demo": (DEMO_CATALOGUE, SAMPLE), "outdoor": (OUTDOOR, OUTDOOR_SAMPLE)}


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_the_generator_is_deterministic_and_covers_every_scenario(name: str) -> None:
    catalogue, size = CATALOGUES[name]
    orders = load_orders(catalogue)
    plans = generate(SEED, orders=orders)
    again = generate(SEED, orders=orders)
    assert [p.to_json() for p in plans] == [p.to_json() for p in again]
    assert len(plans) >= 300
    per_category = Counter(p.category for p in plans)
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 15
    touched = {number for p in plans for number in p.orders_touched}
    assert touched == {o.order_number for o in orders}  # every order of the catalogue is played
    emails = {o.email for o in orders}
    assert len(emails) >= 2
    sample = stratified_sample(plans, size, SEED)
    assert len(sample) == size
    assert set(Counter(p.category for p in sample).values()) == {size // len(CATEGORIES)}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    """One whole stack for both catalogues: the driver restarts its desk with each."""
    with whole_stack(tmp_path_factory.mktemp("shoppers-stack")) as started:
        yield started


@pytest.mark.parametrize("name", list(CATALOGUES))
def test_simulated_shoppers(name: str, running: stack.Stack, tmp_path: Path) -> None:
    catalogue, size = CATALOGUES[name]
    orders = load_orders(catalogue)
    plans = stratified_sample(generate(SEED, orders=orders), size, SEED)
    results, stats = play_all(plans, orders, running, tmp_path, workers=4, catalogue=catalogue)
    summary = summarize(results)
    report_name = "shoppers-ci.json" if name == "demo" else f"shoppers-ci-{name}.json"
    write_report(ROOT / "results" / report_name, results, summary, stats)
    report = table(summary)
    print(report)
    failures = "\n\n".join(format_failure(r) for r in results if not r.passed)
    message = f"\n{name} catalogue:\n{report}\n\nFailures:\n{failures}"
    assert summary["money_rate"] >= MONEY_TARGET, message
    assert summary["overall_rate"] >= OVERALL_TARGET, message


# ---------------------------------------------------------------------------- the checks' checks
class FakeDesk:
    """The support desk as the driver reads it: claims by order, handoffs by conversation."""

    def __init__(self) -> None:
        self.filed: list[dict] = []

    def claims(self, order_number: str) -> list[dict]:
        return [c for c in self.filed if c["order_number"] == order_number]

    def handoffs(self, conversation_id: str) -> int:
        return 0


class FakeBot:
    """A scripted claim form for STS-4829-1307 that understands everything it is told.

    `leak` shows the tracking number before the e-mail is checked; `units` files that many
    phone cases whatever the shopper said; `stuck` never accepts a description.
    """

    SLOTS = ["order_number", "email", "tracking_number", "missing_items", "description"]
    SLOTS += ["claim_confirmed"]

    def __init__(self, desk: FakeDesk, leak=False, units=None, stuck=False) -> None:
        self.desk, self.leak, self.units, self.stuck = desk, leak, units, stuck
        self.slot: str | None = None
        self.said = ""

    def send(self, sender: str, text: str) -> list[dict]:
        self.said += " " + text.lower()
        if self.slot is None and "CLM-" not in self.said:
            self.slot = "order_number"
            return [{"text": "What is your order number?"}]
        if self.slot is None:
            return [{"text": "You're welcome!"}]
        if self.slot == "description" and self.stuck:
            return [{"text": "Please describe what happened."}]
        if self.slot == "claim_confirmed":
            quantity = self.units or (2 if "both" in self.said or "2" in self.said else 1)
            claim = {
                "claim_number": "CLM-000002",
                "order_number": "STS-4829-1307",
                "conversation_id": sender,
                "items": [{"line_id": "STS-4829-1307-L2", "quantity": quantity}],
                "description": self.description,
                "tracking_number": "1Z4E82A70362815596",
            }
            self.desk.filed.append(claim)
            self.slot = None
            return [{"text": "I've filed claim CLM-000002."}]
        if self.slot == "description":
            self.description = text
        self.slot = self.SLOTS[self.SLOTS.index(self.slot) + 1]
        questions = {
            "email": "What e-mail address did you use?"
            + (" (UPS 1Z4E82A70362815596)" if self.leak else ""),
            "tracking_number": "One UPS package, tracking number 1Z4E82A70362815596. Is it?",
            "missing_items": "Which items are missing?",
            "description": "Please describe what happened.",
            "claim_confirmed": "Missing: Clear Phone Case. Shall I file this claim?",
        }
        buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
        yes_no = self.slot in ("tracking_number", "claim_confirmed")
        return [{"text": questions[self.slot], **({"buttons": buttons} if yes_no else {})}]

    def tracker(self, sender: str, events: bool = False) -> dict:
        return {
            "active_loop": {"name": "claim_form"} if self.slot else {},
            "slots": {"requested_slot": self.slot},
            "latest_message": {"intent": {"name": "inform"}},
            "events": [],
        }


def _phone_case_plan():
    from tests.shoppers.generator import Plan

    return Plan(
        id="fake-00",
        category="story_first",
        seed=1,
        order_number="STS-4829-1307",
        email="maya.chen@example.com",
        goal="claim",
        opening=[{"say": "hi, the phone cases weren't in the bag"}],
        items=[{"line_id": "STS-4829-1307-L2", "name": "Clear Phone Case", "quantity": 2}],
        items_text="both phone cases",
        order_answers=["sts48291307"],
        email_answers=["maya.chen@example.com"],
        descriptions=["The bag was sealed but the cases were not in it."],
        expected={"claim": {"STS-4829-1307-L2": 2}, "handoffs": 0},
    )


def _play(**bug):
    from tests.shoppers.driver import Shopper

    desk = FakeDesk()
    orders = {o.order_number: o for o in load_orders()}
    return Shopper(_phone_case_plan(), orders, FakeBot(desk, **bug), desk).play()


def test_the_driver_passes_a_bot_that_does_everything_right() -> None:
    result = _play()
    assert result.passed, result.issues + result.money_issues


def test_the_driver_catches_a_disclosure_before_verification() -> None:
    result = _play(leak=True)
    assert any("PRIVACY" in issue and "1Z4E82A70362815596" in issue for issue in result.issues)
    assert result.money_ok and not result.passed


def test_the_driver_flags_a_claim_with_the_wrong_quantity_as_a_money_failure() -> None:
    result = _play(units=1)
    assert not result.money_ok
    assert "wrong lines or quantities" in result.money_issues[0]


def test_the_driver_gives_up_on_a_bot_that_keeps_asking() -> None:
    result = _play(stuck=True)
    assert not result.passed and result.turns < 25
    assert any("kept asking for description" in issue for issue in result.issues)
    assert any("no claim was filed" in issue for issue in result.issues)
