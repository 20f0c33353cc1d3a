"""Simulated shoppers against a whole stack: `python -m tests.shoppers --all | --sample N`.

Generates the conversation plans for the orders of a catalogue file (`--catalogue`, the demo's
by default), starts the support desk, action server and Rasa server on free ports with a fresh
data folder, plays the plans on a support desk that holds that catalogue, prints the success
rate per category, the money-check rate, the overall rate, core fallbacks and handoffs per 100
conversations, and writes every failure with its transcript to results/shoppers.json (or
results/shoppers-NAME.json for another catalogue). The exit status is 1 when the targets (97%
overall, 100% on money checks) are missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from supportdesk.demo import DEMO_CATALOGUE
from tests.shoppers.driver import Result, play_all
from tests.shoppers.generator import CATEGORIES, Plan, generate, load_orders, stratified_sample

ROOT = Path(__file__).resolve().parents[2]
OVERALL_TARGET = 0.97
MONEY_TARGET = 1.0
DEFAULT_REPORT = ROOT / "results" / "shoppers.json"


def default_report(catalogue: Path) -> Path:
    """results/shoppers.json for the demo's catalogue, results/shoppers-NAME.json for another."""
    if catalogue.resolve() == DEMO_CATALOGUE.resolve():
        return DEFAULT_REPORT
    return DEFAULT_REPORT.with_name(f"shoppers-{catalogue.stem}.json")


def summarize(results: list[Result]) -> dict[str, Any]:
    by_category: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_category[result.category].append(result)
    n = max(1, len(results))
    categories = {}
    for category in [c for c in CATEGORIES if c in by_category]:
        group = by_category[category]
        categories[category] = {
            "conversations": len(group),
            "passed": sum(r.passed for r in group),
            "money_ok": sum(r.money_ok for r in group),
            "rate": sum(r.passed for r in group) / len(group),
        }
    return {
        "conversations": len(results),
        "passed": sum(r.passed for r in results),
        "overall_rate": sum(r.passed for r in results) / n,
        "money_rate": sum(r.money_ok for r in results) / n,
        "fallbacks_per_100": 100 * sum(r.fallbacks for r in results) / n,
        "handoffs_per_100": 100 * sum(max(r.handoffs, 0) for r in results) / n,
        "categories": categories,
        "targets_met": sum(r.passed for r in results) / n >= OVERALL_TARGET
        and sum(r.money_ok for r in results) / n >= MONEY_TARGET,
    }


def table(summary: dict[str, Any]) -> str:
    rows = [f"{'category':<24}{'n':>5}{'passed':>8}{'rate':>8}{'money ok':>10}"]
    for category, row in summary["categories"].items():
        rows.append(
            f"{category:<24}{row['conversations']:>5}{row['passed']:>8}"
            f"{row['rate']:>8.0%}{row['money_ok']:>6}/{row['conversations']:<3}"
        )
    rows.append("-" * 55)
    rows.append(
        f"{'overall':<24}{summary['conversations']:>5}{summary['passed']:>8}"
        f"{summary['overall_rate']:>8.1%}   (target {OVERALL_TARGET:.0%})"
    )
    rows.append(f"{'money checks':<24}{summary['money_rate']:>21.1%}   (target 100%)")
    rows.append(f"{'core fallbacks / 100':<24}{summary['fallbacks_per_100']:>21.1f}")
    rows.append(f"{'handoffs / 100':<24}{summary['handoffs_per_100']:>21.1f}")
    return "\n".join(rows)


def format_failure(result: Result) -> str:
    lines = [f"--- {result.plan_id} ({result.order_number}, sender {result.sender})"]
    lines += [f"  MONEY: {issue}" for issue in result.money_issues]
    lines += [f"  why: {issue}" for issue in result.issues]
    for n, turn in enumerate(result.transcript, start=1):
        note = f"  [{turn['note']}]" if turn.get("note") else ""
        lines.append(f"  {n:>2} shopper: {turn['shopper']}{note}")
        for text in turn["bot"]:
            lines.append("        bot: " + text.replace("\n", "\n             "))
        lines.append(f"        ({turn['state']}, intent {turn['intent']})")
    return "\n".join(lines)


def write_report(
    path: Path,
    results: list[Result],
    summary: dict[str, Any],
    stats: dict[str, Any],
    passed_transcripts: bool = False,
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "summary": summary,
        "run": stats,
        "failures": [r.to_json() for r in results if not r.passed],
        "passed": [r.to_json() if passed_transcripts else r.plan_id for r in results if r.passed],
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


def run(
    plans: list[Plan],
    workers: int,
    progress: bool = True,
    workdir: Path | None = None,
    catalogue: Path = DEMO_CATALOGUE,
) -> tuple[list[Result], dict[str, Any]]:
    """Start a whole stack in a fresh folder, play the plans on the catalogue, stop the stack."""
    from tests.conftest import whole_stack

    orders = load_orders(catalogue)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="shoppers-") as scratch:
        folder = workdir or Path(scratch)
        try:
            with whole_stack(folder) as running:
                stack_seconds = time.monotonic() - started
                results, stats = play_all(
                    plans,
                    orders,
                    running,
                    folder,
                    workers=workers,
                    progress=(lambda line: print(line, flush=True)) if progress else None,
                    catalogue=catalogue,
                )
        except RuntimeError:
            for log in sorted(folder.glob("*.log")):  # the scratch folder goes with the error
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"--- {log.name}\n" + "\n".join(tail), file=sys.stderr)
            raise
    stats["stack_start_seconds"] = round(stack_seconds, 1)
    stats["total_seconds"] = round(time.monotonic() - started, 1)
    return results, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.shoppers", description=__doc__)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every generated conversation")
    which.add_argument("--sample", type=int, help="a stratified sample of N conversations")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--category", action="append", help="only these categories")
    parser.add_argument("--workers", type=int, default=4, help="conversations played at once")
    parser.add_argument(
        "--catalogue",
        type=Path,
        default=DEMO_CATALOGUE,
        metavar="PATH",
        help="the catalogue file whose orders are played (default: the demo's)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="the JSON report (default: results/shoppers.json, or shoppers-NAME.json for "
        "another catalogue than the demo's)",
    )
    parser.add_argument("--list", action="store_true", help="print the plans, play nothing")
    parser.add_argument("--quiet", action="store_true", help="no line per conversation")
    parser.add_argument(
        "--passed-transcripts", action="store_true", help="keep passed conversations in the report"
    )
    args = parser.parse_args(argv)

    out = args.out or default_report(args.catalogue)
    plans = generate(args.seed, orders=load_orders(args.catalogue), categories=args.category)
    if not args.all:
        plans = stratified_sample(plans, args.sample or 72, args.seed)
    if args.list:
        for plan in plans:
            print(json.dumps(plan.to_json(), ensure_ascii=False))
        return 0
    print(
        f"Playing {len(plans)} conversations (seed {args.seed}) on {args.catalogue}...",
        flush=True,
    )
    results, stats = run(plans, args.workers, progress=not args.quiet, catalogue=args.catalogue)
    summary = summarize(results)
    write_report(out, results, summary, stats, args.passed_transcripts)
    print()
    print(table(summary))
    print(
        f"\n{stats['total_seconds']:.0f} s in all: stack start {stats['stack_start_seconds']:.0f}"
        f" s, {stats['batches']} batches, support desk restarts "
        f"{stats['desk_restart_seconds']:.2f} s each. Failures with transcripts: {out}"
    )
    return 0 if summary["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
