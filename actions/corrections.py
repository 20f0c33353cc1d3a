"""Changes to the items already chosen: "and one of the cases too", "not the cable, the charger"."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from actions.item_reading import (
    INTERJECTION,
    LOCATING,
    PAUSE,
    PLAIN_ONE,
    RESTRICTING,
    names_as_place,
    read_items,
    says_it_came,
)
from actions.items import (
    NOT_THAT_ONE,
    Line,
    Wanted,
    holding_packing_words,
    match_segment,
    narrowed_appositions,
    parse_quantity,
    parts,
    parts_naming,
)

# "not the cable", "the cable was there after all", "remove the case": take it off the claim.
_REMOVE = re.compile(
    r"\b(not|remove|take (?:\w+ ){0,4}?(?:off|out)|drop|minus|found|turned up|scratch|"
    r"showed up|(?:is|are|was|were) (?:(?!not\b|never\b)\w+ )?(?:here|there)|"
    r"wasn'?t missing|isn'?t missing|not missing|no need|"
    r"(?:wasn'?t|weren'?t|isn'?t|was not|is not)\s+(?:the|my|a|an)\b)\b"
    # "2 fans missing, not 1": a count put right, not the line taken off
    r"(?!\s+(?:there|in|inside|included|in the|received|get|got|\d+\b|one\b|two\b|three\b))",
    re.IGNORECASE,
)
_ONLY = re.compile(r"\b(only|just)\b", re.IGNORECASE)
_MORE = re.compile(r"\b(too|also|as well|another|more|extra)\b", re.IGNORECASE)
# "I said the shoes but I meant the leggings": what follows replaces what was chosen.
_INSTEAD = re.compile(
    r"\b(i meant|i mean|meant to (?:say|type|write|pick|tap|click)|should have said|"
    r"wrong (?:item|one|thing))\b",
    re.IGNORECASE,
)
IN_PASSING_WORDS = 3  # other words than the item's own, in a part of the message that names it
# Words that frame a correction rather than tell of something else ("actually just one towel").
FRAMING = RESTRICTING | {"actually", "please", "sorry", "wait", "meant", "mean", "make"}
NOT_A_STORY = ENGLISH_STOP_WORDS | FRAMING  # words that tell of nothing else
_SAID = re.compile(r"\bi (?:said|typed|wrote|put|picked|chose|tapped|clicked)\b", re.IGNORECASE)


def item_changes(
    text: str, lines: list[Line], claimed: set[str] | None = None
) -> tuple[list[Wanted], list[Line]]:
    """What the text adds or sets (with quantities) and what it takes off the claim.

    Words that fit a `claimed` line and others ("the roller showed up") speak of the claimed one.
    """
    claimed = claimed or set()
    # "Hmm not quite - I found one": the "not" answers the bot; "hold on" names no item
    text = narrowed_appositions(PAUSE.sub(" ", INTERJECTION.sub("", text)), lines)
    adds: dict[str, Wanted] = {}
    removes: dict[str, Line] = {}
    reading = read_items(text, lines)
    missing = {want.line.line_id for want in reading.missing}
    last: Wanted | None = None
    counted: set[str] = set()  # lines the message counts missing, in so many words
    for segment in parts(text, lines):
        found = match_segment(segment, lines) or _claimed_by_packing(segment, lines, claimed)
        if found is None or names_as_place(segment, found.line):
            # "I found one more inside the washcloths": the washcloths are a place
            found = _the_plain_claimed_one(segment, text, lines, claimed)
            if found is None:
                continue
        if last is not None and _counts_the_last(segment, found, last, missing):
            # "it's the marley tape that's missing, both rolls": the tape's count, no roll
            adds[last.line.line_id] = replace(last, quantity=found.quantity)
            continue
        found = _the_claimed_one(found, claimed)
        if found.line.line_id in claimed and _OTHERS.search(segment):
            continue  # "the rest of the cables were there": not the claimed cable
        if found.line.line_id in reading.torn:
            continue  # "no cables in the box, charger and pad were": not said to be missing
        if found.line.line_id in missing and (
            says_it_came(segment) or _said_missing(segment, found.line, lines)
        ):
            # "2 fans missing. only one fan in there": the count that came, read whole;
            # "it's the LIGHT band that's missing not the heavy one": the "not" is the other's
            continue
        if _count_denied(adds.get(found.line.line_id), found, segment):
            continue  # "so it's 1 maple, not 2 maple": the other count goes, not the line
        # "not the cable, the charger", "I said the cable but I meant ...": the cable goes
        if _REMOVE.search(segment) or (retracts(text) and _SAID.search(segment)):
            removes[found.line.line_id] = found.line
            adds.pop(found.line.line_id, None)
        elif _identified(segment, found, missing):
            continue  # "that bottle is the cedar & bergamot one … both sandalwood are missing"
        elif not _in_passing(segment, found.line):
            adds[found.line.line_id] = found
            last = found
            if found.quantity is not None and not says_it_came(segment):
                counted.add(found.line.line_id)
    # What the message says arrived comes off the claim, what it says is missing goes on it:
    # "my mistake, the bath mat is there, it's the liner that's missing".
    for line in reading.received:
        if line.line_id in counted:
            continue  # "one maple board IS here. So it's 1 maple": the rest, counted
        if line.line_id in claimed and _the_others(text, line, lines):
            continue  # "not in the box, the other cables were": the claimed cable is not one
        if line.line_id in claimed and _kept_only(text, line, lines):
            # "yes as long as it's just the massage gun, the roller showed up": the gun stays
            adds.setdefault(line.line_id, Wanted(line, None))
            continue
        removes[line.line_id] = line
        adds.pop(line.line_id, None)
    for want in reading.missing:
        if want.line.line_id not in removes:  # "not the case": taken off, however it reads
            adds.setdefault(want.line.line_id, want)
    return list(adds.values()), list(removes.values())


# "that bottle is the cedar & bergamot one", "the one in the box was the blue": a thing at
# hand named for what it is, not said missing
_IDENTIFIED = re.compile(
    r"^\s*(?:that|this|the)\s+(?:[\w'-]+\s+){0,2}?(?:is|was|'s)\s+(?:actually\s+|just\s+)?the\b",
    re.IGNORECASE,
)


def _identified(segment: str, found: Wanted, missing: set[str]) -> bool:
    """A part that tells what a thing at hand is, while the message says what is missing."""
    return bool(missing) and found.line.line_id not in missing and bool(_IDENTIFIED.search(segment))


def _count_denied(earlier: Wanted | None, found: Wanted, segment: str) -> bool:
    """The segment denies another count of a line the message has counted already."""
    if earlier is None or None in (earlier.quantity, found.quantity):
        return False
    return earlier.quantity != found.quantity and bool(_DENIED_COUNT.search(segment))


_DENIED_COUNT = re.compile(
    r"\bnot\s+(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE
)
_ALL_OF_THEM = re.compile(r"\b(?:both|all\s+of\s+them|all\s+(?:\d+|two|three|four|five))\b", re.I)


def _all_of_them(text: str, line: Line) -> bool:
    """ "both of them" of a line with two to claim, "all of them" of any: every unit."""
    found = _ALL_OF_THEM.search(text)
    return bool(found) and (not found[0].lower().startswith("both") or line.claimable == 2)


def _named_surely(text: str, lines: list[Line]) -> set[str]:
    """The lines some part of the message names and fits no other."""
    found = [match_segment(part, lines) for part in parts(text, lines)]
    return {want.line.line_id for want in found if want is not None and not want.ambiguous}


def _the_plain_claimed_one(
    segment: str, text: str, lines: list[Line], claimed: set[str]
) -> Wanted | None:
    """ "only ONE regular pack" of a claim for the insulated pack and the plain one, the
    insulated named surely elsewhere in the message (`text`): the claimed line of the packing
    word left."""
    if not PLAIN_ONE.search(segment):
        return None
    sure = _named_surely(text, lines)  # read only for such a segment: rare
    held = holding_packing_words(segment, lines)
    left = [line for line in held if line.line_id in claimed and line.line_id not in sure]
    return Wanted(left[0], parse_quantity(segment)) if len(left) == 1 else None


def _claimed_by_packing(segment: str, lines: list[Line], claimed: set[str]) -> Wanted | None:
    """ "the bags are here" of a claim for Comic Bags: a packing word that names no line alone
    ("bags" is any bag) speaks of the one claimed line whose name holds it, when it came."""
    if not (_REMOVE.search(segment) or says_it_came(segment)):
        return None
    held = [line for line in holding_packing_words(segment, lines) if line.line_id in claimed]
    return Wanted(held[0], None) if len(held) == 1 else None


def _the_claimed_one(found: Wanted, claimed: set[str]) -> Wanted:
    """Of the lines the words fit, the one on the claim, when just one is."""
    on_claim = [line for line in (found.line, *found.alternatives) if line.line_id in claimed]
    if not found.ambiguous or len(on_claim) != 1:
        return found
    return Wanted(on_claim[0], found.quantity, found.everything)


def _kept_only(text: str, line: Line, lines: list[Line]) -> bool:
    """Every part that names the line restricts the claim to it ("it's just the massage gun")
    and none says it came."""
    mine = parts_naming(text, lines).get(line.line_id) or []
    return bool(mine) and all(_ONLY.search(part) and not says_it_came(part) for part in mine)


_OTHERS = re.compile(r"\b(?:other|others|rest)\b", re.IGNORECASE)


def _the_others(text: str, line: Line, lines: list[Line]) -> bool:
    """Every part that names the line speaks of the others of its kind ("the other cables
    were"), which the line on the claim is not."""
    mine = parts_naming(text, lines).get(line.line_id) or []
    return bool(mine) and all(_OTHERS.search(part) for part in mine)


def _said_missing(segment: str, line: Line, lines: list[Line]) -> bool:
    """The segment, read on its own, says this line is missing, and names another line, which
    its "not" may be about ("the LIGHT band that's missing not the heavy one"); "not the
    knives" alone takes the knives off."""
    reading = read_items(segment, lines)
    missing = {want.line.line_id for want in reading.missing}
    named = missing | {other.line_id for other in reading.received}
    another = len(named) >= 2 or bool(NOT_THAT_ONE.search(segment.lower()))  # "not the X one"
    return line.line_id in missing and another


def _more_of(text: str, line: Line, lines: list[Line]) -> bool:
    """The part of the text that names this line asks for more of it: "and one more case",
    not "only one of the two night lights ... the cords are missing too"."""
    mine = parts_naming(text, lines).get(line.line_id)
    return any(_MORE.search(part) for part in mine) if mine else adds_more(text)


def asks_to_change(text: str) -> bool:
    """Words that change the items: take one off, add one, or put one in another's place."""
    return bool(_REMOVE.search(text)) or adds_more(text) or retracts(text)


def retracts(text: str) -> bool:
    """The message takes back what was said for something else: "I meant the leggings"."""
    return bool(_INSTEAD.search(text))


def adds_more(text: str) -> bool:
    """The message speaks of one more item: "the bowls are missing too", "also the cable"."""
    return bool(_MORE.search(text))


def _counts_the_last(segment: str, found: Wanted, last: Wanted, missing: set[str]) -> bool:
    """A count and one word after a line said missing is that line's count ("both rolls",
    "2 packs") when it fits that line and not the line its one word names."""
    words = [w for w in re.findall(r"[a-z]+", segment.lower()) if w not in COUNT_WORDS]
    if len(words) != 1 or found.quantity is None or found.line.line_id in missing:
        return False
    fits_last = last.line.line_id in missing and found.quantity <= last.line.claimable
    return fits_last and found.quantity > found.line.claimable


COUNT_WORDS = {"both", "all", "the", "of", "them", "one", "two", "three", "four", "five", "six"}


def _in_passing(segment: str, line: Line) -> bool:
    """An item named in a sentence about something else is no change to the claim: "one pack
    was stuck under the hair dryer box" does not add the hair dryer; "and the cable" does."""
    words = re.findall(r"[a-z]+", segment.lower())
    if set(words) & LOCATING:
        return True
    name = _name_words(line)
    other = [
        word
        for word in words
        if word not in NOT_A_STORY and word.rstrip("s") not in name and len(word) > 2
    ]
    return len(other) >= IN_PASSING_WORDS and not _MORE.search(segment)


def _name_words(line: Line) -> set[str]:
    return {word.rstrip("s") for word in re.findall(r"[a-z]+", line.name.lower())}


def apply_changes(
    chosen: list[dict[str, Any]], text: str, lines: list[Line]
) -> tuple[list[dict[str, Any]], list[Wanted]] | None:
    """The chosen items after the change, and the added items still to settle; None: no change.

    `chosen` holds {line_id, name, quantity}. "Only the cable" replaces the whole choice.
    """
    adds, removes = item_changes(text, lines, {item["line_id"] for item in chosen})
    if not adds and not removes:
        return None
    if len(adds) == 1 and adds[0].quantity is None and _all_of_them(text, adds[0].line):
        adds = [replace(adds[0], everything=True)]  # "it's the guards that are missing, both"
    claimed = {item["line_id"] for item in chosen}
    gone = {line.line_id for line in removes}
    replaces = _ONLY.search(text) or retracts(text)
    # "found the jersey pack in the gauze. so just the 2 universal packs": a line said to have
    # come that is not on the claim removes nothing, and "just" still replaces the claim
    if replaces and adds and not gone & claimed and not _MORE.search(text):
        gone |= {item["line_id"] for item in chosen}
    kept = [dict(item) for item in chosen if item["line_id"] not in gone]
    unsettled = []
    for want in adds:
        current = next((i for i in kept if i["line_id"] == want.line.line_id), None)
        if want.quantity is not None or want.everything or want.line.claimable == 1:
            quantity = want.quantity or want.line.claimable
            if current is not None:
                kept.remove(current)
                if _more_of(text, want.line, lines) and not want.everything:  # "one more case"
                    quantity = min(current["quantity"] + quantity, want.line.claimable)
            unsettled.append(Wanted(want.line, quantity, want.everything, want.alternatives))
        elif current is None:
            unsettled.append(want)  # how many is still to be asked
    return kept, unsettled
