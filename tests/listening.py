"""The TCP addresses a process listens on, read from /proc (Linux), as `ss -ltnp` shows them."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from scripts import stack

LISTEN = "0A"  # the TCP state in /proc/net/tcp


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _address(hex_address: str, family: socket.AddressFamily) -> tuple[str, int]:
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    # The kernel prints each 32-bit word of the address in host (little-endian) order.
    packed = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return socket.inet_ntop(family, packed), int(port, 16)


def listening(pid: int) -> set[tuple[str, int]]:
    """Every (address, port) the process `pid` has a listening TCP socket on."""
    inodes = _socket_inodes(pid)
    found = set()
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        path = Path(f"/proc/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and fields[9] in inodes:
                found.add(_address(fields[1], family))
    return found


def expected_listeners(running: stack.Stack) -> dict[str, set[tuple[str, int]]]:
    """Process name -> where it should listen: the public ports on STS_BIND_HOST (HAProxy's,
    in the production profile), and everything behind HAProxy on 127.0.0.1 only."""
    public = {"supportdesk": running.ports.supportdesk, "actions": running.ports.actions,
              "rasa": running.ports.rasa}  # fmt: skip
    if not running.profile.is_prod:
        return {name: {(running.host, port)} for name, port in public.items()}
    expected = {"haproxy": {(running.host, port) for port in public.values()}}
    expected.update({name: {("127.0.0.1", port)} for name, port in running.server_ports.items()})
    for name in ("postgres", "redis"):
        if name in running.commands:
            expected[name] = {("127.0.0.1", int(running.env[f"{name.upper()}_PORT"]))}
    return expected
