from datetime import timedelta

import pytest

from supportdesk.claims import (
    ClaimRequest,
    change_status,
    create_claim,
    get_claim,
    list_claims,
)
from supportdesk.db import Database
from supportdesk.errors import Conflict, Invalid, NotFound
from supportdesk.models import utcnow
from supportdesk.orders import lookup_order
from supportdesk.policy import RefundPolicy

MAYA = ("STS-4829-1307", "maya.chen@example.com")
POLICY = RefundPolicy()


def request(items, description="One phone case was not in the box.", **kw) -> ClaimRequest:
    return ClaimRequest(MAYA[0], MAYA[1], items, description, **kw)


def test_small_claim_is_approved_with_tax_share(db: Database) -> None:
    claim, created = create_claim(db, request([("STS-4829-1307-L2", 1)]), "k1", POLICY)
    assert created
    assert claim["claim_number"].startswith("CLM-") and len(claim["claim_number"]) == 10
    assert claim["refund_amount"] == "13.50"  # 12.50 + half of the line's 2.00 tax
    assert claim["status"] == "approved"
    assert [e["status"] for e in claim["history"]] == ["submitted", "approved"]
    assert claim["history"][1]["actor"] == "refund policy"


def test_tax_shares_add_up_to_the_line(db: Database) -> None:
    # 2 water bottles with 2.46 tax: 1.23 each, and no cent lost or gained.
    jordan = ("STS-5102-7741", "jordan.reyes@example.net")
    first, _ = create_claim(
        db, ClaimRequest(*jordan, [("STS-5102-7741-L1", 1)], "one bottle"), "a", POLICY
    )
    second, _ = create_claim(
        db, ClaimRequest(*jordan, [("STS-5102-7741-L1", 1)], "the other"), "b", POLICY
    )
    assert first["refund_amount"] == "25.23" and second["refund_amount"] == "25.23"


def test_high_value_claim_goes_to_review(db: Database) -> None:
    claim, _ = create_claim(
        db,
        ClaimRequest("STS-9157-3380", "jordan.reyes@example.net", [("STS-9157-3380-L1", 1)], "x"),
        "hv",
        POLICY,
    )
    assert claim["status"] == "in_review" and claim["refund_amount"] == "991.15"
    assert "50.00" in claim["decision_reason"]


def test_third_recent_claim_goes_to_review(db: Database) -> None:
    # Maya already has the demo claim; two more make three in 90 days.
    create_claim(db, request([("STS-4829-1307-L2", 1)]), "one", POLICY)
    create_claim(db, request([("STS-4829-1307-L3", 1)]), "two", POLICY)
    third, _ = create_claim(db, request([("STS-4829-1307-L2", 1)]), "three", POLICY)
    assert third["status"] == "in_review"
    assert "3 claims" in third["decision_reason"]


def test_same_key_returns_the_same_claim(db: Database) -> None:
    first, created = create_claim(db, request([("STS-4829-1307-L2", 1)]), "same", POLICY)
    again, created_again = create_claim(db, request([("STS-4829-1307-L2", 1)]), "same", POLICY)
    assert created and not created_again
    assert again["claim_number"] == first["claim_number"]
    assert len(list_claims(db, MAYA[0])) == 1


def test_same_key_with_another_body_is_refused(db: Database) -> None:
    create_claim(db, request([("STS-4829-1307-L2", 1)]), "reuse", POLICY)
    with pytest.raises(Invalid, match="Idempotency-Key"):
        create_claim(db, request([("STS-4829-1307-L3", 1)]), "reuse", POLICY)


def test_a_unit_cannot_be_claimed_twice(db: Database) -> None:
    first, _ = create_claim(db, request([("STS-4829-1307-L2", 2)]), "all", POLICY)
    with pytest.raises(Conflict) as conflict:
        create_claim(db, request([("STS-4829-1307-L2", 1)]), "more", POLICY)
    assert conflict.value.details["claims"][0]["claim_number"] == first["claim_number"]
    assert lookup_order(db, *MAYA)["lines"][1]["claimed_quantity"] == 2


def test_demo_existing_claim_blocks_its_unit(db: Database) -> None:
    with pytest.raises(Conflict):
        create_claim(
            db,
            ClaimRequest(
                "STS-8406-5519", "maya.chen@example.com", [("STS-8406-5519-L2", 1)], "again"
            ),
            "dup",
            POLICY,
        )


@pytest.mark.parametrize(
    ("items", "description", "message"),
    [
        ([("STS-4829-1307-L9", 1)], "x", "not part of this order"),
        ([("STS-5102-7741-L1", 1)], "x", "not part of this order"),  # another order's line
        ([("STS-4829-1307-L2", 3)], "x", "between 1 and 2"),
        ([("STS-4829-1307-L2", 0)], "x", "between 1 and 2"),
        ([("STS-4829-1307-L2", 1), ("STS-4829-1307-L2", 1)], "x", "listed twice"),
        ([], "x", "at least one"),
        ([("STS-4829-1307-L2", 1)], "   ", "describe"),
        ([("STS-4829-1307-L2", 1)], "x" * 2001, "2000"),
    ],
)
def test_bad_items_and_descriptions_are_refused_and_nothing_is_written(
    db: Database, items, description: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        create_claim(db, request(items, description), "bad", POLICY)
    assert list_claims(db, MAYA[0]) == []


def test_tracking_number_must_belong_to_the_order(db: Database) -> None:
    with pytest.raises(Invalid, match="tracking"):
        create_claim(
            db, request([("STS-4829-1307-L2", 1)], tracking_number="612999905187"), "t", POLICY
        )
    claim, _ = create_claim(
        db,
        request([("STS-4829-1307-L2", 1)], tracking_number="1z4e 82a7 0362 8155 96"),
        "t2",
        POLICY,
    )
    assert claim["tracking_number"] == "1Z4E82A70362815596"


def test_wrong_email_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound):
        create_claim(
            db,
            ClaimRequest(MAYA[0], "jordan.reyes@example.net", [("STS-4829-1307-L2", 1)], "x"),
            "w",
            POLICY,
        )


def test_status_history_records_who_and_why(db: Database) -> None:
    claim, _ = create_claim(
        db,
        ClaimRequest("STS-9157-3380", "jordan.reyes@example.net", [("STS-9157-3380-L1", 1)], "x"),
        "s",
        POLICY,
    )
    number = claim["claim_number"]
    change_status(db, number, "needs_info", "agent:sam", "Please send a photo of the slip.")
    assert get_claim(db, number)["next_steps"].startswith("Support needs more information")
    change_status(db, number, "approved", "agent:sam", "Photo matches.")
    history = get_claim(db, number.lower().replace("-", ""))["history"]
    assert [(e["status"], e["actor"]) for e in history][-2:] == [
        ("needs_info", "agent:sam"),
        ("approved", "agent:sam"),
    ]
    with pytest.raises(Conflict):
        change_status(db, number, "rejected", "agent:sam")


def test_claims_older_than_the_window_do_not_count(db: Database) -> None:
    old = utcnow() - timedelta(days=120)
    create_claim(db, request([("STS-4829-1307-L2", 1)]), "o1", POLICY, now=old)
    create_claim(db, request([("STS-4829-1307-L2", 1)]), "o2", POLICY, now=old)
    claim, _ = create_claim(db, request([("STS-4829-1307-L3", 1)]), "new", POLICY)
    assert claim["status"] == "approved"
