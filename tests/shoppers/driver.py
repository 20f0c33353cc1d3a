"""Plays conversation plans against a running stack, as reactive shoppers, and checks outcomes.

A shopper talks over Rasa's REST channel with a fresh sender id. After each bot reply it reads
the tracker (active loop, requested slot, latest message) and answers what is asked, in its own
style; repair behaviours are injected when the bot asks for a planned slot and checked right
then. Afterwards the support desk says what really happened: the claims filed by this
conversation (lines and quantities exactly as planned, or none) and the handoffs opened for it.

Claims consume units, so plans are run in batches in which no two conversations touch the same
order and no customer reaches the refund policy's recent-claims limit; the support desk is
restarted with a fresh database before each batch (under a second), loaded with the catalogue
being played (the demo's by default), and the conversations of a batch run side by side.
"""

from __future__ import annotations

import difflib
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests

from scripts import stack as stack_module
from supportdesk.demo import DEMO_CATALOGUE
from supportdesk.policy import RefundPolicy
from tests.shoppers import phrases as P
from tests.shoppers.generator import OrderFacts, Plan

ROOT = Path(__file__).resolve().parents[2]
TURN_BUDGET = 25
GIVE_UP_AFTER = 3  # answers for one slot that the bot refused
CLAIM_QUESTIONS = ["tracking_number", "missing_items", "item_quantity", "items_confirmed"]
CLAIM_QUESTIONS += ["description"]
CLAIM_QUESTIONS += ["claim_confirmed"]
FALLBACK_ACTIONS = {
    "action_cannot_handle",  # this project's core fallback (config.yml)
    "action_default_fallback",
    "action_two_stage_fallback",
    "action_default_ask_affirmation",
    "action_default_ask_rephrase",
}
HANDOFF_REF = re.compile(r"\bH-(\d+)\b")
CLAIM_REF = re.compile(r"\bCLM-\d{6}\b")
EXPLAINED = {
    "not_at_store": re.compile(
        r"on (its|the|their) way|in transit|not (yet )?(at|reached|arrived)|"
        r"(hasn't|has not|haven't|have not|isn't|is not|not) (yet )?(reached|arrived|been "
        r"received|received|at the store)|still travel|not there yet|yet to arrive",
        re.IGNORECASE,
    ),
    "already_claimed": re.compile(r"already", re.IGNORECASE),
}
EXPLAINED["in_transit"] = EXPLAINED["not_at_store"]
NOTHING_FILED = re.compile(
    r"(nothing|haven't|have not|not been|wasn't|was not|no claim|didn't|did not)[^.!?]{0,40}"
    r"(filed|submitted|sent|opened|created)|cancel",
    re.IGNORECASE,
)
STOPPED = re.compile(r"stop|cancel|no problem|okay|alright|nothing|sure", re.IGNORECASE)
BAD_VALUE = re.compile(r"doesn't look like|does not look like|couldn't match|not a valid", re.I)
DIGRESSION_ANSWERED = {
    "bot": re.compile(r"\b(bot|virtual|assistant|automated|not a (real )?person|AI)\b", re.I),
    "hours": re.compile(
        r"\b\d{1,2}(:\d{2})?\s*(am|pm)\b|\b\d{1,2}:\d{2}\b|open (from|until|till)|hours", re.I
    ),
    "where_package": re.compile(
        r"store|on its way|received|picked up|in transit|deliver|package", re.I
    ),
}
OFFERS_HELP = re.compile(r"\bI can\b|help (you )?with|you can (ask|say)|try saying", re.I)


# ---------------------------------------------------------------------------- the stack
class SupportDesk:
    """The stack's support desk, restartable on the same port with a fresh database."""

    def __init__(
        self, running: stack_module.Stack, workdir: Path, catalogue: Path = DEMO_CATALOGUE
    ) -> None:
        self.running = running
        self.workdir = workdir
        self.catalogue = catalogue.resolve()
        self.url = f"http://127.0.0.1:{running.ports.supportdesk}"
        self.headers = {"Authorization": f"Bearer {running.env['SUPPORTDESK_API_KEY']}"}
        self.epoch = 0
        self.db_path: Path | None = None
        self.restart_seconds: list[float] = []

    def _index(self) -> int:
        for n, process in enumerate(self.running.processes):
            args = [str(a) for a in process.args]
            if "supportdesk" in args and "serve" in args:
                return n
        raise RuntimeError("the stack has no support desk process")

    def reset(self) -> None:
        """Stop the support desk and start it again on a new database with the catalogue."""
        started = time.monotonic()
        n = self._index()
        old = self.running.processes[n]
        old.terminate()
        try:
            old.wait(timeout=15)
        except subprocess.TimeoutExpired:
            old.kill()
            old.wait()
        self.epoch += 1
        self.db_path = self.workdir / f"supportdesk-{self.epoch:03d}.db"
        command = [sys.executable, "-m", "supportdesk", "serve", "--port",
                   str(self.running.ports.supportdesk), "--catalogue", str(self.catalogue),
                   "--database-url", f"sqlite:///{self.db_path}"]  # fmt: skip
        log = open(self.workdir / "supportdesk-restarts.log", "ab")  # noqa: SIM115
        self.running.processes[n] = subprocess.Popen(
            command, cwd=ROOT, env=self.running.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.running.processes[n].poll() is not None:
                raise RuntimeError("the support desk exited on restart; see its log")
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    self.restart_seconds.append(time.monotonic() - started)
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("the support desk did not come back within 30 s")

    def claims(self, order_number: str) -> list[dict[str, Any]]:
        answer = requests.get(
            f"{self.url}/api/v1/claims",
            params={"order_number": order_number},
            headers=self.headers,
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["claims"]

    def handoffs(self, conversation_id: str) -> int:
        """Handoffs opened for a conversation, read from the support desk's own database."""
        assert self.db_path is not None
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10) as db:
            row = db.execute(
                "SELECT COUNT(*) FROM handoffs WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
        return int(row[0])


@dataclass
class Rasa:
    url: str
    token: str

    @classmethod
    def of(cls, running: stack_module.Stack) -> Rasa:
        return cls(f"http://127.0.0.1:{running.ports.rasa}", running.env["RASA_AUTH_TOKEN"])

    def send(self, sender: str, text: str) -> list[dict[str, Any]]:
        answer = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        answer.raise_for_status()
        return answer.json()

    def tracker(self, sender: str, events: bool = False) -> dict[str, Any]:
        answer = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.token, "include_events": "ALL" if events else "NONE"},
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json()


# ---------------------------------------------------------------------------- results
@dataclass
class Result:
    plan_id: str
    category: str
    order_number: str
    sender: str
    passed: bool
    money_ok: bool
    issues: list[str]
    money_issues: list[str]
    turns: int
    fallbacks: int
    handoffs: int
    seconds: float
    transcript: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or "" for m in messages if m.get("text")]


def _buttons(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [b for m in messages for b in (m.get("buttons") or [])]


def _yes_no(messages: list[dict[str, Any]]) -> bool:
    for button in _buttons(messages):
        payload = str(button.get("payload", "")).lower()
        title = str(button.get("title", "")).lower()
        if payload in ("/affirm", "/deny") or re.match(r"(yes|no)\b", title):
            return True
    return False


# ---------------------------------------------------------------------------- one shopper
class Shopper:
    """One simulated shopper playing one plan."""

    def __init__(
        self, plan: Plan, orders: dict[str, OrderFacts], rasa: Rasa, desk: SupportDesk
    ) -> None:
        self.plan = plan
        self.order = orders[plan.order_number]
        self.orders = orders
        self.rasa = rasa
        self.desk = desk
        self.sender = f"shopper-{plan.id}-{uuid.uuid4().hex[:8]}"
        self.transcript: list[dict[str, Any]] = []
        self.issues: list[str] = []
        self.money: list[str] = []
        self.loop: str | None = None
        self.slot: str | None = None
        self.reply: list[dict[str, Any]] = []
        self.verified = False
        self.given_order: str | None = None
        self.given_email: str | None = None
        self.order_answers = list(plan.order_answers)
        self.email_answers = list(plan.email_answers)
        self.descriptions = list(plan.descriptions)
        self.fired: set[int] = set()
        self.accepted: set[str] = set()
        self.from_opening = {"items": "missing_items"}
        self.questions: dict[str, str] = {}
        self.asks: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()
        self.retried: set[str] = set()
        self.after = list(plan.after)
        self.restated = 0
        self.claim: dict[str, Any] | None = None
        self.corrected = False
        self.correction_checked = False
        self.denied_package = False
        self.handoff_ref: str | None = None
        self.shopper_words = ""
        self.explained_at: int | None = None
        self.claim_question_at: dict[str, int] = {}
        self.tracking_seen = False
        self.gave_up = False
        self.cancelled = False
        self.description_sent: str | None = None
        self.description_asks = 0
        self.completion_asked = False
        self.completion_answered = False
        self.ended = False
        self.target_tracking = self._target_tracking()
        for fact in plan.named_in_opening:
            self.accepted.add({"items": "missing_items"}.get(fact, fact))

    # -- plumbing
    def _target_tracking(self) -> str | None:
        items = self.plan.final_items or self.plan.items
        for item in items:
            try:
                return self.order.package_of(item["line_id"]).tracking_number
            except StopIteration:
                continue
        return self.order.tracking_numbers[0] if self.order.tracking_numbers else None

    def _issue(self, text: str) -> None:
        if text not in self.issues:
            self.issues.append(text)

    def _money(self, text: str) -> None:
        if text not in self.money:
            self.money.append(text)

    @property
    def turn(self) -> int:
        return len(self.transcript)

    def say(
        self,
        text: str,
        answering: str | None = None,
        order: str | None = None,
        email: str | None = None,
        note: str = "",
    ) -> list[dict[str, Any]]:
        """One turn: the message, the bot's reply, the tracker's state, and per-turn checks."""
        before = (self.loop, self.slot)
        messages = self.rasa.send(self.sender, text)
        tracker = self.rasa.tracker(self.sender)
        loop = (tracker.get("active_loop") or {}).get("name")
        slot = (tracker.get("slots") or {}).get("requested_slot")
        intent = ((tracker.get("latest_message") or {}).get("intent") or {}).get("name")
        self.shopper_words += " " + text.lower()
        if order:
            self.given_order = order
        if email:
            self.given_email = email
        if (
            self.given_order == self.order.order_number
            and self.given_email
            and self.given_email.lower() == self.order.email.lower()
        ):
            self.verified = True
        self.transcript.append(
            {
                "shopper": text,
                "bot": [
                    m.get("text", "")
                    + "".join(
                        f" [{b.get('title')} -> {b.get('payload')}]" for b in m.get("buttons") or []
                    )
                    for m in messages
                ],
                "intent": intent,
                "state": f"{loop or '-'}/{slot or '-'}",
                **({"note": note} if note else {}),
            }
        )
        if not messages:
            self._issue(f"turn {self.turn}: no answer to {text!r}")
        self._check_privacy(messages)
        explained_before = self.explained_at
        self._observe(messages, slot)
        refused = note in ("wrong email", "short description", "deny package")
        if explained_before is None and self.explained_at == self.turn:
            refused = True  # the bot rightly refuses what it just explained it can't claim
        if note == "wrong email":
            self.accepted -= {"order_number", "email"}  # a failed check asks for both again
        if answering and slot == answering and loop == before[0] and before[1] == answering:
            if not refused and answering != "item_quantity":
                self.refusals[answering] += 1
                if self.refusals[answering] == 1:
                    reply = " ".join(_texts(messages))[:160]
                    self._issue(
                        f"turn {self.turn}: {answering} answer {text!r} not accepted: {reply!r}"
                    )
        elif answering and not refused:
            self.accepted.add(answering)
        if slot and slot != before[1]:
            self._asked(slot, messages)
        self.loop, self.slot, self.reply = loop, slot, messages
        if slot == "order_number":
            self.given_order = None if not self.verified else self.given_order
        if slot == "email" and not self.verified:
            self.given_email = None
        return messages

    def _check_privacy(self, messages: list[dict[str, Any]]) -> None:
        """Nothing about an order before its customer is verified; never another's order."""
        own = [] if self.verified else self.order.private_terms()
        foreign: list[str] = []
        for other in self.orders.values():
            if other.email.lower() != self.order.email.lower():
                foreign += other.private_terms()
        for text in _texts(messages):
            lowered = text.lower()
            for term in own:
                if term.lower() in lowered and term.lower() not in self.shopper_words:
                    self._issue(
                        f"PRIVACY: turn {self.turn}: {term!r} shown before the shopper was verified"
                    )
            for term in foreign:
                if term.lower() in lowered and term.lower() not in self.shopper_words:
                    self._issue(f"PRIVACY: turn {self.turn}: another customer's {term!r} shown")

    def _observe(self, messages: list[dict[str, Any]], slot: str | None) -> None:
        texts = _texts(messages)
        joined = "\n".join(texts)
        numbers = self.order.tracking_numbers
        if self.verified and any(all(t in text for t in numbers) for text in texts):
            self.tracking_seen = True
        explain = self.plan.expected.get("explain")
        if explain and self.verified and self.explained_at is None:
            existing = [c for c in CLAIM_REF.findall(joined)]
            if EXPLAINED[explain].search(joined) or (explain == "already_claimed" and existing):
                self.explained_at = self.turn
        if slot in CLAIM_QUESTIONS and slot not in self.claim_question_at:
            self.claim_question_at[slot] = self.turn
        if self.completion_asked and self.claim and self.claim["claim_number"] in joined:
            self.completion_answered = True

    def _asked(self, slot: str, messages: list[dict[str, Any]]) -> None:
        """The bot asks for `slot` (it was asking something else before)."""
        self.asks[slot] += 1
        self.questions[slot] = "\n".join(_texts(messages))
        if slot in self.accepted and slot != "item_quantity":
            if slot in self.from_opening.values() and self.asks[slot] == 1:
                self._issue(f"asked for {slot} although the first message already said it")
            elif slot == "order_number" and "order_number" in self.plan.named_in_opening:
                self._issue("asked for the order number although the first message gave it")
            elif slot == "email" and "email" in self.plan.named_in_opening:
                self._issue("asked for the e-mail although the first message gave it")
            else:
                self._issue(f"turn {self.turn}: asked for {slot} again after it was answered")
        if slot == "claim_number" and self.claim:
            self._issue("asked for the claim number of the claim it had just filed")

    # -- the conversation
    def play(self) -> Result:
        started = time.monotonic()
        try:
            for step in self.plan.opening:
                if "tap" in step:
                    self._tap(step["tap"], fallback=P.TASK_OPENERS[0])
                else:
                    self._say_opening(step)
            while not self.ended:
                if self.turn >= TURN_BUDGET:
                    self._issue(f"looped: {TURN_BUDGET} turns without finishing")
                    break
                self._next()
            self._final_checks()
        except requests.RequestException as error:
            self._issue(f"HTTP error: {error}")
        except Exception as error:  # a bug of the driver: a failure with its traceback
            self._issue(f"driver error: {traceback.format_exc(limit=3)}")
            del error
        fallbacks = self._fallbacks()
        handoffs = self._handoffs_safely()
        return Result(
            plan_id=self.plan.id,
            category=self.plan.category,
            order_number=self.plan.order_number,
            sender=self.sender,
            passed=not self.issues and not self.money,
            money_ok=not self.money,
            issues=self.issues,
            money_issues=self.money,
            turns=self.turn,
            fallbacks=fallbacks,
            handoffs=handoffs,
            seconds=round(time.monotonic() - started, 2),
            transcript=self.transcript,
            plan=self.plan.to_json(),
        )

    def _say_opening(self, step: dict[str, str]) -> None:
        text = step["say"]
        facts: dict[str, str] = {}
        if "order_number" in self.plan.named_in_opening:
            facts["order"] = self.order.order_number
        if "email" in self.plan.named_in_opening:
            facts["email"] = self.order.email
        kind = step.get("kind")
        if kind in ("handoff", "handoff_again"):
            self._repair(kind, text, step.get("detail", ""))
        else:
            self.say(text, **facts)

    def _tap(self, payload: str, fallback: str) -> None:
        for button in _buttons(self.reply):
            if button.get("payload") == payload:
                self.say(button["payload"], note=f"tap {button.get('title')!r}")
                return
        self._issue(f"turn {self.turn}: no {payload} button in the bot's reply")
        self.say(fallback)

    def _next(self) -> None:
        """Answer what is asked, inject a planned repair move, or go on with the plan."""
        slot = self.slot if self.loop else None
        if slot:
            for n, behaviour in enumerate(self.plan.behaviours):
                if n in self.fired:
                    continue
                if behaviour.at == slot:
                    self.fired.add(n)
                    self._repair(behaviour.kind, behaviour.text, behaviour.detail)
                    return
                break  # behaviours come in order
            if self.refusals[slot] >= GIVE_UP_AFTER:
                self._issue(
                    f"turn {self.turn}: the shopper gave up, the bot kept asking for {slot}"
                )
                self.say(P.GIVE_UP[1], note="gives up")
                self.ended = True
                return
            self._answer(slot)
            return
        self._idle()

    def _idle(self) -> None:
        plan = self.plan
        if plan.goal == "claim" and self.claim is None:
            self.claim = self._own_claim()
        done = {
            "claim": self.claim is not None,
            "tracking": self.tracking_seen,
            "explain": self.explained_at is not None,
            "cancel": self.cancelled,
            "give_up": self.gave_up,
        }[plan.goal]
        if done:
            if self.after:
                text = self.after.pop(0)
                if text in P.COMPLETION:
                    self.completion_asked = True
                    if self.claim:
                        self.say(text)
                        if self.claim["claim_number"] in " ".join(_texts(self.reply)):
                            self.completion_answered = True
                        return
                self.say(text)
            else:
                self.ended = True
            return
        if (
            plan.goal == "give_up"
            and self.transcript
            and self.transcript[-1].get("note") == ("wrong email")
        ):
            # The bot stopped asking after wrong e-mails, keeping the order private: the
            # shopper has nothing more to try (no question goes out a third time).
            self.gave_up = True
            self.ended = True
            return
        if plan.goal in ("cancel", "give_up") or self.restated >= 2:
            what = {"claim": "no claim was filed", "tracking": "the tracking was never shown"}
            what |= {"explain": "the Ship to Store facts were never explained"}
            what |= {"cancel": "the planned cancellation never came up"}
            what |= {"give_up": "the shopper never ran out of e-mail addresses to try"}
            self._issue(f"turn {self.turn}: the bot stopped asking but {what[plan.goal]}")
            self.ended = True
            return
        self.restated += 1
        bank = P.TRACKING_RESTATE if plan.goal == "tracking" else P.TASK_RESTATE
        self.say(bank[(self.restated - 1) % len(bank)], note="restating the task")

    # -- answers
    def _answer(self, slot: str) -> None:
        handler: Callable[[], None] | None = getattr(self, f"_answer_{slot}", None)
        if handler is None:
            self._issue(f"turn {self.turn}: asked for an unknown slot {slot!r}")
            self.ended = True
            return
        handler()

    def _answer_order_number(self) -> None:
        text = self.order_answers.pop(0) if self.order_answers else self.plan.order_answers[-1]
        if self.retried_once("order_number"):
            text = self.order.order_number
        digits = re.sub(r"\D", "", text)
        number = next(
            (n for n in self.orders if re.sub(r"\D", "", n) in digits), self.order.order_number
        )
        # Asked again after e-mails that didn't match: the bot checks it with the e-mail it
        # kept, the last one the shopper gave, which was wrong.
        rechecked = bool(self.transcript) and self.transcript[-1].get("note") == "wrong email"
        note = "wrong email" if rechecked else ""
        self.say(text, answering="order_number", order=number, note=note)

    def _answer_email(self) -> None:
        if self.order_answers and self.given_order not in (None, self.order.order_number):
            # The e-mail was refused for another order: the shopper gives the right order
            # number, as the bot's refusal invites ("or tell me the order number again").
            self._answer_order_number()
            return
        if not self.email_answers and self.plan.goal == "give_up":
            self.gave_up = True
            self.say(self.plan.give_up, note="gives up")
            self.ended = True
            return
        text = self.email_answers.pop(0) if self.email_answers else self.plan.email_answers[-1]
        if self.retried_once("email") and self.plan.goal != "give_up":
            text = self.order.email
        given = re.findall(r"[^\s@,;:]+@[^\s@,;:]+\.[A-Za-z]{2,}", text)
        right = self.order.email.lower() in [g.lower().strip(".") for g in given]
        right = right and self.given_order in (None, self.order.order_number)
        self.say(
            text,
            answering="email",
            email=self.order.email if right else "wrong",
            note="" if right else "wrong email",
        )

    def retried_once(self, slot: str) -> bool:
        """True when this slot's answer was refused before: the shopper writes it plainly."""
        refused = any(
            f"{slot} answer" in issue and "not accepted" in issue for issue in self.issues
        )
        if refused and slot not in self.retried:
            self.retried.add(slot)
        return refused

    def _answer_tracking_number(self) -> None:
        plan = self.plan
        number = self.target_tracking or ""
        offered = _yes_no(self.reply) and any(
            t in " ".join(_texts(self.reply)) for t in self.order.tracking_numbers
        )
        if self.denied_package and offered:
            self._issue(f"turn {self.turn}: after 'no' the same package was offered again")
        if offered and plan.tracking_answer == "deny_then_typed" and not self.denied_package:
            self.denied_package = True
            self.say(P.NO_PACKAGE[len(plan.id) % len(P.NO_PACKAGE)], note="deny package")
            return
        if self.denied_package:
            self.say(P.spaced_tracking(number, _rng(plan)), answering="tracking_number")
            return
        if plan.buttons or plan.tracking_answer == "button":
            for button in _buttons(self.reply):
                payload = str(button.get("payload", ""))
                if (offered and payload == "/affirm") or (number and number in payload):
                    self.say(payload, answering="tracking_number", note="tap")
                    return
            self._issue(f"turn {self.turn}: no button for package {number}")
        if offered and plan.tracking_answer in ("yes", "button"):
            text = P.YES_PACKAGE[plan.seed % len(P.YES_PACKAGE)]
        elif plan.tracking_answer == "spaced":
            text = P.spaced_tracking(number, _rng(plan))
        else:
            text = number if plan.seed % 2 else number.lower()
        self.say(text, answering="tracking_number")

    def _current_items(self) -> list[dict[str, Any]]:
        return self.plan.final_items if self.corrected else self.plan.items

    def _answer_missing_items(self) -> None:
        plan = self.plan
        items = self._current_items()
        if plan.goal == "explain" and self.explained_at is not None:
            self.say("nothing else, that was all", answering="missing_items")
            return
        if plan.buttons and len(items) == 1:
            name = items[0]["name"].lower()
            for button in _buttons(self.reply):
                if (
                    name in str(button.get("title", "")).lower()
                    or name in str(button.get("payload", "")).lower()
                ):
                    self.say(str(button["payload"]), answering="missing_items", note="tap")
                    return
            self._issue(f"turn {self.turn}: no button for {items[0]['name']!r}")
        if self.corrected or "missing_items" in self.retried or self.retried_once("missing_items"):
            text = P.join_phrases([f"{i['quantity']} x {i['name']}" for i in items])
        else:
            text = plan.items_text
        self.say(text, answering="missing_items")

    def _pending_line(self) -> dict[str, Any] | None:
        """Which planned item the quantity question is about, read from the question."""
        question = " ".join(_texts(self.reply)).lower()
        items = self._current_items()
        named = [i for i in items if i["name"].lower() in question]
        if len(named) == 1:
            return named[0]
        for item in items:
            line = self.order.line(item["line_id"])
            if any(form in question for form in line.forms[:1]):
                return item
        for line in self.order.lines:
            if line.name.lower() in question and all(line.line_id != i["line_id"] for i in items):
                self._issue(f"turn {self.turn}: asked how many {line.name} (not reported missing)")
        return items[0] if len(items) == 1 else None

    def _answer_item_quantity(self) -> None:
        item = self._pending_line()
        if item is None:
            self._issue(f"turn {self.turn}: can't tell which item the quantity question is about")
            item = self._current_items()[0]
        line_id = item["line_id"]
        key = f"item_quantity:{line_id}"
        if key in self.accepted:
            self._issue(f"turn {self.turn}: asked again how many {item['name']}")
        elif self.plan.quantity_explicit.get(line_id) and not self.corrected:
            self._issue(
                f"turn {self.turn}: asked how many {item['name']} although the shopper said"
            )
        self.accepted.add(key)
        answers = self.plan.quantity_answers
        if self.corrected and self.plan.correction:
            answers = self.plan.correction["quantity_answers"]
        text = answers.get(line_id, str(item["quantity"]))
        if self.plan.buttons:
            for button in _buttons(self.reply):
                if str(button.get("title", "")).strip() == str(item["quantity"]):
                    self.say(str(button["payload"]), answering="item_quantity", note="tap")
                    return
            self._issue(f"turn {self.turn}: no button for quantity {item['quantity']}")
        self.say(text, answering="item_quantity")

    def _answer_items_confirmed(self) -> None:
        """Lines read from the story, to confirm: yes when they are just the missing ones."""
        question = " ".join(_texts(self.reply)).lower()
        items = self._current_items()
        wanted = {i["name"].lower(): i["quantity"] for i in items}
        listed = {line.name.lower() for line in self.order.lines if line.name.lower() in question}
        right = listed == set(wanted) and all(
            f"{quantity} × {name}" in question for name, quantity in wanted.items()
        )
        if right:
            if self.plan.buttons:
                for button in _buttons(self.reply):
                    if button.get("payload") == "/affirm":
                        self.say("/affirm", answering="items_confirmed", note="tap")
                        return
            self.say(
                P.YES_PACKAGE[self.plan.seed % len(P.YES_PACKAGE)], answering="items_confirmed"
            )
            return
        self._issue(
            f"turn {self.turn}: asked to confirm {sorted(listed)}, but the shopper said "
            f"{sorted(wanted)} were missing"
        )
        text = P.join_phrases([f"{i['quantity']} x {i['name']}" for i in items])
        self.say(text, answering="items_confirmed", note="corrects the proposed items")

    def _answer_description(self) -> None:
        self.description_asks += 1
        short = self.plan.category == "short_description"
        if self.description_asks == 2 and short:
            joined = " ".join(_texts(self.reply))
            if not re.search(r"for example|e\.g\.|like|such as|\"|“", joined, re.IGNORECASE):
                self._issue(f"turn {self.turn}: the description was re-asked without an example")
        if self.description_asks > (2 if short else 1) and self.description_sent is not None:
            self._issue(
                f"turn {self.turn}: description asked {self.description_asks} times "
                f"(last answer {self.description_sent!r})"
            )
        if self.descriptions:
            text = self.descriptions.pop(0)
        else:
            text = "The package was sealed and the item was simply not inside when I opened it."
        note = "short description" if short and self.descriptions else ""
        self.description_sent = text
        self.say(text, answering="description", note=note)

    def _answer_claim_confirmed(self) -> None:
        plan = self.plan
        summary = " ".join(_texts(self.reply)).lower()
        items = self._current_items()
        is_summary = "fallback" not in (self.loop or "") and any(
            line.name.lower() in summary for line in self.order.lines
        )  # else a fallback question, say: the outcome checks judge what gets filed
        missing = [i["name"] for i in items if i["name"].lower() not in summary]
        missing = missing if is_summary else []
        if plan.correction and self.corrected and not self.correction_checked:
            self.correction_checked = True
            if not is_summary:
                reply = " ".join(_texts(self.reply))[:160]
                self._issue(
                    f"turn {self.turn}: after the correction no updated summary was shown, "
                    f"only {reply!r}"
                )
            for name in plan.correction["removed"]:
                if name.lower() in summary:
                    self._issue(f"turn {self.turn}: the corrected summary still lists {name!r}")
        for name in missing:
            self._issue(f"turn {self.turn}: the summary does not list {name!r}")
        if plan.correction and not self.corrected:
            self.corrected = True
            self.accepted -= {"missing_items", "item_quantity", "claim_confirmed"}
            self.accepted = {a for a in self.accepted if not a.startswith("item_quantity:")}
            self.say(plan.correction["text"], note="correction")
            if self.slot != "claim_confirmed" and not (self.loop and self.slot):
                self._issue(f"turn {self.turn}: after the correction the summary was not shown")
            return
        if plan.buttons:
            for button in _buttons(self.reply):
                if button.get("payload") == "/affirm":
                    self.say("/affirm", answering="claim_confirmed", note="tap")
                    return
            self._issue(f"turn {self.turn}: no yes button on the summary")
        self.say(plan.confirm, answering="claim_confirmed")

    def _answer_claim_number(self) -> None:
        number = self.claim["claim_number"] if self.claim else "CLM-000001"
        self.say(number, answering="claim_number")

    # -- repair moves
    def _repair(self, kind: str, text: str, detail: str) -> None:
        before_loop, before_slot = self.loop, self.slot
        question = self.questions.get(before_slot or "", "")
        handoffs_before = self._handoffs_safely()
        messages = self.say(text, note=kind + (f" ({detail})" if detail else ""))
        joined = "\n".join(_texts(messages))
        handoffs_after = self._handoffs_safely()
        resumed = self.loop == before_loop and self.slot == before_slot
        reasked = _reasks(messages, question)
        where = f"turn {self.turn}: {kind} {text!r} at {before_slot or 'start'}"
        if kind in ("digression", "chitchat", "cannot_handle") and before_slot:
            if not resumed:
                self._issue(
                    f"{where}: the form did not resume (now {self.loop or '-'}/{self.slot or '-'})"
                )
            elif not reasked:
                self._issue(f"{where}: the question was not asked again")
        if kind == "digression" and not DIGRESSION_ANSWERED[detail].search(joined):
            self._issue(f"{where}: the question was not answered")
        opened = handoffs_after > handoffs_before or HANDOFF_REF.search(joined)
        if kind in ("digression", "chitchat", "cannot_handle") and opened:
            self._issue(f"{where}: opened a handoff")
        if kind == "chitchat" and BAD_VALUE.search(joined):
            self._issue(f"{where}: treated as a wrong answer")
        if kind == "cannot_handle" and not (
            _buttons(messages) or reasked or OFFERS_HELP.search(joined)
        ):
            self._issue(f"{where}: neither offered what the bot can do nor asked again")
        if kind == "handoff":
            ref = HANDOFF_REF.search(joined)
            if handoffs_after != 1:
                self._issue(f"{where}: {handoffs_after} handoffs after asking for a person")
            if ref is None:
                self._issue(f"{where}: no handoff reference (H-n) in the reply")
            else:
                self.handoff_ref = ref.group(0)
        if kind == "handoff_again":
            ref = HANDOFF_REF.search(joined)
            if handoffs_after != 1:
                self._issue(f"{where}: {handoffs_after} handoffs after asking again")
            if ref is None or (self.handoff_ref and ref.group(0) != self.handoff_ref):
                got = ref.group(0) if ref else "none"
                self._issue(f"{where}: reference {got}, expected the same {self.handoff_ref}")
        if kind == "cancellation":
            self.cancelled = True
            pattern = NOTHING_FILED if self.plan.items else STOPPED
            if not pattern.search(joined):
                self._issue(f"{where}: the bot did not say that nothing was filed")
            if self.loop:
                self._issue(f"{where}: the form is still active ({self.loop}/{self.slot})")

    # -- outcomes
    def _own_claim(self) -> dict[str, Any] | None:
        claims = [c for c in self.desk.claims(self.order.order_number)]
        mine = [c for c in claims if c.get("conversation_id") == self.sender]
        return mine[0] if mine else None

    def _handoffs_safely(self) -> int:
        try:
            return self.desk.handoffs(self.sender)
        except sqlite3.Error:
            return -1

    def _fallbacks(self) -> int:
        try:
            events = self.rasa.tracker(self.sender, events=True).get("events") or []
        except requests.RequestException:
            return 0
        # A shopper's message counts once: not understood by the NLU, or answered by a fallback.
        count, this_turn = 0, False
        for event in events:
            if event.get("event") == "user":
                count += this_turn
                intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
                this_turn = intent == "nlu_fallback"
            elif event.get("event") == "action" and event.get("name") in FALLBACK_ACTIONS:
                this_turn = True
        return count + this_turn

    def _final_checks(self) -> None:
        plan, expected = self.plan, self.plan.expected
        mine = []
        for number in {self.order.order_number, *plan.foreign_orders, *self.orders}:
            for claim in self.desk.claims(number):
                if claim.get("conversation_id") == self.sender:
                    mine.append(claim)
        wanted = expected.get("claim")
        for claim in mine:
            self._money_checks_of(claim)
        if wanted is None and mine:
            numbers = ", ".join(c["claim_number"] for c in mine)
            reason = {
                "privacy": "a claim filed for an unverified shopper",
                "ship_to_store": "a claim for a unit in transit or not at the store",
                "already_claimed": "a second claim for the same unit",
                "cancellation": "a claim filed although the shopper cancelled",
            }.get(plan.category, "a claim filed when none was due")
            self._money(f"{reason}: {numbers}")
        if wanted is not None:
            if not mine:
                self._issue("no claim was filed")
            elif len(mine) > 1:
                self._money(f"{len(mine)} claims filed in one conversation")
            if mine:
                claim = mine[0]
                got = {i["line_id"]: i["quantity"] for i in claim["items"]}
                if claim["order_number"] != self.order.order_number:
                    self._money(f"claim {claim['claim_number']} is for {claim['order_number']}")
                elif got != wanted:
                    self._money(
                        f"claim {claim['claim_number']} has wrong lines or quantities: "
                        f"{got}, expected {wanted}"
                    )
                if self.description_sent and _norm(self.description_sent) not in _norm(
                    claim.get("description", "")
                ):
                    self._issue(
                        f"the claim's description {claim.get('description')!r} is not what the "
                        f"shopper wrote ({self.description_sent!r})"
                    )
                if self.target_tracking and claim.get("tracking_number") != self.target_tracking:
                    self._issue(
                        f"the claim's package {claim.get('tracking_number')} is not "
                        f"{self.target_tracking}"
                    )
        handoffs = self._handoffs_safely()
        if handoffs != expected.get("handoffs", 0):
            self._issue(f"{handoffs} handoff(s) opened, expected {expected.get('handoffs', 0)}")
        for n, behaviour in enumerate(plan.behaviours):
            if n not in self.fired:
                self._issue(
                    f"the planned {behaviour.kind} never happened: the bot never asked for "
                    f"{behaviour.at} when it was due"
                )
        if plan.correction and not self.correction_checked and mine:
            self._issue("the corrected summary was never shown before filing")
        if expected.get("tracking_shown") and not self.tracking_seen:
            numbers = ", ".join(self.order.tracking_numbers)
            self._issue(f"the tracking number(s) {numbers} were never shown")
        explain = expected.get("explain")
        if explain:
            self._explain_checks(explain)
        if expected.get("completion") and self.claim and not self.completion_answered:
            self._issue(
                f"the answer to {plan.after[0]!r} does not mention {self.claim['claim_number']}"
            )

    def _explain_checks(self, explain: str) -> None:
        if self.explained_at is None:
            what = {"already_claimed": "that the item is already claimed"}.get(
                explain, "that the item is on its way / not at the store yet"
            )
            self._issue(f"the bot never explained {what}")
            return
        if explain == "already_claimed":
            # The bot can only know once the item is named: before the rest of the claim.
            strict = ["item_quantity", "description", "claim_confirmed"]
        else:
            # A package not at the store is known right after verification (split shipments
            # too): Ship to Store facts come before any claim question.
            strict = CLAIM_QUESTIONS
        for slot in strict:
            at = self.claim_question_at.get(slot)
            if at is not None and at < self.explained_at:
                self._issue(
                    f"turn {at}: asked for {slot} before explaining (turn {self.explained_at})"
                )

    def _money_checks_of(self, claim: dict[str, Any]) -> None:
        order = self.orders.get(claim["order_number"])
        if not self.verified:
            self._money(f"claim {claim['claim_number']} filed for an unverified shopper")
        if order is None:
            return
        if order.email.lower() != self.order.email.lower():
            self._money(f"claim {claim['claim_number']} on another customer's order")
        for item in claim["items"]:
            line = order.line(item["line_id"])
            if line.in_transit and item["quantity"] > line.ordered - line.in_transit - line.claimed:
                self._money(f"claim {claim['claim_number']} for {line.name} still in transit")
        totals: Counter[str] = Counter()
        for other in self.desk.claims(order.order_number):
            for item in other["items"]:
                totals[item["line_id"]] += item["quantity"]
        for line_id, total in totals.items():
            if total > order.line(line_id).ordered:
                self._money(f"{line_id}: {total} units claimed of {order.line(line_id).ordered}")


def _reasks(messages: list[dict[str, Any]], question: str) -> bool:
    """The reply asks the pending question again (the same words, or a question)."""
    texts = _texts(messages)
    if not texts:
        return False
    if question:
        for text in texts:
            for line in question.split("\n"):
                if line and difflib.SequenceMatcher(None, text, line).ratio() >= 0.6:
                    return True
    return texts[-1].rstrip().endswith("?")


def _rng(plan: Plan) -> random.Random:
    return random.Random(plan.seed)


# ---------------------------------------------------------------------------- many shoppers
def schedule(plans: Iterable[Plan], orders: dict[str, OrderFacts]) -> list[list[Plan]]:
    """Batches in which every conversation's expectations hold on a fresh support desk.

    In a batch no two conversations touch the same order (so a claim never takes another's
    units or trips another's lookup limit), and a customer's conversations on orders with
    claimable units stay below the refund policy's recent-claims limit (else a small claim would
    go to review and open a handoff that the plan does not expect).
    """
    limit = RefundPolicy().max_recent_claims
    batches: list[list[Plan]] = []
    usage: list[tuple[set[str], Counter[str]]] = []
    for plan in plans:
        touched = set(plan.orders_touched)
        claimers: Counter[str] = Counter()
        for number in touched:
            order = orders[number]
            if order.claim_ready:
                claimers[order.email] += 1
        for n, (used, customers) in enumerate(usage):
            if used & touched:
                continue
            if any(
                customers[email] + count + orders_email_claims(orders, email) > limit
                for email, count in claimers.items()
            ):
                continue
            batches[n].append(plan)
            used |= touched
            customers.update(claimers)
            break
        else:
            batches.append([plan])
            usage.append((set(touched), Counter(claimers)))
    return batches


def orders_email_claims(orders: dict[str, OrderFacts], email: str) -> int:
    """Claims a customer has on a fresh support desk (the demo data's existing claims)."""
    return next((o.customer_claims for o in orders.values() if o.email == email), 0)


def play_all(
    plans: list[Plan],
    orders: list[OrderFacts],
    running: stack_module.Stack,
    workdir: Path,
    workers: int = 4,
    progress: Callable[[str], None] | None = None,
    catalogue: Path = DEMO_CATALOGUE,
) -> tuple[list[Result], dict[str, Any]]:
    """Play every plan on the running stack, whose support desk is restarted with only the
    catalogue (the orders' file) before each batch; the results in plan order, and statistics."""
    by_number = {o.order_number: o for o in orders}
    desk = SupportDesk(running, workdir, catalogue)
    rasa = Rasa.of(running)
    results: dict[str, Result] = {}
    lock = threading.Lock()
    batches = schedule(plans, by_number)
    started = time.monotonic()

    def play(plan: Plan) -> Result:
        result = Shopper(plan, by_number, rasa, desk).play()
        with lock:
            results[plan.id] = result
            if progress:
                mark = "ok  " if result.passed else ("FAIL" if result.money_ok else "MONEY")
                progress(f"{len(results):4d}/{len(plans)} {mark} {plan.id} ({result.seconds}s)")
        return result

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch in batches:
            desk.reset()
            list(pool.map(play, batch))
    stats = {
        "catalogue": str(catalogue),
        "batches": len(batches),
        "desk_restarts": desk.epoch,
        "desk_restart_seconds": round(sum(desk.restart_seconds) / max(1, desk.epoch), 2),
        "play_seconds": round(time.monotonic() - started, 1),
        "workers": workers,
    }
    return [results[p.id] for p in plans], stats
