"""Matching the customer's words for missing items to the order's lines.

Shoppers name items loosely ("the cases", "the charger", "one of the towels"), tell stories
("I ordered a blender and two mugs but the mugs weren't there") and tap buttons that carry a
line's full name. Matching works on words: each word the customer wrote is compared with each
word of a line's name, allowing typos, plurals and stems, so "hedphones" finds the headphones
and "charger" the charging cable, while "phone" does not find the headphones.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STEM = 5  # or this many leading letters in common: "charger" / "charging"
CLIPPED = 3  # a head word cut to its first letters, at least this many: "sub", "amp", "mic"
# "plaid wrapping paper" speaks of the Gift Wrap Roll, but "the other one rolled under the seat"
# names no roll: a word's -ing form supports a match and never makes one alone
INFLECTED_WEIGHT = 0.5
LETTER_WEIGHT = 0.5  # a name's single letter ("Charm 'J'", "Size M") tells tied lines apart
SLIP_WEIGHT = 0.9  # a word matched through a slip or a stem counts a little less than itself
NUMBER = re.compile(r"(?<![\w.])(?:\.\d+|\d+(?:[.,]\d+)?)(?![\d])")  # ".095" of trimmer line
SIZES = re.compile(
    r"\b\d+(?:\.\d+)?\s*[x×]\s*\d+(?:\.\d+)?\b|"  # "60 x 72": a dimension, no count
    r"\b(?:size|sz|no\.?|#)\s*\d+(?:[.,]\d+)?\w*|\b\d+[.,]\d+\w*|"
    r"\b\d+\s*(?:in|inch|inches|m|cm|mm|ft|l|ml|oz|lb|lbs|w|gb|tb|tc|pcs|ct|count|pk)\b",
    re.IGNORECASE,
)
NUMBER_WORDS = {
    "one": 1, "single": 1, "two": 2, "pair": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_COUNT = r"(\d{1,3}|" + "|".join(w for w in NUMBER_WORDS if w not in {"single", "pair"}) + ")"
# "two things missing: the dimmer and ...": how many lines, not how many of the first
TALLY = re.compile(rf"(?<![\w-]){_COUNT}\s+(?:things|items|products|articles)\b")
PARTITIVE = re.compile(
    rf"(?<![\w-]){_COUNT}\s+(?:out\s+)?of\s+(?:the|my|our|those|these|them|his|her)\b"
)
# Words that say nothing about which item is meant.
STOPWORDS = set(
    """a an the my of is are was were be been it its it's in on at to for from with and or but
    not no there their they them this that these those i i'm im me we our you your he she
    missing miss missed item items thing things stuff package packages box boxes bag bags tote
    order ordered orders pickup picked pick store inside came come got get getting received
    receive recieved just only also too as well all both every everything one two some any
    didn't didnt did don't dont wasn't wasnt weren't werent isn't isnt aren't arent have has had
    hi hello hey so ok okay yes yeah please thanks thank when what which where how then there's
    set pcs pack piece pieces lot paid bought purchased buy""".split()  # noqa: SIM905  (a word list reads best as words)
)
# Words of a name that say how it comes, not what it is ("3-pair", "One Size", "2-Person").
WEAK_NAME_WORDS = {
    "set", "pack", "pcs", "kit", "in", "of", "the", "and", "with", "pair", "pairs", "size",
    "person", "piece", "count", "sets", "packs", "kits",  # not "pieces": "Chess Pieces"
}  # fmt: skip
MISSING_CUES = re.compile(
    r"\b(missing|misssing|mising|not there|not in|wasn'?t|weren'?t|isn'?t|aren'?t|no\b|never|"
    r"didn'?t|did not|without|forgot|forgotten|left out|lacking|short|gone|absent|lost|"
    r"empty|not included|not inside|couldn'?t find|can'?t find|cant find)",
    re.IGNORECASE,
)
PRESENT_CUES = re.compile(
    r"\b(only had|only has|only contained|just had|were there|was there|was inside|"
    r"were inside|i got the|got the|received the|came with)\b",
    re.IGNORECASE,
)
# A full stop, not a decimal point: "size 10.5" and "the .095 line" hold none.
FULL_STOP = r"(?:\.(?!\d)|(?<=[^\d\s])\.)"
CLAUSES = re.compile(
    rf"\s*(?:(?:{FULL_STOP}|[;!?—])+|,\s*(?=but\b)|\bbut\b|\bhowever\b|\bthough\b|"
    r"\bexcept\b|\bwhereas\b)\s*",
    re.IGNORECASE,
)
SEGMENTS = re.compile(
    r"\s*(?:,|&|\+|(?<!\d)/|/(?!\d)|\band\b|\bplus\b|\balso\b|\bas well as\b)\s*", re.I
)
_EVERYTHING = re.compile(
    r"\b(everything|all of it|all items|all the items|all of the items|whole order|"
    r"entire order|all of them|all of my order|nothing was there|none of it|none of them|"
    r"the whole thing)\b",
    re.IGNORECASE,
)


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
    everything: bool = False  # "all of the ...", "both": every unit (a plural alone asks)
    alternatives: tuple[Line, ...] = field(default=())  # other lines the words fit as well

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


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


def match_items(text: str, lines: list[Line], story: bool = False) -> list[Wanted]:
    """Each line the text names, with the quantity it gives.

    With `story`, only clauses that say something is missing count ("I ordered X and Y but Y
    wasn't there" names Y); without it, a clause counts unless it says the item was there,
    as when the customer answers "which items are missing?".
    """
    clauses = []
    for clause in CLAUSES.split(bind_names(text, lines)):
        if clause and clause.strip():
            # "the bag only had part of my order, my mat is not in it": two clauses
            split = PRESENT_CUES.search(clause) and MISSING_CUES.search(clause)
            clauses.extend(clause.split(",") if split else [clause])
    missing = [c for c in clauses if MISSING_CUES.search(c) and not PRESENT_CUES.search(c)]
    present = [c for c in clauses if not PRESENT_CUES.search(c)]
    chosen = missing if story or missing else present
    wanted: dict[str, Wanted] = {}
    for clause in chosen:
        for segment in SEGMENTS.split(clause):
            found = match_segment(segment, lines)
            if found is not None:
                wanted[found.line.line_id] = found
    return list(wanted.values())


def parts(text: str, lines: Sequence[Line] = ()) -> list[str]:
    """The message cut into clauses, and those into the parts of their lists (no blank ones);
    with the order's `lines`, a name with "and" in it is no list (`bind_names`)."""
    return [
        segment
        for clause in CLAUSES.split(bind_names(text, lines))
        if clause and clause.strip()
        for segment in SEGMENTS.split(clause)
        if segment and segment.strip()
    ]


def parts_naming(text: str, lines: list[Line]) -> dict[str, list[str]]:
    """Each line the text names, with the parts of the text (`parts`) that name it."""
    about: dict[str, list[str]] = {}
    for part in parts(text, lines):
        found = match_segment(part, lines)
        if found is not None:
            about.setdefault(found.line.line_id, []).append(part)
    return about


def mentions_items(text: str, lines: list[Line]) -> bool:
    return bool(lines_fitting(text, lines))


def lines_fitting(text: str, lines: list[Line]) -> set[str]:
    """The ids of every line the text's words fit, each alternative of a vague word included:
    "the jars" fits every jar line."""
    fitting: set[str] = set()
    for segment in SEGMENTS.split(bind_names(text, lines)):
        found = match_segment(segment, lines)
        if found is not None:
            fitting |= {line.line_id for line in (found.line, *found.alternatives)}
    return fitting


CONJOINED = re.compile(r"([\w'-]+)\s+(?:and|&)\s+([\w'-]+)", re.IGNORECASE)
BOUND = "_and_"


def bind_names(text: str, lines: Sequence[Line]) -> str:
    """ "The salt and pepper grinder" is one thing when a line's name says "Salt and Pepper":
    the words around its "and" are bound (`BOUND`), so no list is cut there."""
    for line in lines:
        for first, second in CONJOINED.findall(line.name):
            pattern = rf"\b({re.escape(first)})\s+(?:and|&)\s+({re.escape(second)})\b"
            text = re.sub(pattern, rf"\1{BOUND}\2", text, flags=re.IGNORECASE)
        for pair in SIZE_PAIR.findall(line.name):  # "the S/M one": one size, no list
            pattern = rf"(?<![\w/]){re.escape(pair)}(?![\w/])"
            text = re.sub(pattern, pair.replace("/", SLASH_BOUND), text, flags=re.IGNORECASE)
        for short in ABBREVIATED.findall(line.name):  # "Vol. 2": no full stop, no sentence
            text = re.sub(rf"\b({re.escape(short)})\.(?=\s)", r"\1", text, flags=re.IGNORECASE)
    return lacking_joined(text, lines)  # "the calcium without D3": a name, no cue


# A name's abbreviation with its full stop inside the name: "Vol. 2", "No. 5", "St. Croix"
ABBREVIATED = re.compile(r"(?<![\w.])([A-Za-z]{1,4})\.(?=\s+\w)")
SIZE_PAIR = re.compile(r"(?<![\w/])[A-Za-z]{1,3}/[A-Za-z]{1,4}(?![\w/])")
SLASH_BOUND = "\u2044"  # the fraction slash: no cut is made at it


def parse_quantity(text: str) -> int | None:
    quantity, _ = _quantity(text.lower())
    return quantity


def parse_unnamed_count(text: str) -> int | None:
    """A count in words that name no item: an ordinal counts only as "the other one" does;
    "you're quicker than the last chat I used" counts nothing."""
    pointed = BY_ITS_ORDER.sub(
        lambda found: found.group(0) if found.group(1).split()[0] in {"one", "ones"} else " ",
        text.lower(),
    )
    return parse_quantity(pointed)


def means_everything(text: str) -> bool:
    """'Everything', 'all of it', 'the whole order': every claimable line."""
    return bool(_EVERYTHING.search(text))


def means_both(text: str) -> bool:
    return bool(re.search(r"\b(both|boht|btoh)\b", text, re.IGNORECASE))


# Words read as the packing, not a product, unless a line's name is made of them ("Poop Bags")
PACKING_NOUNS = {"bag", "box", "tote", "package", "pack", "set", "kit", "case"}
LEADS = {"the", "my", "a", "an", "both", "all", "those", "these", "of"}


def by_packing_word(text: str, lines: list[Line]) -> Wanted | None:
    """An answer of one packing word ("bags", "the 2 boxes") when line names hold it: that line,
    or the lines to choose from. Only for a whole answer: in a story "the bag" is the bag."""
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in LEADS]
    words = [w for w in words if w not in NUMBER_WORDS]
    if len(words) != 1 or _singular(words[0]) not in PACKING_NOUNS:
        return None
    noun = _singular(words[0])
    named = [line for line in lines if noun in map(_singular, _words(line.name.lower(), True))]
    heads = [line for line in named if _singular(head_word(line.name) or "") == noun]
    if len(heads) == 1:  # "bags": the Poop Bags before the Poop Bag Dispenser
        return Wanted(heads[0], parse_quantity(text))
    if not named:
        return None
    return Wanted(named[0], parse_quantity(text), alternatives=tuple(named[1:]))


def holding_packing_words(text: str, lines: list[Line]) -> list[Line]:
    """The lines whose names hold a packing word of the text: "the bags" of Comic Bags."""
    nouns = {_singular(w) for w in re.findall(r"[a-z]+", text.lower())} & PACKING_NOUNS
    return [
        line for line in lines if nouns & {_singular(w) for w in _words(line.name.lower(), True)}
    ]


def exact_line(text: str, lines: list[Line]) -> Line | None:
    """The line whose full name the text is, as a button sends it."""
    key = _squash(text)
    return next((line for line in lines if _squash(line.name) == key), None)


# "My garden order", "the laptop order": a word before the order describes the order.
# "my laser engraver order", "my kid's school order": words that name the order, not goods;
# not "the batteries from the order", where a word of place comes between
ORDER_MODIFIER = re.compile(
    r"\b(?:my|the|our|this|that|a)\s+"
    r"(?:(?!(?:from|frmo|of|in|on|for|with|the|my|our|to|at|and|or|i|we|you)\b)[\w'-]+\s+){1,3}?"
    r"(order|pickup|delivery)\b"
)


# "my cello stuff": the goods of the order together, when the words before fit every line;
# "the oil stuff" of an oil, an oil filter and a funnel is some of them, "the cleaning stuff"
# of one cleaning spray is that spray
GOODS_TOGETHER = re.compile(
    r"\b(?:my|the|our)\s+((?:[\w'-]+\s+){1,2}?)(?:stuff|things|gear|supplies)\b"
)


def _goods_together(lowered: str, lines: list[Line]) -> str:
    def together(match: re.Match[str]) -> str:
        # the names are read only for a phrase that may name the goods together: match_segment
        # runs for every part of every message
        names = [_plain(line.name.lower()).split() for line in lines]
        words = match.group(1).split()
        shared = len(names) > 1 and all(word in name for word in words for name in names)
        return "my order" if shared else match.group(0)

    return GOODS_TOGETHER.sub(together, lowered)


# "one pack of the paper coasters, the pulpboard ones": the words after the comma say which
APPOSITION = re.compile(
    r"(?P<head>[^,.;!?]+?),\s*(?P<which>(?:the|those|these)\s+(?P<kind>(?:[\w'-]+\s+){1,2}?)ones?)\b"
    r"(?=\s*(?:[,.;!?]|$))",
    re.IGNORECASE,
)


def narrowed_appositions(text: str, lines: list[Line]) -> str:
    """An apposition that picks one of the lines the words before it fit, read as one phrase:
    "the paper coasters, the pulpboard ones" is "the paper coasters pulpboard"."""

    def narrow(match: re.Match[str]) -> str:
        found = match_segment(SEGMENTS.split(match["head"])[-1], lines)
        which = match_segment(match["which"], lines)
        if found is None or which is None or not found.alternatives or which.alternatives:
            return match[0]  # "the cable, the long one" of one cable line: nothing to tell apart
        if which.line not in (found.line, *found.alternatives):
            return match[0]
        return f"{match['head']} {match['kind'].strip()}"

    return APPOSITION.sub(narrow, text)


def match_segment(segment: str, lines: list[Line]) -> Wanted | None:
    """The line one segment names ("two of the grey towels"), or None."""
    segment = segment.replace(BOUND, " and ").replace(SLASH_BOUND, "/")
    lowered = ORDER_MODIFIER.sub(r"my \1", _plain(segment.lower()))
    lowered = _goods_together(lowered, lines)
    lowered = lacking_joined(compounds_as_named(lowered, lines), lines)
    named = [replace(line, name=lacking_joined(_plain(line.name), [line])) for line in lines]
    found = _match(lowered, named)
    if found is None:
        return None
    original = {line.line_id: line for line in lines}  # the names as the order has them
    return replace(
        found,
        line=original[found.line.line_id],
        alternatives=tuple(original[line.line_id] for line in found.alternatives),
    )


# "both kinds of line": the two lines the words fit, each of them whole
BOTH_KINDS = re.compile(
    r"\bboth\s+(?:kinds|types|sorts|styles|sizes|colou?rs|versions|models|flavou?rs)\b", re.I
)


def each_counted(want: Wanted, text: str) -> list[Wanted]:
    """ "The two monsteras" of two monstera lines, one of each ordered: each of them, whole.
    A count that is every unit of the lines the words fit names them all; else the one. A
    "pair" is no count of lines: "the bamboo pair" is one pair of needles."""
    tied = [want.line, *want.alternatives]
    if len(tied) == 2 and BOTH_KINDS.search(text):
        return [Wanted(line, line.ordered, everything=True) for line in tied]  # "both kinds"
    if not want.alternatives or want.quantity != sum(line.ordered for line in tied):
        return [want]
    if re.search(r"\bpairs?\b", text, re.IGNORECASE):
        return [want]
    return [Wanted(line, line.ordered) for line in tied]


def _match(lowered: str, lines: list[Line]) -> Wanted | None:
    for line in lines:  # a line's full name (a button) is never read for its numbers
        if line.name.lower() in lowered and not _named_longer(lowered, line, lines):
            rest = lowered.replace(line.name.lower(), " ")
            quantity, everything = _quantity(rest)
            return Wanted(line, quantity, everything)
    lowered = NOT_THAT_ONE.sub(" ", lowered)
    words = _words(lowered)
    numbers = _spec_numbers(lowered, lines)
    scored = [
        (score + _numbers_shared(numbers, line.name), line)
        for line in lines
        if (score := _score(words, line.name)) >= SLIP_WEIGHT
    ]
    if not scored:
        return _by_size(lowered, lines)
    scored.sort(key=lambda pair: -pair[0])
    best_score, best = scored[0]
    alternatives = tuple(line for score, line in scored[1:] if score >= best_score)
    if alternatives:
        best, alternatives = _by_head(lowered, best, alternatives)
    measured = by_measure(lowered, [best, *alternatives]) if alternatives else None
    if measured is not None:
        best, alternatives = measured, ()
    quantity, everything = _quantity(_strip_names(lowered, lines))
    return Wanted(best, quantity, everything, alternatives)


def names_holding(line: Line, lines: list[Line]) -> list[Line]:
    """The other lines whose names hold this one's ("Azul: Summer Pavilion" holds "Azul")."""
    name = line.name.lower()
    return [other for other in lines if other is not line and name in other.name.lower()]


def _named_longer(lowered: str, line: Line, lines: list[Line]) -> bool:
    """The text covers more of a line whose name holds this one's: "Azul Summer Pavilion" is
    "Azul: Summer Pavilion", not "Azul"."""
    longer = names_holding(line, lines)
    if not longer:
        return False
    words = _words(lowered)
    mine = _score(words, line.name)
    return any(_score(words, other.name) > mine for other in longer)


# "The immersion one, not the countertop one": the line ruled out is no match.
NOT_THAT_ONE = re.compile(
    r"\bnot\s+(?:the|that)\s+[\w'-]+(?:\s+[\w'-]+)?\s+ones?\b|"
    r"\(\s*not\s+(?:the|that)\s+[^)]{1,30}\)|"  # "the 10.0 bulb (NOT the 6%)"
    r",\s*not\s+(?:the|that)\s+[\w'%.-]+(?=\s*(?:[.!;)]|$))"  # "the HP 67 black, not the XL"
)


def _by_head(text: str, best: Line, alternatives: tuple[Line, ...]) -> tuple[Line, tuple]:
    """Lines the words fit equally: those whose head the text names come first ("immersion
    blender" is the blender, not the whisk attachment for it); else those the words do not
    merely describe ("the laptop" is the Laptop 15.6in, not the Laptop Sleeve)."""
    tied = [best, *alternatives]
    phrased = [line for line in tied if _shares_a_phrase(text, line.name)]
    if 0 < len(phrased) < len(tied):
        return phrased[0], tuple(phrased[1:])  # "battery box": the Battery Box, not the Battery
    named = [line for line in tied if names_head(text, line)]
    if not named:
        named = [line for line in tied if not only_describes(text, line.name)]
    if not named or len(named) == len(tied):
        return best, alternatives
    return named[0], tuple(named[1:])


def _shares_a_phrase(text: str, name: str) -> bool:
    """Two words of the text, one after the other, are two words of the name in that order,
    the second its head: "battery box" is the Battery Box's; "sleeve polo" no Polo Shirt's."""
    said = re.findall(r"[a-z0-9]+", text.lower())
    named = " ".join(re.findall(r"[a-z0-9]+", name.lower()))
    head = head_word(name)
    return any(
        len(first) > 2 and second == head and f" {first} {second} " in f" {named} "
        for first, second in itertools.pairwise(said)
    )


# "The long foam roller", "the small planter": of lines alike but for one measure, which end.
LARGER = {
    "long", "longer", "longest", "big", "bigger", "biggest", "large", "larger", "largest",
    "tall", "taller", "tallest", "wide", "wider", "widest",
}  # fmt: skip
SMALLER = {
    "short", "shorter", "shortest", "small", "smaller", "smallest", "little", "tiny",
    "narrow", "narrower",
}  # fmt: skip


def by_measure(text: str, lines: list[Line]) -> Line | None:
    """Of lines whose names differ only by one number ("Foam Roller 18 in", "… 36 in"), the
    one "the long one" (the larger number) or "the small one" (the smaller) names; a name
    that says "Small" or "Large" itself is read by its words, not here."""
    said = set(re.findall(r"[a-z]+", text.lower()))
    larger, smaller = bool(said & LARGER), bool(said & SMALLER)
    in_names = {w for line in lines for w in re.findall(r"[a-z]+", line.name.lower())}
    if larger == smaller or in_names & (LARGER | SMALLER):
        return None
    numbers = [NUMBER.findall(line.name) for line in lines]
    alike = len({NUMBER.sub("#", line.name.lower()) for line in lines}) == 1
    if not alike or any(len(found) != 1 for found in numbers):
        return None
    measures = [float(found[0].replace(",", ".")) for found in numbers]
    end = max(measures) if larger else min(measures)
    return lines[measures.index(end)] if measures.count(end) == 1 else None


# "1 1/4 inch", "1.5 in", "12\"": a measure with its unit, a mixed fraction read whole
MEASURE = re.compile(
    r"(?<![\d/.])(\d+)(?:(?:\s+|-)(\d+)/(\d+)|(\.\d+))?\s*-?\s*"
    r"(inch(?:es)?\b|in\b|\"|cm\b|mm\b|ft\b|oz\b|ml\b|qt\b|gal\b|lbs?\b|amps?\b|a\b|volts?\b|v\b|"
    r"watts?\b|w\b)",
    re.IGNORECASE,
)
SAME_UNIT = {
    "inch": "in", "inches": "in", '"': "in", "lbs": "lb", "amp": "a", "amps": "a", "volt": "v",
    "volts": "v", "watt": "w", "watts": "w",
}  # fmt: skip


def measures_named(text: str) -> set[tuple[float, str]]:
    """The measures a text gives, each as (value, unit): "1 1/4 inch" is (1.25, "in")."""
    found = set()
    for whole, top, bottom, decimal, unit in MEASURE.findall(text):
        value = float(whole) + (int(top) / int(bottom) if top and int(bottom) else 0.0)
        value += float(decimal) if decimal else 0.0
        found.add((value, SAME_UNIT.get(unit.lower(), unit.lower())))
    return found


def only_describes(text: str, name: str) -> bool:
    """In this name, the words the text gives describe another noun the text leaves out:
    "the laptop" is not the "Laptop Sleeve", whose "laptop" says what the sleeve is for."""
    said = set(re.findall(r"[a-z]+", text.lower())) - ENGLISH_STOP_WORDS
    # within a part of the name: "Breaker, Plug-On" is a breaker, "plug" says how it fits
    for part in re.split(r"[,:;]|\s[-–]\s", name.lower()):
        tokens = re.findall(r"[a-z0-9]+", part)
        if any(
            word in said and following.isalpha() and following not in said
            for word, following in zip(tokens, tokens[1:], strict=False)
        ):
            return True
    return False


# Words of a name that say which model it is, not what it is ("UltraBook Pro", "Speaker Mini").
UNITS = {"inch", "inches", "in", "cm", "mm", "ft", "oz", "lb", "lbs", "qt", "gal", "ml", "l", "deg"}
MODEL_WORDS = {"pro", "max", "mini", "plus", "ultra", "lite", "air", "edition", "series", "new"}


# Where a name's head noun ends: "Coffee Grinder, Burr", "Board Game: Ticket to Anywhere",
# "Dog Food - Chicken", "Pet Camera with Treat Tosser", "Batteries for Remote".
NAME_TAIL = re.compile(r"[,:]|\s[-–]\s|\s(?:with|for)\s")
SPEC = re.compile(r"\d|-\w\b")  # "15.6-inch", "2m", "USB-C": specs, not what the thing is


# A model's own name in quotes says which one, not what it is: "Headlamp 'Beacon 250'"
QUOTED_MODEL = re.compile(r"(?:^|(?<=\s))['\"‘“][^'\"’”]+['\"’”](?=\s|$)")


@functools.lru_cache(maxsize=4096)  # asked of every line each time words are scored
def head_word(name: str) -> str | None:
    """What the line is: the last word of its name before its tail (NAME_TAIL), without
    sizes, specs and model words ("sleeve" of "Laptop Sleeve 15 in", "cable" of "USB Cable 2m")."""
    body = QUOTED_MODEL.sub(" ", NAME_TAIL.split(name.lower())[0])  # "GPS Watch 'Summit Pro'"
    body = re.sub(r"\([^)]*\)|[^\w\s'-]", " ", body)
    words = [w.strip("'").replace("'", "") for w in body.split() if not SPEC.search(w)]
    words = [w for w in words if len(w) >= 2 and w not in WEAK_NAME_WORDS | MODEL_WORDS | UNITS]
    return words[-1].split("-")[-1] if words else None  # "t-shirt": the shopper's "shirt"


def names_head(text: str, line: Line) -> bool:
    """The text names what the line is, not only what it is for or like: "the laptop" names
    the laptop sleeve only by what it is for; "the sleeve" names it."""
    head = head_word(line.name)
    if head is None or line.name.lower() in text.lower():
        return True
    said = _words(text.lower(), keep_weak=True)
    return any(_same_word(word, head) or clips(word, head) for word in said)


INCH_MARK = re.compile(r"(\d)\s*(?:\"|''|”|″)")
THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}),(\d{3})(?![\d,])")


# "yes that's right": an answer, no "Right-Hand" finger tab
AFFIRMING = re.compile(
    r"\b(?:that'?s|that’s|thats|that\s+is|you'?re|you’re|youre|all|quite)\s+right(?![-\w])|"
    # "yes, that's correct": no Spine Corrector in it
    r"\b(?:that'?s|that’s|thats|that\s+is|it'?s|its|is|looks|all|yes|yep)\s+correct(?![-\w])|"
    r"^\W*correct\W*$",
    re.IGNORECASE,
)


def compounds_as_named(text: str, lines: list[Line]) -> str:
    """A compound typed as the names have it: "dashcam" for "Dash Cam", "head phones" for
    "Headphones"."""
    for line in lines:
        for pattern, named in _compounds(line.name.lower()):
            text = pattern.sub(named, text)
    return text


@functools.lru_cache(maxsize=4096)
def _compounds(name: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """For a name, the patterns of its words typed joined or split, with how the name has them."""
    words = re.findall(r"[a-z]+", name)
    found = [
        (re.compile(rf"\b{first}-?{second}(s?)\b"), rf"{first} {second}\1")
        for first, second in zip(words, words[1:], strict=False)
        if min(len(first), len(second)) >= MIN_COMPOUND_PART
    ]
    found += [
        (re.compile(rf"\b{word[:cut]} {word[cut:]}(s?)\b"), rf"{word}\1")
        for word in words
        for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1)
    ]
    return tuple(found)


MIN_COMPOUND_PART = 3  # "dash cam", "ear buds"; not "a pad" read as "apad"


def _plain(text: str) -> str:
    """Numbers and sizes one way: "5,000 IU" is "5000 IU", '8"' is "8 in"; and no "that's
    right" read as a right-hand thing."""
    return DEGREES.sub(r"\1 deg", THOUSANDS.sub(r"\1\2", inches(AFFIRMING.sub(" ", text))))


# "Calcium Powder w/o D3": what a thing is without is part of its name, one word with it, so
# "the calcium without D3" names it and not the "Calcium + D3 Powder"
WITHOUT = re.compile(r"\b(?:without|w/o|w/out)\s+([a-z0-9][a-z0-9-]*)", re.IGNORECASE)


def lacking_joined(text: str, lines: Sequence[Line]) -> str:
    """What a line's name says it is without, joined in the text as in the name ("the calcium
    without D3"); any other "without" ("came without 2 cases") stays as it is."""
    for line in lines:
        for lacking in WITHOUT.findall(line.name):
            pattern = rf"\b(?:without|w/o|w/out)\s+{re.escape(lacking)}\b"
            text = re.sub(pattern, f"without{lacking.lower()}", text, flags=re.IGNORECASE)
    return text


# "60°", "60 degree", "60 deg": one way, so "the 60 degree" names the "Wedge 60°"
DEGREES = re.compile(r"(\d)\s*(?:°|degrees?\b|deg\b)", re.IGNORECASE)


def inches(text: str) -> str:
    """'8"' written as "8 in", as shoppers and sizes say it."""
    return INCH_MARK.sub(r"\1 in", text)


def _by_size(segment: str, lines: list[Line]) -> Wanted | None:
    """ "The 3m": a size or model no other line has names its line without the line's words."""
    sizes = _sizes(segment)
    named = {a or b for a, b in SIZE_NAMED.findall(segment)}
    # "the 18", "the 60 is here": a number no word counts, so a size
    pointed = THE_NUMBER.search(segment) or THE_NUMBER_TOLD.search(segment)
    if pointed:
        named.add(pointed[1])
        segment = segment[: pointed.start(1)] + segment[pointed.end(1) :]
    spelled = _spelled_out(_words(segment))  # "the large ones" for "…, Size L"
    if not sizes and not named and not spelled:
        return None
    fits = [
        line
        for line in lines
        if sizes & _sizes(line.name.lower())
        or named & set(NUMBER.findall(line.name))
        or spelled & set(_words(line.name.lower(), keep_weak=True))
    ]
    if len(fits) != 1:
        return None
    quantity, everything = _quantity(SIZES.sub(" ", segment))
    return Wanted(fits[0], quantity, everything)


THE_NUMBER = re.compile(
    r"\b(?:the|that|this|my|a)\s+(\d+(?:\.\d+)?)\s*(?:ones?|inch(?:es)?|in|\"|'')?\s*$", re.I
)
# "the 60 is here", "the 10.5 ones never came": a size told of, too big or too exact for a count
THE_NUMBER_TOLD = re.compile(
    r"\b(?:the|that|this|my)\s+(\d{2,}(?:\.\d+)?|\d+\.\d+)\s*(?:ones?\s+)?"
    r"(?=(?:is|was|are|were|came|arrived|s|showed|turned|did|didnt|isnt|wasnt|never)\b)",
    re.IGNORECASE,
)
# "Size 11", "the 11s": a size said as such, to find in a name that writes it bare ("…, 11").
SIZE_NAMED = re.compile(r"\b(?:size|sz)\s*(\d+(?:\.\d+)?)\b|\b(\d+(?:\.\d+)?)'?s\b", re.I)


def _sizes(text: str) -> set[str]:
    """The sizes in the text, one way of writing each: "14 inch", "14in" and "14 in" alike."""
    return {re.sub(r"inch(?:es)?$", "in", _squash(size)) for size in SIZES.findall(text)}


# "2 fenders", "3 cylinders": a whole number before the item's noun counts it. It says no spec,
# unless a name has the same number before the same word ("12 Colors"), or it follows a
# "pack of", a "size" or a "#".
COUNTED = re.compile(r"(?<![\w.#])(?<!of )(?<!size )(?<!sz )(\d{1,3})\s+([a-z][a-z'-]+)")
NOT_COUNTED = {"one", "ones", "pack", "packs", "piece", "pieces", "pc", "pcs", "x", "by"}


def _spec_numbers(lowered: str, lines: Sequence[Line]) -> set[str]:
    """The numbers of the text that may be a name's size or model, not a count of the item."""
    numbers = set(NUMBER.findall(lowered))
    # "the vol 3 cd": the number a name's word leads is the name's, whatever follows it
    leads = {word for line in lines for word, _ in WORD_NUMBER.findall(line.name.lower())}
    led = {number for word, number in WORD_NUMBER.findall(lowered) if word in leads}
    for number, word in COUNTED.findall(lowered):
        if word in NOT_COUNTED or word in UNITS or SIZES.fullmatch(f"{number} {word}"):
            continue
        if number in led:
            continue
        if not any(_counts_in_name(number, word, line.name) for line in lines):
            numbers.discard(number)
    return numbers


def _counts_in_name(number: str, word: str, name: str) -> bool:
    """The name has the number before the same word: "12 Colors" of "12 colors"."""
    return any(
        _plainly_same(word, named)
        for found, named in COUNTED.findall(name.lower())
        if found == number
    )


def _numbers_shared(numbers: set[str], name: str) -> float:
    """Sizes and models the shopper wrote that are in the name: "the 10.5 ones", "size 11"."""
    return float(len(numbers & set(NUMBER.findall(name.lower()))))


# How shoppers say the sizes and units that names abbreviate: "the medium raincoat" is Size M,
# "the gallon shampoo" is the 1 gal one.
SPELLED_OUT = {
    "xs": {"xsmall", "xsmalls"}, "s": {"small", "sm", "smalls"}, "m": {"medium", "med", "mediums"},
    "l": {"large", "lg", "larges"}, "xl": {"xlarge", "xlarges"}, "xxl": {"xxlarge"},
    "gal": {"gallon", "gallons"},
    "oz": {"ounce", "ounces"}, "lb": {"pound", "pounds"}, "lbs": {"pound", "pounds"},
    "ft": {"foot", "feet"}, "qt": {"quart", "quarts"}, "pt": {"pint", "pints"},
    "yd": {"yard", "yards"}, "ml": {"millilitre", "milliliter"},
}  # fmt: skip


def _spelled_out(words: list[str]) -> set[str]:
    """The abbreviations the words spell out: "medium" is "m", "extra large" is "xl"."""
    joined = " ".join(words).replace("extra ", "x")
    return {short for short, long in SPELLED_OUT.items() if long & set(joined.split())}


def _score(words: list[str], name: str) -> float:
    """How much of a line's name the words cover: 1 for each distinctive word matched."""
    total, head = 0.0, head_word(name)
    spelled = _spelled_out(words)
    for name_word in dict.fromkeys(_words(name.lower(), keep_weak=True)):  # "Twin over Twin": once
        if _short_or_model(name_word) and name_word in words:
            total += 1.0  # "TV", "9V", "4K": short, but the whole word
            continue
        letter = len(name_word) == 1 and name_word.isalpha() and name_word in words
        if letter or name_word in spelled:
            # "the J charm": Initial Charm 'J' before Initial Charm 'M'; "the medium one": Size M;
            # "the gallon one": the 1 gal line before the 16 oz one
            total += LETTER_WEIGHT
            continue
        if name_word.isdigit() or len(name_word) < 3:
            continue
        weight = 0.3 if name_word in WEAK_NAME_WORDS else 1.0
        if any(_plainly_same(word, name_word) for word in words):
            total += weight
        elif any(_same_word(word, name_word) for word in words):
            total += weight * SLIP_WEIGHT  # "stapler" is the stapler before it is the staples
        elif any(_inflected_alike(word, name_word) for word in words):
            total += weight * INFLECTED_WEIGHT
        elif name_word == head and any(clips(word, name_word) for word in words):
            total += weight  # "the sub" says Subwoofer as plainly as "the subwoofer"
    return total


def clips(word: str, name_word: str) -> bool:
    """The word is the name's word cut short, as shoppers shorten long nouns: "sub" for
    "subwoofer", "amp" for "amplifier"; never a word of the chat ("just" is no "justice")."""
    if word in NEVER_SLIPS:
        return False
    return any(
        len(form) >= CLIPPED and len(name_word) >= 2 * len(form) and name_word.startswith(form)
        for form in {word, _singular(word)}  # "two subs"
    )


def _short_or_model(name_word: str) -> bool:
    """A word too short for slips that still says what the line is: "TV", "9V", "PS5"."""
    if len(name_word) == 2 and name_word.isalpha():
        return True
    return any(c.isdigit() for c in name_word) and any(c.isalpha() for c in name_word)


def _plainly_same(word: str, name_word: str) -> bool:
    """The very word, or its plural: no slip, no shared stem."""
    return word == name_word or bool(_singulars(word) & ({name_word} | _singulars(name_word)))


# Words of the conversation itself, never a slip of an item's word ("wait, hold on" is no waist
# and no holder).
CHAT_WORDS = {
    "wait", "hold", "hang", "sorry", "oops", "okay", "yeah", "yes", "nope", "thanks", "thank",
    "cheers", "please", "found", "think", "guess", "check", "checked", "looked", "meant", "mean",
    "want", "went", "sure", "just", "like", "need", "know", "said", "tell", "told",
    # words of a mix-up: "I mixed them up" is no slip of "mixer"
    "mixed", "muddled", "confused", "swapped", "switched", "messed",
}  # fmt: skip
NEVER_SLIPS = ENGLISH_STOP_WORDS | CHAT_WORDS


def _same_word(word: str, name_word: str) -> bool:
    """The same word, allowing a plural, a typo or a shared stem ("hedphones", "charger").

    Typos need the first letter right and one slip in a short word, so "real" is not "clear".
    """
    if len(word) < 3:
        return False
    if _plainly_same(word, name_word):
        return True
    if word[0] != name_word[0] or len(name_word) < 4 or word in NEVER_SLIPS:
        return False  # "go back to the store" is no slip of "black", "wait" none of "waist"
    allowed = 2 if min(len(word), len(name_word)) >= 8 else 1
    for form in {word, _singular(word)}:  # "cses": "cse" is one slip from "case"
        if len(form) < 3 or _swapped_letter(form, name_word):
            continue
        if _short_word_of_its_own(form, name_word):
            continue
        if DamerauLevenshtein.distance(form, name_word) <= allowed:
            return True
    return len(word) >= STEM and len(name_word) >= STEM and word[:STEM] == name_word[:STEM]


def _short_word_of_its_own(word: str, name_word: str) -> bool:
    """A three-letter word that drops a consonant of the name's word is a word of its own
    ("my bad", not "band"); a typo that drops a letter of a short word mostly drops a vowel
    ("cse" for "case") or one of a double letter ("cel" for "cell")."""
    if len(word) != 3 or len(name_word) != 4:
        return False
    dropped = {
        name_word[i]
        for i in range(4)
        # a letter the word still has was doubled ("cel" of "cell"): a slip, not another word
        if name_word[:i] + name_word[i + 1 :] == word and name_word[i] not in word
    }
    return bool(dropped) and not dropped & set("aeiou")


def _inflected_alike(word: str, name_word: str) -> bool:
    """One word is the other's verb form: "wrap" of "wrapping paper", "tubes" of "Tubing"."""
    return name_word in _uninflected(word) or bool(
        {word, _singular(word)} & _uninflected(name_word)
    )


def _uninflected(word: str) -> set[str]:
    """The verb in "wrapping paper", "baking pan": "wrap", "bake"."""
    if word.endswith("ing") and len(word) >= 6:
        base = word[:-3]
        return {base, base[:-1], base + "e"} if base[-1] == base[-2] else {base, base + "e"}
    return set()


def _swapped_letter(word: str, name_word: str) -> bool:
    """Two short words of one length that differ by a letter are two words ("hang", "hand"),
    not a slip; a dropped, doubled or transposed letter still is ("cse", "cabel")."""
    short = max(len(word), len(name_word)) <= 4 and len(word) == len(name_word)
    return short and sorted(word) != sorted(name_word)


def _singulars(word: str) -> set[str]:
    """The word's singular, both ways for "-ies": "bunnies" is "bunny", "cookies" "cookie"."""
    if word.endswith("ies") and len(word) > 4:
        return {word[:-3] + "y", word[:-1]}
    return {_singular(word)}


def _singular(word: str) -> str:
    if word.endswith("es") and len(word) > 4:
        return word[:-2] if word[:-2].endswith(("ch", "sh", "x", "s")) else word[:-1]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _words(text: str, keep_weak: bool = False) -> list[str]:
    tokens = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)
    if keep_weak:
        return tokens
    return [t for t in tokens if t not in STOPWORDS and not t.isdigit()]


NAMED_MEASURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[-‑]?\s*([a-z]+)\b")


# A word and the number that follows it in a name: "Vol. 2", "No 5", "Gen 3", "Series 7"
WORD_NUMBER = re.compile(r"\b([a-z]{2,})\.?\s+(\d+)(?![\d.,%])")


def _strip_names(text: str, lines: list[Line]) -> str:
    """The text without the numbers that are part of item names ('3-pack', '500 pcs'), sizes
    ('size 11', '10.5s') and measures ('2 m', '72 in', '15W')."""
    text = SIZES.sub(" ", FRACTION.sub(" ", text))  # "1/2 inch": no "1" left of it
    for line in lines:
        for pair in re.findall(r"\d+(?:\s*[/x×:]\s*\d+)+", line.name.lower()):  # "90/14", "2x4"
            text = text.replace(pair, " ")
        for number in re.findall(r"(?<![\w.])(?:\.\d+|0\d+)", line.name):  # ".095", "003"
            text = re.sub(rf"(?<![\d.]){re.escape(number)}(?!\d)", " ", text)
        named = "|".join(re.escape(w) for w in _words(line.name.lower()) if len(w) > 2)
        for number in re.findall(r"\d+", line.name):
            text = re.sub(rf"(?<!\d){number}\s*[-‑]?\s*(pcs|pack|in|pc|pieces)\b", " ", text)
            if int(number) > line.ordered:  # more than ordered: no count of it
                if named:  # "one pack of the 50 darts": one Foam Darts 50-pack; "1 oil" counts
                    text = re.sub(rf"(?<![\d.]){number}\s+(?=(?:{named})\b)", " ", text)
                # "the 22, the 18": the sizes, pointed at
                text = re.sub(rf"\b(the|that|this)\s+{number}(?![\d.])", r"\1 ", text)
        for word, number in WORD_NUMBER.findall(line.name.lower()):  # "vol 2", "gen 3": a name's
            text = re.sub(rf"\b({re.escape(word)})\.?\s*{number}(?![\d.])", r"\1 ", text)
        for number, unit in NAMED_MEASURE.findall(line.name.lower()):  # "the 4 cup containers"
            text = re.sub(rf"(?<![\d.]){re.escape(number)}\s*[-‑]?\s*{unit}\b", " ", text)
    return re.sub(r"\b\d+\s*[-‑]\s*pack\b", " ", text)


ONE_PAIR = re.compile(r"\b(?:the\s+)?(?:one|1|single)\s+pair\b")
# "just the one", "only the one": a count of one, where "the blue one" points at a thing
JUST_THE_ONE = re.compile(
    r"\b(?:just|only)\s+the\s+one\b(?!\s+(?:that|which|with|in|on|from|of|i|we|you|they)\b)"
)


# "everything else: …", "all the rest -": what heads a list is no count of its first item
HEADS_A_LIST = re.compile(r"\b(?:everything|all)\s+(?:else|the\s+rest)\b\s*[:\-–—]?")
# "the second boom stand", "the other glove", "second pair of gloves": one unit, told by where
# it comes among them
BY_ITS_ORDER = re.compile(
    r"\b(?:the\s+(?:second|2nd|third|3rd|fourth|4th|last|other)|(?<!\bthe\s)(?:second|2nd|third|3rd|fourth|4th))"
    r"\s+((?:[a-z0-9-]+\s+){0,3}[a-z0-9-]+)"
)

# "the blue one", "the thinnest aluminum one": "one" points at a thing, it counts nothing; not
# "the box had one", where a verb comes between
POINTING_ONE = re.compile(
    r"\b(?:the|that|this|other|which|any)\s+"
    r"(?:(?!(?:had|has|have|is|was|were|are|got|came|only|just|missing)\b)[\w.-]+\s+){0,2}one\b"
)
# Where and when, never a unit of an item: "the other box", "the last time", "the other day"
NOT_A_UNIT = {
    "box", "bag", "tote", "package", "parcel", "carton", "envelope", "shipment", "delivery",
    "order", "store", "location", "day", "time", "week", "weekend", "night", "morning",
}  # fmt: skip


# Verbs and negations after a noun phrase: where "the second glove was not there" ends its noun
ENDS_A_NOUN = {
    "is", "was", "are", "were", "isnt", "wasnt", "arent", "werent", "not", "never", "missing",
    "came", "didnt", "did", "does", "doesnt", "has", "had", "got", "went", "in", "from",
}  # fmt: skip


def _one_by_its_order(segment: str) -> bool:
    found = BY_ITS_ORDER.search(segment)
    if found is None:
        return False
    said = found.group(1).split()
    if len(said) > 1 and said[1] == "of":
        return said[0] not in NOT_A_UNIT  # "the second pair of gloves": one pair
    # the head ends the noun phrase: "the second glove was", not "was"
    ends = [n for n, word in enumerate(said) if word.replace("'", "") in ENDS_A_NOUN]
    cut = ends[0] if ends else len(said)
    head = said[max(0, cut - 1)]
    if head in NOT_A_UNIT:
        return False  # "it came in the other box", "I picked it up the other day"
    return head == "one" or not head.endswith("s") or head.endswith("ss")


# A measure's fraction ("1/2", "1-1/8", "3/4"): a size, never a count
FRACTION = re.compile(r"(?<![\w.])(?:\d+-)?[1-9]\d?\s*/\s*(?:2|3|4|8|16|32|64)(?![\w.])")
NOT_A_SINGLE = re.compile(r"\b(?:not|no)\s+(?:a\s+)?single\b|\bnot\s+(?:even\s+)?one\s+of\b")


def _quantity(segment: str) -> tuple[int | None, bool]:
    """The number a segment gives ("2", "two", "one of the", "a"), and whether it means all."""
    segment = re.sub(r"\b(?:boht|btoh|bohth|bth)\b", "both", segment.lower())  # letters swapped
    segment = TALLY.sub(" ", segment)
    # "the one pair of gloves", "one pair of boots": a pair is the unit, one of it
    segment = ONE_PAIR.sub(" one ", segment)
    segment = FRACTION.sub(" ", segment)  # "my 1/2 inch ball valves": a size, no count
    if NOT_A_SINGLE.search(segment):
        return None, True  # "not a single push-fit elbow": none of them came
    # "the cable and the case are both missing": "both" of the list, all of each
    segment = re.sub(r"\b(are|were|r)\s+both\b", r"\1 all", segment)
    segment = HEADS_A_LIST.sub(" ", segment)  # "everything else: the X, the Y": a list's head
    everything = bool(re.search(r"\b(all|both|every|everything|entire|whole)\b", segment))
    part = PARTITIVE.search(segment)
    if part:  # "one of my 2 cables", "3 out of the 4": the part, not the whole
        word = part.group(1)
        return (int(word) if word.isdigit() else NUMBER_WORDS[word]), False
    digits = re.search(r"(?<![\w.-])(\d{1,3})(?![\w%.-])", segment)  # no "6%", no "10.0"
    if digits:
        return int(digits.group(1)), everything
    if JUST_THE_ONE.search(segment) or _one_by_its_order(segment):
        return 1, False
    pointing = POINTING_ONE.sub(" ", segment)
    for word in re.findall(r"[a-z]+", pointing):
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word], everything
    if re.search(r"\bboth\b", segment):
        return 2, True
    if re.match(r"^\s*(?:oh\s+)?(?:and\s+)?(?:also\s+)?(a|an)\s(?!few|couple|lot|bunch)", segment):
        return 1, False
    return None, everything


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
