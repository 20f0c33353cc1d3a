"""One message to the claim form, read once and passed to each step of the form's validation.

rasa-sdk calls a form's `extract_<slot>` and `validate_<slot>` methods with fixed signatures, so
the turn reaches them through a context variable that `ValidateClaimForm.run` sets for the one
request it serves (each request runs in its own task, so conversations never share a turn).
The turn holds the message, the verified order or the support desk's error, and what the
message changed besides the form's own questions (corrections, a declined package, a stop).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

from actions.items import Line, order_lines
from actions.supportdesk_client import SupportDeskError
from actions.turns import Turn, latest_turn
from actions.verification import verified_order


@dataclass
class ClaimTurn:
    message: Turn
    order_error: SupportDeskError | None = None
    corrections: dict[str, Any] = field(default_factory=dict)  # to what was given before
    changes: dict[str, Any] = field(default_factory=dict)  # slots set besides the question's
    explained: bool = False  # answered with a note alone ("the yoga mat is on its way")

    @property
    def corrected(self) -> bool:
        """The message changed the claim, or was answered with a note: the summary is shown
        again, not confirmed."""
        return bool(self.corrections) or self.explained

    def order(self, tracker: Tracker) -> dict[str, Any] | None:
        """The verified order, or None; after a support desk failure the rest of the turn
        does without it (each look-up of a desk that is down waits for its retries)."""
        if self.order_error is not None:
            return None
        try:
            return verified_order(tracker)
        except SupportDeskError as error:
            self.order_error = error
            return None

    def lines(self, tracker: Tracker) -> list[Line]:
        order = self.order(tracker)
        return order_lines(order) if order else []


CURRENT: ContextVar[ClaimTurn | None] = ContextVar("claim_turn", default=None)


@contextmanager
def reading(tracker: Tracker) -> Iterator[ClaimTurn]:
    """The turn of this request, for the claim form's validation."""
    token = CURRENT.set(ClaimTurn(latest_turn(tracker)))
    try:
        yield CURRENT.get()
    finally:
        CURRENT.reset(token)


def claim_turn(tracker: Tracker) -> ClaimTurn:
    """The turn the claim form is validating, or (outside it) the latest message read now."""
    turn = CURRENT.get()
    return turn if turn is not None else ClaimTurn(latest_turn(tracker))


def order_or_none(tracker: Tracker) -> dict[str, Any] | None:
    return claim_turn(tracker).order(tracker)
