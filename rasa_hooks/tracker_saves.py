"""Rasa's SQL tracker store saves a turn without counting what it has stored already.

`SQLTrackerStore.save` finds the events to insert by counting, in one more query, the events
stored since the conversation's session started, then skipping that many of the tracker's.
The tracker it saves was read moments before by `retrieve`, under the conversation's lock
(held across Rasa servers in the production profile), with exactly those events: so the number
is noted on the tracker when it is read, and kept up to date by each save. A tracker that
`retrieve` did not read (a new conversation, `retrieve_full_tracker`'s every session) is counted
as Rasa does. On PostgreSQL the count was a round trip that blocked the server's event loop.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

STORED = "_stored_events_of_this_session"  # the note on a tracker: events already in the store

_rasa_retrieve = SQLTrackerStore.retrieve
_rasa_save = SQLTrackerStore.save
_rasa_additional_events = SQLTrackerStore._additional_events


async def retrieve(self: SQLTrackerStore, sender_id: str) -> DialogueStateTracker | None:
    """Rasa's `retrieve`, noting on the tracker how many of its events are stored."""
    tracker = await _rasa_retrieve(self, sender_id)
    if tracker is not None:
        setattr(tracker, STORED, len(tracker.events))
    return tracker


def additional_events(
    self: SQLTrackerStore, session: Any, tracker: DialogueStateTracker
) -> Iterator:
    """The tracker's events that are not stored yet: after the noted number, else Rasa's way."""
    stored = getattr(tracker, STORED, None)
    if stored is None:
        return _rasa_additional_events(self, session, tracker)
    return itertools.islice(tracker.events, stored, len(tracker.events))


async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    """Rasa's `save`; afterwards every event of the tracker is stored."""
    await _rasa_save(self, tracker)
    setattr(tracker, STORED, len(tracker.events))


def install() -> None:
    SQLTrackerStore.retrieve = retrieve
    SQLTrackerStore._additional_events = additional_events
    SQLTrackerStore.save = save
