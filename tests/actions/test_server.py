"""The action server (`python -m actions.server`) as a real process: only callers with the token.

Stock `rasa run actions` runs any action for anyone who can reach it; each refusal below would
have been a 200 (or rasa-sdk's own 4xx for a bad call) there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port

TOKEN = "actions-test-token-" + "z" * 24


def action_call(name: str) -> dict:
    """A call as Rasa's RemoteAction sends it, with an empty conversation."""
    tracker = {
        "sender_id": "server-test",
        "slots": {},
        "latest_message": {"text": "what happens now?", "intent": {}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
        "latest_input_channel": "rest",
    }
    return {"next_action": name, "sender_id": "server-test", "tracker": tracker,
            "domain": {}, "version": "3.6.21"}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("actions") / "actions.log"
    env = {**os.environ, "ACTION_SERVER_TOKEN": TOKEN}
    command = [sys.executable, "-m", "actions.server", "--port", str(port)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log_path)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if requests.get(f"{url}/health", timeout=1).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError("the action server did not start within 60 s")


def test_health_is_open(server: str) -> None:
    answer = requests.get(f"{server}/health", timeout=5)
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-of-some-length"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer t\u00e9st"},  # not ASCII: still a 401, not a 500
    ],
    ids=["none", "wrong", "longer", "no scheme", "basic", "latin-1"],
)
def test_every_other_request_needs_the_token(server: str, headers: dict[str, str]) -> None:
    call = requests.post(
        f"{server}/webhook", json=action_call("action_next_steps"), headers=headers, timeout=10
    )
    listing = requests.get(f"{server}/actions", headers=headers, timeout=10)
    for answer in (call, listing):
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"] == "unauthorized"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    # Nor in the query string, where Rasa's `token:` option would put it.
    query = requests.get(f"{server}/actions", params={"token": TOKEN}, timeout=10)
    assert query.status_code == 401


def test_the_right_token_runs_actions(server: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    listing = requests.get(f"{server}/actions", headers=headers, timeout=10)
    assert listing.status_code == 200
    assert {"name": "action_stop_form"} in listing.json()

    answer = requests.post(
        f"{server}/webhook", json=action_call("action_stop_form"), headers=headers, timeout=10
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["responses"][0]["response"] == "utter_stopped"
    # rasa-sdk's own answers are kept: an unknown action is its 404.
    unknown = requests.post(
        f"{server}/webhook", json=action_call("action_nobody_wrote"), headers=headers, timeout=10
    )
    assert unknown.status_code == 404


def test_no_browser_origin_is_allowed(server: str) -> None:
    answer = requests.get(
        f"{server}/actions",
        headers={"Authorization": f"Bearer {TOKEN}", "Origin": "https://evil.example"},
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in answer.headers


@pytest.mark.parametrize("token", ["", "short"])
def test_it_refuses_to_start_without_a_real_token(token: str) -> None:
    env = {**os.environ, "ACTION_SERVER_TOKEN": token}
    started = subprocess.run(
        [sys.executable, "-m", "actions.server", "--port", str(free_port())],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert started.returncode == 2
    assert "ACTION_SERVER_TOKEN" in started.stderr
