"""`action_validate_slot_mappings` is called only when its answer can matter.

Rasa 3.6 calls the action server's `action_validate_slot_mappings` after every message,
whenever the domain lists it, with the whole conversation rebuilt into a new tracker. This
project's (actions/follow_up.py) has no `extract_` or `validate_` methods: it hands back the
slots Rasa extracted from entities unchanged, and looks at the conversation's claim for new
photos and a new status, which it can only do while the conversation watches a claim
(`actions.claim_watch.watches_claim`). So when a message filled no slot from an entity and
there is no claim to watch, its answer is known, empty, and the call (a request to the action
server, about a tenth of a turn) is skipped. Whenever it could say something, it is called
as before; with the action server down the outcome is the same too, since there is nothing
to drop.
"""

from __future__ import annotations

from typing import Any

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from actions.claim_watch import watches_claim


def needs_the_call(extraction_events: list[Event], tracker: DialogueStateTracker) -> bool:
    """Whether `action_validate_slot_mappings` could answer anything but nothing."""
    filled = any(isinstance(event, SlotSet) for event in extraction_events)
    return filled or watches_claim(tracker.get_slot)


def install() -> None:
    """Put the check in front of Rasa's call of `action_validate_slot_mappings`."""
    original = ActionExtractSlots._execute_validation_action
    if getattr(original, "_checked", False):
        return

    async def _execute_validation_action(
        self: ActionExtractSlots,
        extraction_events: list[Event],
        output_channel: Any,
        nlg: Any,
        tracker: DialogueStateTracker,
        domain: Any,
    ) -> list[Event]:
        if not needs_the_call(extraction_events, tracker):
            return []  # what Rasa keeps of an empty answer: no slot to validate, no event
        return await original(self, extraction_events, output_channel, nlg, tracker, domain)

    _execute_validation_action._checked = True  # type: ignore[attr-defined]
    _execute_validation_action.__wrapped__ = original  # type: ignore[attr-defined]
    ActionExtractSlots._execute_validation_action = _execute_validation_action  # type: ignore[method-assign]
