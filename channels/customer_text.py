"""What a customer sends, as the assistant takes it, on every input channel of this project.

- **An intent payload never carries entities.** Rasa reads `/inform{"order_number": "…",
  "email": "…"}` as the intent `inform` with those entities, and every slot with a
  `from_entity` mapping takes them unread and unchecked. The assistant's own buttons send
  bare intents (`/affirm`) or words, so a payload with entities (or a confidence, `/deny@0.1`)
  can only be typed or forged: it keeps its intent and loses the rest. Slots are filled by
  what the assistant reads and checks itself.
- **A typed `/session_start` is a hello.** Rasa starts sessions by itself (`session_config`
  in domain.yml); sent by a customer it would start a new session silently and drop an active
  form. It greets instead, as `/greet` does (the web widget's first message).
- **A typed `/restart` is a stop**, as the words "restart" and "start over" already are
  (data/nlu): a form ends with nothing filed, and the assistant says so and offers what else
  it can do. Rasa's own restart would wipe the conversation, verification included, and, as
  Rasa lets a restart through a paused conversation, make the bot talk again while an agent
  holds it. (`/back` stays Rasa's `action_back`, which says `utter_back`; paused, it is quiet.)
- **Invisible characters are taken out** (Unicode category Cf: bidi controls, zero-width
  spaces and joiners, the BOM), and odd spaces (Zs, e.g. the non-breaking space) become plain
  ones, so that the NLU's patterns find an order or tracking number copied from a web page or a
  PDF. What the customer sees is unchanged; the transcript keeps what they meant.
- **A sender id that Rasa's tracker store cannot keep is dropped** with a warning: a lone
  surrogate, or more than 255 characters, fails the SQL tracker store, which then stops the
  whole Rasa server. The REST channels answer 400 before this (`channels.rest`); here it
  covers the channels whose ids come from the client, such as socket.io's `session_id`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)

# Rasa's own reading (YAMLStoryReader._regex_message_pattern): `/intent`, then an optional
# `@confidence`, then an optional `{entities}`.
PAYLOAD_WITH_EXTRAS = re.compile(r"/(?P<intent>[^{@\s]+)\s*[@{]")
TYPED_COMMANDS = {"/session_start": "/greet", "/restart": "/stop"}
MAX_SENDER_CHARS = 255  # Rasa's SQL tracker store: sender_id is a String(255) column

Handler = Callable[[UserMessage], Awaitable[Any]]


def customer_text(text: str | None) -> str | None:
    """The message as the assistant takes it: a payload's bare intent, a command's meaning."""
    if text is None:
        return None
    text = without_invisible(text)
    stripped = text.strip()
    extras = PAYLOAD_WITH_EXTRAS.match(stripped)
    if extras:
        stripped = "/" + extras["intent"]
    elif not stripped.startswith("/"):
        return text
    return TYPED_COMMANDS.get(stripped, stripped)


def without_invisible(text: str) -> str:
    """`text` without format characters (Cf), with every space separator (Zs) a plain space."""
    if text.isascii():
        return text
    kept = (c for c in text if unicodedata.category(c) != "Cf")
    return "".join(" " if unicodedata.category(c) == "Zs" else c for c in kept)


def storable_sender(sender_id: str) -> bool:
    """True when Rasa's tracker store can keep a conversation under this id."""
    if len(sender_id) > MAX_SENDER_CHARS:
        return False
    try:
        sender_id.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_typed_by_customer(on_new_message: Handler) -> Handler:
    """`on_new_message` for a channel's blueprint, taking each message as above."""

    async def handle(message: UserMessage) -> Any:
        if not storable_sender(message.sender_id):
            logger.warning("Dropped a message whose sender id the tracker store cannot keep.")
            return None
        message.text = customer_text(message.text)
        return await on_new_message(message)

    return handle
