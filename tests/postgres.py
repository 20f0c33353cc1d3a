"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary folder.

SUPPORTDESK_TEST_POSTGRES_URL points the tests at a server of your own instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts import services
from tests.conftest import free_port


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as Debian's postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a PostgreSQL cluster on a free port; yield its URL; stop and remove it after.

    The cluster lives in its own folder under /tmp, which the server user can reach (pytest's
    folders are private to the user running the tests).
    """
    url = os.environ.get("SUPPORTDESK_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bin_dir = services.postgres_binaries()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL's server binaries are needed: apt-get install postgresql (make test "
            "installs it), or set SUPPORTDESK_TEST_POSTGRES_URL to a server of your own."
        )
    workdir = Path(tempfile.mkdtemp(prefix="sts-postgres-"))
    data, port = workdir / "pgdata", free_port()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    run = {"check": True, "capture_output": True}
    subprocess.run(
        _as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "test", "--auth=trust"]),
        **run,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(workdir / "pg.log")]
    subprocess.run(_as_server_user([*ctl, "-o", options, "start"]), **run)
    try:
        yield f"postgresql://test@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([*ctl, "-m", "fast", "stop"]), check=False)
        shutil.rmtree(workdir, ignore_errors=True)
