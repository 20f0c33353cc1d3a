"""The production profile's shared servers, from Debian's packages: PostgreSQL, Redis, HAProxy.

Each is a child process of the stack, with its files under the data folder (PostgreSQL's
cluster under PROD_POSTGRES_DIR when that is set). The stack starts one only when the
environment names no server of your own (POSTGRES_HOST, REDIS_HOST).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2

DATABASES = ("rasa", "supportdesk")  # Rasa's tracker store, and the support desk's
SERVER_USER = "postgres"  # PostgreSQL refuses to run as root: Debian's postgres user then


def postgres_binaries() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (initdb, postgres), if installed."""
    found = shutil.which("initdb") or shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def server_user() -> str | None:
    """The user PostgreSQL runs as: this one, unless this one is root."""
    return SERVER_USER if os.geteuid() == 0 else None


def _reachable_by(user: str, folder: Path) -> bool:
    check = [shutil.which("test") or "/usr/bin/test", "-x", str(folder)]
    return subprocess.run(check, user=user, check=False).returncode == 0


def _need(program: str, package: str) -> str:
    path = shutil.which(program) or (
        f"/usr/sbin/{program}" if Path(f"/usr/sbin/{program}").exists() else None
    )
    if path is None:
        raise RuntimeError(
            f"The production profile needs {program}: apt-get install {package} "
            "(make prod-deps installs PostgreSQL, Redis and HAProxy)."
        )
    return path


@dataclass
class Postgres:
    """A PostgreSQL cluster in `folder`, listening on 127.0.0.1:`port` for user `user`."""

    folder: Path
    port: int
    user: str
    password: str

    def prepare(self) -> None:
        """Create the cluster the first time (initdb, password authentication only)."""
        binaries = postgres_binaries()
        if binaries is None:
            _need("initdb", "postgresql")
        if (self.folder / "PG_VERSION").exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if server_user() and not _reachable_by(SERVER_USER, self.folder.parent):
            raise RuntimeError(
                f"PostgreSQL runs as the user {SERVER_USER}, who cannot reach "
                f"{self.folder.parent}: set PROD_POSTGRES_DIR to a folder it can reach."
            )
        password_file = self.folder.parent / f".{self.folder.name}.pw"
        password_file.write_text(self.password)
        try:
            if server_user():
                shutil.chown(self.folder, SERVER_USER)
                shutil.chown(password_file, SERVER_USER)
            subprocess.run(
                [str(binaries / "initdb"), "-D", str(self.folder), "-U", self.user,
                 "--auth=scram-sha-256", f"--pwfile={password_file}", "-E", "UTF8"],
                check=True, capture_output=True, user=server_user(),
            )  # fmt: skip
        finally:
            password_file.unlink()

    def command(self) -> list[str]:
        binaries = postgres_binaries()
        return [
            str(binaries / "postgres"), "-D", str(self.folder), "-p", str(self.port),
            "-k", str(self.folder), "-c", "listen_addresses=127.0.0.1",
        ]  # fmt: skip

    def ready(self) -> bool:
        try:
            self._connect("postgres").close()
            return True
        except psycopg2.OperationalError:
            return False

    def create_databases(self) -> None:
        """Rasa's and the support desk's databases, when missing."""
        connection = self._connect("postgres")
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                for name in DATABASES:
                    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                    if cursor.fetchone() is None:
                        cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()

    def _connect(self, database: str):  # noqa: ANN202  (psycopg2's connection)
        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user=self.user, password=self.password,
            dbname=database, connect_timeout=2,
        )  # fmt: skip


@dataclass
class Redis:
    """A Redis server for Rasa's lock store and socket.io's message queue; nothing persisted."""

    folder: Path
    port: int
    password: str

    def command(self) -> list[str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "redis.conf"
        config.touch(mode=0o600)  # the password is not shown in `ps`
        config.chmod(0o600)
        config.write_text(
            f"bind 127.0.0.1\nport {self.port}\nrequirepass {self.password}\n"
            f'dir {self.folder}\nsave ""\nappendonly no\n'
        )
        return [_need("redis-server", "redis-server"), str(config)]


@dataclass
class Backend:
    """One HAProxy backend: the addresses of its servers and the path that says each is up."""

    name: str
    port: int  # where HAProxy listens for it
    servers: list[int]
    health: str
    maxconn: int | None = None  # requests one server works on at once; HAProxy queues the rest


def haproxy_config(host: str, backends: list[Backend], socketio_backend: str) -> str:
    """HAProxy in front of every kind of server; socket.io sticks to one Rasa server by address.

    HTTP requests go to the server with the fewest open ones. A server that stops answering
    its health check is taken out within two seconds, and a request that could not be sent
    to it is sent to another (`option redispatch`); one that was sent is never sent twice.
    A backend with `maxconn` gives each server that many requests at once and queues the
    others in arrival order (socket.io's connections are not counted).
    """
    lines = [
        "global", "  maxconn 4096", "",
        "defaults", "  mode http", "  option redispatch", "  retries 2",
        "  timeout connect 2s", "  timeout client 75s", "  timeout server 75s",
        "  timeout tunnel 1h", "  timeout http-keep-alive 10s", "  timeout queue 60s", "",
    ]  # fmt: skip
    for backend in backends:
        lines += [f"frontend {backend.name}", f"  bind {host}:{backend.port}"]
        if backend.name == socketio_backend:
            lines.append(f"  use_backend {backend.name}_socketio if {{ path_beg /socket.io }}")
        lines += [f"  default_backend {backend.name}", ""]
        lines += _backend(backend.name, "leastconn", backend)
        if backend.name == socketio_backend:
            # python-socketio needs every request of one session on one server.
            lines += _backend(f"{backend.name}_socketio", "source\n  hash-type consistent", backend)
    return "\n".join(lines) + "\n"


def _backend(name: str, balance: str, backend: Backend) -> list[str]:
    lines = [f"backend {name}", f"  balance {balance}", f"  option httpchk GET {backend.health}"]
    limit = f" maxconn {backend.maxconn}" if backend.maxconn and name == backend.name else ""
    for n, port in enumerate(backend.servers, start=1):
        lines.append(
            f"  server {backend.name}-{n} 127.0.0.1:{port} check inter 1s fall 2 rise 1{limit}"
        )
    return [*lines, ""]


def haproxy_command(config: Path) -> list[str]:
    return [_need("haproxy", "haproxy"), "-db", "-f", str(config)]


@contextmanager
def scratch_postgres_folder() -> Iterator[Path]:
    """A folder for a throwaway cluster that PostgreSQL's server user can reach (for tests and
    the bench: pytest's and tempfile's folders are private to the user who made them)."""
    folder = Path(tempfile.mkdtemp(prefix="sts-prod-"))
    folder.chmod(0o711)
    try:
        yield folder / "postgres"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wait_until(ready: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s")
