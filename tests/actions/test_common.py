"""What every action shares: here, telling a conversation that has come round in a circle."""

from __future__ import annotations

from actions.common import said_before_at
from tests.actions.conftest import loop_event, make_tracker, slot_event, user_event


def tracker_after(*steps: tuple[str, str], latest: str):
    """A claim form where each (question, message) of `steps` was said, then `latest`."""
    events = [loop_event("claim_form")]
    for asked, text in steps:
        events += [slot_event("requested_slot", asked), user_event(text)]
    events.append(user_event(latest))
    return make_tracker(text=latest, events=events, active_loop="claim_form")


def test_the_same_words_at_the_same_question_come_round() -> None:
    tracker = tracker_after(
        ("description", "no cables in the box"), ("item_quantity", "the cables"),
        ("description", "the cables"), latest="No cables  in the box",
    )  # fmt: skip
    assert said_before_at(tracker, "description")


def test_other_words_or_another_question_do_not() -> None:
    said = "no cables in the box"
    tracker = tracker_after(("item_quantity", said), latest=said)
    assert not said_before_at(tracker, "description")
    tracker = tracker_after(("description", "no cables at all"), latest="no cables in the box")
    assert not said_before_at(tracker, "description")


def test_a_short_answer_again_is_an_answer_again() -> None:
    tracker = tracker_after(("items_confirmed", "yes"), latest="yes")
    assert not said_before_at(tracker, "items_confirmed")


def test_a_form_that_ended_is_over() -> None:
    events = [
        loop_event("claim_form"),
        slot_event("requested_slot", "description"),
        user_event("the box was open"),
        loop_event(None),
        loop_event("claim_form"),
        slot_event("requested_slot", "description"),
        user_event("the box was open"),
    ]
    tracker = make_tracker(text="the box was open", events=events, active_loop="claim_form")
    assert not said_before_at(tracker, "description")


def test_the_same_words_with_the_claim_changed_since_are_no_circle() -> None:
    said = "the charger, the 2 cables and the wireless pad"
    events = [
        loop_event("claim_form"),
        slot_event("missing_items", [{"line_id": "L2", "quantity": 2}]),
        slot_event("requested_slot", "item_quantity"),
        user_event(said),
        slot_event("missing_items", [{"line_id": "L2", "quantity": 2}, {"line_id": "L3"}]),
        slot_event("requested_slot", "item_quantity"),
        user_event(said),
    ]
    tracker = make_tracker(text=said, events=events, active_loop="claim_form")
    assert not said_before_at(tracker, "item_quantity")
    events.insert(-1, slot_event("missing_items", [{"line_id": "L2", "quantity": 2}]))
    tracker = make_tracker(text=said, events=events, active_loop="claim_form")
    assert said_before_at(tracker, "item_quantity") == 1


def test_words_the_form_never_read_are_no_circle() -> None:
    """Sent while the action server was down, then sent again as the bot asked."""
    said = "the phone case"
    events = [
        loop_event("claim_form"),
        slot_event("requested_slot", "missing_items"),
        user_event(said),
        user_event(said),
    ]
    tracker = make_tracker(text=said, events=events, active_loop="claim_form")
    assert not said_before_at(tracker, "missing_items")
