"""A throwaway Redis server for the tests: Debian's redis-server, run as the production profile
runs it."""

from __future__ import annotations

import secrets
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from scripts import services
from scripts.stack import free_port


@contextmanager
def throwaway_redis() -> Iterator[redis.Redis]:
    """A Redis server on a free port with a password; yields a client of it."""
    with tempfile.TemporaryDirectory(prefix="sts-redis-") as folder:
        server = services.Redis(Path(folder), free_port(), secrets.token_urlsafe(16))
        process = subprocess.Popen(server.command(), stdout=subprocess.DEVNULL)
        client = redis.Redis(port=server.port, password=server.password, socket_timeout=5)
        try:
            services.wait_until(lambda: _answers(client), "redis-server", 20)
            yield client
        finally:
            process.terminate()
            process.wait(timeout=10)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
