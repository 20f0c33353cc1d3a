"""A small async client of the Telegram Bot API: only the methods the channel uses.

Every call is one HTTPS POST with a JSON body to `{base_url}/bot{token}/{method}` and a timeout;
the answer is Telegram's envelope `{"ok": true, "result": ...}` or `{"ok": false,
"error_code": ..., "description": ...}`. The base URL is configurable because Telegram lets
bots use a self-hosted Bot API server. URLs carry the bot token, so they are never logged or
put into error messages.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

DEFAULT_BASE_URL = "https://api.telegram.org"


class TelegramApiError(Exception):
    """The Bot API refused a call or could not be reached; no token in the message."""

    def __init__(self, method: str, description: str, error_code: int | None = None) -> None:
        super().__init__(f"Telegram {method}: {description}")
        self.method = method
        self.description = description
        self.error_code = error_code


@dataclass(frozen=True)
class BotApi:
    """The Bot API of one bot, at Telegram's servers or at a self-hosted Bot API server."""

    token: str
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 10.0

    def __repr__(self) -> str:
        return f"BotApi({self.base_url!r})"  # the token stays out of logs and tracebacks

    async def call(self, method: str, **params: Any) -> Any:
        """Call one method; its `result`, or TelegramApiError with Telegram's description."""
        body = {name: value for name, value in params.items() if value is not None}
        timeout = aiohttp.ClientTimeout(total=self.timeout, connect=min(5.0, self.timeout))
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(f"{self.base_url}/bot{self.token}/{method}", json=body) as answer,
            ):
                status = answer.status
                envelope = await answer.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            # Not chained: aiohttp's messages contain the URL, and so the token.
            raise TelegramApiError(method, f"no answer ({type(error).__name__})") from None
        if not isinstance(envelope, dict) or envelope.get("ok") is not True:
            envelope = envelope if isinstance(envelope, dict) else {}
            description = str(envelope.get("description") or f"HTTP {status}")
            raise TelegramApiError(method, description, envelope.get("error_code") or status)
        return envelope.get("result")

    async def set_webhook(self, url: str, secret_token: str, allowed_updates: list[str]) -> None:
        """Have Telegram post updates to `url`, each with the secret token in a header."""
        await self.call(
            "setWebhook", url=url, secret_token=secret_token, allowed_updates=allowed_updates
        )

    async def send_message(
        self, chat_id: str, text: str, reply_markup: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send plain text (no parse mode, so nothing in it needs escaping)."""
        return await self.call("sendMessage", chat_id=chat_id, text=text, reply_markup=reply_markup)

    async def answer_callback_query(self, callback_query_id: str) -> None:
        """Stop the button's progress indicator in the customer's app."""
        await self.call("answerCallbackQuery", callback_query_id=callback_query_id)
