"""Plays a blind set of conversations against a whole stack and checks what the shopper got.

A blind set is written by someone who has seen neither the code, the training data nor the
generator (tests/blind/README.md): `orders.json` (receipts of a retailer of its own) and
`conversations.json` (shoppers who react to what the assistant asks). The receipts become a
catalogue (tests/blind/receipts.py) that the support desk loads; each conversation is then
played over Rasa's REST channel, answering whatever question the tracker says is asked.

Checks, as the shopper experiences them: the outcome (a claim with exactly the expected units,
tracking shown, a status, an explanation, a person, nothing filed), the money checks (no claim
line the shopper did not say was missing, never a second claim), no question asked a third
time in a row, and nothing about an order shown before the shopper was verified. A set is
played once, as written, and never tuned on.

    python -m tests.blind.conversations FOLDER [--out results/blind.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.blind.receipts import convert
from tests.shoppers.driver import EXPLAINED, Rasa, SupportDesk

SLOT_KEYS = {
    "order_number": "order_number",
    "email": "email",
    "tracking_number": "package",
    "missing_items": "items",
    "item_quantity": "quantity",
    "description": "description",
    "claim_confirmed": "confirm",
    "claim_number": "claim_number",
}
ASKED_IN_ORDER = list(SLOT_KEYS.values())  # an aside for a question skipped comes at the next
TURN_BUDGET = 24
TARGET = 0.97  # of the conversations; and every money check, and no question a third time
RESTATE = ["I still need help with my order", "can we finish what we started?"]
# The buttons of the tasks (the domain's utter_how_can_i_help), by the outcome planned
TASK_BUTTONS = {
    "claim": "Items are missing",
    "tracking": "Where is my order?",
    "status": "Status of my claim",
}
STATUS_WORDS = re.compile(r"\bCLM-\d{6}\b")
STATUS_REPLY = re.compile(r"\bClaim (CLM-\d{6})(?: \(order |: )")  # a claim's status told
NO_CLAIMS = re.compile(r"\bThere are no claims on order (STS-\d{4}-\d{4})")
EARLIER = re.compile(
    r"\b(other|older|last|previous|before|earlier|first|different|a while back|ago)\b", re.I
)
JUST_FILED = re.compile(r"\b(that|this|the one you just|just (?:made|filed|gave))\b", re.I)
NOT_AT_STORE = EXPLAINED["not_at_store"]  # the same words as the simulated shoppers'
ALREADY = EXPLAINED["already_claimed"]
# Not served here: said so, or answered from the help center (an article, or "I don't know").
CANT_HERE = re.compile(
    r"can't|cannot|not something I can|not here|isn't something|in our help center|"
    r"don't know the answer",
    re.I,
)


@dataclass
class Played:
    """One conversation as played: the turns and what the checks found."""

    cid: str
    category: str
    outcome: str
    sender: str
    turns: list[dict[str, Any]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    money: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.issues and not self.money


class Shopper:
    """A blind conversation's shopper: the opening, then answers to what is asked."""

    def __init__(
        self, plan: dict[str, Any], order: dict[str, Any], rasa: Rasa, desk: SupportDesk
    ) -> None:
        self.plan, self.order, self.rasa, self.desk = plan, order, rasa, desk
        self.sender = f"blind-{plan['id']}-{uuid.uuid4().hex[:6]}"
        self.answers = {k: _as_list(v) for k, v in (plan.get("answers") or {}).items()}
        self.asides = list(plan.get("asides") or [])
        self.played = Played(plan["id"], plan.get("category", ""), _outcome(plan), self.sender)
        self.slot_run: tuple[str | None, int] = (None, 0)
        self.verified = False
        self.said = ""
        self.loop: str | None = None
        self.slot: str | None = None
        self.replies: list[str] = []
        self.form_seen = False
        self.buttons: list[dict[str, Any]] = []
        self.tapped = False

    # -- plumbing
    def say(self, text: str, answering: bool = True) -> None:
        text = self._fill(text)
        messages = self.rasa.send(self.sender, text)
        tracker = self.rasa.tracker(self.sender, events=True)
        self.loop = (tracker.get("active_loop") or {}).get("name")
        self.slot = (tracker.get("slots") or {}).get("requested_slot") if self.loop else None
        self.form_seen |= self.loop is not None
        self.verified |= bool((tracker.get("slots") or {}).get("verified_order"))
        texts = [m.get("text") or "" for m in messages]
        self.said += " " + text.lower()
        self._privacy(texts)
        self.replies += texts
        buttons = [b for m in messages for b in m.get("buttons") or []]
        self.buttons = buttons
        self.played.turns.append(
            {
                "shopper": text,
                "bot": texts,
                "buttons": [b.get("title") for b in buttons],
                "state": f"{self.loop or '-'}/{self.slot or '-'}",
            }
        )
        self._count_asks(answering)

    def _fill(self, text: str) -> str:
        numbers = self.order["tracking"]
        text = text.replace("{tracking}", numbers[0] if numbers else "")
        return text.replace("{tracking2}", numbers[1] if len(numbers) > 1 else "")

    def _count_asks(self, answering: bool) -> None:
        """The same question after an answer, three times in a row, is a failure, also when the
        bot took the answer for an aside: the shopper meant it as the answer."""
        asked, count = self.slot_run
        if self.slot is None:
            self.slot_run = (None, 0)
            return
        # "Which one do you mean?" and "How many?" share the slot but are two questions
        question = f"{self.slot} (which one)" if self._asks_which_one() else self.slot
        if question == asked and answering:
            count += 1
            if count == 2:
                self.played.issues.append(
                    f"turn {len(self.played.turns)}: {question} asked a third time in a row"
                )
        elif question != asked:
            count = 0
        self.slot_run = (question, count)

    def _privacy(self, texts: list[str]) -> None:
        if self.verified:
            return
        for term in self.order["private"]:
            for text in texts:
                if term.lower() in text.lower() and term.lower() not in self.said:
                    self.played.issues.append(f"PRIVACY: {term!r} shown before verification")

    # -- the conversation
    def play(self) -> Played:
        try:
            for text in _as_list(self.plan.get("opening")):
                self.say(text, answering=False)
            self._start_asides()
            restated = 0
            while len(self.played.turns) < TURN_BUDGET:
                if self.loop and self.slot:
                    self._answer(self.slot)
                    continue
                if self._goal_reached() or not self._wants_more():
                    break
                if self._tap_the_task():
                    continue
                if restated >= len(RESTATE):
                    break
                self.say(RESTATE[restated], answering=False)
                restated += 1
            if self.played.category == "out_of_scope_midway":
                self.form_seen = False  # the task before it may use a form: the request may not
            for aside in list(self.asides):  # its question never came: said all the same
                self.asides.remove(aside)
                self.say(aside["say"], answering=False)
            for text in _as_list(self.plan.get("after")):
                self.say(text, answering=False)
            self._check()
        except requests.RequestException as error:
            self.played.issues.append(f"HTTP error: {error}")
        return self.played

    def _tap_the_task(self) -> bool:
        """Shown the tasks as buttons ("What would you like to do?"), a shopper taps the one
        they came for, once: the writer planned the words, not the taps."""
        title = TASK_BUTTONS.get(self.played.outcome)
        button = next((b for b in self.buttons if b.get("title") == title), None)
        if button is None or self.tapped:
            return False
        self.tapped = True
        self.say(button.get("payload") or title, answering=False)
        return True

    def _start_asides(self) -> None:
        for aside in [a for a in self.asides if a.get("when") == "start"]:
            self.asides.remove(aside)
            self.say(aside["say"], answering=False)

    def _answer(self, slot: str) -> None:
        key = SLOT_KEYS.get(slot)
        aside = next((a for a in self.asides if _due(a.get("when"), key)), None)
        if aside is not None:
            self.asides.remove(aside)
            self.say(aside["say"], answering=False)
            return
        if slot == "items_confirmed":
            self.say(self._confirm_items())
            return
        if slot == "item_quantity" and self._asks_which_one():
            key = "items"  # "which one do you mean?": the shopper names the item again
        if slot == "tracking_number" and not self.answers.get("package"):
            self.say("yes")
            return
        options = self.answers.get(key or "") or []
        if not options:
            self.played.issues.append(f"turn {len(self.played.turns)}: asked for {slot}, unplanned")
            self.say("I don't know", answering=False)
            return
        self.say(options.pop(0) if len(options) > 1 else options[0])

    def _asks_which_one(self) -> bool:
        names = {n.lower() for n in self.order["lines"]}
        return sum(str(b.get("title", "")).lower() in names for b in self.buttons) >= 2

    def _confirm_items(self) -> str:
        """Yes when the proposed lines are what the shopper said is missing, else the items."""
        question = (self.replies[-1] if self.replies else "").lower()
        wanted = self.plan.get("expect", {}).get("claim_items") or {}
        named = {n.lower() for n in self.order["lines"] if n.lower() in question}
        if "already" in question:  # "... already has claim X. Are these missing besides?"
            return "yes" if named and named <= {n.lower() for n in wanted} else "no"
        if named == {n.lower() for n in wanted}:
            return "yes"
        items = self.answers.get("items")
        if isinstance(items, list) and len(items) > 1:
            return items.pop(0)  # in the order planned, as for any question
        return _as_list(items)[-1] if items else ", ".join(wanted)

    def _wants_more(self) -> bool:
        return self.played.outcome in {"claim", "tracking", "status"}

    def _goal_reached(self) -> bool:
        outcome = self.played.outcome
        if outcome == "claim":
            return bool(self._claims())
        if outcome == "tracking":
            return self._tracking_shown()
        if outcome == "status":
            return bool(STATUS_WORDS.search(" ".join(self.replies)))
        return True

    def _tracking_shown(self) -> bool:
        return any(t in " ".join(self.replies) for t in self.order["tracking"])

    def _status_shown(self, joined: str, mine: list[dict[str, Any]]) -> bool:
        """A claim's status was told: the one the shopper asked about. "That claim", right
        after filing one, is the new one; otherwise it is a claim from before this chat."""
        shown = set(STATUS_REPLY.findall(joined))
        own = {c["claim_number"] for c in mine}
        asked = " ".join(
            [*_as_list(self.plan.get("after")), *_as_list(self.plan["answers"].get("claim_number"))]
        )
        earlier = STATUS_WORDS.search(asked) or EARLIER.search(asked)
        if own and JUST_FILED.search(asked) and not earlier:
            return bool(shown & own)
        return bool(shown - own) or any(
            not [c for c in self.desk.claims(number) if c["claim_number"] not in own]
            for number in NO_CLAIMS.findall(joined)
        )  # asked about an order that truly has no claim: that is its status

    def _claims(self) -> list[dict[str, Any]]:
        claims = self.desk.claims(self.order["order_number"])
        return [c for c in claims if c.get("conversation_id") == self.sender]

    # -- checks
    def _check(self) -> None:
        expect = self.plan.get("expect") or {}
        outcome = self.played.outcome
        mine = self._claims()
        wanted = {
            self.order["line_ids"][n]: q for n, q in (expect.get("claim_items") or {}).items()
        }
        said_missing = set(wanted)
        for claim in mine:
            for item in claim["items"]:
                if item["line_id"] not in said_missing:
                    self.played.money.append(
                        f"{claim['claim_number']} claims {item['line_id']}, never said missing"
                    )
        if len(mine) > 1:
            self.played.money.append(f"{len(mine)} claims in one conversation")
        files = {"claim", "in_transit"} | (
            {"status"} if wanted else set()
        )  # "filed, and the old one?"
        if wanted and outcome in files:
            got = {i["line_id"]: i["quantity"] for c in mine for i in c["items"]}
            if not mine:
                self.played.issues.append("no claim was filed")
            elif got != wanted:
                self.played.money.append(f"claim lines {got}, expected {wanted}")
        elif mine and outcome not in files:
            self.played.money.append(f"a claim was filed for a {outcome!r} conversation")
        joined = " ".join(self.replies)
        if outcome == "tracking" and not self._tracking_shown():
            self.played.issues.append("the tracking was never shown")
        if outcome == "status" and not self._status_shown(joined, mine):
            self.played.issues.append("no status of the claim the shopper asked about was given")
        if outcome in {"in_transit", "not_at_store"} and not NOT_AT_STORE.search(joined):
            self.played.issues.append("never said the package is still on its way")
        if outcome == "already_claimed" and not ALREADY.search(joined):
            self.played.issues.append("never said the item is already claimed")
        if outcome == "out_of_scope":
            if self.form_seen:
                self.played.issues.append("an out-of-scope request entered a form")
            if not CANT_HERE.search(joined):
                self.played.issues.append("never said it can't do that here")
        self._check_handoffs(expect, mine)

    def _check_handoffs(self, expect: dict[str, Any], mine: list[dict[str, Any]]) -> None:
        handoffs = self.desk.handoffs(self.sender)
        review = any(c.get("status") == "in_review" for c in mine)
        if expect.get("asks_for_person") or self.played.outcome == "handoff":
            if handoffs < 1:
                self.played.issues.append("asked for a person, but no handoff was opened")
        elif handoffs and not review:
            self.played.issues.append(f"{handoffs} handoff(s) that nobody asked for")
        if handoffs > 1:
            self.played.issues.append(f"{handoffs} handoffs in one conversation")


def _due(when: Any, key: str | None) -> bool:
    """An aside is said at its question, or at the next one when its own was never asked
    (the bot already knew the items, so "which items?" never came)."""
    if when == key:
        return True
    order = ASKED_IN_ORDER
    return when in order and key in order and order.index(when) < order.index(key)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _outcome(plan: dict[str, Any]) -> str:
    return str((plan.get("expect") or {}).get("outcome") or "claim")


# ---------------------------------------------------------------------------- the set
def order_facts(catalogue: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the checks need of each order: tracking numbers, line ids by name, private terms."""
    facts = {}
    for order in catalogue["orders"]:
        number = order["order_number"]
        lines = {
            line["name"]: line.get("line_id") or f"{number}-L{n}"
            for n, line in enumerate(order["lines"], start=1)
        }
        tracking = [p["tracking_number"] for p in order.get("packages") or []]
        facts[order["order_number"]] = {
            "order_number": order["order_number"],
            "tracking": tracking,
            "lines": list(lines),
            "line_ids": lines,
            "private": [*tracking, *lines],
        }
    return facts


def batches(plans: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Conversations on different orders run side by side; each batch gets a fresh desk."""
    result: list[list[dict[str, Any]]] = []
    for plan in plans:
        for batch in result:
            if all(other["order"] != plan["order"] for other in batch) and len(batch) < 6:
                batch.append(plan)
                break
        else:
            result.append([plan])
    return result


def play_set(folder: Path, workers: int = 4) -> list[Played]:
    """Convert the receipts, start a whole stack on them and play every conversation once."""
    from tests.conftest import whole_stack

    plans = json.loads((folder / "conversations.json").read_text())
    plans = plans["conversations"] if isinstance(plans, dict) else plans
    with tempfile.TemporaryDirectory(prefix="blind-") as tmp:
        work = Path(tmp)
        catalogue, _ = convert(json.loads((folder / "orders.json").read_text()))
        path = work / "catalogue.json"
        path.write_text(json.dumps(catalogue))
        facts = order_facts(catalogue)
        with whole_stack(work / "stack") as running:
            desk = SupportDesk(running, work, catalogue=path)
            rasa = Rasa.of(running)
            played: dict[str, Played] = {}
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for batch in batches(plans):
                    desk.reset()
                    for result in pool.map(
                        lambda p: Shopper(p, facts[p["order"]], rasa, desk).play(), batch
                    ):
                        played[result.cid] = result
    return [played[p["id"]] for p in plans]


def summarize(results: list[Played]) -> dict[str, Any]:
    per_category: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        per_category[r.category]["n"] += 1
        per_category[r.category]["passed"] += r.passed
        per_category[r.category]["money_ok"] += not r.money
    third = sum(any("third time" in i for i in r.issues) for r in results)
    return {
        "conversations": len(results),
        "passed": sum(r.passed for r in results),
        "rate": round(sum(r.passed for r in results) / max(1, len(results)), 4),
        "money_ok_rate": round(sum(not r.money for r in results) / max(1, len(results)), 4),
        "asked_a_third_time": third,
        "per_category": {k: dict(v) for k, v in sorted(per_category.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="holds orders.json and conversations.json")
    parser.add_argument("--out", type=Path, default=Path("results/blind_conversations.json"))
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    started = time.monotonic()
    results = play_set(args.folder, args.workers)
    summary = summarize(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"summary": summary, "results": [r.__dict__ for r in results]}
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print(f"{'category':<22} {'n':>3} {'passed':>7} {'money ok':>9}")
    for name, row in summary["per_category"].items():
        print(f"{name:<22} {row['n']:>3} {row['passed']:>7} {row['money_ok']:>9}")
    print(
        f"overall {summary['passed']}/{summary['conversations']} ({summary['rate']:.1%}); "
        f"money checks {summary['money_ok_rate']:.1%}; asked a third time in a row: "
        f"{summary['asked_a_third_time']}; {time.monotonic() - started:.0f} s"
    )
    for r in results:
        if not r.passed:
            print(f"FAIL {r.cid} {r.category}: {'; '.join(r.money + r.issues)[:300]}")
    met = summary["rate"] >= TARGET and summary["money_ok_rate"] == 1
    return 0 if met and not summary["asked_a_third_time"] else 1


if __name__ == "__main__":
    sys.exit(main())
