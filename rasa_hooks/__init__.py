"""This project's hooks into the Rasa server process, installed by `python -m rasa_hooks`.

Rasa 3.6 has no plugin entry point for open-source projects (its plugin manager loads only
Rasa Pro), so the launcher installs the hooks before it hands over to Rasa's own command line.
Each hook lives in a module of its own and is tested there; `install()` is the one place that
puts them into Rasa. The production profile's lock store (`redis_locks.py`) is not a hook: Rasa
loads it by its module path from endpoints.prod.yml, as it does any custom lock store.
"""

from __future__ import annotations


def install() -> None:
    """Put this project's hooks into Rasa: the message processor, the result validator, the
    check before `action_validate_slot_mappings`, the table of event types, the SQLite
    tracker store's connection pool and journal, the SQL tracker store's saves, and the frozen
    model."""
    import rasa.core.agent
    from rasa.core.actions.action import RemoteAction

    from rasa_hooks import (
        event_types,
        frozen_model,
        slot_mappings,
        sqlite_pool,
        sqlite_tracker,
        tracker_saves,
    )
    from rasa_hooks.action_results import validate_action_result
    from rasa_hooks.outage import ResilientProcessor

    rasa.core.agent.MessageProcessor = ResilientProcessor
    RemoteAction._validate_action_result = validate_action_result
    slot_mappings.install()
    event_types.install()
    sqlite_pool.install()
    sqlite_tracker.install()
    tracker_saves.install()
    frozen_model.install()
