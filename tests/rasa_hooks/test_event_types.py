"""Event types are resolved through a table, to the classes Rasa's own walk finds."""

from __future__ import annotations

from typing import Any

import pytest
import rasa.shared.utils.common
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_hooks import event_types

RASA = getattr(Event.resolve_by_type, "__wrapped__", Event.resolve_by_type)
NAMES = sorted({cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)})


@pytest.fixture(autouse=True)
def installed() -> None:
    event_types.install()


@pytest.mark.parametrize("name", NAMES)
def test_every_type_resolves_to_rasas_class(name: str) -> None:
    assert Event.resolve_by_type(name) is RASA(name)


def test_unknown_types_get_rasas_answer() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_reading_a_conversation_walks_the_classes_no_more(monkeypatch) -> None:
    walks: list[Any] = []
    walk = rasa.shared.utils.common.all_subclasses

    def counted(cls: Any) -> list[Any]:
        walks.append(cls)
        return walk(cls)

    Event.resolve_by_type("user")  # the table is built
    monkeypatch.setattr(rasa.shared.utils.common, "all_subclasses", counted)
    said = {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}}
    events = [said, {"event": "action", "name": "utter_greet"}] * 50
    tracker = DialogueStateTracker.from_dict("shopper", events, [])
    assert len(tracker.events) == 100
    assert walks == []


def test_an_event_class_defined_later_is_found() -> None:
    Event.resolve_by_type("user")

    class Noted(Event):
        type_name = "noted_by_test"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Noted)

        def __hash__(self) -> int:
            return 1

        def as_story_string(self) -> str:
            return self.type_name

    assert Event.resolve_by_type("noted_by_test") is Noted
