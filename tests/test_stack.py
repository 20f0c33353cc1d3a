"""The stack's channels: Telegram only with a bot token, its secrets from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.run import create_http_input_channels

from channels.telegram import TelegramInput
from scripts import stack

TOKEN = "123456789:AAF-token_only_in_the_environment"


def test_without_a_bot_token_the_channels_are_credentials_yml(tmp_path: Path) -> None:
    assert stack.credentials_for(tmp_path, {}) == stack.CREDENTIALS
    assert stack.credentials_for(tmp_path, {"TELEGRAM_BOT_TOKEN": "  "}) == stack.CREDENTIALS
    assert list(tmp_path.iterdir()) == []


def test_with_a_bot_token_telegram_is_added_and_filled_in_by_rasa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_SECRET_TOKEN": "secret_from_env",
        "TELEGRAM_WEBHOOK_URL": "",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/",
    }
    path = stack.credentials_for(tmp_path, env)
    assert path.parent == tmp_path
    text = path.read_text()
    assert stack.CREDENTIALS.read_text() in text
    assert "${TELEGRAM_BOT_TOKEN}" in text and TOKEN not in text  # never written to disk

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    channels = create_http_input_channels(None, str(path))
    telegram = next(c for c in channels if isinstance(c, TelegramInput))
    assert {"rest", "socketio", "telegram"} <= {c.name() for c in channels}  # added, not replaced
    assert telegram.api.token == TOKEN and telegram.secret_token == "secret_from_env"
    assert telegram.api.base_url == "http://127.0.0.1:8081"
    assert telegram.webhook_url is None  # empty: setWebhook is left alone


def test_every_service_listens_on_this_machine_only_unless_told() -> None:
    assert stack.bind_host({}) == "127.0.0.1"
    assert stack.bind_host({"STS_BIND_HOST": " "}) == "127.0.0.1"
    assert stack.bind_host({"STS_BIND_HOST": "0.0.0.0"}) == "0.0.0.0"


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:5055/webhook"),
        ("0.0.0.0", "http://127.0.0.1:5055/webhook"),  # every interface: reached over loopback
        ("10.1.2.3", "http://10.1.2.3:5055/webhook"),
        ("::", "http://[::1]:5055/webhook"),
    ],
)
def test_the_services_reach_each_other_where_they_listen(host: str, url: str) -> None:
    running = stack.Stack(stack.Ports(), Path("."), {}, host=host)
    assert running.url("actions", "/webhook") == url


def test_the_action_server_token_is_a_generated_secret(tmp_path: Path) -> None:
    generated = stack.load_secrets(tmp_path, {})["ACTION_SERVER_TOKEN"]
    assert len(generated) >= 32 and (tmp_path / "actions.token").stat().st_mode & 0o077 == 0
    assert stack.load_secrets(tmp_path, {})["ACTION_SERVER_TOKEN"] == generated  # kept
    given = stack.load_secrets(tmp_path, {"ACTION_SERVER_TOKEN": "from-env"})
    assert given["ACTION_SERVER_TOKEN"] == "from-env"
