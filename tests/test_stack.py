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
