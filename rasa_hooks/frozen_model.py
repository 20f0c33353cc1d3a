"""The loaded model's objects are kept out of Python's full garbage collections.

The Rasa server holds hundreds of megabytes of long-lived objects once its model is loaded
(TensorFlow, the policies, the domain). Python's collector walks all of them in each full
(generation 2) collection: 300 to 600 ms on this project's machine, a few times per few hundred
turns, each time inside some customer's turn, and about 2.7 ms of CPU per turn on average.
After the model loads, everything alive is collected once and then frozen (`gc.freeze()`,
meant for this): later collections skip those objects, which are still freed by reference
counting when they go. Loading another model (Rasa's HTTP API can replace it) unfreezes
first, so the old model's objects are collected as before.
"""

from __future__ import annotations

import gc
from typing import Any

import rasa.core.agent


async def _load_and_freeze(original: Any, *args: Any, **kwargs: Any) -> Any:
    gc.unfreeze()  # a model loaded before may be on its way out: collect it as usual
    agent = await original(*args, **kwargs)
    gc.collect()
    gc.freeze()
    return agent


def install() -> None:
    """Freeze what is alive each time Rasa loads an agent (at start, and on a model change)."""
    original = rasa.core.agent.load_agent
    if getattr(original, "_freezes", False):
        return

    async def load_agent(*args: Any, **kwargs: Any) -> Any:
        return await _load_and_freeze(original, *args, **kwargs)

    load_agent._freezes = True  # type: ignore[attr-defined]
    load_agent.__wrapped__ = original  # type: ignore[attr-defined]
    rasa.core.agent.load_agent = load_agent
