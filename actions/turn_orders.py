"""The verified order is fetched once per turn, not once for each action the turn runs.

One message can make Rasa run several custom actions, each a request of its own: the form's
validation, then its question (`action_ask_*`) or the claim's filing. Each needed the verified
order, and each fetched it again from the support desk (about 15 ms each, and a write there:
every successful look-up refreshes the conversation's proof of the e-mail). The order fetched
during a turn is kept for that turn's other actions: in this process only, for the
conversation and its latest message (the next message fetches it again), at most `TTL`
seconds, for at most `SIZE` turns. Filing a claim, the only thing an action does that changes
what the order shows (its claimed units, its claims), drops it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker

TTL = 30.0  # seconds; a turn's actions run within a second or two
SIZE = 256  # turns; each holds one or two orders

Key = tuple[str, float, str, str]


class TurnOrders:
    """Orders kept per (conversation, latest message, order number, e-mail)."""

    def __init__(
        self, ttl: float = TTL, size: int = SIZE, clock: Callable[[], float] = time.monotonic
    ):
        self.ttl, self.size, self.clock = ttl, size, clock
        self._orders: OrderedDict[Key, tuple[float, dict[str, Any]]] = OrderedDict()

    def get(self, key: Key | None) -> dict[str, Any] | None:
        if key is None or key not in self._orders:
            return None
        kept_at, order = self._orders[key]
        if self.clock() - kept_at > self.ttl:
            del self._orders[key]
            return None
        return order

    def put(self, key: Key | None, order: dict[str, Any]) -> None:
        if key is None:
            return
        self._orders[key] = (self.clock(), order)
        self._orders.move_to_end(key)
        while len(self._orders) > self.size:
            self._orders.popitem(last=False)

    def clear(self) -> None:
        self._orders.clear()

    def forget(self, conversation: str) -> None:
        """Drop every order kept for the conversation."""
        for key in [k for k in self._orders if k[0] == conversation]:
            del self._orders[key]


ORDERS = TurnOrders()


def turn_key(tracker: Tracker, number: str, email: str) -> Key | None:
    """The turn's key: None when the conversation has no message to tie the order to."""
    message = tracker.get_last_event_for("user")
    stamp = message.get("timestamp") if message else None
    if not isinstance(stamp, (int, float)):
        return None
    return (tracker.sender_id, float(stamp), number, email)
