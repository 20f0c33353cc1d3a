"""Rasa's socket.io channel with its session room really joined.

Rasa 3.6 calls `sio.enter_room(...)` without `await` (RasaHQ/rasa#13027); since
python-socketio 5.10 that is a coroutine, so with `session_persistence: true` the browser
never joins the room its bot messages are sent to, and the widget shows no reply.
Messages are taken as every channel's are (`channels.customer_text`).
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

from channels.customer_text import as_typed_by_customer


class SocketIOInput(rasa_socketio.SocketIOInput):
    """The same channel (name `socketio`), with `session_request` awaiting `enter_room`."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(as_typed_by_customer(on_new_message))
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            data = data or {}
            if data.get("session_id") is None:
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, data["session_id"], namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", data["session_id"], room=sid)

        return webhook
