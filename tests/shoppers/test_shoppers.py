"""Simulated shoppers in CI: a fixed, stratified sample played against one whole stack.

The full run (`python -m tests.shoppers --all`, part of `make evaluate`) plays every generated
conversation; this sample keeps CI within a few minutes. Targets: every money check passes
(no claim with wrong lines or quantities, none for a unit in transit or already claimed, none
for an unverified shopper) and at least 97% of the conversations pass every check.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

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
SEED = 20261201
SAMPLE = 4 * len(CATEGORIES)  # 72: four conversations of every category


def test_the_generator_is_deterministic_and_covers_every_scenario() -> None:
    orders = load_orders()
    plans = generate(SEED, orders=orders)
    again = generate(SEED, orders=orders)
    assert [p.to_json() for p in plans] == [p.to_json() for p in again]
    assert len(plans) >= 300
    per_category = Counter(p.category for p in plans)
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 15
    touched = {number for p in plans for number in p.orders_touched}
    assert touched == {o.order_number for o in orders}  # every demo scenario is played
    emails = {o.email for o in orders}
    assert len(emails) >= 2
    sample = stratified_sample(plans, SAMPLE, SEED)
    assert len(sample) >= 60
    assert set(Counter(p.category for p in sample).values()) == {SAMPLE // len(CATEGORIES)}


def test_simulated_shoppers(tmp_path: Path) -> None:
    orders = load_orders()
    plans = stratified_sample(generate(SEED, orders=orders), SAMPLE, SEED)
    with whole_stack(tmp_path) as running:
        results, stats = play_all(plans, orders, running, tmp_path, workers=4)
    summary = summarize(results)
    write_report(ROOT / "results" / "shoppers-ci.json", results, summary, stats)
    report = table(summary)
    print(report)
    failures = "\n\n".join(format_failure(r) for r in results if not r.passed)
    message = f"\n{report}\n\nFailures:\n{failures}"
    assert summary["money_rate"] >= MONEY_TARGET, message
    assert summary["overall_rate"] >= OVERALL_TARGET, message
