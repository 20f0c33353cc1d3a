"""The refund policy: its settings as data, and the one function that decides."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

APPROVED = "approved"
IN_REVIEW = "in_review"


@dataclass(frozen=True)
class RefundPolicy:
    auto_approve_limit: Decimal = Decimal("50.00")
    max_recent_claims: int = 3  # the customer must have fewer than this many
    recent_window_days: int = 90


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


def policy_from_env() -> RefundPolicy:
    """The default policy, with the limit overridable by SUPPORTDESK_AUTO_APPROVE_LIMIT."""
    limit = os.environ.get("SUPPORTDESK_AUTO_APPROVE_LIMIT")
    return RefundPolicy(auto_approve_limit=Decimal(limit)) if limit else RefundPolicy()


def decide(refund: Decimal, recent_claims: int, policy: RefundPolicy) -> Decision:
    """Auto-approve small refunds for customers without many recent claims; review the rest."""
    if refund > policy.auto_approve_limit:
        return Decision(
            IN_REVIEW,
            f"Refund of {refund} is above the automatic approval limit of "
            f"{policy.auto_approve_limit}; a support agent will review it.",
        )
    if recent_claims >= policy.max_recent_claims:
        return Decision(
            IN_REVIEW,
            f"{recent_claims} claims in the last {policy.recent_window_days} days; "
            "a support agent will review this one.",
        )
    return Decision(
        APPROVED,
        f"Refund of {refund} is within the automatic approval limit of "
        f"{policy.auto_approve_limit}.",
    )
