"""Shared fixtures: a real support desk process on a free port with its own SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from scripts import services, stack
from scripts.stack import free_port  # noqa: F401  (the tests' free port, from here)

ROOT = Path(__file__).resolve().parents[1]
TEST_KEY = "test-key-" + "x" * 24
UPLOAD_SECRET = "test-upload-secret-" + "y" * 24


@dataclass
class SupportDesk:
    url: str
    key: str
    database_url: str
    data_dir: Path
    process: subprocess.Popen

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def start_supportdesk(
    workdir: Path,
    seed: bool = True,
    extra_env: dict | None = None,
    catalogues: tuple[Path, ...] = (),
) -> SupportDesk:
    """Start `python -m supportdesk serve` and wait until /health answers; with `catalogues`,
    their orders too."""
    port = free_port()
    data_dir = workdir / "data"
    database_url = f"sqlite:///{workdir / 'supportdesk.db'}"
    env = {
        # The developer's own look-up limits must not change what a test sees.
        **{k: v for k, v in os.environ.items() if not k.startswith("SUPPORTDESK_LOOKUP_")},
        "SUPPORTDESK_API_KEY": TEST_KEY,
        "SUPPORTDESK_UPLOAD_SECRET": UPLOAD_SECRET,
        "STS_DATA_DIR": str(data_dir),
    }
    env.update(extra_env or {})
    command = [sys.executable, "-m", "supportdesk", "serve", "--port", str(port)]
    command += ["--database-url", database_url] + (["--seed-demo"] if seed else [])
    command += [part for path in catalogues for part in ("--catalogue", str(path))]
    log = open(workdir / "supportdesk.log", "wb")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((workdir / "supportdesk.log").read_text())
        try:
            if requests.get(f"{url}/health", timeout=1).status_code == 200:
                return SupportDesk(url, TEST_KEY, database_url, data_dir, process)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("support desk did not start within 30 s")


def stop(desk: SupportDesk) -> None:
    """Kill a test's desk: SQLite commits each write, so a graceful stop (0.3 s) keeps nothing
    more, and some 200 tests start a desk of their own."""
    desk.process.kill()
    desk.process.wait(timeout=10)


# Modules that start a whole stack (Rasa, actions, the desk) or a browser on one: under
# `pytest -n 2 --dist loadgroup` (make test) they run one after another on one worker, while the
# other worker takes the rest, a file at a time. Two stacks at once would share two CPUs.
STACK_MODULES = {
    "tests/chat_fuzz/test_chat_fuzz.py",
    "tests/shoppers/test_shoppers.py",
    "tests/test_bench.py",
}


def _group(path: Path) -> str:
    module = path.relative_to(ROOT).as_posix()
    stack_module = (
        module in STACK_MODULES
        or module.endswith("_end_to_end.py")
        or module.startswith("tests/web/")
    )
    return "whole-stack" if stack_module else module


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item.path)))


@pytest.fixture
def supportdesk(tmp_path: Path) -> Iterator[SupportDesk]:
    """A fresh support desk with demo data, for tests that change its state."""
    desk = start_supportdesk(tmp_path)
    yield desk
    stop(desk)


@pytest.fixture(scope="session")
def shared_supportdesk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SupportDesk]:
    """One support desk for tests that only read, or that use keys of their own."""
    desk = start_supportdesk(tmp_path_factory.mktemp("shared-desk"))
    yield desk
    stop(desk)


# The developer's own settings that would change what a test stack does (or, for a real
# Telegram bot, point its webhook at a test); each test stack sets what it needs instead.
ISOLATED_SETTINGS = (
    "TELEGRAM_",
    "CHATWOOT_",
    "HANDOFF_INBOX",
    "SUPPORT_HOURS",
    "SUPPORT_TIME_ZONE",
    "SUPPORTDESK_PUBLIC_URL",
    "RASA_PUBLIC_URL",
    "SUPPORTDESK_LOOKUP_",
    "STS_BIND_HOST",
)


# The production profile's settings of the developer's own (servers, counts), likewise.
PROD_SETTINGS = ("POSTGRES_", "REDIS_", "PROD_POSTGRES_DIR", "RASA_SERVERS", "ACTION_SERVERS",
                 "SUPPORTDESK_SERVERS")  # fmt: skip


def test_profile() -> str:
    """The profile the whole-stack tests run in: STS_TEST_PROFILE, else the embedded one."""
    return os.environ.get("STS_TEST_PROFILE", "").strip() or "embedded"


test_profile.__test__ = False  # a helper, not a test


@contextmanager
def whole_stack(
    workdir: Path,
    credentials: Path | None = None,
    env: dict[str, str] | None = None,
    profile: str | None = None,
) -> Iterator[stack.Stack]:
    """Every service on free ports, trained first if needed, in `profile` (STS_TEST_PROFILE).

    The services get this process's environment without ISOLATED_SETTINGS, plus `env`.
    """
    if not stack.model_is_current():
        stack.train()
    chosen = stack.Profile.from_env(profile or test_profile(), env or {})
    ports = stack.Ports(rasa=free_port(), actions=free_port(), supportdesk=free_port())
    options = {"credentials": credentials} if credentials else {}
    with services.scratch_postgres_folder() as folder:
        with pytest.MonkeyPatch.context() as settings:
            for name in [n for n in os.environ if n.startswith(ISOLATED_SETTINGS + PROD_SETTINGS)]:
                settings.delenv(name)
            settings.setenv("PROD_POSTGRES_DIR", str(folder))
            for name, value in (env or {}).items():
                settings.setenv(name, value)
            started = stack.start(
                ports, workdir / "data", log_dir=workdir, profile=chosen, **options
            )
        try:
            yield started
        finally:
            started.stop()


def desk_get(running: stack.Stack, path: str) -> dict:
    """GET a support desk API path with the stack's service key."""
    answer = requests.get(
        f"http://127.0.0.1:{running.ports.supportdesk}{path}",
        headers={"Authorization": f"Bearer {running.env['SUPPORTDESK_API_KEY']}"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()
