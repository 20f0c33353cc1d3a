"""Deciding which lines go on a claim from one message: a pure function of the text and lines.

Precision before recall. An answer to "which items are missing?" names them; a story only
makes candidates, which the shopper confirms in so many words (`inferred`) before any refund
is shown. Words for what arrived put lines on the received side; "only the filters came" as
an answer leaves the other lines as candidates, confirmed the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from actions.item_reading import ItemReading, count_short, read_items
from actions.items import Line, Wanted, by_packing_word, exact_line, means_both, means_everything


@dataclass(frozen=True)
class ItemChoice:
    wanted: tuple[Wanted, ...]
    inferred: bool  # not picked or typed as the answer: the shopper confirms these lines


NO_CHOICE = ItemChoice((), False)


def choose_items(text: str, lines: list[Line], answering: bool) -> ItemChoice:
    """The lines a message says are missing; `answering`: it replies to "which items?"."""
    button = exact_line(text, lines)
    if button is not None and answering:
        return ItemChoice((Wanted(button, None),), inferred=False)
    reading = read_items(text, lines, answering=answering)
    claimable = [line for line in lines if line.claimable]
    if reading.missing and not answering:
        # "my kid's stuff is missing" names the Kids' Backpack only by whom it is for: no
        # reason to say it is on its way, or claimed before; a line to claim is confirmed
        named = tuple(w for w in reading.missing if _named_or_claimable(w, reading))
        return ItemChoice(named, inferred=True) if named else NO_CHOICE
    if reading.missing:  # "the laptop" for the laptop sleeve: it may be another thing, so ask
        return ItemChoice(reading.missing, inferred=bool(reading.partly_named))
    received = {line.line_id for line in reading.received}
    if reading.received and not reading.received_unsure:
        rest = [line for line in claimable if line.line_id not in received]
        return ItemChoice(_the_rest(rest, count_short(text)), inferred=True) if rest else NO_CHOICE
    if reading.received:
        return NO_CHOICE  # "everything except the oil", and "oil" fits several lines: ask
    if reading.everything_missing or (answering and means_everything(text)):
        return ItemChoice(_every_unit(claimable), inferred=not answering)
    if answering and (packing := by_packing_word(text, claimable)) is not None:
        return ItemChoice((packing,), inferred=False)  # "bags" for the Poop Bags
    if answering and means_both(text):
        if len(claimable) == 2:
            return ItemChoice(_every_unit(claimable), inferred=False)
        pairs = [line for line in claimable if line.claimable == 2]
        if len(pairs) == 1:
            return ItemChoice((Wanted(pairs[0], 2, everything=True),), inferred=False)
    return NO_CHOICE


def _named_or_claimable(want: Wanted, reading: ItemReading) -> bool:
    return want.line.line_id not in reading.partly_named or want.line.claimable > 0


def _every_unit(lines: list[Line]) -> tuple[Wanted, ...]:
    return tuple(Wanted(line, line.claimable, everything=True) for line in lines)


def _the_rest(rest: list[Line], short: int | None) -> tuple[Wanted, ...]:
    """The lines not said to have come. With a count short ("ordered 3 of the flatcars and only
    2 were in the box; the caboose was fine"), the one line left is short by that count, and
    several lines are asked how many; without one, every unit of them."""
    if short is None:
        return _every_unit(rest)
    if len(rest) == 1 and short <= rest[0].claimable:
        return (Wanted(rest[0], short),)
    return tuple(Wanted(line, None) for line in rest)
