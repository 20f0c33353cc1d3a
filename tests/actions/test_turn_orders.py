"""The verified order is fetched once per turn, for all the actions the turn runs."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from actions.claims import (
    ActionAskMissingItems,
    ActionAskTrackingNumber,
    ActionSubmitClaim,
    ValidateClaimForm,
)
from actions.supportdesk_client import SupportDeskClient
from actions.turn_orders import TurnOrders, turn_key
from actions.verification import verified_order
from tests.actions.conftest import (
    MAYA_EMAIL,
    MAYA_ORDER,
    MAYA_TRACKING,
    make_tracker,
    run,
    sender,
    user_event,
    validate,
    verified,
)

CASE = {"line_id": f"{MAYA_ORDER}-L2", "name": "Clear Phone Case"}


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The order look-ups that reach the support desk (the real one, over HTTP)."""
    sent: list[str] = []
    send = SupportDeskClient._send

    def counting(self: SupportDeskClient, method: str, path: str, **kwargs: Any):
        if path == "/api/v1/orders/lookup":
            sent.append(kwargs["json"]["order_number"])
        return send(self, method, path, **kwargs)

    monkeypatch.setattr(SupportDeskClient, "_send", counting)
    yield sent


def _turn(slots: dict[str, Any], conversation: str, message: dict[str, Any]):
    """The tracker Rasa sends for one action of the turn that began with `message`."""
    return make_tracker(slots, text=message["text"], events=[message], sender_id=conversation)


def test_the_actions_of_one_turn_share_one_look_up(shared_desk, lookups) -> None:
    conversation, message = sender(), user_event("yes")
    asked = run(ActionAskTrackingNumber(), _turn(verified(), conversation, message))
    listed = run(ActionAskMissingItems(), _turn(verified(), conversation, copy.deepcopy(message)))
    assert MAYA_TRACKING in asked.text and "Clear Phone Case" in listed.payloads
    assert lookups == [MAYA_ORDER]


def test_the_next_message_fetches_the_order_again(shared_desk, lookups) -> None:
    conversation = sender()
    run(ActionAskMissingItems(), _turn(verified(), conversation, user_event("yes")))
    run(ActionAskMissingItems(), _turn(verified(), conversation, user_event("the case")))
    assert lookups == [MAYA_ORDER, MAYA_ORDER]


def test_another_conversation_fetches_its_own(shared_desk, lookups) -> None:
    message = user_event("yes")
    run(ActionAskMissingItems(), _turn(verified(), sender(), message))
    run(ActionAskMissingItems(), _turn(verified(), sender(), copy.deepcopy(message)))
    assert lookups == [MAYA_ORDER, MAYA_ORDER]


def test_verifying_keeps_the_order_for_the_rest_of_the_turn(shared_desk, lookups) -> None:
    form = validate(
        ValidateClaimForm(), "claim_form", {"email": MAYA_EMAIL}, slots={"order_number": MAYA_ORDER}
    )
    assert form.slots["verified_order"] == MAYA_ORDER
    assert form.slots["claim_checked"] == MAYA_ORDER  # the order's facts, said once verified
    assert lookups == [MAYA_ORDER]


def test_a_filed_claim_is_seen_by_the_rest_of_the_turn(desk, lookups) -> None:
    conversation, message = sender(), user_event("yes")
    before = verified_order(_turn(verified(), conversation, message))
    filed = {
        "tracking_number": MAYA_TRACKING,
        "missing_items": [{**CASE, "quantity": 1}],
        "description": "The box was sealed but only one phone case was inside.",
        "claim_confirmed": True,
    }
    run(ActionSubmitClaim(), _turn(verified(**filed), conversation, copy.deepcopy(message)))
    after = verified_order(_turn(verified(), conversation, copy.deepcopy(message)))
    assert [c["claim_number"] for c in before["claims"]] == []
    assert [c["claim_number"] for c in after["claims"]] == ["CLM-000002"]
    assert len(lookups) == 2


def test_no_message_no_keeping(shared_desk, lookups) -> None:
    tracker = make_tracker(verified(), events=[])
    assert turn_key(tracker, MAYA_ORDER, MAYA_EMAIL) is None
    verified_order(tracker)
    verified_order(tracker)
    assert lookups == [MAYA_ORDER, MAYA_ORDER]


def test_orders_expire_and_the_oldest_turns_go_first() -> None:
    now = [0.0]
    orders = TurnOrders(ttl=30, size=2, clock=lambda: now[0])
    first, second, third = (("c", float(n), MAYA_ORDER, MAYA_EMAIL) for n in range(3))
    orders.put(first, {"n": 1})
    orders.put(second, {"n": 2})
    orders.put(third, {"n": 3})
    assert orders.get(first) is None and orders.get(second) == {"n": 2}
    now[0] = 31
    assert orders.get(third) is None
