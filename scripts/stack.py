"""Start every service on one machine: support desk, action server and Rasa server.

`python -m scripts.stack` trains first when the model is missing or older than the data,
stays in the foreground, and stops every process it started on Ctrl-C. Every service listens
on 127.0.0.1 (this machine only) unless STS_BIND_HOST names another address.
`python -m scripts.stack train` only trains, and only when the model is not current.

Two profiles (`--profile`, or PROFILE in make): `embedded` (the default: SQLite files, one
process each) and `prod`: PostgreSQL for the tracker store and the support desk, Redis as the
lock store and socket.io's message queue, and several Rasa servers, action servers and support
desks behind HAProxy, which listens on the ports the embedded profile's services use.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from scripts import services

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
# The production profile's own PostgreSQL and Redis (not used when POSTGRES_HOST/REDIS_HOST
# name servers of your own, whose passwords then come from the environment).
PROD_SECRETS = {"POSTGRES_PASSWORD": "postgres.password", "REDIS_PASSWORD": "redis.password"}
PROFILES = ("embedded", "prod")
POSTGRES_USER = "sts"
DEFAULT_BIND_HOST = "127.0.0.1"
# free_port() chooses from here up to the ephemeral range, above the well-known services.
FIRST_FREE_PORT = 20000
_PORTS = random.SystemRandom()  # never the seeded global one: two test workers would agree
_HANDED_OUT: set[int] = set()  # free_port()'s answers in this process, never given twice
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
class Profile:
    """How many of each server to run: one each, or several behind HAProxy (`prod`)."""

    name: str = "embedded"
    rasa_servers: int = 1
    action_servers: int = 1
    desk_servers: int = 1
    # Messages one Rasa server works on at once; HAProxy queues the others in arrival order.
    # A Rasa server interleaves its messages at every action call, so with many at once a form
    # turn waits behind all the others several times over (1,300 ms p95 at 20 users here,
    # against 550 ms with 2 at once, for the same turns per second).
    rasa_messages_at_once: int | None = None

    @classmethod
    def from_env(cls, name: str, environ: dict[str, str] | None = None) -> Profile:
        """`prod` runs RASA_SERVERS, ACTION_SERVERS and SUPPORTDESK_SERVERS of each (2 each)."""
        if name not in PROFILES:
            raise ValueError(f"unknown profile {name!r}: choose one of {', '.join(PROFILES)}")
        if name == "embedded":
            return cls()
        environ = os.environ if environ is None else environ
        counts = [
            _count(environ, variable)
            for variable in ("RASA_SERVERS", "ACTION_SERVERS", "SUPPORTDESK_SERVERS")
        ]
        return cls(name, *counts, _count(environ, "RASA_MESSAGES_PER_SERVER"))

    @property
    def is_prod(self) -> bool:
        return self.name == "prod"


def _count(environ: dict[str, str], variable: str, default: int = 2) -> int:
    value = environ.get(variable, "").strip() or str(default)
    if not value.isdigit() or not 1 <= int(value) <= 16:
        raise ValueError(f"{variable} must be a number from 1 to 16, not {value!r}")
    return int(value)


@dataclass
class Stack:
    ports: Ports
    data_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    commands: dict[str, list[str]] = field(default_factory=dict)
    log_dir: Path | None = None
    host: str = DEFAULT_BIND_HOST  # where the services listen (STS_BIND_HOST)
    profile: Profile = field(default_factory=Profile)
    # Process name -> the check that says it is ready (each process's own port, not HAProxy's).
    checks: dict[str, Callable[[], bool]] = field(default_factory=dict)
    users: dict[str, str | None] = field(default_factory=dict)  # process name -> user to run as
    # Production profile: server name (`rasa-1`) -> its own port on 127.0.0.1, behind HAProxy.
    server_ports: dict[str, int] = field(default_factory=dict)

    def url(self, service: str, path: str = "") -> str:
        """`path` on one service (`rasa`, `actions`, `supportdesk`), as this machine reaches it.

        In the production profile that is HAProxy, in front of every server of the service.
        """
        return f"http://{url_host(local_host(self.host))}:{getattr(self.ports, service)}{path}"

    def health_url(self, name: str) -> str:
        """Where the service `name` says it is ready (in front of all its servers)."""
        return {
            "supportdesk": self.url("supportdesk", "/health"),
            "actions": self.url("actions", "/health"),
            "rasa": self.url("rasa", f"/status?token={self.env['RASA_AUTH_TOKEN']}"),
        }[name]

    @property
    def desk_database_url(self) -> str:
        """The support desk's database: PostgreSQL's in the production profile, else SQLite's."""
        default = f"sqlite:///{self.data_dir / 'supportdesk.db'}"
        return self.env.get("SUPPORTDESK_DATABASE_URL") or default

    def names(self, name: str) -> list[str]:
        """The processes of `name`: itself, or all its servers (`rasa` -> `rasa-1`, `rasa-2`)."""
        found = [n for n in self.commands if n == name or n.rsplit("-", 1)[0] == name]
        if not found:
            raise KeyError(f"no process {name!r} in this stack: {', '.join(self.commands)}")
        return found

    def process(self, name: str) -> subprocess.Popen:
        return self.processes[list(self.commands).index(name)]

    def launch(self, name: str) -> None:
        """Start the process `name` (again, after `kill`), without waiting for it."""
        index = list(self.commands).index(name)
        out = open(self.log_dir / f"{name}.log", "ab") if self.log_dir else None  # noqa: SIM115
        process = subprocess.Popen(
            self.commands[name], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            user=self.users.get(name),
        )  # fmt: skip
        if index < len(self.processes):
            self.processes[index] = process
        else:
            self.processes.append(process)

    def log_tail(self, name: str, lines: int = 15) -> str:
        """The last lines `name` wrote, to say why it stopped; empty without a log folder."""
        log = self.log_dir / f"{name}.log" if self.log_dir else None
        if not log or not log.exists():
            return ""
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        return f"; the end of {log}:\n" + "\n".join(tail) if tail else ""

    def kill(self, name: str) -> None:
        """Kill the process `name`, or every server of the service `name`, at once (SIGKILL)."""
        for each in self.names(name):
            process = self.process(each)
            process.kill()
            process.wait()

    def restart(self, name: str, seconds: float = 120) -> None:
        """Start `name` (one process, or every server of a service) again; wait until it answers."""
        for each in self.names(name):
            self.launch(each)
        for each in self.names(name):
            _wait(self.checks[each], self, seconds, each)
        if name in ("rasa", "actions", "supportdesk"):
            _wait(_http_check(self.health_url(name)), self, seconds, name)

    def stop(self) -> None:
        for name, process in reversed(list(zip(self.commands, self.processes, strict=False))):
            if process.poll() is None:
                # PostgreSQL's "fast" shutdown; SIGTERM would wait for every client to leave.
                process.send_signal(signal.SIGINT if name == "postgres" else signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def load_secrets(
    data_dir: Path, environ: dict[str, str], names: dict[str, str] = SECRETS
) -> dict[str, str]:
    """Keys from the environment, else from the data folder, created there on first run."""
    values = {}
    for name, filename in names.items():
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
    profile: Profile | None = None,
) -> Stack:
    """Start every service, each listening on STS_BIND_HOST, and wait until each answers.

    Without `credentials`, the channels are credentials.yml's, and Telegram's when
    TELEGRAM_BOT_TOKEN is set. Without `profile`, the embedded one.
    """
    profile = profile or Profile()
    data_dir.mkdir(parents=True, exist_ok=True)
    host = bind_host(dict(os.environ))
    stack = Stack(ports, data_dir, {}, log_dir=log_dir, host=host, profile=profile)
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
    stack.env = env
    credentials = credentials or credentials_for(data_dir, env)
    try:
        if profile.is_prod:
            _start_prod(stack, credentials, seed)
        else:
            _start_embedded(stack, credentials, seed)
    except BaseException:
        stack.stop()
        raise
    return stack


def _service_commands(
    stack: Stack, credentials: Path, seed: bool, endpoints: str = "endpoints.yml"
) -> dict[str, list[str]]:
    """The three services' commands, listening where `stack.ports` says."""
    host, ports = stack.host, stack.ports
    return {
        "supportdesk": [sys.executable, "-m", "supportdesk", "serve", "--host", host, "--port",
                        str(ports.supportdesk)] + (["--seed-demo"] if seed else []),
        "actions": [sys.executable, "-m", "actions.server", "--host", host, "--port",
                    str(ports.actions)],
        # Rasa's own command line, with this project's hooks installed first (rasa_hooks/).
        # `--auth-token=…` in one word: a generated token may begin with "-".
        "rasa": [sys.executable, "-m", "rasa_hooks", "run", "--enable-api",
                 f"--auth-token={stack.env['RASA_AUTH_TOKEN']}", "--cors", "*",
                 "--interface", host, "--port", str(ports.rasa),
                 "--model", "models",
                 "--credentials", str(credentials), "--endpoints", endpoints],
    }  # fmt: skip


def _start_embedded(stack: Stack, credentials: Path, seed: bool) -> None:
    stack.commands = _service_commands(stack, credentials, seed)
    stack.checks = {name: _http_check(stack.health_url(name)) for name in stack.commands}
    for name in stack.commands:
        stack.launch(name)
    for name, seconds in (("supportdesk", 60), ("actions", 120), ("rasa", 240)):
        _wait(stack.checks[name], stack, seconds, name)


def _start_prod(stack: Stack, credentials: Path, seed: bool) -> None:
    """PostgreSQL and Redis (unless given), then every server, then HAProxy in front of them."""
    env, profile = stack.env, stack.profile
    env.update(load_secrets(stack.data_dir, dict(os.environ), PROD_SECRETS))
    if not os.environ.get("POSTGRES_HOST"):
        folder = Path(os.environ.get("PROD_POSTGRES_DIR") or stack.data_dir / "postgres")
        postgres = services.Postgres(
            folder.resolve(), free_port(), POSTGRES_USER, env["POSTGRES_PASSWORD"]
        )
        postgres.prepare()
        env.update(POSTGRES_HOST="127.0.0.1", POSTGRES_PORT=str(postgres.port))
        env["POSTGRES_USER"] = POSTGRES_USER
        _add(stack, "postgres", postgres.command(), postgres.ready, services.server_user())
        _wait(postgres.ready, stack, 60, "postgres")
        postgres.create_databases()
    if not os.environ.get("REDIS_HOST"):
        redis_server = services.Redis(stack.data_dir / "redis", free_port(), env["REDIS_PASSWORD"])
        env.update(REDIS_HOST="127.0.0.1", REDIS_PORT=str(redis_server.port))
        _add(stack, "redis", redis_server.command(), _redis_check(env))
        _wait(stack.checks["redis"], stack, 30, "redis")
    env.setdefault("POSTGRES_USER", POSTGRES_USER)
    env.setdefault("POSTGRES_PORT", "5432")
    env.setdefault("REDIS_PORT", "6379")
    env["SUPPORTDESK_DATABASE_URL"] = _postgres_url(env, "supportdesk")
    env["SOCKETIO_MESSAGE_QUEUE"] = _redis_url(env, database=2)
    # Once, before the desks start: several at once would each create the tables.
    init = [sys.executable, "-m", "supportdesk", "init-db"] + (["--seed-demo"] if seed else [])
    done = subprocess.run(init, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"the support desk's database could not be set up:\n{done.stderr}")
    backends = [
        _start_servers(stack, credentials, "supportdesk", profile.desk_servers),
        _start_servers(stack, credentials, "actions", profile.action_servers),
        _start_servers(stack, credentials, "rasa", profile.rasa_servers),
    ]
    for name in stack.commands:
        _wait(stack.checks[name], stack, 240, name)
    config = stack.data_dir / "haproxy.cfg"
    config.write_text(services.haproxy_config(stack.host, backends, socketio_backend="rasa"))
    haproxy_up = _http_check(stack.url("supportdesk", "/health"))
    _add(stack, "haproxy", services.haproxy_command(config), haproxy_up)
    for name in ("supportdesk", "actions", "rasa"):
        _wait(_http_check(stack.health_url(name)), stack, 60, name)


def _start_servers(stack: Stack, credentials: Path, service: str, count: int) -> services.Backend:
    """`count` servers of `service` on free loopback ports, for HAProxy's backend `service`."""
    health = "/" if service == "rasa" else "/health"
    at_once = stack.profile.rasa_messages_at_once if service == "rasa" else None
    backend = services.Backend(service, getattr(stack.ports, service), [], health, at_once)
    for n in range(1, count + 1):
        port = free_port()
        backend.servers.append(port)
        # Only HAProxy listens on STS_BIND_HOST; the servers behind it, on loopback only.
        ports = Ports(**{**stack.ports.__dict__, service: port})
        own = Stack(ports, stack.data_dir, stack.env, host=DEFAULT_BIND_HOST)
        command = _service_commands(own, credentials, False, "endpoints.prod.yml")[service]
        check = _http_check(f"http://{DEFAULT_BIND_HOST}:{port}{health}")
        _add(stack, f"{service}-{n}", command, check)
        stack.server_ports[f"{service}-{n}"] = port
        if service == "rasa" and n == 1:
            _wait(check, stack, 240, "rasa-1")  # the first creates Rasa's tables, then the rest
    return backend


def _add(
    stack: Stack, name: str, command: list[str], check: Callable[[], bool], user: str | None = None
) -> None:
    stack.commands[name] = command
    stack.checks[name] = check
    stack.users[name] = user
    stack.launch(name)


def _postgres_url(env: dict[str, str], database: str) -> str:
    from urllib.parse import quote

    user, password = quote(env["POSTGRES_USER"], safe=""), quote(env["POSTGRES_PASSWORD"], safe="")
    return (
        f"postgresql://{user}:{password}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{database}"
    )


def _redis_url(env: dict[str, str], database: int) -> str:
    from urllib.parse import quote

    password = env.get("REDIS_PASSWORD", "")
    auth = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{auth}{url_host(env['REDIS_HOST'])}:{env['REDIS_PORT']}/{database}"


def _redis_check(env: dict[str, str]) -> Callable[[], bool]:
    import redis

    def ready() -> bool:
        try:
            return bool(redis.Redis.from_url(_redis_url(env, 0), socket_timeout=2).ping())
        except redis.RedisError:
            return False

    return ready


def free_port() -> int:
    """A loopback port that is free now and outside the kernel's ephemeral range.

    A port from the ephemeral range can be taken, before our server binds it, as the local
    end of any outgoing connection (a database pool's, a health check's); then the server
    cannot start. Ports below the range are never handed out that way. Nor is one port given
    twice: a stack picks all its ports before its servers bind them.
    """
    low = _ephemeral_range()[0]
    for _ in range(200 if low > FIRST_FREE_PORT + 1000 else 0):
        port = _PORTS.randrange(FIRST_FREE_PORT, low)
        if port in _HANDED_OUT:
            continue  # free now, but its server may not have bound it yet
        with socket.socket() as s:
            try:
                s.bind((DEFAULT_BIND_HOST, port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as s:  # no room below the range, or none free: the kernel chooses
        s.bind((DEFAULT_BIND_HOST, 0))
        return s.getsockname()[1]


def _ephemeral_range() -> tuple[int, int]:
    """The kernel's range for outgoing connections' local ports (Linux), else IANA's."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 49152, 65535


def _http_check(url: str) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return requests.get(url, timeout=2).ok
        except requests.RequestException:
            return False

    return ready


def _wait(ready: Callable[[], bool], stack: Stack, seconds: float, name: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for each, process in zip(stack.commands, stack.processes, strict=False):
            if process.poll() is not None:
                raise RuntimeError(
                    f"{each} ({process.args[0]}) exited with {process.returncode}"
                    + stack.log_tail(each)
                )
        if ready():
            return
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer within {seconds:.0f} s")


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
    parser = argparse.ArgumentParser(
        prog="python -m scripts.stack", description=__doc__.split("\n")[0]
    )
    parser.add_argument("command", nargs="?", choices=["run", "train"], default="run")
    parser.add_argument("--profile", default=os.environ.get("PROFILE") or "embedded",
                        help="embedded (default) or prod")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        profile = Profile.from_env(args.profile)
    except ValueError as error:
        parser.error(str(error))
    if not model_is_current():
        print("Training the assistant (the model is missing or older than the data)...")
        train()
    if args.command == "train":
        return 0
    ports = Ports.from_env()
    data_dir = Path(os.environ.get("STS_DATA_DIR", ROOT / "var")).resolve()
    stack = start(ports, data_dir, profile=profile)
    # Installed explicitly: a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    print(
        f"\nReady ({_profile_line(stack)}). "
        f"Help page with the chat widget: {stack.env['SUPPORTDESK_PUBLIC_URL']}/\n"
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


def _profile_line(stack: Stack) -> str:
    profile = stack.profile
    if not profile.is_prod:
        return "embedded profile: SQLite, one process each"
    return (
        f"production profile: {profile.rasa_servers} Rasa servers, {profile.action_servers} "
        f"action servers and {profile.desk_servers} support desks behind HAProxy; "
        f"PostgreSQL at {stack.env['POSTGRES_HOST']}:{stack.env['POSTGRES_PORT']}, "
        f"Redis at {stack.env['REDIS_HOST']}:{stack.env['REDIS_PORT']}"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
