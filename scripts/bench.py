"""`make bench`: this assistant under load over REST, side by side with a stock `rasa init` one.

`python -m scripts.bench` starts the whole stack on free ports with a fresh data folder (and,
in the production profile, a fresh PostgreSQL cluster), so that claims really succeed, replays
four-step conversations (claims that succeed, claims already filed, tracking only, thank-yous)
with 1 and with 20 concurrent conversations, and prints per run: turns per second, per-turn
latency p50/p95/p99, errors, CPU per turn of each process and each process's peak memory.
It does so for the embedded profile (SQLite, one process each), the production profile (two
Rasa servers, two action servers and two support desks behind HAProxy, PostgreSQL, Redis), and
the production profile with one Rasa server at 20 users, for the scaling from 1 to 2. It does
the same for a stock assistant made by `rasa init` on the same Rasa, then prints the ratios,
the training times and the time from start to the first answer.

`--smoke` (run in CI): 1 conversation, 10 turns in each profile, no stock; it must finish.
`--profile embedded|prod` measures one profile only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import requests

from scripts import services, stack

ROOT = Path(__file__).resolve().parents[1]
MAYA, JORDAN = "maya.chen@example.com", "jordan.reyes@example.net"
# What the shoppers say, one conversation a list; the replies are not checked here (the tests do).
HELP_QUESTIONS = ROOT / "tests" / "blind" / "sets" / "hcJ" / "questions.json"
PROJECT_CONVERSATIONS = [
    ["hi", "something is missing from my order", "STS-4829-1307", MAYA, "yes",
     "the phone case", "1", "the bag was sealed but the phone case wasn't in it", "yes", "thanks"],
    ["the makeup brush set was missing from STS-8406-5519", MAYA, "yes", "thank you"],
    ["where is my order?", "STS-5102-7741", JORDAN, "thanks", "bye"],
    ["thanks so much", "bye"],
]  # fmt: skip
STOCK_CONVERSATIONS = [
    ["hi", "I am sad", "yes", "bye"],
    ["hello", "great", "are you a bot?", "goodbye"],
    ["hey", "very unhappy", "no", "bye"],
]


@dataclass
class Target:
    """A running assistant: its REST URL and the processes whose CPU and memory count."""

    name: str
    url: str
    processes: dict[str, psutil.Process]


@dataclass
class Setup:
    """One configuration of this project to measure: a profile and its number of Rasa servers."""

    label: str
    profile: str
    rasa_servers: int = 1
    users: tuple[int, ...] = (1, 20)


@dataclass
class Run:
    turns: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu_ms_per_turn: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def _converse(
    session: aiohttp.ClientSession, url: str, lines: list[str], run: Run, budget: list[int]
) -> None:
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    for text in lines:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as answer:
                body = await answer.json(content_type=None)
                ok = answer.status == 200 and bool(body)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            ok = False
        run.latencies.append(time.perf_counter() - started)
        run.turns += 1
        run.errors += not ok


async def _load(url: str, conversations: list[list[str]], users: int, turns: int, run: Run):
    budget = [turns]
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def user(n: int) -> None:
            k = n
            while budget[0] > 0:
                await _converse(session, url, conversations[k % len(conversations)], run, budget)
                k += users

        await asyncio.gather(*(user(n) for n in range(users)))


def measure(target: Target, conversations: list[list[str]], users: int, turns: int) -> Run:
    """Replay `turns` turns with `users` conversations at once; CPU and memory per process."""
    run = Run()
    cpu_before = {name: _cpu(p) for name, p in target.processes.items()}
    peaks = {name: 0.0 for name in target.processes}
    started = time.perf_counter()

    async def main() -> None:
        load = asyncio.create_task(_load(target.url, conversations, users, turns, run))
        while not load.done():
            for name, process in target.processes.items():
                peaks[name] = max(peaks[name], _rss_mb(process))
            await asyncio.sleep(0.2)
        await load

    asyncio.run(main())
    run.seconds = time.perf_counter() - started
    for name, process in target.processes.items():
        used = _cpu(process) - cpu_before[name]
        run.cpu_ms_per_turn[name] = 1000 * used / max(1, run.turns)
        run.peak_mb[name] = max(peaks[name], _rss_mb(process))
    return run


def service_cpu(run: Run, service: str) -> float:
    """CPU ms per turn of every process of `service` together (`rasa-1` and `rasa-2`)."""
    return sum(v for n, v in run.cpu_ms_per_turn.items() if n.rsplit("-", 1)[0] == service)


def _cpu(process: psutil.Process) -> float:
    """CPU seconds of a process and its children (Sanic may fork workers)."""
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _rss_mb(process: psutil.Process) -> float:
    try:
        return process.memory_info().rss / 2**20
    except psutil.NoSuchProcess:
        return 0.0


# Starting the two assistants -------------------------------------------------------------------


@contextmanager
def project(workdir: Path, setup: Setup) -> Iterator[tuple[Target, float]]:
    """This assistant's stack on free ports with a fresh data folder, and the seconds it took
    to give its first answer."""
    ports = stack.Ports(
        rasa=stack.free_port(), actions=stack.free_port(), supportdesk=stack.free_port()
    )
    profile = stack.Profile.from_env(setup.profile, {"RASA_SERVERS": str(setup.rasa_servers)})
    started = time.perf_counter()
    with services.scratch_postgres_folder() as folder:
        os.environ["PROD_POSTGRES_DIR"] = str(folder)
        running = stack.start(ports, workdir / "data", log_dir=workdir, profile=profile)
        try:
            url = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
            first = _first_answer(url, started)
            processes = zip(running.commands, running.processes, strict=True)
            yield Target("project", url, {n: psutil.Process(p.pid) for n, p in processes}), first
        finally:
            running.stop()


def stock_init(workdir: Path) -> float:
    """`rasa init --no-prompt` (which trains); the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [_bin("rasa"), "init", "--no-prompt", "--init-dir", str(workdir)],
        check=True,
        capture_output=True,
        cwd=workdir,
    )
    return time.perf_counter() - started


@contextmanager
def stock(workdir: Path) -> Iterator[tuple[Target, float]]:
    """The `rasa init` assistant served with Rasa's defaults (it has no custom actions)."""
    port = stack.free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [_bin("rasa"), "run", "--enable-api", "--port", str(port), "-i", "127.0.0.1"],
        cwd=workdir,
        stdout=(workdir / "rasa.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        first = _first_answer(url, started, process)
        yield Target("stock", url, {"rasa": psutil.Process(process.pid)}), first
    finally:
        process.terminate()
        process.wait(timeout=30)


def _first_answer(url: str, started: float, process: subprocess.Popen | None = None) -> float:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError("the stock Rasa server exited; see its rasa.log")
        try:
            answer = requests.post(url, json={"sender": "bench-first", "message": "hi"}, timeout=30)
            if answer.ok and answer.json():
                return time.perf_counter() - started
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} gave no answer within 300 s")


def train_seconds(workdir: Path) -> float:
    """A full training of this assistant, into a scratch folder (the model in use stays)."""
    started = time.perf_counter()
    subprocess.run(
        [_bin("rasa"), "train", "--force", "--out", str(workdir), "--fixed-model-name", "bench"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


# Report --------------------------------------------------------------------------------------


def row(label: str, run: Run) -> list[str]:
    cpu = ", ".join(f"{n} {v:.1f}" for n, v in run.cpu_ms_per_turn.items() if v >= 0.05)
    peak = ", ".join(f"{n} {v:.0f}" for n, v in run.peak_mb.items())
    return [
        f"{label}: {run.turns} turns in {run.seconds:.1f} s = {run.turns_per_second:.1f} turns/s; "
        f"p50/p95/p99 {run.percentile(50):.0f}/{run.percentile(95):.0f}/"
        f"{run.percentile(99):.0f} ms; errors {run.errors}",
        f"    CPU ms per turn: {cpu}; peak memory MB: {peak}",
    ]


def ratios(label: str, ours: Run, theirs: Run, users: int) -> list[str]:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    throughput = ratio(ours.turns_per_second, theirs.turns_per_second)
    p95 = ratio(ours.percentile(95), theirs.percentile(95))
    cpu = ratio(service_cpu(ours, "rasa"), service_cpu(theirs, "rasa"))
    return [f"{label} / stock, {users} user(s): turns/s {throughput}, p95 {p95}, Rasa CPU {cpu}"]


SETUPS = [
    Setup("embedded", "embedded"),
    Setup("prod", "prod", rasa_servers=2),
    Setup("prod, 1 Rasa server", "prod", rasa_servers=1, users=(20,)),
]


def help_center_cost(database: Path) -> str:
    """The support desk's CPU for one help-center answer (search and record), per question of
    blind set hcJ: what such a question adds to its turn."""
    from supportdesk import help_answers
    from supportdesk.db import Database
    from supportdesk.help_center import help_center_from_env

    questions = json.loads(HELP_QUESTIONS.read_text())
    db = Database(f"sqlite:///{database}")
    db.create_schema()
    center = help_center_from_env()
    center.index()  # built at start-up, not in a turn
    costs = []
    for case in questions:
        started = time.process_time()
        help_answers.answer_question(
            db, center, help_answers.Question("bench", "rest", case["text"])
        )
        costs.append((time.process_time() - started) * 1000)
    db.dispose()
    costs.sort()
    return (
        f"help-center answer, support desk CPU per question ({len(costs)}): "
        f"mean {statistics.mean(costs):.2f} ms, p95 {costs[int(len(costs) * 0.95)]:.2f} ms"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="1 conversation, 10 turns, no stock")
    parser.add_argument("--turns", type=int, default=300, help="turns per run (default 300)")
    parser.add_argument("--profile", choices=["embedded", "prod"], help="measure only this one")
    args = parser.parse_args(argv)
    if not stack.model_is_current():
        stack.train()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")
    setups = [s for s in SETUPS if args.profile in (None, s.profile)]
    if args.smoke:
        setups = [Setup(s.label, s.profile, s.rasa_servers, (1,)) for s in setups[:2]]
    turns = 10 if args.smoke else args.turns
    lines: list[str] = []
    results: dict[tuple[str, int], Run] = {}
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        lines.append(help_center_cost(workdir / "help.db"))
        if not args.smoke:
            lines.append(f"training this assistant: {train_seconds(workdir / 'model'):.0f} s")
        for setup in setups:
            for users in setup.users:
                # A fresh data folder (a fresh support desk database) for every run.
                folder = workdir / f"{setup.profile}-{setup.rasa_servers}-{users}"
                with project(folder, setup) as (target, first):
                    lines.append(f"{setup.label}, start to first answer: {first:.1f} s")
                    run = measure(target, PROJECT_CONVERSATIONS, users, turns)
                    results[setup.label, users] = run
                    lines += row(f"{setup.label}, {users} user(s)", run)
                print(lines[-2], flush=True)
        if not args.smoke:
            lines += _stock_and_ratios(workdir, setups, results, turns)
    print("\n".join(lines))
    p50 = statistics.median(r.percentile(50) for r in results.values())
    return 0 if p50 > 0 and all(r.turns for r in results.values()) else 1


def _stock_and_ratios(
    workdir: Path, setups: list[Setup], results: dict[tuple[str, int], Run], turns: int
) -> list[str]:
    stock_dir = workdir / "stock"
    stock_dir.mkdir()
    lines = [f"training the stock assistant (rasa init): {stock_init(stock_dir):.0f} s"]
    with stock(stock_dir) as (target, first):
        lines.append(f"stock, start to first answer: {first:.1f} s")
        for users in (1, 20):
            results["stock", users] = measure(target, STOCK_CONVERSATIONS, users, turns)
            lines += row(f"stock, {users} user(s)", results["stock", users])
    for setup in setups:
        for users in setup.users:
            lines += ratios(
                setup.label, results[setup.label, users], results["stock", users], users
            )
    one, two = results.get(("prod, 1 Rasa server", 20)), results.get(("prod", 20))
    if one and two:
        gain = two.turns_per_second / one.turns_per_second if one.turns_per_second else 0
        lines.append(
            f"prod, 20 users, 1 -> 2 Rasa servers: {one.turns_per_second:.1f} -> "
            f"{two.turns_per_second:.1f} turns/s ({gain:.2f}x)"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
