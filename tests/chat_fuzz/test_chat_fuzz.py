"""Generated messages through the whole stack, with the action server and the support desk each
killed for a stretch: never a 5xx, never silence, and noise opens no handoffs by itself.

The full run is `python -m tests.chat_fuzz --messages 5000 --chaos` (`make evaluate`).
"""

from __future__ import annotations

from pathlib import Path

from tests.chat_fuzz.run import run
from tests.conftest import whole_stack

MESSAGES = 160
MAX_HANDOFFS_PER_100 = 10


def test_fuzzed_messages_always_get_an_answer(tmp_path: Path) -> None:
    with whole_stack(tmp_path) as running:
        report = run(running, MESSAGES, seed=20261201, chaos=True)
    print("\n".join(report.lines()))
    assert report.sent >= MESSAGES
    assert report.server_errors == 0, report.examples
    assert report.empty == 0, report.examples
    assert report.outages == report.outages_survived == 2
    assert report.handoffs_per_100 <= MAX_HANDOFFS_PER_100
