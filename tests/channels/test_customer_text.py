"""How every channel takes what a customer sends (channels/customer_text.py)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.customer_text import as_typed_by_customer, customer_text, storable_sender


@pytest.mark.parametrize(
    ("sent", "taken"),
    [
        ('/inform{"order_number":"STS-4829-1307","email":"maya.chen@example.com"}', "/inform"),
        ('  /affirm {"requested_slot": "x"}', "/affirm"),
        ('/inform\n{"email": "a@b.example"}', "/inform"),  # Rasa reads this one's entities too
        ("/deny@0.1", "/deny"),
        ('/check_tracking@1.0{"verified_order": "STS-4829-1307"}', "/check_tracking"),
        ("/session_start", "/greet"),
        (' /session_start{"x": 1}', "/greet"),
        ("/restart", "/stop"),
        ('/restart{"x": 1}', "/stop"),
        ("/back", "/back"),
        ("/affirm", "/affirm"),
        ("where is {my} order @home", "where is {my} order @home"),
        ("/ not a payload {x}", "/ not a payload {x}"),
        ("", ""),
        (None, None),
    ],
)
def test_payloads_keep_their_intent_only(sent: str | None, taken: str | None) -> None:
    assert customer_text(sent) == taken


@pytest.mark.parametrize(
    ("sent", "taken"),
    [
        ("\u202dSTS-4829-1307\u202c", "STS-4829-1307"),
        ("my order STS-4829\u200b-1307", "my order STS-4829-1307"),
        ("\ufeff1Z4E82A7\u20600362815596", "1Z4E82A70362815596"),
        ("order\u00a0STS-4829-1307", "order STS-4829-1307"),
        ("/affirm\u200b", "/affirm"),
        ("ça n'était pas là 📦", "ça n'était pas là 📦"),
    ],
)
def test_invisible_characters_are_taken_out(sent: str, taken: str) -> None:
    assert customer_text(sent) == taken


def test_sender_ids_the_tracker_store_cannot_keep() -> None:
    assert storable_sender("customer-1") and storable_sender("s" * 255)
    assert not storable_sender("s" * 256)
    assert not storable_sender("\ud800")


def test_the_handler_drops_an_unstorable_sender_and_rewrites_payloads() -> None:
    seen: list[UserMessage] = []

    async def assistant(message: UserMessage) -> None:
        seen.append(message)

    handle = as_typed_by_customer(assistant)
    output = CollectingOutputChannel()
    asyncio.run(handle(UserMessage('/inform{"email": "x@y.example"}', output, "ok-sender")))
    asyncio.run(handle(UserMessage("hi", output, "\udc80")))
    assert [(m.text, m.sender_id) for m in seen] == [("/inform", "ok-sender")]
