"""The Telegram channel over real HTTP: its webhook served by Sanic, its Bot API a local fake.

The assistant behind the channel is a stand-in that records what the channel hands it and,
for `/greet`, answers with buttons through the channel's output, as Rasa would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import RasaException

from channels.telegram import (
    SECRET_HEADER,
    TelegramInput,
    callback_data,
    split_text,
)
from channels.telegram_api import BotApi, TelegramApiError
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
from tests.channels.served import Served
from tests.conftest import free_port

SECRET = "s3cret_" + "k" * 30
CHAT = 5550001
LONG_PAYLOAD = '/inform{"missing_items": "14in Ultrabook Laptop and the Clear Phone Case"}'
GREETING_BUTTONS = [
    {"title": "Items are missing", "payload": "/report_missing_item"},
    {"title": "The laptop and the phone case", "payload": LONG_PAYLOAD},
]


class Assistant:
    """Stands in for Rasa: records messages; greets with buttons."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if message.text == "/greet":
            await message.output_channel.send_response(
                message.sender_id, {"text": "Hi! What can I do?", "buttons": GREETING_BUTTONS}
            )
        if message.text == "slow":
            await asyncio.sleep(0.5)

    def texts(self) -> list[str]:
        return [m.text for m in self.messages]


class Webhook(Served):
    """The channel's blueprint served on a free port, with Telegram's way of posting updates."""

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> requests.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return requests.post(self.url, json=update, headers=headers, timeout=10)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with fake_telegram.running() as server:
        yield server


@pytest.fixture
def assistant() -> Assistant:
    return Assistant()


@pytest.fixture
def webhook(fake: FakeTelegram, assistant: Assistant) -> Iterator[Webhook]:
    channel = TelegramInput.from_credentials(
        {
            "access_token": TOKEN,
            "secret_token": SECRET,
            "webhook_url": "https://bot.example.com/webhooks/telegram/webhook",
            "api_base_url": fake.url + "/",
        }
    )
    with Webhook(channel, assistant) as running:
        yield running


def test_the_webhook_is_set_on_start_with_the_secret(webhook: Webhook, fake: FakeTelegram) -> None:
    calls = fake.wait_for(lambda: fake.calls_to("setWebhook"), what="setWebhook")
    assert calls == [
        {
            "url": "https://bot.example.com/webhooks/telegram/webhook",
            "secret_token": SECRET,
            "allowed_updates": ["message", "edited_message", "callback_query"],
        }
    ]


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_a_forged_update_is_refused(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant, secret: str | None
) -> None:
    answer = webhook.post(text_update(CHAT, "/start"), secret=secret)
    assert answer.status_code == 403
    answer = webhook.post(text_update(CHAT, "hello"), secret=SECRET)  # the real one goes on
    assert answer.status_code == 200
    fake.wait_for(lambda: assistant.messages, what="the genuine update")
    assert assistant.texts() == ["hello"]  # nothing from the forged one
    assert fake.sent_to(CHAT) == []


def test_start_greets_and_buttons_become_an_inline_keyboard(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    assert webhook.post(text_update(CHAT, "/start")).status_code == 200
    sent = fake.wait_for(lambda: fake.sent_to(CHAT), what="the greeting")
    message = assistant.messages[0]
    assert (message.text, message.sender_id, message.input_channel) == (
        "/greet",
        str(CHAT),
        "telegram",
    )
    assert sent[0]["text"] == "Hi! What can I do?"
    keyboard = sent[0]["reply_markup"]["inline_keyboard"]
    assert keyboard[0] == [{"text": "Items are missing", "callback_data": "/report_missing_item"}]
    long_button = keyboard[1][0]
    assert long_button["text"] == "The laptop and the phone case"
    assert (
        len(long_button["callback_data"].encode()) <= 64
    )  # Telegram's limit, which the fake checks


def test_a_button_press_is_answered_and_sends_its_payload(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    webhook.post(text_update(CHAT, "/start@StoreHelpBot"))
    greeting = fake.wait_for(lambda: fake.sent_to(CHAT), what="the greeting")[0]

    press = button_update(CHAT, greeting, "/report_missing_item")
    assert webhook.post(press).status_code == 200
    fake.wait_for(lambda: len(assistant.messages) == 2, what="the button's payload")
    assert assistant.texts() == ["/greet", "/report_missing_item"]
    answers = fake.wait_for(lambda: fake.calls_to("answerCallbackQuery"), what="the answer")
    assert [a["callback_query_id"] for a in answers] == [press["callback_query"]["id"]]

    # A payload too long for callback_data arrives as the button's title.
    long_data = greeting["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    webhook.post(button_update(CHAT, greeting, long_data))
    fake.wait_for(lambda: len(assistant.messages) == 3, what="the long button")
    assert assistant.texts()[-1] == "The laptop and the phone case"
    fake.wait_for(lambda: len(fake.calls_to("answerCallbackQuery")) == 2, what="the answer")


def test_a_button_that_cannot_be_resolved_is_explained(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    pressed_on = {"message_id": 9, "chat": {"id": CHAT, "type": "private"}, "date": 0}
    webhook.post(button_update(CHAT, pressed_on, callback_data(LONG_PAYLOAD, 1)))
    sent = fake.wait_for(lambda: fake.sent_to(CHAT), what="the explanation")
    assert "type your answer" in sent[0]["text"]
    # The spinner stops all the same.
    fake.wait_for(lambda: fake.calls_to("answerCallbackQuery"), what="the answer")
    assert assistant.messages == []


def test_a_photo_is_handed_on_with_its_largest_size(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    webhook.post(photo_update(CHAT, "AgACphoto", 180_000, caption="the box"))
    fake.wait_for(lambda: assistant.messages, what="the photo")
    message = assistant.messages[0]
    assert message.text == "/share_photo"
    assert message.metadata["telegram_file"] == {
        "file_id": "AgACphoto",
        "file_unique_id": "AQADhoto",
        "file_size": 180_000,
        "file_name": "telegram-photo.jpg",
        "mime_type": "image/jpeg",
    }
    assert fake.sent_to(CHAT) == []  # the assistant answers, not the channel


def test_an_image_file_is_a_photo_and_other_files_are_explained(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    png = {"file_id": "BQACpng", "file_unique_id": "AgADpng", "file_name": "slip.png",
           "mime_type": "image/png", "file_size": 52_000}  # fmt: skip
    webhook.post(message_update(CHAT, document=png))
    fake.wait_for(lambda: assistant.messages, what="the image file")
    assert assistant.messages[0].text == "/share_photo"
    assert assistant.messages[0].metadata["telegram_file"]["file_name"] == "slip.png"
    assert assistant.messages[0].metadata["telegram_file"]["mime_type"] == "image/png"

    pdf = {"file_id": "BQACpdf", "file_unique_id": "AgADpdf", "file_name": "receipt.pdf",
           "mime_type": "application/pdf", "file_size": 90_000}  # fmt: skip
    webhook.post(message_update(CHAT, document=pdf))
    sent = fake.wait_for(lambda: fake.sent_to(CHAT), what="the explanation")
    assert "only use files that are images" in sent[0]["text"]
    assert len(assistant.messages) == 1


@pytest.mark.parametrize(
    ("update", "words"),
    [
        (sticker_update(CHAT), "can't read stickers"),
        (message_update(CHAT, voice={"file_id": "AwAC", "file_unique_id": "AgAD", "duration": 3,
                                     "mime_type": "audio/ogg"}), "can't read voice messages"),
        (message_update(CHAT, location={"latitude": 41.88, "longitude": -87.63}),
         "can't read locations"),
        (message_update(CHAT, contact={"phone_number": "+15550100", "first_name": "Jo"}),
         "can't read contacts"),
    ],
)  # fmt: skip
def test_unsupported_content_gets_a_clear_reply(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant, update: dict, words: str
) -> None:
    assert webhook.post(update).status_code == 200
    sent = fake.wait_for(lambda: fake.sent_to(CHAT), what="the reply")
    assert words in sent[0]["text"]
    assert "text messages" in sent[0]["text"] and "photos" in sent[0]["text"]
    assert assistant.messages == []


def test_an_edited_message_is_explained_not_taken_as_new(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    edited = text_update(CHAT, "STS-4829-1307")
    edited["edited_message"] = edited.pop("message")
    webhook.post(edited)
    sent = fake.wait_for(lambda: fake.sent_to(CHAT), what="the reply")
    assert "new message" in sent[0]["text"]
    assert assistant.messages == []


def test_service_messages_and_bad_bodies(webhook: Webhook, fake: FakeTelegram) -> None:
    joined = message_update(CHAT, new_chat_members=[fake_telegram.user(CHAT + 1)])
    assert webhook.post(joined).status_code == 200
    answer = requests.post(
        webhook.url, data=b"{not json", headers={SECRET_HEADER: SECRET}, timeout=10
    )
    assert answer.status_code == 400
    assert fake.sent_to(CHAT) == []


def test_messages_of_one_chat_are_handled_in_order(
    webhook: Webhook, fake: FakeTelegram, assistant: Assistant
) -> None:
    for text in ["slow", "one", "two", "three"]:
        assert webhook.post(text_update(CHAT, text)).status_code == 200
    fake.wait_for(lambda: len(assistant.messages) == 4, what="four messages")
    assert assistant.texts() == ["slow", "one", "two", "three"]


def test_missing_or_bad_credentials_are_explained() -> None:
    with pytest.raises(RasaException, match="TELEGRAM_BOT_TOKEN"):
        TelegramInput.from_credentials({"access_token": "", "secret_token": SECRET})
    with pytest.raises(RasaException, match="TELEGRAM_SECRET_TOKEN"):
        TelegramInput.from_credentials({"access_token": TOKEN, "secret_token": "has spaces"})
    with pytest.raises(RasaException, match="api_base_url"):
        TelegramInput.from_credentials(
            {"access_token": TOKEN, "secret_token": SECRET, "api_base_url": "api.telegram.org"}
        )


def test_bot_api_errors_carry_telegrams_words_not_the_token(fake: FakeTelegram) -> None:
    wrong = BotApi("999:wrong-token", fake.url)
    with pytest.raises(TelegramApiError) as refused:
        asyncio.run(wrong.send_message(str(CHAT), "hello"))
    assert (refused.value.error_code, refused.value.description) == (401, "Unauthorized")
    assert "wrong-token" not in str(refused.value) and "wrong-token" not in repr(wrong)

    unreachable = BotApi(TOKEN, f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(TelegramApiError) as failed:
        asyncio.run(unreachable.send_message(str(CHAT), "hello"))
    assert "no answer" in str(failed.value) and TOKEN not in str(failed.value)


def test_long_texts_are_split_at_line_ends() -> None:
    text = "\n".join(f"line {n:04d} " + "x" * 90 for n in range(100))  # about 10,000 characters
    parts = split_text(text)
    assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
