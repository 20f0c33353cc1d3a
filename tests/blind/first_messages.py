"""Plays blind first messages against a running stack: does each start the right thing?

Each message opens a fresh conversation over Rasa's REST channel. What the bot did with it is
read from the tracker: the form it entered, the actions of the turn and whether a person was
brought in. A set is a JSON list of {"text", "expect", "topic"} written by someone who has not
seen the assistant (see tests/blind/README.md); it is played as it is and never tuned on.

    python -m tests.blind.first_messages SET.json [--rasa URL] [--out results/first.json]

Without --rasa it starts a whole stack of its own (as `make evaluate` does).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

IN_SCOPE_TARGET = 0.95  # and no out-of-scope message enters a form
FORMS = {"verify_form": "track", "claim_form": "claim", "claim_status_form": "claim_status"}
STARTS = {
    "track": {"track"},
    "missing_item": {"claim"},
    "refund": {"claim"},
    "claim_status": {"claim_status"},
    "human": {"human"},
    "greet": {"nothing", "human_offer"},
    "out_of_scope": {"nothing", "human_offer"},
}
RESULT_ACTIONS = {
    "action_show_tracking": "track",
    "action_claim_status": "claim_status",
    "action_submit_claim": "claim",
}


def started(events: list[dict[str, Any]], replies: list[dict[str, Any]]) -> str:
    """What the turn started: a form (by kind), a handoff, or nothing."""
    turn = events[max(i for i, e in enumerate(events) if e.get("event") == "user") :]
    names = [e.get("name") for e in turn if e.get("event") == "action"]
    loops = [e.get("name") for e in turn if e.get("event") == "active_loop" and e.get("name")]
    if any(e.get("event") == "slot" and e.get("name") == "handoff_id" for e in turn):
        return "human"
    for loop in loops:
        return FORMS.get(loop, loop)
    for name in names:
        if name in RESULT_ACTIONS:
            return RESULT_ACTIONS[name]
        if name in FORMS:
            return FORMS[name]
    offered = any(
        b.get("payload") == "/request_human" for r in replies for b in r.get("buttons") or []
    )
    return "human_offer" if offered else "nothing"


def play_one(rasa: str, token: str, text: str) -> dict[str, Any]:
    sender = f"first-{uuid.uuid4().hex[:12]}"
    replies = requests.post(
        f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    ).json()
    tracker = requests.get(
        f"{rasa}/conversations/{sender}/tracker",
        params={"token": token, "include_events": "ALL"},
        timeout=30,
    ).json()
    intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
    return {
        "started": started(tracker.get("events") or [], replies),
        "intent": intent,
        "reply": " ".join(r.get("text") or "" for r in replies)[:300],
    }


def play(cases: list[dict[str, Any]], rasa: str, token: str) -> list[dict[str, Any]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda c: play_one(rasa, token, c["text"]), cases))


def score(cases: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    """Rates per expected start: in scope started right; out of scope never entered a form."""
    by_expect: dict[str, Counter[str]] = defaultdict(Counter)
    failures = []
    for case, outcome in zip(cases, outcomes, strict=True):
        ok = outcome["started"] in STARTS[case["expect"]]
        by_expect[case["expect"]]["ok" if ok else "failed"] += 1
        if not ok:
            failures.append({**case, **outcome})
    in_scope = [c for c in by_expect if c != "out_of_scope"]
    passed = sum(by_expect[c]["ok"] for c in in_scope)
    total = sum(sum(by_expect[c].values()) for c in in_scope)
    oos = by_expect["out_of_scope"]
    entered = sum(
        1
        for c, o in zip(cases, outcomes, strict=True)
        if c["expect"] == "out_of_scope" and o["started"] in {"track", "claim", "claim_status"}
    )
    return {
        "in_scope_rate": round(passed / max(1, total), 4),
        "in_scope": f"{passed}/{total}",
        "out_of_scope_entered_a_form": entered,
        "out_of_scope_ok": f"{oos['ok']}/{sum(oos.values())}",
        "per_expect": {k: dict(v) for k, v in sorted(by_expect.items())},
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("--rasa", help="a running Rasa server (default: start a whole stack)")
    parser.add_argument("--token-file", type=Path, default=Path("var/rasa.token"))
    parser.add_argument("--out", type=Path, default=Path("results/first_messages.json"))
    args = parser.parse_args(argv)
    cases = json.loads(args.set.read_text())
    if args.rasa:
        token = os.environ.get("RASA_AUTH_TOKEN") or args.token_file.read_text().strip()
        outcomes = play(cases, args.rasa, token)
    else:
        from tests.conftest import whole_stack

        folder = tempfile.TemporaryDirectory(prefix="first-")
        with folder, whole_stack(Path(folder.name)) as running:
            url = f"http://127.0.0.1:{running.ports.rasa}"
            outcomes = play(cases, url, running.env["RASA_AUTH_TOKEN"])
    report = score(cases, outcomes)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"in scope started right: {report['in_scope']} ({report['in_scope_rate']:.1%})")
    print(f"out of scope: {report['out_of_scope_ok']} fine, "
          f"{report['out_of_scope_entered_a_form']} entered a form")  # fmt: skip
    for expect, counts in report["per_expect"].items():
        print(f"  {expect:<14} {counts.get('ok', 0):4d} ok {counts.get('failed', 0):4d} failed")
    met = report["in_scope_rate"] >= IN_SCOPE_TARGET and not report["out_of_scope_entered_a_form"]
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
