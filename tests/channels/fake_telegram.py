"""A small local Telegram Bot API server: the methods the channel and the actions use.

It speaks the documented protocol (https://core.telegram.org/bots/api): methods at
`/bot<token>/<method>` with JSON, form or query parameters, answers in the `{"ok": ...,
"result" | "error_code", "description"}` envelope, files at `/file/bot<token>/<file_path>`.
A wrong token is refused as Telegram refuses it (401 for methods, 404 for files). Every
method call is recorded for the tests to check.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TOKEN = "123456789:AAF-fake_token_for_tests_0123456789"
BOT = {"id": 123456789, "is_bot": True, "first_name": "Store Help", "username": "StoreHelpBot"}
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None


class FakeTelegram:
    """The Bot API of one bot, with the files it can serve."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.files: dict[str, tuple[str, bytes, int | None]] = {}  # id -> (path, bytes, size)
        self.downloads: list[str] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    # What tests use --------------------------------------------------------------------------

    def add_file(self, data: bytes, file_path: str, reported_size: int | None = None) -> str:
        """Serve a file; returns its file_id. `reported_size` lets getFile claim another size."""
        file_id = f"AgACAgQAAxkBAAI{next(self._ids):04d}"
        with self._lock:
            self.files[file_id] = (file_path, data, reported_size)
        return file_id

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def sent_to(self, chat_id: int | str) -> list[dict[str, Any]]:
        """The messages sent to a chat, in order, as sendMessage returned them."""
        with self._lock:
            sent = [c.result for c in self.calls if c.method == "sendMessage" and c.result]
        return [m for m in sent if str(m["chat"]["id"]) == str(chat_id)]

    def wait_for(
        self, check: Callable[[], Any], seconds: float = 30, what: str = "the expected call"
    ) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{what} never arrived; calls: {[c.method for c in self.calls]}")

    # The protocol ----------------------------------------------------------------------------

    def answer(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        call = Call(method, params)
        with self._lock:
            self.calls.append(call)
        try:
            call.result = handler(params)
        except BadRequest as error:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"}
        return 200, {"ok": True, "result": call.result}

    def _setWebhook(self, params: dict[str, Any]) -> bool:  # noqa: N802  (the method's name)
        secret = params.get("secret_token")
        if secret is not None and not SECRET_FORMAT.fullmatch(str(secret)):
            raise BadRequest("secret token contains unallowed characters")
        return True

    def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        text = str(params.get("text") or "")
        if params.get("chat_id") is None:
            raise BadRequest("chat_id is empty")
        if not text.strip():
            raise BadRequest("message text is empty")
        if len(text) > 4096:
            raise BadRequest("message is too long")
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise BadRequest("BUTTON_DATA_INVALID")
        message = {
            "message_id": next(self._ids),
            "from": BOT,
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        return message

    def _answerCallbackQuery(self, params: dict[str, Any]) -> bool:  # noqa: N802
        if not params.get("callback_query_id"):
            raise BadRequest("query is too old and response timeout expired or query ID is invalid")
        return True

    def _getFile(self, params: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        found = self.files.get(str(params.get("file_id")))
        if found is None:
            raise BadRequest("invalid file_id")
        path, data, reported = found
        return {
            "file_id": params["file_id"],
            "file_unique_id": "AQAD" + params["file_id"][-6:],
            "file_size": reported if reported is not None else len(data),
            "file_path": path,
        }

    def download(self, token: str, path: str) -> bytes | None:
        if token != self.token:
            return None
        with self._lock:
            self.downloads.append(path)
        return next((data for p, data, _ in self.files.values() if p == path), None)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's naming)
                self._route()

            def do_POST(self) -> None:  # noqa: N802
                self._route()

            def _route(self) -> None:
                url = urlsplit(self.path)
                file = re.fullmatch(r"/file/bot([^/]+)/(.+)", url.path)
                if file and self.command == "GET":
                    data = fake.download(*file.groups())
                    if data is None:
                        return self._send(
                            404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
                        )
                    return self._send(200, data, "application/octet-stream")
                method = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", url.path)
                if not method:
                    return self._send(
                        404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
                    )
                status, body = fake.answer(*method.groups(), self._params(url.query))
                self._send(status, json.dumps(body).encode())

            def _params(self, query: str) -> dict[str, Any]:
                params: dict[str, Any] = dict(parse_qsl(query))
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                kind = self.headers.get("content-type", "")
                if raw and kind.startswith("application/json"):
                    params.update(json.loads(raw))
                elif raw:
                    params.update(parse_qsl(raw.decode()))
                return params

            def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        return Handler


class BadRequest(Exception):
    """A 400 answer, with Telegram's description."""


@contextmanager
def running(token: str = TOKEN) -> Iterator[FakeTelegram]:
    fake = FakeTelegram(token)
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


# Updates as Telegram posts them to the webhook -----------------------------------------------

_update_ids = itertools.count(700_000_001)


def user(chat_id: int, first_name: str = "Jordan") -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "en"}


def message_update(chat_id: int, **content: Any) -> dict[str, Any]:
    """An update with a new private message; `content` is e.g. text=..., photo=[...]."""
    message = {
        "message_id": next(_update_ids) % 100_000,
        "from": user(chat_id),
        "chat": {"id": chat_id, "first_name": "Jordan", "type": "private"},
        "date": int(time.time()),
        **content,
    }
    if str(content.get("text", "")).startswith("/"):
        command = content["text"].split()[0]
        message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return {"update_id": next(_update_ids), "message": message}


def text_update(chat_id: int, text: str) -> dict[str, Any]:
    return message_update(chat_id, text=text)


def photo_update(chat_id: int, file_id: str, size: int, caption: str | None = None) -> dict:
    """A photo as Telegram sends it: the same picture in several sizes, smallest first."""
    sizes = [
        _size(f"{file_id}-s", 1_200, 90, 67),
        _size(f"{file_id}-m", 14_000, 320, 240),
        _size(file_id, size, 1280, 960),
    ]
    extra = {"caption": caption} if caption else {}
    return message_update(chat_id, photo=sizes, **extra)


def _size(file_id: str, size: int, width: int, height: int) -> dict[str, Any]:
    """One PhotoSize."""
    unique = "AQAD" + file_id[-4:]
    return {"file_id": file_id, "file_unique_id": unique, "file_size": size, "width": width,
            "height": height}  # fmt: skip


def sticker_update(chat_id: int) -> dict[str, Any]:
    sticker = {
        "file_id": "CAACAgIAAxkBAAIBQ2Vsticker",
        "file_unique_id": "AgADsticker",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "\U0001f44d",
        "set_name": "HotCherry",
        "file_size": 26_000,
    }
    return message_update(chat_id, sticker=sticker)


def button_update(chat_id: int, pressed_on: dict[str, Any], data: str) -> dict[str, Any]:
    """A press on an inline keyboard button of a message the bot sent (as sendMessage returned)."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"{next(_update_ids)}4382",
            "from": user(chat_id),
            "message": pressed_on,
            "chat_instance": "-5364478817226384413",
            "data": data,
        },
    }
