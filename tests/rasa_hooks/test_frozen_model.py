"""What is alive once Rasa has loaded its agent is kept out of full garbage collections."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import rasa.core.agent

from rasa_hooks import frozen_model


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = rasa.core.agent.load_agent
    monkeypatch.setattr(rasa.core.agent, "load_agent", getattr(original, "__wrapped__", original))
    frozen_model.install()
    yield
    gc.unfreeze()


def test_loading_the_agent_freezes_what_is_alive() -> None:
    gc.unfreeze()
    agent = asyncio.run(rasa.core.agent.load_agent(model_path=None))
    assert isinstance(agent, rasa.core.agent.Agent)
    assert gc.get_freeze_count() > 1000  # Rasa's modules, the agent and all they hold


def test_loading_another_agent_unfreezes_first() -> None:
    asyncio.run(rasa.core.agent.load_agent(model_path=None))
    counts: list[int] = []
    original = rasa.core.agent.load_agent.__wrapped__

    async def watched(*args: object, **kwargs: object) -> object:
        counts.append(gc.get_freeze_count())  # what the original load sees
        return await original(*args, **kwargs)

    asyncio.run(frozen_model._load_and_freeze(watched, model_path=None))
    assert counts == [0]
    assert gc.get_freeze_count() > 1000
