"""Scores the help center on shopper questions nobody tuned on (a blind set).

A set is a JSON list of {"id", "text", "article"}: the article slug that should answer the
question, or null when no article does (see tests/blind/README.md for how sets are written).

    python -m tests.blind.help_center SET.json [--stack] [--out results/help_center.json]

It reports top-1 (the answer given is the right article), top-3 (the right article is among
the three best), the share of no-answer questions declined, and, with --stack, how many
questions entered a form when sent as a first message to a whole running stack. Questions of
the flows' own articles (tracking, missing items, their refund, a claim's follow-up) may
start their flow; every other question must not.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from supportdesk import config
from supportdesk.help_center import HelpCenter, Settings

TARGETS = {"top1": 0.85, "declined": 0.90}
FLOW_ARTICLES = {"track-order", "missing-items", "partial-refund-missing", "follow-up-claim"}
FORM_STARTS = {"track", "claim", "claim_status"}


def help_center() -> HelpCenter:
    return HelpCenter(config.help_center_dir(), Settings(**config.help_center_settings()))


def retrieval(cases: list[dict[str, Any]], center: HelpCenter) -> dict[str, Any]:
    """Top-1, top-3 and declines, straight from the search."""
    rows = []
    for case in cases:
        result = center.search(case["text"])
        best = result.best
        rows.append(
            {
                **case,
                "answer": best.article.slug if best else None,
                "top3": [hit.article.slug for hit in result.hits],
                "score": result.hits[0].score if result.hits else 0.0,
            }
        )
    answerable = [r for r in rows if r["article"]]
    unanswerable = [r for r in rows if not r["article"]]
    top1 = sum(r["answer"] == r["article"] for r in answerable)
    top3 = sum(r["article"] in r["top3"] for r in answerable)
    declined = sum(r["answer"] is None for r in unanswerable)
    return {
        "top1": round(top1 / max(1, len(answerable)), 4),
        "top1_count": f"{top1}/{len(answerable)}",
        "top3": round(top3 / max(1, len(answerable)), 4),
        "top3_count": f"{top3}/{len(answerable)}",
        "declined": round(declined / max(1, len(unanswerable)), 4),
        "declined_count": f"{declined}/{len(unanswerable)}",
        "misses": [r for r in rows if r["answer"] != r["article"]],
    }


def in_conversation(cases: list[dict[str, Any]], rasa: str, token: str) -> dict[str, Any]:
    """Each question as a first message: did it enter a form it should not have?"""
    from tests.blind.first_messages import play

    outcomes = play(cases, rasa, token)
    entered = [
        {**case, **outcome}
        for case, outcome in zip(cases, outcomes, strict=True)
        if outcome["started"] in FORM_STARTS and case["article"] not in FLOW_ARTICLES
    ]
    return {"entered_a_form": len(entered), "of": len(cases), "entered": entered}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("--stack", action="store_true", help="also play them in conversations")
    parser.add_argument("--out", type=Path, default=Path("results/help_center.json"))
    args = parser.parse_args(argv)
    cases = json.loads(args.set.read_text())
    report = retrieval(cases, help_center())
    if args.stack:
        from tests.conftest import whole_stack

        folder = tempfile.TemporaryDirectory(prefix="help-")
        with folder, whole_stack(Path(folder.name)) as running:
            url = f"http://127.0.0.1:{running.ports.rasa}"
            report["conversation"] = in_conversation(cases, url, running.env["RASA_AUTH_TOKEN"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"top-1: {report['top1_count']} ({report['top1']:.1%})")
    print(f"top-3: {report['top3_count']} ({report['top3']:.1%})")
    print(f"no-answer questions declined: {report['declined_count']} ({report['declined']:.1%})")
    met = report["top1"] >= TARGETS["top1"] and report["declined"] >= TARGETS["declined"]
    if "conversation" in report:
        conversation = report["conversation"]
        print(f"entered a form: {conversation['entered_a_form']} of {conversation['of']}")
        met = met and not conversation["entered_a_form"]
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
