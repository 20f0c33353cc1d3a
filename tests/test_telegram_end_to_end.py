"""The whole stack on Telegram, over real HTTP: updates as Telegram posts them to Rasa's webhook.

Telegram's servers are the only stand-in: a local Bot API server (tests/channels/fake_telegram.py)
that the channel and the action server talk to through TELEGRAM_API_BASE_URL. The stack is
started as `make run` starts it with TELEGRAM_BOT_TOKEN set, so credentials.telegram.yml is
added to the channels with the values from the environment.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from PIL import Image

from channels.telegram import SECRET_HEADER
from scripts import stack
from supportdesk.rasa_bridge import RasaBridge
from tests.channels import fake_telegram
from tests.channels.fake_telegram import (
    TOKEN,
    FakeTelegram,
    button_update,
    message_update,
    photo_update,
    sticker_update,
    text_update,
)
from tests.conftest import desk_get, whole_stack
from tests.e2e import Agent, add_agent

SECRET = "e2e_telegram_secret-" + "q" * 24
WEBHOOK_URL = "https://assistant.example.com/webhooks/telegram/webhook"
_chats = itertools.count(8_800_001)


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    with fake_telegram.running() as fake:
        yield fake


@pytest.fixture(scope="module")
def running(
    tmp_path_factory: pytest.TempPathFactory, telegram: FakeTelegram
) -> Iterator[stack.Stack]:
    workdir = tmp_path_factory.mktemp("telegram-stack")
    with contextlib.ExitStack() as started:
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_SECRET_TOKEN": SECRET,
            "TELEGRAM_API_BASE_URL": telegram.url,
            "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        }
        services = started.enter_context(whole_stack(workdir, env=env))
        add_agent(services)
        yield services


class TelegramUser:
    """One person chatting with the bot: their updates go to Rasa, the bot's replies to the fake."""

    def __init__(self, running: stack.Stack, telegram: FakeTelegram) -> None:
        self.url = f"http://127.0.0.1:{running.ports.rasa}/webhooks/telegram/webhook"
        self.chat = next(_chats)
        self.telegram = telegram
        self.since = 0  # the bot's messages before the latest update are not its answer

    def post(self, update: dict[str, Any], secret: str = SECRET) -> requests.Response:
        self.since = len(self.received())
        return requests.post(self.url, json=update, headers={SECRET_HEADER: secret}, timeout=30)

    def says(self, text: str) -> None:
        assert self.post(text_update(self.chat, text)).status_code == 200

    def presses(self, title: str) -> None:
        """Press the button with this title under the bot's latest message that has it."""
        for sent in reversed(self.received()):
            for row in sent.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"].startswith(title):
                        update = button_update(self.chat, sent, button["callback_data"])
                        assert self.post(update).status_code == 200
                        return
        raise AssertionError(f"no button {title!r} in {self.texts()}")

    def received(self) -> list[dict[str, Any]]:
        return self.telegram.sent_to(self.chat)

    def texts(self) -> list[str]:
        return [m["text"] for m in self.received()]

    def waits_for(self, words: str, seconds: float = 45) -> str:
        """The bot's answer containing `words`, once the bot has finished its turn."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [t for t in self.texts()[self.since :] if words in t]
            if found:
                self._until_quiet()
                return found[-1]
            time.sleep(0.2)
        raise AssertionError(f"{words!r} never reached the chat; got {self.texts()[self.since :]}")

    def _until_quiet(self, quiet: float = 0.6) -> None:
        count, still = len(self.received()), time.monotonic()
        while time.monotonic() - still < quiet:
            time.sleep(0.1)
            if len(self.received()) != count:
                count, still = len(self.received()), time.monotonic()


def picture(kind: str, color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, kind)
    return out.getvalue()


def test_the_webhook_is_set_with_the_secret_on_start(
    running: stack.Stack, telegram: FakeTelegram
) -> None:
    calls = telegram.wait_for(lambda: telegram.calls_to("setWebhook"), what="setWebhook")
    assert calls[-1]["url"] == WEBHOOK_URL and calls[-1]["secret_token"] == SECRET


def test_a_missing_item_claim_with_buttons_photos_and_an_agent(
    running: stack.Stack, telegram: FakeTelegram
) -> None:
    jordan = TelegramUser(running, telegram)
    jordan.says("/start")
    jordan.waits_for("Ship to Store assistant")

    jordan.presses("Items are missing")  # a callback query, answered
    jordan.waits_for("order number")
    answered = telegram.calls_to("answerCallbackQuery")
    assert answered, "the button press was not answered"
    jordan.says("STS-9157-3380")
    jordan.waits_for("e-mail")
    jordan.says("jordan.reyes@example.net")
    jordan.waits_for("Is that the one")
    jordan.presses("Yes, that's it")
    jordan.waits_for("Which items are missing")
    jordan.presses("14in Ultrabook Laptop")
    jordan.waits_for("describe")
    jordan.says("The laptop box was not in the bag when I got home.")
    jordan.waits_for("file this claim")
    jordan.presses("Yes, file it")
    filed = jordan.waits_for("I've filed claim")
    assert "review" in filed and "right here in this chat" in filed
    claim_number = filed.split("claim ")[1].split(" ")[0]
    claim = desk_get(running, f"/api/v1/claims/{claim_number}")
    assert claim["channel"] == "telegram" and claim["conversation_id"] == str(jordan.chat)
    assert claim["evidence_count"] == 0

    # A photo (Telegram serves photos as JPEG) and a PNG sent as a file become evidence.
    photo = telegram.add_file(picture("JPEG", "navy"), "photos/file_12.jpg")
    assert jordan.post(photo_update(jordan.chat, photo, 30_000)).status_code == 200
    jordan.waits_for(f"added the photo to claim {claim_number}; it now has 1 photo.")
    png = telegram.add_file(picture("PNG", "orange"), "documents/file_13.png")
    document = {"file_id": png, "file_unique_id": "AgADpng", "file_name": "packing-slip.png",
                "mime_type": "image/png", "file_size": 4_000}  # fmt: skip
    jordan.post(message_update(jordan.chat, document=document))
    jordan.waits_for("it now has 2 photos")
    assert desk_get(running, f"/api/v1/claims/{claim_number}")["evidence_count"] == 2
    assert "photos/file_12.jpg" in telegram.downloads

    jordan.says("thanks!")
    jordan.waits_for("You're welcome")
    assert not any("new photo" in t for t in jordan.texts()[jordan.since :])  # thanked once

    # The claim went to review, so a person has it: their reply and decision reach Telegram.
    agent = Agent(running)
    handoff = agent.handoff_of(str(jordan.chat))
    agent.post(f"/handoffs/{handoff}/take")
    agent.post(f"/handoffs/{handoff}/reply", text="Hi Jordan, I'm checking with the store.")
    jordan.waits_for("Sam Rivera: Hi Jordan, I'm checking with the store.")
    agent.post(
        f"/claims/{claim_number}/decision",
        decision="approve",
        message="The store confirmed the laptop was missing.",
    )
    update = jordan.waits_for(f"Update on claim {claim_number}")
    assert "approved" in update and "The store confirmed" in update
    agent.post(f"/handoffs/{handoff}/hand-back")
    jordan.waits_for("You're back with the assistant")


def test_a_forged_update_is_refused_and_nothing_is_sent(
    running: stack.Stack, telegram: FakeTelegram
) -> None:
    mallory = TelegramUser(running, telegram)
    for secret in ["", "guessed-secret", SECRET[:-1]]:
        answer = mallory.post(text_update(mallory.chat, "hi"), secret=secret)
        assert answer.status_code == 403
    time.sleep(2)
    assert mallory.received() == []
    tracker = requests.get(
        f"http://127.0.0.1:{running.ports.rasa}/conversations/{mallory.chat}/tracker",
        params={"token": running.env["RASA_AUTH_TOKEN"]},
        timeout=10,
    ).json()
    assert not [e for e in tracker.get("events", []) if e["event"] == "user"]


def test_a_sticker_gets_a_clear_reply_and_text_still_works(
    running: stack.Stack, telegram: FakeTelegram
) -> None:
    maya = TelegramUser(running, telegram)
    assert maya.post(sticker_update(maya.chat)).status_code == 200
    reply = maya.waits_for("can't read stickers")
    assert "text messages" in reply and "photos" in reply
    maya.says("where is my order STS-4829-1307?")
    maya.waits_for("e-mail")


def test_a_photo_before_any_claim_is_explained(
    running: stack.Stack, telegram: FakeTelegram
) -> None:
    maya = TelegramUser(running, telegram)
    file_id = telegram.add_file(picture("JPEG", "gray"), "photos/file_20.jpg")
    maya.post(photo_update(maya.chat, file_id, 20_000))
    maya.waits_for("Tell me what's missing first")
    assert "photos/file_20.jpg" not in telegram.downloads


def test_the_support_desks_bridge_reaches_a_telegram_chat(
    running: stack.Stack, telegram: FakeTelegram
) -> None:
    customer = TelegramUser(running, telegram)
    customer.says("hi")
    customer.waits_for("Ship to Store assistant")
    bridge = RasaBridge(f"http://127.0.0.1:{running.ports.rasa}", running.env["RASA_AUTH_TOKEN"])
    customer.since = len(customer.received())
    bridge.say(str(customer.chat), "Sam Rivera: a message pushed by the support desk")
    customer.waits_for("a message pushed by the support desk")
