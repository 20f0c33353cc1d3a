"""Telegram channel (name `telegram`): text, `/start`, inline buttons, and photos as evidence.

Rasa's own Telegram connector drops photos, cannot use a self-hosted Bot API server, does not
check Telegram's webhook secret, and calls the Bot API while building its output channel. This
one, configured in the credentials file (see credentials.telegram.yml):

- refuses every update whose `X-Telegram-Bot-Api-Secret-Token` header is not the configured
  secret (403), and sets the webhook with that secret on start-up when `webhook_url` is given;
- answers Telegram at once and handles the update in the background, in order per chat;
- turns `/start` and `/help` into a greeting, button presses (callback queries) into the
  button's payload after answering the query, and a photo or an image file into the message
  `/share_photo` whose metadata carries the Telegram file id (`action_attach_photo` fetches it
  and adds it to the claim: big files never go into the conversation's events);
- replies itself to what the assistant cannot read (stickers, voice, locations, ...);
- sends buttons as an inline keyboard, one button per row;
- takes messages as every channel does (`channels.customer_text`).

Chat ids identify people, so logs show only a short hash of them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.customer_text import as_typed_by_customer
from channels.telegram_api import DEFAULT_BASE_URL, BotApi, TelegramApiError

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  (a header name)
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts
MAX_TEXT = 4096  # characters per message
MAX_CALLBACK_DATA = 64  # bytes of a button's callback_data
# A payload too long for callback_data is sent as this prefix and the button's index; pressing
# the button then sends its title, read back from the message's keyboard (nothing to store).
TITLE_BUTTON = "~title:"
COMMANDS = {"/start": "/greet", "/help": "/greet"}
PHOTO_MESSAGE = "/share_photo"
PHOTO_METADATA = "telegram_file"  # read by actions/photos.py
UNSUPPORTED = {
    "sticker": "stickers",
    "voice": "voice messages",
    "audio": "audio files",
    "video": "videos",
    "video_note": "video messages",
    "animation": "GIFs",
    "location": "locations",
    "venue": "places",
    "contact": "contacts",
    "poll": "polls",
    "dice": "dice",
    "game": "games",
    "story": "stories",
}
WHAT_I_READ = (
    "I understand text messages, the buttons under my messages, and photos of the package, "
    "its label or the packing slip for a claim."
)
EDITED = "I only read new messages: please send the corrected text as a new message."
EXPIRED_BUTTON = "That button doesn't work any more: please type your answer instead."


@dataclass
class Update:
    """What to do for one Telegram update: answer a button, reply, and/or tell the assistant."""

    chat_id: str
    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    reply: str | None = None
    callback_query_id: str | None = None


def read_update(update: dict[str, Any]) -> Update | None:
    """The handling of a Telegram update, or None for updates that need nothing."""
    if isinstance(update.get("callback_query"), dict):
        return _button_press(update["callback_query"])
    if isinstance(update.get("edited_message"), dict):
        chat = _chat_id(update["edited_message"])
        return Update(chat, reply=EDITED) if chat else None
    if isinstance(update.get("message"), dict):
        return _message(update["message"])
    return None  # channel posts, inline queries, membership changes: nothing to answer


def _chat_id(message: dict[str, Any]) -> str | None:
    chat = message.get("chat")
    if isinstance(chat, dict) and chat.get("id") is not None:
        return str(chat["id"])
    return None


def _button_press(query: dict[str, Any]) -> Update | None:
    message = query.get("message") if isinstance(query.get("message"), dict) else {}
    sender = query.get("from") if isinstance(query.get("from"), dict) else {}
    chat = _chat_id(message) or (str(sender["id"]) if sender.get("id") else None)
    if chat is None:
        return None
    data = str(query.get("data") or "")
    text = _title_of(message, data) if data.startswith(TITLE_BUTTON) else data
    if not text:
        return Update(chat, reply=EXPIRED_BUTTON, callback_query_id=query.get("id"))
    return Update(chat, text=text, callback_query_id=query.get("id"))


def _title_of(message: dict[str, Any], data: str) -> str | None:
    """The title of the pressed button, from the keyboard of the message it belongs to."""
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    for row in keyboard:
        for button in row:
            if button.get("callback_data") == data:
                return button.get("text")
    return None


def _message(message: dict[str, Any]) -> Update | None:
    chat = _chat_id(message)
    if chat is None:
        return None
    if isinstance(message.get("text"), str):
        return Update(chat, text=_command(message["text"]))
    photo = _largest_photo(message.get("photo")) or _image_document(message.get("document"))
    if photo:
        return Update(chat, text=PHOTO_MESSAGE, metadata={PHOTO_METADATA: photo})
    if isinstance(message.get("document"), dict):
        return Update(chat, reply=f"Sorry, I can only use files that are images. {WHAT_I_READ}")
    for key, name in UNSUPPORTED.items():
        if key in message:
            return Update(chat, reply=f"Sorry, I can't read {name}. {WHAT_I_READ}")
    return None  # service messages (a pinned message, a new member, ...)


def _command(text: str) -> str:
    """`/start` and `/help` (also as `/start@SomeBot` or with a deep-link parameter) greet."""
    words = text.split()
    command = words[0].split("@")[0].lower() if words else ""
    return COMMANDS.get(command, text)


def _largest_photo(sizes: Any) -> dict[str, Any] | None:
    """Telegram sends a photo in several sizes: the largest one is the evidence."""
    if not isinstance(sizes, list) or not sizes:
        return None
    largest = max(
        sizes, key=lambda s: (s.get("width", 0) * s.get("height", 0), s.get("file_size", 0))
    )
    return _file(largest, name="telegram-photo.jpg", mime_type="image/jpeg")


def _image_document(document: Any) -> dict[str, Any] | None:
    """An image sent as a file (uncompressed); other documents are not evidence."""
    if not isinstance(document, dict):
        return None
    mime_type = str(document.get("mime_type") or "")
    if not mime_type.startswith("image/"):
        return None
    return _file(document, name=document.get("file_name"), mime_type=mime_type)


def _file(item: dict[str, Any], name: str | None, mime_type: str) -> dict[str, Any] | None:
    if not isinstance(item.get("file_id"), str):
        return None
    return {
        "file_id": item["file_id"],
        "file_unique_id": item.get("file_unique_id"),
        "file_size": item.get("file_size"),
        "file_name": name,
        "mime_type": mime_type,
    }


def masked(chat_id: str) -> str:
    """A chat id fit for logs: the same chat always gives the same short hash."""
    return "chat#" + hashlib.sha256(chat_id.encode()).hexdigest()[:8]


# Sending -------------------------------------------------------------------------------------


MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")


def plain_links(text: str) -> str:
    """Markdown links as "title: address": messages go out as plain text, whose addresses
    Telegram makes tappable, so the brackets would show."""
    return MARKDOWN_LINK.sub(r"\1: \2", text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram's message size limit, kept by splitting at line ends where possible."""
    parts: list[str] = []
    text = text.strip() or "…"
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*parts, text]


def callback_data(payload: str, index: int) -> str:
    """The payload itself when it fits in Telegram's 64 bytes, else a reference to the title."""
    if payload and len(payload.encode()) <= MAX_CALLBACK_DATA:
        return payload
    return f"{TITLE_BUTTON}{index}"


def inline_keyboard(buttons: list[dict[str, Any]]) -> dict[str, Any]:
    """One button per row: titles like "Clear Phone Case (2)" stay readable on a phone."""
    rows = []
    for index, button in enumerate(buttons):
        payload = str(button.get("payload") or button.get("title") or "")
        title = str(button.get("title") or payload)
        rows.append([{"text": title, "callback_data": callback_data(payload, index)}])
    return {"inline_keyboard": rows}


class TelegramOutput(OutputChannel):
    """Sends the assistant's messages (and agents' replies) to a Telegram chat."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, api: BotApi) -> None:
        self.api = api

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in split_text(plain_links(text)):
            await self.api.send_message(recipient_id, part)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        *parts, last = split_text(plain_links(text or "Please choose:"))
        for part in parts:
            await self.api.send_message(recipient_id, part)
        await self.api.send_message(recipient_id, last, reply_markup=inline_keyboard(buttons))


# Receiving -----------------------------------------------------------------------------------


class TelegramInput(InputChannel):
    """Telegram's webhook at `/webhooks/telegram/webhook`."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            access_token=str(credentials.get("access_token") or "").strip(),
            secret_token=str(credentials.get("secret_token") or "").strip(),
            webhook_url=str(credentials.get("webhook_url") or "").strip() or None,
            api_base_url=str(credentials.get("api_base_url") or "").strip() or DEFAULT_BASE_URL,
        )

    def __init__(
        self,
        access_token: str,
        secret_token: str,
        webhook_url: str | None = None,
        api_base_url: str = DEFAULT_BASE_URL,
    ) -> None:
        if not access_token:
            raise RasaException(
                "The telegram channel needs `access_token`: the bot token BotFather gave you "
                "(set TELEGRAM_BOT_TOKEN)."
            )
        if not SECRET_FORMAT.fullmatch(secret_token):
            raise RasaException(
                "The telegram channel needs `secret_token`: 1 to 256 characters A-Z, a-z, 0-9, "
                "_ or -, which Telegram sends with every update (set TELEGRAM_SECRET_TOKEN)."
            )
        if not api_base_url.startswith(("http://", "https://")):
            raise RasaException(f"`api_base_url` must be an http(s) URL, not {api_base_url!r}.")
        self.api = BotApi(access_token, api_base_url.rstrip("/"))
        self.secret_token = secret_token
        self.webhook_url = webhook_url
        self._tasks: set[asyncio.Task] = set()
        self._queues: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def get_output_channel(self) -> TelegramOutput:
        """Also used by Rasa's HTTP API (`output_channel=latest`) for agents' replies."""
        return TelegramOutput(self.api)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = as_typed_by_customer(on_new_message)
        telegram = Blueprint("custom_telegram_webhook", __name__)

        @telegram.listener("after_server_start")
        async def set_webhook(app: Any, loop: Any) -> None:
            await self.set_webhook()

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.is_authentic(request.headers.get(SECRET_HEADER)):
                logger.warning("Refused a Telegram update without the right secret token.")
                return response.json({"ok": False, "description": "Forbidden"}, status=403)
            try:
                update = json.loads(request.body or b"")
            except ValueError:
                return response.json({"ok": False, "description": "Not JSON"}, status=400)
            handling = read_update(update) if isinstance(update, dict) else None
            if handling:
                self._start(handling, on_new_message)
            return response.json({"ok": True})

        return telegram

    def is_authentic(self, given: str | None) -> bool:
        """Whether an update carries the secret (compared in constant time)."""
        return given is not None and hmac.compare_digest(given.encode(), self.secret_token.encode())

    async def set_webhook(self) -> None:
        """Point Telegram at `webhook_url` with the secret; a failure is logged, not fatal."""
        if not self.webhook_url:
            logger.info("Telegram channel ready; no webhook_url, so setWebhook is left as it is.")
            return
        try:
            await self.api.set_webhook(self.webhook_url, self.secret_token, ALLOWED_UPDATES)
        except TelegramApiError as error:
            logger.error("Could not set the Telegram webhook: %s", error.description)
            return
        logger.info("Telegram webhook set to %s", self.webhook_url)

    def _start(
        self, handling: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Handle an update after answering Telegram, which otherwise waits and retries."""
        if handling.callback_query_id:
            self._background(self._answer_button(handling.callback_query_id))
        self._background(self._in_order(handling, on_new_message))

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)  # a reference, so the task is not collected half-way
        task.add_done_callback(self._tasks.discard)

    async def _answer_button(self, callback_query_id: str) -> None:
        try:
            await self.api.answer_callback_query(callback_query_id)
        except TelegramApiError as error:
            logger.warning("Could not answer a Telegram button press: %s", error.description)

    async def _in_order(
        self, handling: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """One update at a time per chat, in arrival order (asyncio locks are first-come)."""
        chat = handling.chat_id
        lock = self._queues.setdefault(chat, asyncio.Lock())
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        try:
            async with lock:
                await self._handle(handling, on_new_message)
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:
                del self._waiting[chat], self._queues[chat]

    async def _handle(
        self, handling: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        output = self.get_output_channel()
        try:
            if handling.reply:
                await output.send_text_message(handling.chat_id, handling.reply)
            if handling.text:
                message = UserMessage(
                    handling.text,
                    output,
                    handling.chat_id,
                    input_channel=self.name(),
                    metadata=handling.metadata or None,
                )
                await on_new_message(message)
        except TelegramApiError as error:
            logger.error("Telegram %s for %s failed: %s", error.method, masked(handling.chat_id),
                         error.description)  # fmt: skip
        except Exception:
            logger.exception("Handling a Telegram update for %s failed", masked(handling.chat_id))
