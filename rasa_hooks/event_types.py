"""An event's class is found by its type name in a table, not by a walk over every class.

Rasa 3.6's `Event.resolve_by_type` lists every subclass of `Event` (recursively, checking
each for abstract methods) for each event it reads: every event of the conversation when the
tracker store loads it, and every event an action server answers. That was about a twentieth
of the Rasa server's time per turn. The table maps each type name to the class Rasa's walk
would find first; it is built on first use and built again when a new subclass of `Event` is
defined. A name that is not in the table gets Rasa's own answer (its default, or its error).
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_table: dict[str, type[Event]] = {}


def classes() -> dict[str, type[Event]]:
    """Every known event type name and the class Rasa resolves it to."""
    if not _table:
        for cls in reversed(all_subclasses(Event)):  # reversed: the first class found wins
            _table[cls.type_name] = cls
    return _table


def install() -> None:
    """Resolve event types through the table, and drop it when a new event class appears."""
    original = Event.resolve_by_type
    if getattr(original, "_tabled", False):
        return

    def resolve_by_type(type_name: str, default: Any = None) -> type[Event] | None:
        found = classes().get(type_name)
        return found if found is not None else original(type_name, default)

    def __init_subclass__(cls: type[Event], **kwargs: Any) -> None:  # noqa: N807
        super(Event, cls).__init_subclass__(**kwargs)
        _table.clear()

    resolve_by_type._tabled = True  # type: ignore[attr-defined]
    resolve_by_type.__wrapped__ = original  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    Event.__init_subclass__ = classmethod(__init_subclass__)  # type: ignore[method-assign]
    _table.clear()
