"""Matching the customer's words for missing items to the order's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

MATCH_THRESHOLD = 70
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "both": 2, "pair": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_FILLER = re.compile(
    r"\b(the|my|of|is|are|was|were|missing|not|there|in|it|its|just|only|item|items|"
    r"package|box|bag|order|i|didn'?t|did|get|got|receive|received)\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\+|\band\b|\bplus\b|\balso\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """An order line as the claim form sees it: how many units can still be claimed."""

    line_id: str
    name: str
    ordered: int
    claimable: int
    in_transit: int


@dataclass(frozen=True)
class Wanted:
    line: Line
    quantity: int | None  # None: the customer did not say how many
    everything: bool = False  # "all of the ..." / "both"


def order_lines(order: dict[str, Any]) -> list[Line]:
    """The order's lines with the units still claimable: received by the store, not claimed."""
    unreceived: dict[str, int] = {}
    for shipment in order["shipments"]:
        if not shipment["received_by_store"]:
            for item in shipment["items"]:
                unreceived[item["line_id"]] = unreceived.get(item["line_id"], 0) + item["quantity"]
    lines = []
    for line in order["lines"]:
        moving = unreceived.get(line["line_id"], 0)
        claimable = max(0, line["quantity"] - moving - line["claimed_quantity"])
        lines.append(Line(line["line_id"], line["name"], line["quantity"], claimable, moving))
    return lines


def match_items(text: str, lines: list[Line]) -> list[Wanted]:
    """Each line the text names, with the quantity it gives; best match per segment."""
    by_name = {line.name: line for line in lines}
    wanted: dict[str, Wanted] = {}
    for segment in _SPLIT.split(text):
        quantity, everything, words = _quantity(segment)
        cleaned = _FILLER.sub(" ", words).strip()
        if not cleaned:
            continue
        best = process.extractOne(
            cleaned,
            list(by_name),
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=MATCH_THRESHOLD,
        )
        if best is not None:
            line = by_name[best[0]]
            wanted[line.line_id] = Wanted(line, quantity, everything)
    return list(wanted.values())


def parse_quantity(text: str) -> int | None:
    quantity, _, _ = _quantity(text)
    return quantity


def means_everything(text: str) -> bool:
    """'Everything', 'all of it', 'the whole order': every claimable line."""
    return bool(
        re.search(
            r"\b(everything|all of it|all items|whole order|all of them)\b", text, re.IGNORECASE
        )
    )


def _quantity(segment: str) -> tuple[int | None, bool, str]:
    """The number a segment starts with or contains, whether it means 'all', and the rest."""
    everything = bool(re.search(r"\b(all|both|every|everything)\b", segment, re.IGNORECASE))
    match = re.search(r"(?<![\w-])(\d{1,3})(?![\w-])", segment)  # not the 3 of "3-pack"
    if match:
        return int(match.group(1)), everything, segment.replace(match.group(0), " ")
    for word in re.findall(r"[a-z]+", segment.lower()):
        if word in NUMBER_WORDS and word not in {"a", "an"}:
            rest = re.sub(rf"\b{word}\b", " ", segment, flags=re.IGNORECASE)
            return NUMBER_WORDS[word], everything, rest
    words = re.sub(r"\b(all|every|everything)\b", " ", segment, flags=re.IGNORECASE)
    return None, everything, words
