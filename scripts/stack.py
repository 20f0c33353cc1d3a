"""Start every service on one machine: support desk, action server and Rasa server.

`python -m scripts.stack` trains first when the model is missing or older than the data,
stays in the foreground, and stops every process it started on Ctrl-C. Every service listens
on 127.0.0.1 (this machine only) unless STS_BIND_HOST names another address.
`python -m scripts.stack train` only trains, and only when the model is not current.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
TRAINING_INPUTS = ["data", "domain.yml", "config.yml"]
SECRETS = {
    "SUPPORTDESK_API_KEY": "supportdesk.key",
    "SUPPORTDESK_UPLOAD_SECRET": "upload.secret",
    "RASA_AUTH_TOKEN": "rasa.token",
    # The Telegram webhook's secret: we set the webhook ourselves, so a random one works.
    "TELEGRAM_SECRET_TOKEN": "telegram.secret",
    # Rasa sends it to the action server (endpoints.yml), which refuses calls without it.
    "ACTION_SERVER_TOKEN": "actions.token",
}
DEFAULT_BIND_HOST = "127.0.0.1"
# Listening on every interface; this machine's clients then reach a service over loopback.
ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104  (names them, binds nothing)
CREDENTIALS = ROOT / "credentials.yml"
TELEGRAM_CREDENTIALS = ROOT / "credentials.telegram.yml"


@dataclass
class Ports:
    rasa: int = 5005
    actions: int = 5055
    supportdesk: int = 8000

    @classmethod
    def from_env(cls) -> Ports:
        return cls(
            rasa=int(os.environ.get("RASA_PORT", 5005)),
            actions=int(os.environ.get("ACTIONS_PORT", 5055)),
            supportdesk=int(os.environ.get("SUPPORTDESK_PORT", 8000)),
        )


@dataclass
class Stack:
    ports: Ports
    data_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    commands: dict[str, list[str]] = field(default_factory=dict)
    log_dir: Path | None = None
    host: str = DEFAULT_BIND_HOST  # where the services listen (STS_BIND_HOST)

    def url(self, service: str, path: str = "") -> str:
        """`path` on one service (`rasa`, `actions`, `supportdesk`), as this machine reaches it."""
        return f"http://{url_host(local_host(self.host))}:{getattr(self.ports, service)}{path}"

    def health_url(self, name: str) -> str:
        """Where the service `name` says it is ready."""
        return {
            "supportdesk": self.url("supportdesk", "/health"),
            "actions": self.url("actions", "/health"),
            "rasa": self.url("rasa", f"/status?token={self.env['RASA_AUTH_TOKEN']}"),
        }[name]

    def launch(self, name: str) -> None:
        """Start the service `name` (again, after `kill`), without waiting for it."""
        index = list(self.commands).index(name)
        out = open(self.log_dir / f"{name}.log", "ab") if self.log_dir else None  # noqa: SIM115
        process = subprocess.Popen(
            self.commands[name], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )
        if index < len(self.processes):
            self.processes[index] = process
        else:
            self.processes.append(process)

    def kill(self, name: str) -> None:
        """Kill the service `name` at once (SIGKILL), as a crash would."""
        process = self.processes[list(self.commands).index(name)]
        process.kill()
        process.wait()

    def restart(self, name: str, seconds: float = 120) -> None:
        """Start the service `name` again and wait until it answers."""
        self.launch(name)
        _wait(self.health_url(name), self, seconds)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def load_secrets(data_dir: Path, environ: dict[str, str]) -> dict[str, str]:
    """Keys from the environment, else from the data folder, created there on first run."""
    values = {}
    for name, filename in SECRETS.items():
        if environ.get(name):
            values[name] = environ[name]
            continue
        path = data_dir / filename
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        values[name] = path.read_text().strip()
    return values


def bind_host(environ: dict[str, str]) -> str:
    """The address every service listens on: STS_BIND_HOST, else 127.0.0.1 (this machine only)."""
    return environ.get("STS_BIND_HOST", "").strip() or DEFAULT_BIND_HOST


def local_host(bind: str) -> str:
    """The address a client on this machine uses for a service listening on `bind`."""
    return ANY_ADDRESS.get(bind, bind)


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 address in a URL


def latest_model(models: Path) -> Path | None:
    candidates = sorted(models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def model_is_current(root: Path = ROOT) -> bool:
    """True when the newest model is newer than every training file."""
    model = latest_model(root / "models")
    if model is None:
        return False
    newest_input = max(_mtimes(root / name for name in TRAINING_INPUTS), default=0.0)
    return model.stat().st_mtime >= newest_input


def _mtimes(paths: Iterable[Path]) -> Iterable[float]:
    for path in paths:
        if path.is_dir():
            yield from (p.stat().st_mtime for p in path.rglob("*.yml"))
        elif path.exists():
            yield path.stat().st_mtime


def train(root: Path = ROOT) -> None:
    subprocess.run(
        [_bin("rasa"), "train", "--fixed-model-name", "current", "--out", "models"],
        cwd=root,
        check=True,
    )


def credentials_for(data_dir: Path, env: dict[str, str]) -> Path:
    """credentials.yml, with the Telegram channel added when TELEGRAM_BOT_TOKEN is set.

    The combined file holds `${VAR}` placeholders only; Rasa fills them in from the environment.
    """
    if not env.get("TELEGRAM_BOT_TOKEN", "").strip():
        return CREDENTIALS
    combined = data_dir / "credentials.yml"
    combined.write_text(CREDENTIALS.read_text() + "\n" + TELEGRAM_CREDENTIALS.read_text())
    return combined


def start(
    ports: Ports,
    data_dir: Path,
    log_dir: Path | None = None,
    seed: bool = True,
    credentials: Path | None = None,
) -> Stack:
    """Start the three services, each listening on STS_BIND_HOST, and wait until each answers.

    Without `credentials`, the channels are credentials.yml's, and Telegram's when
    TELEGRAM_BOT_TOKEN is set.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    host = bind_host(dict(os.environ))
    stack = Stack(ports, data_dir, {}, log_dir=log_dir, host=host)
    env = {
        **os.environ,
        **load_secrets(data_dir, dict(os.environ)),
        "STS_DATA_DIR": str(data_dir),
        "SUPPORTDESK_URL": stack.url("supportdesk"),
        "ACTION_ENDPOINT_URL": stack.url("actions", "/webhook"),
        "RASA_TRACKER_DB": str(data_dir / "rasa-tracker.db"),
    }
    public_host = "localhost" if local_host(host) == DEFAULT_BIND_HOST else url_host(host)
    env.setdefault("SUPPORTDESK_PUBLIC_URL", f"http://{public_host}:{ports.supportdesk}")
    env.setdefault("RASA_PUBLIC_URL", f"http://{public_host}:{ports.rasa}")  # the widget's socket
    env["RASA_URL"] = stack.url("rasa")  # the support desk's way in, for agents
    # Read by the Telegram channel (credentials.telegram.yml) and the action server's photos.
    env.setdefault("TELEGRAM_API_BASE_URL", "https://api.telegram.org")
    env.setdefault("TELEGRAM_WEBHOOK_URL", "")
    credentials = credentials or credentials_for(data_dir, env)
    stack.env = env
    stack.commands = {
        "supportdesk": [sys.executable, "-m", "supportdesk", "serve", "--host", host, "--port",
                        str(ports.supportdesk)] + (["--seed-demo"] if seed else []),
        "actions": [sys.executable, "-m", "actions.server", "--host", host, "--port",
                    str(ports.actions)],
        # Rasa's own command line, with this project's hooks installed first (rasa_hooks/).
        "rasa": [sys.executable, "-m", "rasa_hooks", "run", "--enable-api",
                 "--auth-token", env["RASA_AUTH_TOKEN"], "--cors", "*",
                 "--interface", host, "--port", str(ports.rasa),
                 "--model", "models",
                 "--credentials", str(credentials), "--endpoints", "endpoints.yml"],
    }  # fmt: skip
    try:
        for name in stack.commands:
            stack.launch(name)
        for name, seconds in (("supportdesk", 60), ("actions", 120), ("rasa", 240)):
            _wait(stack.health_url(name), stack, seconds)
    except BaseException:
        stack.stop()
        raise
    return stack


def _wait(url: str, stack: Stack, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in stack.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:4]} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url.split('?')[0]} did not answer within {seconds:.0f} s")


def _telegram_line(env: dict[str, str]) -> str:
    if not env.get("TELEGRAM_BOT_TOKEN", "").strip():
        return ""
    webhook = env.get("TELEGRAM_WEBHOOK_URL") or "not set (TELEGRAM_WEBHOOK_URL is empty)"
    return f"Telegram channel: on; webhook {webhook}\n"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # Ctrl-C and SIGTERM stop the stack the same way


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def main(argv: list[str]) -> int:
    if not model_is_current():
        print("Training the assistant (the model is missing or older than the data)...")
        train()
    if argv[:1] == ["train"]:
        return 0
    ports = Ports.from_env()
    data_dir = Path(os.environ.get("STS_DATA_DIR", ROOT / "var")).resolve()
    stack = start(ports, data_dir)
    # Installed explicitly: a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    print(
        f"\nReady. Help page with the chat widget: {stack.env['SUPPORTDESK_PUBLIC_URL']}/\n"
        f"Support desk API: {stack.url('supportdesk', '/openapi.yaml')}\n"
        f"Rasa REST webhook: {stack.url('rasa', '/webhooks/rest/webhook')}\n"
        + _telegram_line(stack.env)
        + f"Action server: {stack.url('actions')} (every service listens on {stack.host})\n"
        "Press Ctrl-C to stop everything.",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in stack.processes):
            time.sleep(1)
        print("A service stopped unexpectedly; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
