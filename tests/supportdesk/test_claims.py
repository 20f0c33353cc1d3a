from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supportdesk.claims import (
    ClaimRequest,
    change_status,
    create_claim,
    get_claim,
    list_claims,
    quote_claim,
)
from supportdesk.db import Base, Database
from supportdesk.errors import Conflict, Invalid, NotFound, RateLimited
from supportdesk.models import OrderLine, Shipment, ShipmentItem, utcnow
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


# Quotes: what a claim would refund, without filing it -------------------------------------

JORDAN = ("STS-5102-7741", "jordan.reyes@example.net")


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in Base.metadata.tables.items()
        }


def test_quote_prices_each_line_and_the_total(db: Database) -> None:
    quote = quote_claim(db, request([("STS-4829-1307-L2", 2), ("STS-4829-1307-L1", 1)], ""))
    assert quote == {
        "order_number": "STS-4829-1307",
        "refund_amount": "91.79",  # 2 x 12.50 + 2.00 tax, and 59.99 + 4.80 tax
        "currency": "USD",
        "items": [
            {
                "line_id": "STS-4829-1307-L2",
                "name": "Clear Phone Case",
                "quantity": 2,
                "refund_amount": "27.00",
            },
            {
                "line_id": "STS-4829-1307-L1",
                "name": "Wireless Over-Ear Headphones",
                "quantity": 1,
                "refund_amount": "64.79",
            },
        ],
    }


@pytest.mark.parametrize(
    ("who", "items"),
    [
        (MAYA, [("STS-4829-1307-L2", 1)]),
        (MAYA, [("STS-4829-1307-L2", 2), ("STS-4829-1307-L3", 1)]),
        (JORDAN, [("STS-5102-7741-L1", 1)]),
        (("STS-9157-3380", "jordan.reyes@example.net"), [("STS-9157-3380-L1", 1)]),
    ],
)
def test_quote_is_what_the_claim_then_refunds(db: Database, who, items) -> None:
    quote = quote_claim(db, ClaimRequest(*who, items, ""))
    claim, _ = create_claim(db, ClaimRequest(*who, items, "missing"), "after-quote", POLICY)
    assert quote["refund_amount"] == claim["refund_amount"]
    assert quote["currency"] == claim["currency"]
    assert quote["order_number"] == claim["order_number"]
    assert quote["items"] == claim["items"]


def test_quote_after_an_earlier_claim_prices_the_remaining_tax_share(db: Database) -> None:
    # 2 water bottles with 2.46 tax: the second unit's share is what is left of the line.
    create_claim(db, ClaimRequest(*JORDAN, [("STS-5102-7741-L1", 1)], "one"), "first", POLICY)
    quote = quote_claim(db, ClaimRequest(*JORDAN, [("STS-5102-7741-L1", 1)], ""))
    second, _ = create_claim(
        db, ClaimRequest(*JORDAN, [("STS-5102-7741-L1", 1)], "the other"), "second", POLICY
    )
    assert quote["refund_amount"] == second["refund_amount"] == "25.23"


def test_quote_accepts_order_numbers_and_emails_as_typed(db: Database) -> None:
    quote = quote_claim(
        db,
        ClaimRequest("#sts 4829 1307", "  Maya.Chen@Example.com ", [("STS-4829-1307-L2", 1)], ""),
    )
    assert quote["order_number"] == "STS-4829-1307" and quote["refund_amount"] == "13.50"


def test_quote_writes_nothing(db: Database) -> None:
    claimed_before = [line["claimed_quantity"] for line in lookup_order(db, *MAYA)["lines"]]
    before = row_counts(db)  # after the look-up, which remembers that it verified the order
    for _ in range(3):
        quote_claim(db, request([("STS-4829-1307-L2", 2)], ""))
    with pytest.raises(NotFound):
        quote_claim(db, ClaimRequest(MAYA[0], "jordan.reyes@example.net", [], ""))
    with pytest.raises(Invalid):
        quote_claim(db, request([("STS-4829-1307-L2", 3)], ""))
    # Only the wrong e-mail leaves a trace: it counts as a failed look-up.
    assert row_counts(db) == {**before, "lookup_failures": before["lookup_failures"] + 1}
    assert list_claims(db, MAYA[0]) == []
    lines = lookup_order(db, *MAYA)["lines"]
    assert [line["claimed_quantity"] for line in lines] == claimed_before
    # ... so the quoted units can still be claimed, all of them.
    claim, _ = create_claim(db, request([("STS-4829-1307-L2", 2)]), "k", POLICY)
    assert claim["refund_amount"] == "27.00"


def test_quote_for_claimed_units_is_a_conflict_naming_the_claim(db: Database) -> None:
    first, _ = create_claim(db, request([("STS-4829-1307-L2", 1)]), "one", POLICY)
    with pytest.raises(Conflict) as conflict:
        quote_claim(db, request([("STS-4829-1307-L2", 2)], ""))
    assert conflict.value.details["line_id"] == "STS-4829-1307-L2"
    assert [c["claim_number"] for c in conflict.value.details["claims"]] == [first["claim_number"]]
    assert quote_claim(db, request([("STS-4829-1307-L2", 1)], ""))["refund_amount"] == "13.50"
    with pytest.raises(Conflict):  # the demo's existing claim
        quote_claim(
            db,
            ClaimRequest("STS-8406-5519", "maya.chen@example.com", [("STS-8406-5519-L2", 1)], ""),
        )


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([("STS-4829-1307-L9", 1)], "not part of this order"),
        ([("STS-5102-7741-L1", 1)], "not part of this order"),
        ([("STS-4829-1307-L2", 3)], "between 1 and 2"),
        ([("STS-4829-1307-L2", 0)], "between 1 and 2"),
        ([("STS-4829-1307-L2", -1)], "between 1 and 2"),
        ([("STS-4829-1307-L2", 1), ("STS-4829-1307-L2", 1)], "listed twice"),
        ([], "at least one"),
    ],
)
def test_quote_refuses_bad_items(db: Database, items, message: str) -> None:
    with pytest.raises(Invalid, match=message) as raised:
        quote_claim(db, request(items, ""))
    assert raised.value.details["field"] == "items"


@pytest.mark.parametrize(
    ("order_number", "email"),
    [
        (MAYA[0], "jordan.reyes@example.net"),  # someone else's address
        ("STS-1111-2222", MAYA[1]),  # no such order
        ("not an order", MAYA[1]),
        (JORDAN[0], MAYA[1]),  # Jordan's order, Maya's address
    ],
)
def test_quote_for_an_order_that_is_not_the_customers_is_not_found(
    db: Database, order_number: str, email: str
) -> None:
    with pytest.raises(NotFound) as raised:
        quote_claim(db, ClaimRequest(order_number, email, [("STS-4829-1307-L2", 1)], ""))
    assert raised.value.message == "No order matches that order number and e-mail address."


def test_claims_and_quotes_with_a_wrong_email_count_as_failed_lookups(db: Database) -> None:
    items = [("STS-4829-1307-L2", 1)]
    guess = ClaimRequest(MAYA[0], "guess@example.com", items, "x", conversation_id="stranger")
    for n in range(3):
        with pytest.raises(NotFound):
            create_claim(db, guess, f"guess-{n}", POLICY)
    for _ in range(2):
        with pytest.raises(NotFound):
            quote_claim(db, guess)
    with pytest.raises(RateLimited):  # even with the right e-mail
        quote_claim(db, request(items, conversation_id="stranger"))
    with pytest.raises(RateLimited):
        lookup_order(db, *MAYA, conversation_id="stranger")
    # The owner, in a conversation of their own, is not locked out by the stranger.
    assert quote_claim(db, request(items, conversation_id="owner"))["refund_amount"] == "13.50"
    assert lookup_order(db, *MAYA, conversation_id="owner")["order_number"] == MAYA[0]


def test_claims_and_quotes_without_a_conversation_count_per_address(db: Database) -> None:
    items = [("STS-4829-1307-L2", 1)]
    guess = ClaimRequest(MAYA[0], "guess@example.com", items, "", address="203.0.113.7")
    for _ in range(20):  # the default limit per address
        with pytest.raises(NotFound):
            quote_claim(db, guess)
    with pytest.raises(RateLimited):
        quote_claim(db, request(items, "", address="203.0.113.7"))
    assert quote_claim(db, request(items, "", address="198.51.100.2"))["refund_amount"]


# Only units the store received can be claimed -----------------------------------------------

NOT_AT_STORE = ("STS-6230-0958", "maya.chen@example.com")  # its only package is in transit
YOGA_MAT = "STS-5102-7741-L2"  # Jordan's split shipment: the mat's package is on its way


def claim_or_quote(db: Database, how: str, who, items) -> dict:
    if how == "quote":
        return quote_claim(db, ClaimRequest(*who, items, ""))
    return create_claim(db, ClaimRequest(*who, items, "It is missing."), f"k-{items}", POLICY)[0]


@pytest.mark.parametrize("how", ["claim", "quote"])
def test_units_in_a_package_still_on_its_way_cannot_be_claimed(db: Database, how: str) -> None:
    with pytest.raises(Invalid, match="has not received") as raised:
        claim_or_quote(db, how, JORDAN, [(YOGA_MAT, 1)])
    details = raised.value.details
    assert details["field"] == "items" and details["line_id"] == YOGA_MAT
    assert details["reason"] == "not_received_by_store"
    assert details["received_quantity"] == 0 and details["expected_at"]
    assert "still on its way" in raised.value.message
    with pytest.raises(Invalid, match="has not received"):  # nor with a received line
        claim_or_quote(db, how, JORDAN, [("STS-5102-7741-L1", 1), (YOGA_MAT, 1)])
    assert list_claims(db, JORDAN[0]) == []
    # The bottles' package was received: they can be claimed.
    assert claim_or_quote(db, how, JORDAN, [("STS-5102-7741-L1", 2)])["refund_amount"] == "50.46"


@pytest.mark.parametrize("how", ["claim", "quote"])
def test_an_order_the_store_received_nothing_of_cannot_be_claimed(db: Database, how) -> None:
    for line in ("STS-6230-0958-L1", "STS-6230-0958-L2"):
        with pytest.raises(Invalid, match="has not received") as raised:
            claim_or_quote(db, how, NOT_AT_STORE, [(line, 1)])
        assert raised.value.details["line_id"] == line
    assert list_claims(db, NOT_AT_STORE[0]) == []


def test_a_line_split_over_packages_can_claim_only_its_received_units(db: Database) -> None:
    # One of the two water bottles moves to the package that is still in transit.
    with db.write() as session:
        bottles = session.execute(
            select(ShipmentItem).join(OrderLine).where(OrderLine.line_id == "STS-5102-7741-L1")
        ).scalar_one()
        in_transit = session.execute(
            select(Shipment).where(Shipment.tracking_number == "94001112062138594462")
        ).scalar_one()
        bottles.quantity = 1
        session.add(ShipmentItem(shipment=in_transit, line_id=bottles.line_id, quantity=1))
    with pytest.raises(Invalid, match="has not received") as raised:
        quote_claim(db, ClaimRequest(*JORDAN, [("STS-5102-7741-L1", 2)], ""))
    assert raised.value.details["received_quantity"] == 1
    first, _ = create_claim(
        db, ClaimRequest(*JORDAN, [("STS-5102-7741-L1", 1)], "one bottle"), "one", POLICY
    )
    assert first["refund_amount"] == "25.23"
    # The other bottle is on its way: not yet claimable, and not a double claim either.
    with pytest.raises(Invalid, match="has not received"):
        create_claim(
            db, ClaimRequest(*JORDAN, [("STS-5102-7741-L1", 1)], "the other"), "two", POLICY
        )
