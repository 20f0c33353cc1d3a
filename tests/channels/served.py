"""A Rasa input channel's blueprint served over real HTTP on a free port, as Rasa mounts it,
and a stand-in for the assistant behind it."""

from __future__ import annotations

import asyncio
import threading
import uuid
from urllib.parse import urljoin

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

from tests.conftest import free_port


class Assistant:
    """Stands in for Rasa's agent: records each message and answers it with one text."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"got {message.text}")


class Served:
    """`channel.blueprint(assistant)` under /webhooks/<name>/, in a thread with its own loop."""

    def __init__(self, channel: InputChannel, assistant: Assistant) -> None:
        Sanic.test_mode = True  # several apps in one process
        self.app = Sanic(f"channel_test_{uuid.uuid4().hex[:8]}")
        prefix = urljoin("/webhooks/", channel.url_prefix())  # as rasa.core.channels.register
        self.app.blueprint(channel.blueprint(assistant), url_prefix=prefix)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/webhooks/{channel.name()}/webhook"
        self.loop = asyncio.new_event_loop()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        coro = self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        self.server = self.loop.run_until_complete(coro)
        self.loop.run_until_complete(self.server.startup())
        self.loop.run_until_complete(self.server.after_start())
        self.started.set()
        self.loop.run_forever()

    def __enter__(self) -> Served:
        self.thread.start()
        assert self.started.wait(15), "the channel's server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            await self.server.before_stop()
            await self.server.close()
            await self.server.after_stop()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
