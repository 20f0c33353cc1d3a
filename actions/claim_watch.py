"""Whether a conversation has a claim to keep an eye on: the one rule both processes share.

`action_validate_slot_mappings` (actions/follow_up.py) looks at such a claim on every message,
for new photos and a new status; the Rasa server (rasa_hooks/slot_mappings.py) skips the call
when there is none. Plain Python, so that the Rasa server can import it without rasa-sdk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WATCHED_SLOTS = ("claim_number", "verified_order", "evidence_seen")


def watches_claim(slot: Callable[[str], Any]) -> bool:
    """True when the claim is known, its order verified here, and its photos counted once;
    `slot` is a tracker's `get_slot`."""
    claim, verified, seen = (slot(name) for name in WATCHED_SLOTS)
    return bool(claim) and bool(verified) and seen is not None
