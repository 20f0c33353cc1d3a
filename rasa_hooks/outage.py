"""Every turn gets an answer when the action server cannot be reached.

Stock Rasa 3.6 logs "Bot will continue, but the actions events are lost" and the customer gets
nothing. Here the processor watches the action endpoint instead:

- `WatchedEndpoint` notes each call that fails for want of a working action server (refused
  connection, timeout, 5xx, 404), for the processor step that made it. A 400 is a form's normal
  rejection and is not a failure.
- When slot extraction fails that way, its slot values are dropped: they were never validated.
  The turn goes on, so answers that need no action server (a greeting, a thank-you) still work.
- When an action fails that way, the customer gets `utter_service_trouble`, the turn stops and
  the bot listens. Nothing that action would have changed is applied, so the conversation stays
  on its step (an active form keeps its requested slot) and the customer's next message, once
  the action server is back, continues from there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rasa.core.actions.action import create_bot_utterance
from rasa.core.channels.channel import OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

logger = logging.getLogger(__name__)

TROUBLE_RESPONSE = "utter_service_trouble"
FALLBACK_TEXT = (
    "I'm sorry, something on my side isn't working right now. Everything you've told me is "
    "kept: please send your last message again in a minute."
)
_FAILURES: ContextVar[list[str] | None] = ContextVar("action_server_failures", default=None)


class WatchedEndpoint(EndpointConfig):
    """The action endpoint, noting calls that failed because the action server is not working."""

    @classmethod
    def watching(cls, endpoint: EndpointConfig) -> WatchedEndpoint:
        return cls(
            url=endpoint.url,
            params=endpoint.params,
            headers=endpoint.headers,
            basic_auth=endpoint.basic_auth,
            token=endpoint.token,
            token_name=endpoint.token_name,
            cafile=endpoint.cafile,
            **({"type": endpoint.type} if endpoint.type else {}),
            **endpoint.kwargs,
        )

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().request(*args, **kwargs)
        except ClientResponseError as error:
            if error.status != 400:  # 400 is a form's rejection, part of normal work
                _note(f"HTTP {error.status}")
            raise
        except Exception as error:
            _note(type(error).__name__)
            raise


def _note(reason: str) -> None:
    failures = _FAILURES.get()
    if failures is not None:
        failures.append(reason)


@contextmanager
def watching() -> Iterator[list[str]]:
    """Collect the action server failures of one processor step."""
    failures: list[str] = []
    token = _FAILURES.set(failures)
    try:
        yield failures
    finally:
        _FAILURES.reset(token)


class ResilientProcessor(MessageProcessor):
    """Rasa's processor, answering the customer when the action server fails."""

    def __init__(self, *args: Any, action_endpoint: EndpointConfig | None = None, **kwargs: Any):
        if action_endpoint is not None:
            action_endpoint = WatchedEndpoint.watching(action_endpoint)
        super().__init__(*args, action_endpoint=action_endpoint, **kwargs)

    async def run_action_extract_slots(
        self, output_channel: OutputChannel, tracker: DialogueStateTracker
    ) -> DialogueStateTracker:
        before = len(tracker.events)
        with watching() as failures:
            extracted = await super().run_action_extract_slots(output_channel, tracker)
        if not failures:
            return extracted
        logger.warning("Slot validation failed (%s); its slot values are dropped.", failures[0])
        return _rolled_back(extracted, before)

    async def _run_action(
        self,
        action: Any,
        tracker: DialogueStateTracker,
        output_channel: OutputChannel,
        nlg: Any,
        prediction: Any,
    ) -> bool:
        with watching() as failures:
            go_on = await super()._run_action(action, tracker, output_channel, nlg, prediction)
        if not failures:
            return go_on
        logger.warning("Action %s failed (%s); told the customer.", action.name(), failures[0])
        await self._say_trouble(tracker, output_channel)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        return False

    async def _say_trouble(
        self, tracker: DialogueStateTracker, output_channel: OutputChannel
    ) -> None:
        message = await self.nlg.generate(TROUBLE_RESPONSE, tracker, output_channel.name())
        said = create_bot_utterance(message or {"text": FALLBACK_TEXT})  # as Rasa's actions do
        tracker.update(said)
        await self._send_bot_messages([said], tracker, output_channel)


def _rolled_back(tracker: DialogueStateTracker, keep: int) -> DialogueStateTracker:
    """A copy of the tracker with only its first `keep` events."""
    restored = tracker.init_copy()
    for index, event in enumerate(tracker.events):
        if index >= keep:
            break
        restored.update(event)
    return restored
