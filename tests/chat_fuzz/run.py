"""Send generated messages through the REST channel of a whole stack and count what went wrong.

`python -m tests.chat_fuzz [--messages N] [--seed S] [--chaos]` starts its own stack, sends N
messages (default 5,000) in short conversations, some of them in the middle of a claim, and
prints: messages sent, 5xx answers, other refusals (4xx), empty replies, handoffs opened per 100
messages, and, with --chaos, the outages survived (the action server and the support desk are
each killed for a stretch of the run and started again). The exit status is 1 on any 5xx, any
empty reply or a dead service.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from scripts import stack
from tests.chat_fuzz.messages import message
from tests.e2e import desk_rows

CLAIM_START = ["something was missing from my order", "STS-4829-1307", "maya.chen@example.com"]


@dataclass
class Report:
    sent: int = 0
    server_errors: int = 0
    refused: int = 0
    empty: int = 0
    handoffs: int = 0
    outages: int = 0
    outages_survived: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        for name in ("sent", "server_errors", "refused", "empty"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples[: max(0, 10 - len(self.examples))]

    @property
    def handoffs_per_100(self) -> float:
        return 100 * self.handoffs / max(1, self.sent)

    @property
    def clean(self) -> bool:
        return not (self.server_errors or self.empty) and self.outages == self.outages_survived

    def lines(self) -> list[str]:
        rows = [
            f"messages sent        {self.sent}",
            f"5xx answers          {self.server_errors}",
            f"4xx refusals         {self.refused}",
            f"empty replies        {self.empty}",
            f"handoffs opened      {self.handoffs} ({self.handoffs_per_100:.1f} per 100 messages)",
        ]
        if self.outages:
            rows.append(f"outages survived     {self.outages_survived} of {self.outages}")
        return rows + [f"  e.g. {e}" for e in self.examples]


def converse(url: str, rng: random.Random, fuzzed: int) -> tuple[str, Report]:
    """One conversation: maybe the start of a claim, then `fuzzed` generated messages."""
    sender = f"fuzz-{uuid.uuid4().hex[:10]}"
    report = Report()
    prefix = CLAIM_START[: rng.choice([0, 0, 1, 2, 3])]
    for text in prefix + [message(rng) for _ in range(fuzzed)]:
        counted = text not in prefix
        _send(url, sender, text, report if counted else Report())
    return sender, report


def _send(url: str, sender: str, text: str, report: Report) -> None:
    report.sent += 1
    try:
        answer = requests.post(url, json={"sender": sender, "message": text}, timeout=120)
    except requests.RequestException as error:
        report.server_errors += 1
        report.examples.append(f"{type(error).__name__} for {text[:40]!r}")
        return
    if answer.status_code >= 500:
        report.server_errors += 1
        report.examples.append(f"{answer.status_code} for {text[:40]!r}")
    elif answer.status_code >= 400:
        report.refused += 1
    elif not answer.json():
        report.empty += 1
        report.examples.append(f"empty reply to {text[:40]!r}")


def run_batch(running: stack.Stack, messages: int, seed: int, workers: int = 4) -> Report:
    """Send about `messages` generated messages in conversations of 1 to 6, `workers` at once."""
    url = f"http://127.0.0.1:{running.ports.rasa}/webhooks/rest/webhook"
    rng = random.Random(seed)
    plans: list[tuple[int, int]] = []
    planned = 0
    while planned < messages:
        count = min(rng.randint(1, 6), messages - planned)
        plans.append((rng.randrange(2**32), count))
        planned += count
    with ThreadPoolExecutor(workers) as pool:
        done = list(pool.map(lambda p: converse(url, random.Random(p[0]), p[1]), plans))
    report = Report()
    for _, part in done:
        report.add(part)
    report.handoffs = _handoffs(running, [sender for sender, _ in done])
    return report


def _handoffs(running: stack.Stack, senders: list[str]) -> int:
    rows = desk_rows(running, "SELECT conversation_id FROM handoffs")
    wanted = set(senders)
    return sum(1 for (conversation,) in rows if conversation in wanted)


def run(running: stack.Stack, messages: int, seed: int, chaos: bool = False) -> Report:
    """The whole fuzz run; with `chaos`, a quarter of it each without the action server and
    without the support desk."""
    if not chaos:
        return run_batch(running, messages, seed)
    report = Report()
    quarter = max(1, messages // 4)
    phases: list[tuple[str | None, int]] = [
        (None, quarter), ("actions", quarter), ("supportdesk", quarter), (None, quarter)
    ]  # fmt: skip
    for n, (service, count) in enumerate(phases):
        part = _phase(running, service, lambda: run_batch(running, count, seed + n))
        report.add(part)
        report.handoffs += part.handoffs
        if service:
            report.outages += 1
            report.outages_survived += int(part.clean and _answers(running))
    return report


def _phase(running: stack.Stack, service: str | None, batch: Callable[[], Report]) -> Report:
    if service is None:
        return batch()
    running.kill(service)
    try:
        return batch()
    finally:
        running.restart(service)


def _answers(running: stack.Stack) -> bool:
    """After an outage: a new conversation gets a real answer again."""
    url = f"http://127.0.0.1:{running.ports.rasa}/webhooks/rest/webhook"
    reply = requests.post(url, json={"sender": uuid.uuid4().hex, "message": "hi"}, timeout=60)
    return reply.ok and bool(reply.json())
