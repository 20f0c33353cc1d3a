"""Files customers send on Telegram, fetched through the Bot API: `getFile`, then the download.

Configured from TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL (default https://api.telegram.org,
or a self-hosted Bot API server). Both requests have (connect, read) timeouts and the download
stops at the support desk's size limit. URLs carry the bot token, so errors never include them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import requests

DEFAULT_BASE_URL = "https://api.telegram.org"
MAX_BYTES = 10 * 1024 * 1024  # what the support desk accepts per image
TIMEOUT = (3.05, 20)
CHUNK = 64 * 1024


class TelegramFileError(Exception):
    """A file could not be fetched; `message` says why, without the token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotConfigured(TelegramFileError):
    """The action server has no bot token (TELEGRAM_BOT_TOKEN)."""


class TooLarge(TelegramFileError):
    """The file is over the size limit."""


class Unavailable(TelegramFileError):
    """Telegram could not be reached, or refused to give the file."""


@dataclass(frozen=True)
class DownloadedFile:
    name: str
    data: bytes
    content_type: str


class TelegramFiles:
    """Downloads files by their Telegram file id."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        max_bytes: int = MAX_BYTES,
        session: requests.Session | None = None,
    ) -> None:
        if not token.strip():
            raise NotConfigured(
                "TELEGRAM_BOT_TOKEN is not set: photos sent on Telegram cannot be fetched."
            )
        self.token = token.strip()
        self.base_url = (base_url.strip() or DEFAULT_BASE_URL).rstrip("/")
        self.max_bytes = max_bytes
        self.session = session or requests.Session()

    def __repr__(self) -> str:
        return f"TelegramFiles({self.base_url!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TelegramFiles:
        """Configured from TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL."""
        env = os.environ if environ is None else environ
        return cls(env.get("TELEGRAM_BOT_TOKEN", ""), env.get("TELEGRAM_API_BASE_URL", ""))

    def fetch(self, file: Mapping[str, Any]) -> DownloadedFile:
        """The bytes of a file described as the channel's metadata describes it."""
        if (file.get("file_size") or 0) > self.max_bytes:
            raise TooLarge(self._too_large())
        info = self._get_file(str(file["file_id"]))
        if (info.get("file_size") or 0) > self.max_bytes:
            raise TooLarge(self._too_large())
        path = info.get("file_path")
        if not isinstance(path, str) or not path:
            raise Unavailable("Telegram did not give a download path for the file.")
        data = self._download(path)
        name = file.get("file_name") or PurePosixPath(path).name or "telegram-photo"
        return DownloadedFile(str(name), data, str(file.get("mime_type") or "image/jpeg"))

    def _get_file(self, file_id: str) -> dict[str, Any]:
        try:
            answer = self.session.post(
                f"{self.base_url}/bot{self.token}/getFile",
                json={"file_id": file_id},
                timeout=TIMEOUT,
            )
            envelope = answer.json()
        except (requests.RequestException, ValueError) as error:
            # Not chained: requests' messages contain the URL, and so the token.
            raise Unavailable(
                f"Telegram's getFile did not answer ({type(error).__name__})."
            ) from None
        if not isinstance(envelope, dict) or envelope.get("ok") is not True:
            description = envelope.get("description") if isinstance(envelope, dict) else None
            raise Unavailable(f"Telegram's getFile refused: {description or answer.status_code}.")
        result = envelope.get("result")
        return result if isinstance(result, dict) else {}

    def _download(self, path: str) -> bytes:
        url = f"{self.base_url}/file/bot{self.token}/{path}"
        try:
            with self.session.get(url, stream=True, timeout=TIMEOUT) as answer:
                if answer.status_code != 200:
                    raise Unavailable(f"Telegram's file download answered {answer.status_code}.")
                data = bytearray()
                for chunk in answer.iter_content(CHUNK):
                    data += chunk
                    if len(data) > self.max_bytes:
                        raise TooLarge(self._too_large())
        except requests.RequestException as error:
            raise Unavailable(
                f"Telegram's file download failed ({type(error).__name__})."
            ) from None
        return bytes(data)

    def _too_large(self) -> str:
        return f"The file is larger than {self.max_bytes // (1024 * 1024)} MB."
