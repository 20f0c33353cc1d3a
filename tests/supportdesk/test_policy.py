from decimal import Decimal

import pytest

from supportdesk.policy import APPROVED, IN_REVIEW, RefundPolicy, decide, policy_from_env


@pytest.mark.parametrize(
    ("refund", "recent", "status"),
    [
        ("0.01", 0, APPROVED),
        ("50.00", 2, APPROVED),  # the limit itself is still automatic
        ("50.01", 0, IN_REVIEW),
        ("10.00", 3, IN_REVIEW),  # three recent claims already: a person looks
        ("991.15", 0, IN_REVIEW),
    ],
)
def test_decide(refund: str, recent: int, status: str) -> None:
    decision = decide(Decimal(refund), recent, RefundPolicy())
    assert decision.status == status
    assert decision.reason


def test_reason_names_the_limit_or_the_claim_count() -> None:
    assert "50.00" in decide(Decimal("80.00"), 0, RefundPolicy()).reason
    assert "3 claims" in decide(Decimal("5.00"), 3, RefundPolicy()).reason


def test_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTDESK_AUTO_APPROVE_LIMIT", "100")
    policy = policy_from_env()
    assert policy.auto_approve_limit == Decimal("100")
    assert decide(Decimal("80.00"), 0, policy).status == APPROVED
