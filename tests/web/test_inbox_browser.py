"""The agent inbox in a real browser: sign in, take a handoff, reply, see the customer's answer
arrive without a reload, decide a claim, hand back.

The customer talks to the Rasa server's REST channel of the same whole stack.
"""

from __future__ import annotations

import re
import uuid

import requests
from playwright.sync_api import Locator, Page, expect

from scripts import stack
from tests.e2e import PASSWORD, add_agent

LIVE_MS = 5_000  # the page refreshes every 1.5 s; the customer's message takes one round trip


def handoff_row(page: Page, said: list[str]) -> Locator:
    """The queue's row for the handoff whose reference (H-<id>) the bot gave the customer."""
    handoff_id = re.search(r"reference H-(\d+)", " ".join(said)).group(1)
    return page.get_by_role("row").filter(
        has=page.get_by_role("link", name=f"#{handoff_id}", exact=True)
    )


def customer_says(running: stack.Stack, sender: str, text: str) -> list[str]:
    answer = requests.post(
        f"http://127.0.0.1:{running.ports.rasa}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=60,
    )
    answer.raise_for_status()
    return [m.get("text", "") for m in answer.json()]


def sign_in(page: Page, running: stack.Stack, username: str) -> None:
    page.goto(f"http://localhost:{running.ports.supportdesk}/agent")
    expect(page).to_have_url(re.compile(r"/agent/login$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()


def test_an_agent_answers_a_customer_from_the_inbox_page(running: stack.Stack, page: Page) -> None:
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    add_agent(running, "lee", "Lee Chen")
    sender = f"inbox-{uuid.uuid4().hex[:8]}"
    said = customer_says(running, sender, "I want to talk to a real person")

    sign_in(page, running, "lee")
    row = handoff_row(page, said)
    expect(row).to_contain_text("asked for a person")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"Handoff #\d+"))).to_be_visible()
    expect(page.locator(".transcript").first).to_contain_text("I want to talk to a real person")

    page.get_by_role("button", name="Take").click()
    expect(page.locator("#status-live")).to_contain_text("held by Lee Chen")
    page.get_by_label("Reply to the customer").fill("Hello, this is Lee. What is missing?")
    page.get_by_role("button", name="Send reply").click()
    messages = page.locator("#messages-live")
    expect(messages).to_contain_text("Hello, this is Lee. What is missing?")

    # The bot is quiet, and the answer shows up on the open page without a reload; a reply
    # half-typed meanwhile is kept.
    page.get_by_label("Reply to the customer").fill("Let me check")
    assert customer_says(running, sender, "The phone case was not in the bag") == []
    expect(messages).to_contain_text("The phone case was not in the bag", timeout=LIVE_MS)
    expect(page.get_by_label("Reply to the customer")).to_have_value("Let me check")

    page.get_by_role("button", name="Hand back to the assistant").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    expect(handoff_row(page, said)).to_have_count(0)
    assert any("order number" in t for t in customer_says(running, sender, "where is my order?"))
    assert blocked == [], blocked


def test_the_queue_shows_a_new_handoff_without_a_reload(running: stack.Stack, page: Page) -> None:
    add_agent(running, "lee", "Lee Chen")
    sign_in(page, running, "lee")
    said = customer_says(running, f"queue-{uuid.uuid4().hex[:8]}", "can I speak to a human agent")
    # The page was loaded before the handoff existed; it shows up without a reload.
    expect(handoff_row(page, said)).to_have_count(1, timeout=LIVE_MS)


def test_an_agent_decides_a_claim_in_the_browser(running: stack.Stack, page: Page) -> None:
    add_agent(running, "lee", "Lee Chen")
    sender = f"claim-{uuid.uuid4().hex[:8]}"
    for text in (
        "the laptop is missing from order STS-9157-3380",
        "jordan.reyes@example.net",
        "/affirm",
        "14in Ultrabook Laptop",
        "The laptop box was not in the bag when I got home.",
    ):
        customer_says(running, sender, text)
    filed = " ".join(customer_says(running, sender, "/affirm"))
    claim_number = re.search(r"CLM-\d{6}", filed).group(0)

    sign_in(page, running, "lee")
    page.get_by_role("link", name="Claims").click()
    claim = page.get_by_role("region", name=re.compile(claim_number))
    claim.get_by_label("Decision").select_option(label="Ask for more information")
    claim.get_by_label("Message to the customer").fill("Please send a photo of the packing slip.")
    claim.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("status")).to_contain_text(f"Your decision on {claim_number}")
    # Still open, now waiting for the customer's information.
    heading = page.get_by_role("heading", name=re.compile(claim_number))
    expect(heading).to_contain_text("needs_info")
