"""The whole stack over real HTTP: the four steps played through Rasa's REST channel."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
import requests
from PIL import Image

from scripts import stack
from tests.conftest import desk_get, whole_stack
from tests.e2e import desk_rows


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    with whole_stack(tmp_path_factory.mktemp("stack")) as started:
        yield started


class Customer:
    """One shopper talking to the assistant over the REST channel."""

    def __init__(self, running: stack.Stack) -> None:
        self.url = f"http://127.0.0.1:{running.ports.rasa}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex[:8]}"

    def says(self, text: str) -> str:
        answer = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        answer.raise_for_status()
        messages = answer.json()
        self.buttons = [b for m in messages for b in m.get("buttons", [])]
        return "\n".join(m.get("text", "") for m in messages)


def test_all_four_steps(running: stack.Stack) -> None:
    maya = Customer(running)
    assert "Ship to Store" in maya.says("hi")

    # Step 1: nothing is shown before the e-mail is checked.
    reply = maya.says("where is my order sts48291307?")
    assert "e-mail" in reply and "1Z4E82A70362815596" not in reply
    reply = maya.says("jordan.reyes@example.net")  # the other customer's address
    assert "couldn't find" in reply and "1Z4E82A70362815596" not in reply
    maya.says("STS-4829-1307")
    reply = maya.says("maya.chen@example.com")
    assert "1Z4E82A70362815596" in reply and "ups.com" in reply
    assert "received" in reply and "picked" in reply

    # Steps 2 and 3: the verified order is not asked again.
    reply = maya.says("one of the items is missing from my order")
    assert "1Z4E82A70362815596" in reply and "Is that the one" in reply
    reply = maya.says("/affirm")
    assert "Which items are missing" in reply
    assert any("Clear Phone Case" in b["title"] for b in maya.buttons)
    reply = maya.says("the phone case")
    assert "How many" in reply
    reply = maya.says("1")
    assert "describe" in reply
    reply = maya.says("The bag was sealed but only one phone case was inside.")
    assert "$13.50" in reply and "file this claim" in reply
    reply = maya.says("/affirm")
    assert "CLM-" in reply and "approved" in reply and "/upload/" in reply
    claim_number = reply.split("claim ")[1].split(" ")[0]
    claim = desk_get(running, f"/api/v1/claims/{claim_number}")
    assert claim["items"] == [
        {"line_id": "STS-4829-1307-L2", "name": "Clear Phone Case", "quantity": 1,
         "refund_amount": "13.50"}
    ]  # fmt: skip
    assert claim["channel"] == "rest" and claim["conversation_id"] == maya.sender

    # Step 4: follow up; photos sent meanwhile are acknowledged on the next message.
    upload = reply.split("upload them here: ")[1].split()[0]
    upload = upload.replace("localhost", "127.0.0.1")
    png = io.BytesIO()
    Image.new("RGB", (32, 32), "orange").save(png, "PNG")
    sent = requests.post(
        upload, files={"files": ("box.png", png.getvalue(), "image/png")}, timeout=30
    )
    assert sent.status_code == 201
    reply = maya.says("what's the status of my claim?")
    assert "1 new photo" in reply
    assert claim_number in reply and "approved" in reply

    # A person, with the transcript.
    reply = maya.says("can I talk to a human please")
    assert "reference H-" in reply


def test_split_shipment_item_is_explained_not_claimed(running: stack.Stack) -> None:
    jordan = Customer(running)
    jordan.says("my yoga mat is missing from order STS-5102-7741")
    reply = jordan.says("jordan.reyes@example.net")
    assert "still on its way" in reply  # explained before any claim question
    assert "Is that the one" not in reply and "Which items" not in reply
    claims = desk_get(running, "/api/v1/claims?order_number=STS-5102-7741")["claims"]
    assert claims == []


def test_unknown_input_is_reasked_politely(running: stack.Stack) -> None:
    shopper = Customer(running)
    shopper.says("I need to report a missing item")
    reply = shopper.says("1234")
    assert "doesn't look like an order number" in reply and "STS-1234-5678" in reply
    reply = shopper.says("STS-12")
    assert "doesn't look like an order number" in reply
    assert "person" in reply  # offered after the second failure


def test_a_question_read_as_tracking_gets_its_article_and_tracking_one_tap_away(
    running: stack.Stack,
) -> None:
    shopper = Customer(running)
    said = shopper.says("no confirmation email, did my order go through?")
    assert "Order confirmation e-mails" in said and "What is your order number" not in said
    assert [b["payload"] for b in shopper.buttons] == [
        "/affirm",
        "/check_tracking",
        "/request_human",
    ]
    assert "order number" in shopper.says("/check_tracking")  # "No, track my order"
    assert "order number" in Customer(running).says("where is my order?")  # the task itself


def test_a_help_center_question_is_answered_rated_and_seen_by_the_agent(
    running: stack.Stack,
) -> None:
    shopper = Customer(running)
    said = shopper.says("how do i cancle my order?")
    assert "Cancelling an order" in said and "/articles/cancel-an-order" in said
    assert "Did that answer your question?" in said
    assert [b["payload"] for b in shopper.buttons] == ["/affirm", "/request_human"]
    assert "reference H-" in shopper.says("/request_human")  # "No, talk to a person"

    gap = next(
        g
        for g in desk_get(running, "/api/v1/help/gaps")["not_helpful"]
        if g["question"] == "how do i cancle my order?"
    )
    assert gap["article"] == "cancel-an-order"
    [row] = desk_rows(
        running,
        "SELECT transcript FROM handoffs WHERE conversation_id = :c",
        c=shopper.sender,
    )
    assert "Cancelling an order" in str(row[0])  # the agent sees the article given

    nobody = Customer(running)
    said = nobody.says("are you hiring warehouse staff?")
    assert "I don't know the answer" in said
    assert "/request_human" in [b["payload"] for b in nobody.buttons]
    assert not desk_rows(
        running, "SELECT id FROM handoffs WHERE conversation_id = :c", c=nobody.sender
    )
