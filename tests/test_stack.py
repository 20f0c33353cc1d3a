"""The stack's channels: Telegram only with a bot token, its secrets from the environment."""

from __future__ import annotations

import os
import sys
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


def test_a_generated_rasa_token_beginning_with_a_dash_is_still_one_argument() -> None:
    """token_urlsafe() may begin with "-"; Rasa's own parser must read it as the token."""
    from rasa.__main__ import create_argument_parser

    running = stack.Stack(stack.Ports(), Path("."), {"RASA_AUTH_TOKEN": "-starts-with-a-dash"})
    command = stack._service_commands(running, stack.CREDENTIALS, seed=False)["rasa"]
    arguments = create_argument_parser().parse_args(command[command.index("run") :])
    assert arguments.auth_token == "-starts-with-a-dash"


@pytest.mark.parametrize(
    ("environ", "counts"),
    [({}, (2, 2, 2)), ({"RASA_SERVERS": "3", "ACTION_SERVERS": " 1 "}, (3, 1, 2))],
)
def test_the_production_profile_runs_two_of_each_unless_told(
    environ: dict[str, str], counts: tuple[int, int, int]
) -> None:
    profile = stack.Profile.from_env("prod", environ)
    assert (profile.rasa_servers, profile.action_servers, profile.desk_servers) == counts
    assert profile.rasa_messages_at_once == 2
    assert stack.Profile.from_env("embedded", environ) == stack.Profile()


@pytest.mark.parametrize("value", ["0", "two", "-1", "17"])
def test_a_bad_server_count_is_refused_with_its_name(value: str) -> None:
    with pytest.raises(ValueError, match="RASA_SERVERS must be a number from 1 to 16"):
        stack.Profile.from_env("prod", {"RASA_SERVERS": value})


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown profile 'production'"):
        stack.Profile.from_env("production")


def test_haproxy_sends_socketio_to_one_server_per_client_and_the_rest_to_the_least_busy() -> None:
    from scripts import services

    backends = [services.Backend("rasa", 5005, [7001, 7002], "/", maxconn=2)]
    config = services.haproxy_config("127.0.0.1", backends, socketio_backend="rasa")
    assert "bind 127.0.0.1:5005" in config
    assert "use_backend rasa_socketio if { path_beg /socket.io }" in config
    socketio = config[config.index("\nbackend rasa_socketio") :]
    assert "balance source" in socketio
    assert "maxconn" not in socketio  # a browser's socket is not a message at work
    plain = config[config.index("\nbackend rasa\n") : config.index("\nbackend rasa_socketio")]
    assert "balance leastconn" in plain
    assert plain.count("check inter 1s") == 2 and "127.0.0.1:7002" in plain
    assert plain.count(" maxconn 2") == 2  # two messages at once per server; HAProxy queues
    assert "timeout queue 60s" in config


def test_a_free_port_is_below_the_range_outgoing_connections_take_theirs_from() -> None:
    low, _ = stack._ephemeral_range()
    ports = [stack.free_port() for _ in range(300)]
    assert all(stack.FIRST_FREE_PORT <= port < low for port in ports)
    assert len(set(ports)) == len(ports)  # none twice: a stack picks them all before binding


def test_a_service_that_stops_while_starting_is_named_with_the_end_of_its_log(
    tmp_path: Path,
) -> None:
    started = stack.Stack(stack.Ports(1, 2, 3), tmp_path, dict(os.environ), log_dir=tmp_path)
    started.commands["haproxy"] = [sys.executable, "-c", "print('cannot bind socket'); exit(1)"]
    started.launch("haproxy")
    with pytest.raises(RuntimeError, match=r"haproxy .* exited with 1[^\n]*\n.*cannot bind"):
        stack._wait(lambda: False, started, 30, "haproxy")
