"""`python -m tests.chat_fuzz`: see tests/chat_fuzz/run.py."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.chat_fuzz.run import run
from tests.conftest import whole_stack


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.chat_fuzz")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chaos", action="store_true", help="kill and restart services")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir, whole_stack(Path(workdir)) as running:
        started = time.monotonic()
        report = run(running, args.messages, args.seed, chaos=args.chaos)
        print("\n".join(report.lines()))
        print(f"took {time.monotonic() - started:.0f} s")
    return 0 if report.clean else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
