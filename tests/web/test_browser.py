"""The help page and its chat widget in a real browser: headless Chromium driven by Playwright.

The whole stack runs on free ports. The browser is Debian's `chromium` package (`.ci/run` and
`make browser-deps` install it); Playwright never downloads one.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import requests
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Locator, Page, expect

from scripts import stack
from supportdesk import web_page
from tests.conftest import ROOT, desk_get
from tests.web.conftest import WAIT_MS

RESULTS = ROOT / "results"


def home(running: stack.Stack) -> str:
    return f"http://localhost:{running.ports.supportdesk}/"


class Chat:
    """The widget as a customer uses it: reads the bot, types and clicks its buttons."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> None:
        self.page.get_by_role("button", name="Open the chat with our assistant").click()
        expect(self.message_box).to_be_visible()

    @property
    def message_box(self) -> Locator:
        return self.page.get_by_role("textbox", name="Your message")

    def bot_says(self, pattern: str) -> Locator:
        """The bot's answer to the customer's last message, once it matches `pattern`."""
        latest = self.page.locator("#rw-messages > .rw-group-message").last
        expect(latest, "no bot reply reached the widget over socket.io").to_have_class(
            re.compile(r"\brw-from-response\b"), timeout=WAIT_MS
        )
        expect(latest).to_contain_text(re.compile(pattern), timeout=WAIT_MS)
        return latest

    def type(self, text: str) -> None:
        self.message_box.fill(text)
        self.message_box.press("Enter")
        expect(self.page.locator(".rw-from-client").last).to_have_text(text)

    def click(self, title: str) -> None:
        latest = self.page.locator(".rw-group-message.rw-from-response").last
        latest.get_by_role("button", name=title, exact=True).click()
        expect(self.page.locator(".rw-from-client").last).to_have_text(title)


def photo() -> bytes:
    """A real PNG: a parcel with a packing slip, drawn with Pillow."""
    image = Image.new("RGB", (640, 480), (236, 229, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 140, 520, 400), fill=(181, 137, 84), outline=(110, 80, 40), width=6)
    draw.rectangle((300, 180, 480, 300), fill=(255, 255, 255), outline=(60, 60, 60), width=2)
    for y in range(200, 290, 18):
        draw.line((315, y, 465, y), fill=(90, 90, 90), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_missing_item_claim_survives_a_reload_and_gets_a_photo(
    running: stack.Stack, page: Page
) -> None:
    page.goto(home(running))
    chat = Chat(page)
    chat.open()
    chat.bot_says("What can I do for you")

    chat.click("Items are missing")
    chat.bot_says("order number")
    chat.type("STS-4829-1307")
    chat.bot_says("e-mail")
    chat.type("maya.chen@example.com")
    chat.bot_says("Is that the one")
    chat.click("Yes, that's it")
    chat.bot_says("Which items are missing")
    chat.click("Clear Phone Case (2)")
    chat.bot_says("How many")
    chat.click("1")
    chat.bot_says("describe")
    chat.type("The bag was sealed but only one of the two phone cases was inside.")
    chat.bot_says(r"\$13\.50[\s\S]*file this claim")
    chat.click("Yes, file it")
    filed = chat.bot_says(r"filed claim CLM-\d{6}")
    claim_number = re.search(r"CLM-\d{6}", filed.inner_text()).group()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "web-claim.png"))

    # The conversation is kept in the browser and continues on the server after a reload.
    page.reload()
    expect(page.locator(".rw-from-response", has_text=claim_number).first).to_be_visible()
    if not chat.message_box.is_visible():
        chat.open()
    chat.type("what's the status of my claim?")
    chat.bot_says(claim_number)

    # The upload link in the bot's message is a real link that opens in a new tab.
    link = page.locator(".rw-from-response a[href*='/upload/']").first
    expect(link).to_have_attribute("target", "_blank")
    assert link.inner_text() == link.get_attribute("href")
    with page.context.expect_page() as opened:
        link.click()
    upload = opened.value
    upload.wait_for_load_state()
    expect(upload.get_by_role("heading", level=1)).to_contain_text(claim_number)
    upload.get_by_label("Photos to add").set_input_files(
        files=[{"name": "package-contents.png", "mimeType": "image/png", "buffer": photo()}]
    )
    upload.get_by_role("button", name="Upload photos").click()
    expect(upload.get_by_role("status")).to_contain_text("1 photo added to your claim")

    claim = desk_get(running, f"/api/v1/claims/{claim_number}")
    assert claim["evidence_count"] == 1
    assert [e["content_type"] for e in claim["evidence"]] == ["image/png"]


def test_page_fits_a_375_px_phone_screen(running: stack.Stack, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        page.goto(home(running))
        launcher = page.get_by_role("button", name="Open the chat with our assistant")
        expect(launcher).to_be_visible(timeout=WAIT_MS)

        assert page.locator("html").get_attribute("lang") == "en"
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Where is my order? Missing items"
        )
        for landmark in ("banner", "navigation", "main", "contentinfo", "complementary"):
            expect(page.get_by_role(landmark).first).to_be_attached()
        assert page.locator("img:not([alt])").count() == 0

        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / "web-375.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        # Open, the chat fills the small screen without making the page scroll sideways.
        launcher.click()
        chat = Chat(page)
        chat.bot_says("What can I do for you")
        assert page.locator("img:not([alt])").count() == 0
        page.screenshot(path=str(RESULTS / "web-375-chat.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_the_chat_works_with_the_keyboard_alone(running: stack.Stack, page: Page) -> None:
    page.goto(home(running))
    launcher = page.locator(".rw-launcher")
    expect(launcher).to_be_visible(timeout=WAIT_MS)

    for _ in range(30):
        page.keyboard.press("Tab")
        if launcher.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the chat launcher")
    assert launcher.get_attribute("aria-label") == "Open the chat with our assistant"
    assert launcher.evaluate("element => getComputedStyle(element).outlineStyle") != "none"

    page.keyboard.press("Enter")
    chat = Chat(page)
    expect(chat.message_box).to_be_focused()
    chat.bot_says("What can I do for you")
    page.keyboard.type("hi")
    page.keyboard.press("Enter")
    said = page.locator(".rw-from-client", has_text="hi").last
    expect(said).to_be_visible()
    reply = said.locator("xpath=following-sibling::div[contains(@class, 'rw-from-response')]")
    expect(reply.first).to_contain_text("What can I do for you", timeout=WAIT_MS)

    # The widget's buttons take the keyboard too (the page makes them focusable).
    button = page.locator(".rw-from-response").last.get_by_role("button", name="Where is my order?")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".rw-from-client").last).to_have_text("Where is my order?")
    chat.bot_says("order number")

    page.keyboard.press("Escape")
    expect(chat.message_box).to_be_hidden()
    expect(launcher).to_be_focused()


# --- without the browser ---


def test_the_page_is_served_with_the_socket_url_and_the_widget(running: stack.Stack) -> None:
    desk = f"http://127.0.0.1:{running.ports.supportdesk}"
    page = requests.get(f"{desk}/", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'content="http://localhost:{running.ports.rasa}"' in page.text
    assert web_page.PLACEHOLDER not in page.text
    script = requests.get(f"{desk}/vendor/rasa-webchat/index.js", timeout=10)
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("application/javascript")
    assert "WebChat" in script.text[:1000]


def test_the_socket_url_is_checked_and_escaped(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<meta content="{{RASA_PUBLIC_URL}}">')
    filled = web_page.render_page('https://chat.example.com/?a=1&b="2"', tmp_path)
    assert filled == '<meta content="https://chat.example.com/?a=1&amp;b=&quot;2&quot;">'
    for bad in ("javascript:alert(1)", "localhost:5005", "ftp://example.com"):
        with pytest.raises(ValueError, match="RASA_PUBLIC_URL"):
            web_page.render_page(bad, tmp_path)
    assert web_page.rasa_public_url({}) == "http://localhost:5005"
    assert web_page.rasa_public_url({"RASA_PUBLIC_URL": "https://bot.example.com/"}) == (
        "https://bot.example.com"
    )
    assert web_page.widget_script(tmp_path) is None  # not fetched: the route answers 503
