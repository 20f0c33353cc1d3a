"""Rasa's socket.io channel with its session room really joined.

Rasa 3.6 calls `sio.enter_room(...)` without `await` (RasaHQ/rasa#13027); since
python-socketio 5.10 that is a coroutine, so with `session_persistence: true` the browser
never joins the room its bot messages are sent to, and the widget shows no reply.
Messages are taken as every channel's are (`channels.customer_text`).

With several Rasa servers (the production profile), SOCKETIO_MESSAGE_QUEUE names a Redis URL:
every server then shares python-socketio's `AsyncRedisManager`, so that a message for a
browser connected to one server (an agent's reply, sent through Rasa's HTTP API to whichever
server HAProxy picks) reaches it from any other. HAProxy keeps each browser on one server.
"""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint
from socketio import AsyncRedisManager, AsyncServer

from channels.customer_text import as_typed_by_customer


class SocketIOInput(rasa_socketio.SocketIOInput):
    """The same channel (name `socketio`), with `session_request` awaiting `enter_room`."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(as_typed_by_customer(on_new_message))
        sio = self.sio
        share_between_servers(sio, os.environ.get("SOCKETIO_MESSAGE_QUEUE", "").strip())

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


def share_between_servers(sio: AsyncServer, queue_url: str) -> None:
    """Give `sio` a Redis message queue shared with the other servers (none without a URL).

    Rasa creates its AsyncServer without a client manager; before any client connects, the
    manager can still be replaced (python-socketio initialises it on the first connection).
    """
    if not queue_url:
        return
    manager = AsyncRedisManager(queue_url)
    manager.set_server(sio)
    sio.manager = manager
