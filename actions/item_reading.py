"""Which of the order's lines a message says are missing, and which it says arrived.

Money depends on this, so it reads the message as a small grammar rather than a list of
sentences: the text is cut into segments (sentences, then commas and conjunctions); each
segment gets a polarity from the words in it (absence, negation, receiving, ordering, "only",
"except"); a segment that names items but has no cue of its own takes the polarity of the
word that governs its list ("I ordered X, Y and Z", "X and Y weren't there"). Item names are
matched on top of that with `items.match_segment`. What is not said to be missing is never
read as missing: a story's lines are only candidates that the shopper confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from rapidfuzz.distance import DamerauLevenshtein
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from actions.items import (
    FULL_STOP,
    NUMBER_WORDS,
    WEAK_NAME_WORDS,
    Line,
    Wanted,
    bind_names,
    each_counted,
    match_segment,
    means_everything,
    names_head,
    names_holding,
    narrowed_appositions,
)


class Polarity(Enum):
    MISSING = "missing"
    RECEIVED = "received"
    ORDERED = "ordered"
    EXCLUDED = "excluded"  # "not the charger, the cables": set aside, neither missing nor got
    NONE = "none"


# Word classes. Each is a set of words, never a sentence.
ABSENT = {
    "missing", "misssing", "mising", "missin", "nowhere", "absent", "gone", "lost", "lacking",
    "forgot", "forgotten", "forget", "left", "short", "shorted", "shortchanged", "empty", "omitted",
}  # fmt: skip
NEGATION = {
    "no", "not", "never", "without", "none", "nothing", "nor", "wasnt", "werent", "isnt",
    "arent", "didnt", "dont", "doesnt", "couldnt", "cant", "cannot", "hasnt", "havent",
    "hadnt", "aint", "neither",
}  # fmt: skip
RECEIVING = {
    "got", "get", "gotten", "received", "recieved", "receive", "came", "come", "arrived",
    "arrive", "had", "has", "have", "contained", "contains", "found", "find", "there",
    "inside", "included", "showed", "turned", "delivered", "in", "packed", "picked", "here",
    "sitting", "sat", "lying", "laying", "ther", "thier",  # "was ther": typed as it sounds
}  # fmt: skip
# Negations that deny a thing itself ("no boots", "without the lid"); other negations deny
# a verb, which must then be one of presence (PRESENCE) to tell of a shortfall. "nothings" is
# "nothing's" with its apostrophe dropped.
DENYING = {"no", "without", "none", "nothing", "nothings", "neither", "nor"}
NOT_PRESENCE = {"picked"}  # "hasn't been picked up": not collected, nothing short
PRESENCE = (RECEIVING - NOT_PRESENCE) | {
    "include", "includes", "see", "show", "put", "send", "sent", "ship", "shipped", "deliver",
    "make", "made", "with", "anywhere", "all", "everything", "complete", "full", "at", "pack",
}  # fmt: skip
PLACE_WORDS = {"there", "here", "their", "thier", "ther"}  # "wasnt their": typed as it sounds
# Words that name nothing: in "it wasn't in the box" only the container is named.
PLAIN_WORDS = {"it", "its", "the", "a", "an", "in", "inside", "my", "our", "this", "that", "s"}
ORDERING = {"ordered", "bought", "buy", "purchased", "paid"}  # verbs: "order number" is no cue
# "Ordered 6, got 3", "should have been 3": the words before a count that was due, and those
# before a count that came.
DUE = ORDERING | {"lists", "listed", "says", "said", "shows", "showed", "been", "be", "charged",
                  "ordred", "orderd", "supposed"}  # fmt: skip
# "I was supposed to get 12", "meant to receive": a verb of having that tells what was due
AWAITING = (["supposed", "to"], ["meant", "to"], ["expected", "to"], ["expecting", "to"])
PUT_IN, PLACE_DETERMINERS = {"in", "inside"}, {"the", "my", "a", "our", "that", "this"}
SHOULD = {"should", "supposed", "meant"}  # "N things, should (have) be(en) M": M was due
ARRIVED = {"came", "arrived", "showed", "turned"}  # "2 showed up": a count told before its verb
RECEIVED = {"received", "recieved", "delivered", "collected"}  # "1 item received"
# "only 2 were in the box": a count before a verb of being with a word of place after it
BEING, PLACED = (
    {"were", "was", "are", "is"},
    {"in", "inside", "there", "here", "included", "packed"},
)
# Words after a figure that make it a size or a time, not a count of goods
MEASURES = {
    "inch", "inches", "cm", "mm", "ft", "foot", "feet", "l", "ml", "oz", "lb",
    "lbs", "w", "gb", "tb", "v", "mah", "days", "day", "weeks", "week", "hours", "hour",
    "minutes", "mins", "months", "month", "ago", "am", "pm", "years", "year",
}  # fmt: skip
COUNTED_IN = RECEIVING - {"there", "ther", "thier", "in", "inside", "here"}
# "there were 3 boxes", "they loaded 8": a count the store gave
GIVEN = {"gave", "given", "handed", "loaded", "brought", "theres", "were", "was", "are", "is"}
HANDED = {"handed", "gave", "given", "loaded"}  # "the clerk handed me a bag with just the X"
RESTRICTING = {"only", "just", "solely", "ony", "onyl", "olny"}  # with the usual slips
# "just want to say ...", "only wondering": a restriction of what is said, not of what came
ASIDE_VERBS = {
    "want", "wanted", "wanna", "wondering", "checking", "curious", "to", "say", "saying",
    "asking", "letting", "need", "needed", "thought", "so", "now", "in",
}  # fmt: skip
# After "only" or "just", what a thing does or what the shopper meant or likes, not what came:
# "my focuser only takes 1.25", "I just meant to order black", "I just don't like the sencha"
NOT_OF_GOODS_CAME = {
    "takes", "fits", "works", "accepts", "supports", "uses", "holds", "meant", "mean", "like",
    "liked", "prefer", "dont", "didnt", "doesnt", "cant", "wont", "realized", "realised",
    "noticed", "told", "said", "called", "rang", "spoke", "heard", "texted",
    # what a store does: "is it only ship to store?", "do you just sell online?"
    "ship", "deliver", "sell", "sells", "offer", "offers", "carry", "stock", "do", "does",
    # what the shopper would rather do: "I'd rather just walk in and buy it"
    "walk", "go", "buy", "reorder", "grab", "pop", "head", "drive", "wait", "call", "email",
    "cancel", "keep", "leave", "try", "not", "never",  # "I'll just not pick it up then"
    # "haven't picked it up yet": the order not collected, no goods short in it
    "pick", "picked", "collect", "collected",
}  # fmt: skip
PARTIAL = {"part", "some", "half", "incomplete", "few", "several", "stuff", "something", "things"}
# Of those, the words that tell of a shortfall by themselves ("half my stuff", "incomplete");
# "return something", "some of it is fine" need a cue of absence besides.
SHORT_ON_ITS_OWN = {"half", "incomplete", "fewer"}
# Words that say goods are missing from what came: ABSENT without the words that speak as often
# of passwords, receipts and discounts ("lost", "forgot") or of a place ("nowhere", "left").
MISSING_GOODS = (
    ABSENT - {"nowhere", "gone", "lost", "forgot", "forgotten", "forget", "left", "empty"}
) | SHORT_ON_ITS_OWN
EXCEPTING = {"except", "besides", "excluding", "apart", "minus"}
# Words that make what follows a place: "it was under the towels" names no towel as missing.
LOCATING = {
    "under", "underneath", "beneath", "behind", "below", "beside", "between", "among", "inside",
    "within", "amongst", "into", "onto",
}  # fmt: skip
BOXES = {"box", "boxes", "bag", "carton", "packaging", "crate", "tote"}  # "the printer box"
FASTENED = {
    "taped", "stuck", "attached", "tied", "clipped", "wrapped", "tucked", "stuffed", "strapped",
    "rolled", "folded", "wedged", "hidden", "packed",
}  # fmt: skip
PLACING = {"put", "placed", "set", "laid", "installed", "fitted", "mounted", "hung", "hanging"}
# "the batteries for my blower": what follows names what the item is for, not the item.
PURPOSE = re.compile(r"\bfor\s+(?:my|the|his|her|our|their|a|an)\b", re.IGNORECASE)
# "the dimmer was in the table lamp box": the words before the container name where it was
IN_A_CONTAINER = re.compile(
    r"\b(?:in|inside|into|from|with)\s+(?:the|my|a|an|that|this|its|their|another)\s+"
    r"(?:[\w'-]+\s+){1,3}?(?:box|boxes|bag|bags|package|packages|parcel|carton|envelope)\b",
    re.IGNORECASE,
)
# "only 3 were in the box with the flasks": what the box also held is where they were
ALONGSIDE = re.compile(
    r"\b((?:box|boxes|bag|bags|package|parcel|carton|crate|tote)\s+)with\s+"
    r"(?:the|my|a|an|some|those|these|all)(?:\s+[\w'-]+){1,3}\W*$",
    re.IGNORECASE,
)
COPULAS = {"was", "were", "is", "are", "did"}  # ending a clause: "... and the pad were" (there)
ALL_RIGHT = {"fine", "ok", "okay", "good", "perfect", "intact", "alright", "great"}
CAME = {"came", "arrived"}
# "left" as in "left out" is absence; "left the store" is not: absence words that need a partner.
NEEDS_PARTNER = {"left": {"out", "behind", "off"}, "short": {"by", "one", "two", "a", "an", "on"}}

CONTAINERS = {"order", "orders", "package", "parcel", "bag", "box", "delivery", "pickup"}
CONTAINER_WORDS = [[word] for word in CONTAINERS]
LONG_CONTAINER = 6  # a slip is read in a container word this long: "pakage", not "bog"
LONG_CONTAINERS = frozenset(c for c in CONTAINERS if len(c) >= LONG_CONTAINER)
CONTAINER_PLURALS = {"boxes", "bags", "packages", "parcels"}
# The auxiliaries a clause can end on, its verb left out: "the cushions didn't (come)".
ELIDING = {"didnt", "wasnt", "werent", "hasnt", "havent", "hadnt"}
# Words for goods that came damaged: a matter for returns, not a missing-item claim.
DAMAGE = {
    "broken", "broke", "damaged", "damage", "scratch", "scratched", "scratches", "cracked",
    "crack", "dented", "dent", "smashed", "shattered", "torn", "ripped", "defective", "faulty",
    "stained", "leaking", "leaked", "bent", "popped", "burst", "deflated", "punctured",
    "crushed", "squashed", "chipped", "melted", "shredded", "busted", "snapped", "holes",
    "stains", "mouldy", "moldy", "rotten", "spoiled", "expired", "leaks", "leaky", "tore",
    "cracks", "dents", "rusty", "rusted", "warped", "scuffed", "scuffs", "soaked", "soaking",
    "soggy", "waterlogged", "drenched", "wet", "damp", "mildew", "mildewed", "stale", "rancid",
    "unusable", "ruined", "spoilt",
}  # fmt: skip
# Words that a message about an order's goods has: "I ordered ...", "opened the box".
ORDER_TALK = ORDERING | CONTAINERS - {"order", "orders"} | {"picked", "opened", "unpacked", "boxes"}
PLACE_IT = (["there"], ["it"])  # "weren't in there", "wasn't in it": in the box just told of
CUE_WORDS = ABSENT | NEGATION | {"of"}  # "no sign of", "I'm missing", "there's no"
# An emoji ends a sentence as a full stop does: "inside the washing bowl 🙄 it's the towels"
EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
# A dash set off by spaces before a clause of its own ends a sentence: "the plates are all here
# - it's the bins that are missing"; not the dash of a name ("Booster Pack - Ember Set").
DASHED_CLAUSE = r"\s[-–—]+\s(?=(?i:it'?s|it\s+is|they|there|i|i'm|we|but|so|that'?s|only|just)\b)"
SENTENCES = re.compile(rf"(?:{FULL_STOP}|[;!?\n{EMOJI}]|{DASHED_CLAUSE})+")
SEGMENTS = re.compile(
    r"\s*(?:,|&|\+|(?<!\d)/|/(?!\d)|\band\b|\bbut\b|\bor\b|\bplus\b|\bwhile\b|\bwhereas\b|\bthough\b|"
    r"\bhowever\b|\bas well as\b|\bthen\b|"
    r"\bso(?=\s+(?:\d+|one|two|three|four|five|six)\b))\s*|"  # "1 came so 2 are missing"
    r"\s+(?=(?:except|only|just|besides|apart from)\b)",
    re.IGNORECASE,
)
CONTRASTING = {"but", "while", "whereas", "though", "however"}
SEGMENTS_KEPT = re.compile(f"({SEGMENTS.pattern})", re.IGNORECASE)  # the cuts kept, to tell them
PLACEHOLDER = "itemline{}x"
# "(I ordered 2)": a remark in brackets with its own subject is a sentence of its own.
REMARK = re.compile(
    r"\(([^()]*\b(?:i|we|i'd|i've|we'd|came|arrived|showed|got|received|was|were|wasn't|weren't|is|are|"
    r"isn't|aren't|missing)\b[^()]*)\)",  # "(the booster box came)": a clause of its own
    re.IGNORECASE,
)
# "everything except the X - so the Y and the Z": what follows says it again, in a list of its
# own; it does not go on the excepted list.
RESTATING = re.compile(
    r"(?:\s[-–—]+\s*|,\s*)(?:so|i\.?e\.?|meaning|namely|that is|in other words)\b[,:]?"
    r"|\s(?:i\.e\.|in other words|which means)[,:]?",
    re.IGNORECASE,
)
# "everything except the trimmer: both kinds of line and the earmuffs": a colon or a dash after
# what is excepted opens the list said again, as "so" does above.
EXCEPTED_THEN = re.compile(
    r"(\b(?:except|all but|apart from|besides|other than)\b[^:;.!?–—]*?)(?:\s*:|\s[-–—]+)\s*",
    re.IGNORECASE,
)
# "hold on, found another one": a pause, never an item's words ("Storage Box (Holds 100)")
HOLD_ON = r"(?:hold|hang)\s+(?:on|up)"
PAUSE = re.compile(rf"\b{HOLD_ON}\b", re.IGNORECASE)
# What takes back what was just said: the goods said to have come after it did come.
TAKING_BACK = re.compile(
    r"\b(?:no\s+wait|wait|actually|sorry|scratch\s+that|my\s+bad|my\s+mistake|never\s*mind|"
    rf"{HOLD_ON}|"
    r"i\s+was\s+wrong|oops)\b",
    re.IGNORECASE,
)
# "No sorry - the leash was there": an opening "no" that answers the bot, not a negation.
INTERJECTION = re.compile(
    r"^\s*(?:(?:wait|oh|oops|ah|hmm|sorry|hold\s+on|hang\s+on)[\s,.!–—-]*)?"  # "wait no - it's …"
    r"(?:no+|nope|nah|not\s+quite|not\s+exactly|not\s+really|not\s+right)\b"
    r"(?=\s*[,.!–—-]|\s+(?:sorry|wait|actually|my bad|hang on|hold on|oops|"
    r"i mean|my mistake)\b)",
    re.IGNORECASE,
)
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
# A compound typed in two words ("came with out the lamp") reads as the one word.
SPLIT_COMPOUNDS = re.compile(
    r"\b(with)\s+(out)\b|\b(in)\s+(side)\b|\b(every|some|any|no)\s+(thing|where)\b", re.I
)

# "the tent came but not the footprint": a "not" in contrast with what came denies the thing.
CONTRAST = re.compile(r"\b(but|and|yet)\s+not\s+(?=(?:the|my|any|a|an|one|two|\d)\b)", re.I)


# "the 50 gallon salt bags not the bucket": a "not" right after a thing named sets the next
# thing aside, as "but not" does; not "it's not the bucket", "definitely not the lid"
BARE_CONTRAST = re.compile(r"\b([\w'-]+)\s+not\s+(?=(?:the|my|any|a|an|one|two|\d)\b)", re.I)
NOT_A_THING = {"definitely", "certainly", "really", "probably", "actually", "maybe", "surely",
               "obviously", "it's", "its", "that's", "there's", "s", "def", "prob"}  # fmt: skip


def _bare_contrast_as_denial(match: re.Match[str]) -> str:
    word = match.group(1).lower()
    if word in ENGLISH_STOP_WORDS or word in NOT_A_THING or word.endswith("n't") or word.isdigit():
        return match.group(0)
    return f"{match.group(1)}, not "


# "Everything came but the bird seed": "but" after "everything" and before a bare item is
# "except"; "everything was fine but the lamp was missing" keeps its "but".
ALL_BUT = re.compile(
    r"\b(everything|all)\b([^.!?;\n]{0,40}?)\bbut\s+((?:the|my|a|an|one|two)\b[^.!?;\n]*)", re.I
)


# "everything that wasn't toothpaste": the goods but those, as "everything except toothpaste"
ALL_THAT_WAS_NOT = re.compile(
    r"\b(everything|all|anything)\s+(?:that|which)\s+(?:was|is|were|are)\s*(?:n'?t|\s+not)\s+",
    re.IGNORECASE,
)


def plain_text(text: str) -> str:
    """The text with straight apostrophes, compounds typed in two words joined, a "not" in
    contrast ("but not the X") read as the denial "no", and "everything but X" as "except"."""
    joined = SPLIT_COMPOUNDS.sub(lambda m: "".join(filter(None, m.groups())), text)
    joined = THERE_SLIP.sub(r"\1 there", BRACKETED_COUNT.sub(r", \1,", joined))
    plain = CONTRAST.sub(
        _contrast_as_denial, VARIANTS.sub(_each_variant, joined.translate(APOSTROPHES))
    )
    plain = BARE_CONTRAST.sub(_bare_contrast_as_denial, plain)
    return ALL_THAT_WAS_NOT.sub(r"\1 except ", ALL_BUT.sub(_but_as_except, plain))


def _contrast_as_denial(match: re.Match[str]) -> str:
    """ "got the X but not the Y": the Y is denied; after "not the X", "and not the Y" sets
    the Y aside as well ("the slides. not the flip flops and not the sport sandals")."""
    before = re.split(r"[.!?;\n]", match.string[: match.start()])[-1]
    if before.strip().lower().startswith("not "):
        return match.group(0)
    return f"{match.group(1)} no "


# "the gel tubes were their tho": "there", typed as it sounds, where no noun follows
THERE_SLIP = re.compile(
    r"\b(was|were|is|are|wasn'?t|weren'?t|isn'?t|aren'?t|not)\s+their\b"
    r"(?=\s*(?:tho|though|too|either|at\s+all|$|[.,!;?]))",
    re.IGNORECASE,
)
# "only one chamois strip (ordered 2)": the count ordered, told aside as its own clause
BRACKETED_COUNT = re.compile(
    r"\(\s*((?:i\s+|we\s+)?(?:ordered|paid\s+for|bought|out\s+of|of|should\s+(?:be|have\s+been)|"
    r"expected|not)\s+\d+|\d+\s+ordered)\s*\)",
    re.IGNORECASE,
)
# "Both sleeping bags (regular and long)": the words in brackets say which of the thing, each.
VARIANTS = re.compile(
    r"\b((?:[a-z][\w'-]*\s+){0,2}[a-z][\w'-]*)\s*"  # the thing
    r"\(\s*([\w' -]+?)\s+(?:and|&|or)\s+([\w' -]+?)\s*\)",  # (this and that)
    re.IGNORECASE,
)


def _each_variant(match: re.Match[str]) -> str:
    words = [w for w in match.group(1).split() if w.lower() not in VARIANT_LEAD]
    thing = " ".join(words)
    if not thing:
        return match.group(0)
    return f"{thing} {match.group(2)} and {thing} {match.group(3)}"  # "both" is the two of them


VARIANT_LEAD = {"both", "the", "my", "all", "two", "2", "of"}


def _but_as_except(match: re.Match[str]) -> str:
    whole, rest = match.group(0), match.group(3)
    if set(_words(rest)) & (ABSENT | NEGATION | COPULAS | RECEIVING):
        return whole  # the clause after "but" says something of its own
    return f"{match.group(1)}{match.group(2)}except {rest}"


@dataclass(frozen=True)
class Segment:
    text: str
    polarity: Polarity
    cue_first: bool  # the cue comes before the items: it governs a list that follows it
    items: tuple[Wanted, ...]
    after_comma: bool = False  # set off from the one before by a comma alone, not "and"
    after_contrast: bool = False  # set off by "but", "while", "though": a clause of its own
    torn: bool = False  # between a cue of each side: "no cables, charger and pad were"


@dataclass(frozen=True)
class ItemReading:
    """What a message says about the order's lines."""

    missing: tuple[Wanted, ...]
    received: tuple[Line, ...]
    ordered: tuple[Line, ...]
    everything_missing: bool  # "nothing was in the bag", "everything is missing"
    received_unsure: bool = False  # a received item's words fit several lines
    partly_named: tuple[str, ...] = ()  # missing lines named only by what they are for or like
    torn: tuple[str, ...] = ()  # lines named between a cue of each side: on neither

    @property
    def names_items(self) -> bool:
        return bool(self.missing or self.received or self.ordered)


def read_items(text: str, lines: list[Line], answering: bool = False) -> ItemReading:
    """Read the message; with `answering`, it replies to "which items are missing?".

    An answer's bare item names ("the cable and 2 cases") are missing items. In a story they
    are only ordered or mentioned, unless a word says they are missing.
    """
    text = INTERJECTION.sub("", REMARK.sub(r"; \1; ", plain_text(text)))
    text = EXCEPTED_THEN.sub(r"\1; ", RESTATING.sub("; ", text))
    text = SHARED_HEAD.sub(lambda match: _each_with_head(match, lines), text)
    text = narrowed_appositions(text, lines)
    protected, by_key = _protect_names(text, lines)
    protected = bind_names(protected, lines)
    segments: list[Segment] = []
    after_taking_back: set[int] = set()  # segments said after "no wait", "sorry", "actually"
    for sentence in SENTENCES.split(protected):
        for n, piece in enumerate(TAKING_BACK.split(sentence)):
            found = _inherit(_segments(piece, lines, by_key), answering, segments[-1:])
            after_taking_back |= {id(segment) for segment in found} if n else set()
            segments += found
    segments = _the_others_of_a_count(segments)
    segments = _the_plain_one_told_apart(segments)
    missing: dict[str, Wanted] = {}
    received: dict[str, Line] = {}
    ordered: dict[str, Line] = {}
    said: dict[tuple[Polarity, str], str] = {}  # where each line was named, for each side
    everything = unsure = False
    came_surely: set[str] = set()  # lines said to have come in words that fit no other
    torn = {want.line.line_id for segment in segments if segment.torn for want in segment.items}
    for segment in segments:
        named = _unprotect(segment.text, by_key)
        if segment.polarity is Polarity.MISSING:
            everything |= not segment.items and _says_everything(segment.text)
            for want in segment.items:
                want = _as_named_before(want, missing)
                earlier = missing.get(want.line.line_id)
                missing[want.line.line_id] = _named_again(earlier, want)
                if earlier is None or len(want.alternatives) <= len(earlier.alternatives):
                    said[Polarity.MISSING, want.line.line_id] = named
        elif segment.polarity in (Polarity.RECEIVED, Polarity.EXCLUDED, Polarity.ORDERED):
            for want in segment.items:
                if (shortfall := _short_of_the_whole(segment, want)) is not None:
                    missing[want.line.line_id] = shortfall  # "got 2 of the 3 film packs"
                    said[Polarity.MISSING, want.line.line_id] = named
                    continue
                if segment.polarity is Polarity.ORDERED:
                    ordered[want.line.line_id] = want.line
                    continue
                short = _short_by(segment, want)
                if short:  # "only one pair of mittens (I ordered 2)": the other pair is missing
                    missing[want.line.line_id] = Wanted(want.line, short)
                    said[Polarity.MISSING, want.line.line_id] = named
                    continue
                if id(segment) in after_taking_back and segment.polarity is Polarity.RECEIVED:
                    missing.pop(want.line.line_id, None)  # "one pair — no wait, both are here"
                received[want.line.line_id] = want.line
                said[Polarity.RECEIVED, want.line.line_id] = named
                unsure |= want.ambiguous and segment.polarity is Polarity.RECEIVED
                # "the salt bags, not the bucket": set aside surely, as surely as if it came
                aside = segment.polarity in (Polarity.RECEIVED, Polarity.EXCLUDED)
                if aside and not want.ambiguous:
                    came_surely.add(want.line.line_id)
    for line_id in [i for i in missing if i in received and _named_for(said, missing[i].line)]:
        del missing[line_id]  # "the laptop wasn't there, only the sleeve": the sleeve came
    for line_id in [i for i in missing if _all_came(missing[i], received)]:
        del missing[line_id]  # "only the two monsteras came. no pots": the pots are others
    missing = _beside_what_came(missing, came_surely, said)
    told = list(ordered.values()) or list(received.values())
    if not missing and (short := _ordered_short(text, told)) is not None:
        missing[short.line.line_id] = short
        said[Polarity.MISSING, short.line.line_id] = short.line.name
    for line_id in missing:
        received.pop(line_id, None)  # "one case was there, the other was missing": missing
        ordered.pop(line_id, None)
    for line_id in received:
        ordered.pop(line_id, None)
    return ItemReading(
        tuple(missing.values()),
        tuple(received.values()),
        tuple(ordered.values()),
        everything,
        unsure,
        tuple(i for i in missing if not names_head(said[Polarity.MISSING, i], missing[i].line)),
        tuple(torn - set(missing) - set(received)),
    )


# "… but not the second one", "the other one was missing": the rest of a line counted before
THE_OTHERS = re.compile(
    r"\b(?:other|second|2nd|remaining)(?:\s+(?:one|ones|two|pair))?\b|\brest\b", re.IGNORECASE
)


# "the regular rail joiners", "the normal one": the line without the other's distinction
PLAIN_ONE = re.compile(r"\b(?:regular|normal|plain|standard|ordinary|basic|usual)\b", re.I)


def _the_plain_one_told_apart(segments: list[Segment]) -> list[Segment]:
    """ "the insulated joiners and the regular rail joiners": words that fit two lines, said
    to be the plain one beside the one named surely, are the other line."""
    sure = {w.line.line_id for s in segments for w in s.items if not w.ambiguous}
    result = []
    for segment in segments:
        if PLAIN_ONE.search(segment.text):
            segment = replace(segment, items=tuple(_other_than(w, sure) for w in segment.items))
        result.append(segment)
    return result


def _other_than(want: Wanted, sure: set[str]) -> Wanted:
    """The one line of the want not named surely elsewhere; else the want as it is (several
    left are for the other readings: "both of the regular knives … only the electric one")."""
    if not want.ambiguous:
        return want
    left = [line for line in (want.line, *want.alternatives) if line.line_id not in sure]
    return replace(want, line=left[0], alternatives=()) if len(left) == 1 else want


def _the_others_of_a_count(segments: list[Segment]) -> list[Segment]:
    """A denial that names no line but "the other one" after a count of one line that came
    ("I got one of my UVB tubes but not the second one") is the rest of that line."""
    result = list(segments)
    for n in range(1, len(segments)):
        segment, before = segments[n], segments[n - 1]
        if segment.items or segment.polarity is not Polarity.MISSING:
            continue
        if before.polarity is not Polarity.RECEIVED or len(before.items) != 1:
            continue
        came = before.items[0]
        if came.quantity and came.quantity < came.line.ordered and THE_OTHERS.search(segment.text):
            rest = Wanted(came.line, came.line.ordered - came.quantity)
            # named with the count's words: the line is said by what it is on both sides
            result[n] = replace(segment, text=f"{before.text} {segment.text}", items=(rest,))
    return result


def _beside_what_came(
    missing: dict[str, Wanted], came: set[str], said: dict[tuple[Polarity, str], str]
) -> dict[str, Wanted]:
    """Words that fit several lines, one of which the message says came for sure, speak of the
    others: "both regular knives are gone, only the electric one came"."""
    result: dict[str, Wanted] = {}
    for line_id, want in missing.items():
        tied = (want.line, *want.alternatives)
        rest = [line for line in tied if line.line_id not in came]
        if not want.ambiguous or len(rest) == len(tied) or not rest:
            result.setdefault(line_id, want)
            continue
        for line, quantity in _shared_out(want, rest):
            said[Polarity.MISSING, line.line_id] = said[Polarity.MISSING, line_id]
            others = () if quantity is not None else tuple(o for o in rest if o != line)
            result.setdefault(line.line_id, Wanted(line, quantity, alternatives=others))
    return result


def _shared_out(want: Wanted, rest: list[Line]) -> list[tuple[Line, int | None]]:
    """The lines left and their counts: "both" of two lines of one unit each is one of each;
    a count that fits the one line left stays; else how many, or which, is still to ask."""
    if want.everything and want.quantity == len(rest) and all(one.claimable == 1 for one in rest):
        return [(line, 1) for line in rest]
    fits = len(rest) == 1 and want.quantity is not None and want.quantity <= rest[0].claimable
    return [(rest[0], want.quantity if fits else None)]


def _all_came(want: Wanted, received: dict[str, Line]) -> bool:
    """Words that fit several lines, every one of which the message says came."""
    tied = {want.line.line_id, *(line.line_id for line in want.alternatives)}
    return want.ambiguous and tied <= set(received)


# "the J and M initial charms", "the red and blue mugs": two words sharing one head noun.
SHARED_HEAD = re.compile(
    r"\b(?P<lead>the|my|both|both the)\s+(?P<a>[\w'-]+)\s+(?:and|&|or)\s+(?P<b>[\w'-]+)\s+"
    r"(?P<head>[\w'-]+)(?:\s+(?P<more>[\w'-]+))?",
    re.IGNORECASE,
)


def _each_with_head(match: re.Match[str], lines: list[Line]) -> str:
    """The shared head said with each word, when each then names its own line."""
    a, b, head, more = match.group("a", "b", "head", "more")
    if more and not set(_words(more)) & (COPULAS | ABSENT | NEGATION | CUE_WORDS):
        head, more = f"{head} {more}", ""
    if match_segment(a, lines) or match_segment(b, lines):
        return match.group(0)  # "the speaker and batteries ...": a list, not one head
    first, second = match_segment(f"{a} {head}", lines), match_segment(f"{b} {head}", lines)
    if not first or not second or first.ambiguous or second.ambiguous:
        return match.group(0)
    if first.line == second.line:
        return match.group(0)
    said = f"{match.group('lead')} {a} {head} and the {b} {head}"
    return f"{said} {more}" if more else said


def _as_named_before(want: Wanted, missing: dict[str, Wanted]) -> Wanted:
    """Words that fit several lines, one of them already said to be missing: that one."""
    if not want.ambiguous:
        return want
    before = [line for line in (want.line, *want.alternatives) if line.line_id in missing]
    if len(before) != 1 or (want.quantity or 0) > before[0].claimable:
        return want  # "the 9 inch is missing. both knives are gone": more than that one
    others = tuple(line for line in (want.line, *want.alternatives) if line != before[0])
    return replace(want, line=before[0], alternatives=others)


def _named_again(earlier: Wanted | None, want: Wanted) -> Wanted:
    """A line said to be missing twice: "the paperback Orchard ... it's the paperback that's
    gone" is sure once, so it is sure; the later count, if any, is the count."""
    if earlier is None:
        return want
    alternatives = tuple(line for line in want.alternatives if line in earlier.alternatives)
    quantity = want.quantity if want.quantity is not None else earlier.quantity
    return replace(want, quantity=quantity, alternatives=alternatives)


def _named_for(said: dict[tuple[Polarity, str], str], line: Line) -> bool:
    """The line was said to be missing only by what it is for or like ("the laptop" for a
    laptop sleeve), and said to have come by what it is ("the sleeve"): two things."""
    missing_words = said[Polarity.MISSING, line.line_id]
    received_words = said[Polarity.RECEIVED, line.line_id]
    return not names_head(missing_words, line) and names_head(received_words, line)


def _unprotect(text: str, by_key: dict[str, Line]) -> str:
    """The segment with full names put back in place of their placeholders."""
    for key, line in by_key.items():
        text = text.replace(key, line.name)
    return text


def _protect_names(text: str, lines: list[Line]) -> tuple[str, dict[str, Line]]:
    """Full line names (a button's text) become one token, so their commas cut nothing."""
    by_key: dict[str, Line] = {}
    for n, line in enumerate(sorted(lines, key=lambda item: -len(item.name))):
        key = PLACEHOLDER.format(n)
        pattern = re.compile(re.escape(line.name), re.IGNORECASE)
        longer = _longer_names_words(line, lines)

        def protect(match: re.Match[str], key: str = key, longer: set[str] = longer) -> str:
            following = _words(match.string[match.end() :])[:1]
            if following and following[0] in longer:
                return match.group(0)  # "Azul Summer Pavilion": a longer name goes on
            return f" {key} "

        protected = pattern.sub(protect, text)
        for title in _titles_read_as_cues(line, lines):  # "Remain in Light" came for nothing
            protected = re.sub(rf"\b{re.escape(title)}\b", f" {key} ", protected, flags=re.I)
        if protected != text:
            text = protected
            by_key[key] = line
    return text, by_key


NAME_PARTS = re.compile(r"\s+[-–—:]\s+|\s*[(),]\s*")


def _titles_read_as_cues(line: Line, lines: list[Line]) -> list[str]:
    """The parts of a line's name ("Talking Heads - Remain in Light (1980 Sire)") that would
    read as words of what came or what is missing, and that no other line's name holds."""
    others = [other.name.lower() for other in lines if other is not line]
    return [
        part
        for part in (piece.strip() for piece in NAME_PARTS.split(line.name))
        if len(part.split()) >= 2
        and _polarity(_words(part.lower()))[0] is not Polarity.NONE
        and not any(part.lower() in other for other in others)
    ]


def _longer_names_words(line: Line, lines: list[Line]) -> set[str]:
    """The words that go on from this line's name in the longer names that hold it ("summer",
    "pavilion" of "Azul: Summer Pavilion", for "Azul")."""
    own = set(_words(line.name.lower()))
    return {
        word
        for other in names_holding(line, lines)
        for word in _words(other.name.lower())
        if word not in own
    }


def _segments(sentence: str, lines: list[Line], by_key: dict[str, Line]) -> list[Segment]:
    result = []
    for piece, after_comma, after_contrast in _pieces(sentence):
        words = _words(piece)
        items = _not_places(_items(piece, words, lines, by_key), words, by_key)
        polarity, cue_at = _polarity(words)
        first_item = min((words.index(k) for k in by_key if k in words), default=None)
        if first_item is None and items:
            first_item = _first_item_word(words, items)
        cue_first = cue_at is not None and (first_item is None or cue_at < first_item)
        segment = Segment(piece, polarity, cue_first, tuple(items), after_comma, after_contrast)
        result.append(segment)
    return result


def _pieces(sentence: str) -> list[tuple[str, bool, bool]]:
    """The sentence cut at commas and conjunctions, each piece with whether a comma alone set
    it off and whether a contrast did; "only"/"just" right after a cue stays with it ("I'm
    missing just one lipstick")."""
    pieces: list[tuple[str, bool, bool]] = []
    cut = SEGMENTS_KEPT.split(sentence)
    for at in range(0, len(cut), 2):
        piece = cut[at]
        if not piece or not piece.strip():
            continue
        comma = at > 0 and cut[at - 1].strip() == ","
        contrast = at > 0 and cut[at - 1].strip().lower() in CONTRASTING
        words = _words(piece)
        last = _words(pieces[-1][0])[-1:] if pieces else []
        bare = at > 0 and not cut[at - 1].strip()  # not "the LP is missing and only 1 of 3 …"
        glued = (
            bare and words and words[0] in RESTRICTING and last and last[0] in CUE_WORDS | COPULAS
        )
        # "the knives are gone, only the electric one came": set off, with a cue of its own;
        # "it was empty, just the trivet next to it": what the emptied box did hold
        set_off = comma and (last == ["empty"] or _polarity(words)[0] is not Polarity.NONE)
        if glued and not set_off:
            pieces[-1] = (f"{pieces[-1][0]} {piece.strip()}", *pieces[-1][1:])
        else:
            pieces.append((piece.strip(), comma, contrast))
    return pieces


def _items(piece: str, words: list[str], lines: list[Line], by_key: dict[str, Line]):
    named = [by_key[w] for w in words if w in by_key]
    if named:
        rest = " ".join(w for w in words if w not in by_key)
        found = match_segment(rest, [line for line in lines if line not in named])
        quantity = match_segment(f"{rest} {named[0].name}", named)
        wanted = [Wanted(line, quantity.quantity if quantity else None) for line in named]
        return wanted + ([found] if found else [])
    piece = ALONGSIDE.sub(r"\1", IN_A_CONTAINER.sub(" ", piece))
    head = PURPOSE.split(piece)[0]
    found = (match_segment(head, lines) if head != piece else None) or match_segment(piece, lines)
    return each_counted(found, piece) if found else []


def _not_places(
    items: list[Wanted], words: list[str], by_key: dict[str, Line] | None = None
) -> list[Wanted]:
    """Items named after a word of place are where something was: "one was inside the mugs"."""
    return [want for want in items if not _after_place(words, want, by_key or {})]


def names_as_place(text: str, line: Line) -> bool:
    """The text names the line only after a word of place ("found it under the towels")."""
    return _after_place(_words(text), Wanted(line, None), {})


def _after_place(words: list[str], want: Wanted, by_key: dict[str, Line]) -> bool:
    place = next((n for n, word in enumerate(words) if _locates(words, n)), None)
    # A full name (one placeholder token) is where the line is named; else its first word.
    named = next((n for n, w in enumerate(words) if by_key.get(w) == want.line), None)
    if named is None:
        named = _first_item_word(words, [want])
    if named is not None and _in_its_box(words, named):
        return True  # "found one wedged in the printer box": the printer's box is a place
    return place is not None and named is not None and named > place


def _in_its_box(words: list[str], named: int) -> bool:
    """The item word names the box something was in: "found one wedged in the printer box"."""
    inside = bool(set(words[max(0, named - 2) : named]) & {"in", "into"})
    return inside and named + 1 < len(words) and words[named + 1] in BOXES


def _locates(words: list[str], n: int) -> bool:
    """A word of place; or a "with" denied ("wasn't with my tent", "didn't come with it")."""
    if words[n] in LOCATING:
        return True
    if words[n] == "on" and set(words[max(0, n - 3) : n]) & PLACING:
        return True  # "my wife already put it on the bed": the bed is where it is
    if words[n] in {"around", "round"} and words[n + 1 : n + 2] and words[n + 1] in DETERMINERS:
        return True  # "they were wrapped around the pump"; not "around 10 of them"
    if words[n] in {"to", "in", "on", "inside"} and words[n - 1 : n] and words[n - 1] in FASTENED:
        return True  # "taped to the frame", "tucked in the helmet": where it was found
    if words[n] == "with" and words[n - 1 : n] and words[n - 1] in BOXES:
        return True  # "the box with the flasks had no cylinders": the flasks are a place
    before = [w for w in words[max(0, n - 2) : n] if w not in {"come", "came"}]
    return words[n] == "with" and bool(before) and before[-1] in NEGATION


def _first_item_word(words: list[str], items: list[Wanted]) -> int | None:
    # "found one pair under the socks": "pair" of "3-pair" says how they come, not what they are
    names = {w for want in items for w in _words(want.line.name)} - WEAK_NAME_WORDS
    for n, word in enumerate(words):
        if word in names or any(len(word) >= 4 and name.startswith(word[:4]) for name in names):
            return n
    return None


def _polarity(words: list[str]) -> tuple[Polarity, int | None]:
    """The segment's polarity and where its first cue is."""
    absent = [n for n, w in enumerate(words) if _absent(w) and _partnered(w, words, n)]
    negated = [n for n, w in enumerate(words) if w in NEGATION and not _denies_a_count(words, n)]
    # "2 of the sunscreens from the order I picked up": a verb after the order, the bag or
    # the box is about the container, not the item.
    container = next(
        (
            n
            for n, w in enumerate(words)
            if w in CONTAINERS and set(words[max(0, n - 2) : n]) & OF_A_CONTAINER
        ),
        len(words),
    )
    receiving = [
        n
        for n, w in enumerate(words[:container])
        if w in RECEIVING and not _a_variant(words, n) and not _on_the_list(words, n)
    ]
    ordering = [n for n, w in enumerate(words[:container]) if w in ORDERING]
    awaited = [n for n in receiving if words[max(0, n - 2) : n] in AWAITING]
    receiving = [n for n in receiving if n not in awaited]
    ordering = sorted(ordering + awaited)
    only = [n for n, w in enumerate(words) if w in RESTRICTING]  # "only X came": received
    except_at = [n for n, w in enumerate(words) if w in EXCEPTING]
    if except_at:  # "everything came except X": X has the opposite polarity
        inner, _ = _polarity([w for w in words if w not in EXCEPTING])
        flipped = {Polarity.RECEIVED: Polarity.MISSING, Polarity.MISSING: Polarity.RECEIVED}
        return flipped.get(inner, Polarity.NONE), except_at[0]  # NONE: see _inherit
    if _sets_aside(words, absent, negated):
        return Polarity.EXCLUDED, 0
    if absent and negated and min(negated) < min(absent):
        return Polarity.RECEIVED, min(negated)  # "wasn't missing", "not lost"
    if absent:
        return Polarity.MISSING, min(absent)
    if negated:
        return Polarity.MISSING, min(negated)  # "no boots", "wasn't there", "didn't get"
    if words and words[-1] in COPULAS:
        return Polarity.RECEIVED, len(words) - 1  # "the charger and pad were" (there)
    if words[-1:] and words[-1] in ALL_RIGHT and words[-2:-1] and words[-2] in COPULAS | CAME:
        return Polarity.RECEIVED, len(words) - 2  # "the piano box was fine", "arrived ok"
    held = _held_only(words, only)
    if held is not None:
        return Polarity.RECEIVED, held  # "the fedex one was only the TV": what the box held
    if only and not (receiving or ordering):
        return Polarity.NONE, None  # "just one case": its neighbours decide (_inherit)
    if ordering:  # "I had ordered X": ordering wins over the verbs of having
        return Polarity.ORDERED, min(ordering)
    if receiving:
        return Polarity.RECEIVED, min(receiving)
    return Polarity.NONE, None


HOLDERS = CONTAINERS | CONTAINER_PLURALS | {"one", "first", "second"}
OF_A_CONTAINER = {"from", "of", "with", "frmo", "fom", "frm", "fro"}  # with the usual slips


def _on_the_list(words: list[str], at: int) -> bool:
    """ "I need the tote on there too": "on there" is the claim's list, not where goods are."""
    return words[at] in PLACE_WORDS and words[at - 1 : at] == ["on"]


def _denies_a_count(words: list[str], at: int) -> bool:
    """ "only 2 lead ropes in the box, not 3": the "not" puts the count right, it denies no
    goods."""
    return words[at] == "not" and len(words) == at + 2 and _count(words[at + 1]) is not None


def _held_only(words: list[str], only: list[int]) -> int | None:
    """Where "<a package> was only ..." says what a package held: "the box was just the X"."""
    for n in only:
        if (
            words[n - 1 : n]
            and words[n - 1] in COPULAS
            and set(words[max(0, n - 4) : n - 1]) & HOLDERS
        ):
            return n - 1
    return None


def _sets_aside(words: list[str], absent: list[int], negated: list[int]) -> bool:
    """A fragment that opens with "not" and says nothing else: "not the charger", "not the
    grey ones". It excludes an item from what is meant; "not in the bag" is an absence."""
    if not words or words[0] != "not" or absent or len(negated) > 1:
        return False
    return not set(words[1:]) & (RECEIVING | ORDERING | COPULAS | PARTIAL)


def counts_what_came(text: str) -> bool:
    """ "I only got one of the three": the number in it is what came, not what is missing."""
    words = _words(plain_text(text))
    polarity, _ = _polarity(words)
    return polarity is Polarity.RECEIVED and bool(set(words) & RESTRICTING)


def says_it_came(text: str) -> bool:
    """ "The 18 inch one was there": the clause tells of what came, not of what is missing."""
    polarity, _ = _polarity(_words(plain_text(text)))
    return polarity is Polarity.RECEIVED


def tells_of_shortfall(text: str) -> bool:
    """The message says something is missing or short, in any words the grammar knows:
    an absence ("missing", "forgot"), a negation ("wasn't", "didn't get"), a restriction
    ("only got 2"), a part ("half my stuff", "incomplete") or an exception ("all but")."""
    plain = plain_text(text)
    words = _words(plain)
    if _fewer_than_expected(words) or _that_was_all(words) or tells_of_missing_goods(text):
        return True  # goods missing from what came ("my towels are short") are a shortfall
    return any(
        _sentence_tells_of_shortfall(_words(s)) or _elided_denial(s) for s in SENTENCES.split(plain)
    )


# "no idea", "no rush": a "no" before these denies no goods
NO_GOODS_AFTER_NO = {
    "idea", "clue", "problem", "problems", "worries", "worry", "rush", "thanks", "luck", "one",
    "answer", "reply", "response", "update", "updates", "news", "word", "notice", "sign",
    "tracking", "confirmation", "call", "text", "time", "longer", "more", "matter", "need",
    "needed", "yet", "notification", "notifications", "message", "messages", "claim", "refund",
}  # fmt: skip


def _a_bare_denial(text: str) -> bool:
    """A clause of "no" and a thing alone, with no verb: "no charms", "no charger either"."""
    for clause in re.split(r"[.,;:!?\n]+", plain_text(text)):
        words = _words(clause)
        thing = [w for w in words[1:] if w not in HEDGES | {"either", "at", "all", "anywhere"}]
        if words[:1] != ["no"] or not 1 <= len(thing) <= 3:
            continue
        if not set(thing) & (CUE_WORDS | NOT_GOODS | ONLINE | NO_GOODS_AFTER_NO):
            return True
    return False


def _came_empty(words: list[str]) -> bool:
    """ "The box was empty", "got an empty bag": what came held none of the goods."""
    held = CONTAINERS | CONTAINER_PLURALS
    for n, word in enumerate(words):
        if word != "empty":
            continue
        if set(words[max(0, n - 3) : n]) & held:
            return True  # "the box was empty"
        if set(words[n + 1 : n + 2]) & held and set(words[max(0, n - 3) : n]) & COUNTED_IN:
            return True  # "got an empty bag", not "do you recycle empty boxes"
    return False


def tells_of_missing_goods(text: str) -> bool:
    """Narrower than a shortfall: goods are said to be missing from what came ("the rug wasn't
    included", "I was shorted 2 items", "ordered 6, got 4"), not that something was lost,
    forgotten or not received, which as often speaks of a password, a receipt or a discount."""
    words = _words(plain_text(text))
    told = (
        _fewer_than_expected,
        _forgot_to_pack,
        _asks_for_the_rest,
        _only_some_came,
        _part_of_a_count_came,
        _arrived_without,
        _held_but_not,
        _came_empty,
        _asks_where_a_thing_is,
    )
    if any(tells(words) for tells in told):
        return True
    of_an_order = bool(set(words) & ORDER_TALK)
    if of_an_order and _a_bare_denial(text):
        return True  # "picked up today, opened it in the car, no charms."
    for n, word in enumerate(words):
        if _nothing_absent(words, n):
            continue  # "actually nothing's missing, I just don't like it"
        if (
            word in MISSING_GOODS and not _half_a_name(words, n) and not _a_length(words, n)
        ) or missing_slip(word):
            return True
        following = words[n + 1 : n + 5]
        if word in NEGATION and set(following[:3]) & ONLINE:
            continue  # "no tracking link was in it": nothing that comes in a box
        # "my order, the caps weren't in it": "it" is the order, unless the order is what
        # the negation is about ("my order number wasn't in it")
        if _left_out_at(words, n, of_an_order or _goods_of_an_order(words, n)):
            return True  # "the kettle wasn't in my box", "no blender in the box"
        goods = not set(words[max(0, n - 2) : n]) & PERSONS  # "I can't make it today": no goods
        if (
            word in NEGATION
            and goods
            and (
                _made_it_nowhere(following) or following[:1] == ["with"] or _came_without(following)
            )
        ):
            return True  # "one of the towels didn't make it", "the footprint wasn't with my tent"
        if _not_being(words, n) and _a_thing_not_here(words, n):
            return True
        if of_an_order and _no_sign_of_a_thing(words, n):
            return True  # "collected my parcel and there's no sign of the jacket"
    return False


# After "short", the words that keep it a shortfall: "short of", "short by", "came up short and"
STILL_SHORT = {"of", "and", "but", "again", "too", "today", "now", "this", "that", "for", "so"}
SHORT_OF = STILL_SHORT | {"the", "a", "an", "my", "our"}  # "its short the snow brush"


def _a_length(words: list[str], at: int) -> bool:
    """ "a short poem", "short sleeves": "short" says how long a thing is, before its noun."""
    following = words[at + 1 : at + 2]
    if words[at] != "short" or not following or not following[0].isalpha():
        return False
    return following[0] not in NEEDS_PARTNER["short"] | SHORT_OF | NUMBER_WORDS.keys()


def _no_sign_of_a_thing(words: list[str], at: int) -> bool:
    """ "No sign of the jacket": a thing, not the order or its package ("no sign of my
    package" asks where it is)."""
    if words[at : at + 3] != ["no", "sign", "of"]:
        return False
    thing = [w for w in words[at + 3 : at + 6] if w not in DETERMINERS | {"a", "an", "any"}]
    return bool(thing) and thing[0] not in NOT_GOODS | {"it", "them", "anything", "one"}


def _came_without(following: list[str]) -> bool:
    """After a negation: "(never) came with it", "(didn't) arrive with the chair"."""
    return following[:1] in ARRIVING and following[1:2] == ["with"]


ARRIVING = (["came"], ["come"], ["arrived"], ["arrive"])
# What a thing may come without that is no goods: "came without any problems", "… a receipt".
NOT_GOODS_WITHOUT = {
    "problem", "problems", "issue", "issues", "trouble", "hassle", "delay", "delays", "fuss",
    "incident", "damage", "scratch", "receipt", "receipts", "invoice", "notice", "notification",
    "email", "text", "warning", "word", "explanation", "tracking", "me", "us",
}  # fmt: skip


HOLDING = {"has", "had", "contained", "contains", "included", "includes"}


def _held_but_not(words: list[str]) -> bool:
    """ "The box has the spigot but not the bucket": what came held one thing, not another."""
    for n, word in enumerate(words):
        verb = next((m for m in (n + 1, n + 2) if words[m : m + 1] and words[m] in HOLDING), None)
        if word not in CONTAINERS | CONTAINER_PLURALS or verb is None or "but" not in words[verb:]:
            continue
        after = words[words.index("but", verb) + 1 :]
        told = [w for w in after[1:4] if w not in {"the", "a", "an", "any", "my"}]
        things = [w for w in (words[verb + 1 : verb + 2] + told[:1]) if w not in NOT_HELD]
        if after[:1] in (["not"], ["no"], ["without"]) and told and len(things) == 2:
            return told[0] not in NOT_GOODS_WITHOUT | ONLINE  # "has shipped but not arrived": no
    return False


# "has shipped but not arrived": the verbs after "has" that hold no thing
NOT_HELD = {
    "been", "come", "came", "gone", "got", "gotten", "made", "not", "no", "shipped", "arrived",
    "delivered", "moved", "left", "reached", "landed", "updated", "changed", "showed", "turned",
    "started", "finished", "cleared", "passed", "departed", "dispatched", "processed",
    "coming", "arriving", "going",
}  # fmt: skip


def _arrived_without(words: list[str]) -> bool:
    """ "The patio set came without the table": a part of what came is not there."""
    for n, word in enumerate(words[:-1]):
        if [word] in ARRIVING and words[n + 1] == "without":
            told = [w for w in words[n + 2 : n + 5] if w not in {"the", "a", "an", "any", "my"}]
            if told and told[0] not in NOT_GOODS_WITHOUT:
                return True
    return False


def _goods_of_an_order(words: list[str], at: int) -> bool:
    """The message speaks of an order, and what the word at `at` negates is not the order."""
    subject = set(words[max(0, at - 3) : at])
    return bool({"order", "orders"} & set(words)) and not subject & {"order", "orders", "number"}


def _not_being(words: list[str], at: int) -> bool:
    """ "isn't", or "is not" in two words."""
    return words[at] in NOT_BEING or (words[at] == "not" and at > 0 and words[at - 1] in BEING)


def _a_thing_not_here(words: list[str], at: int) -> bool:
    """ "The vitamin C isn't here", "the tent wasn't there": a thing, not the order ("my order
    isn't here yet" asks where it is) and not a person ("I wasn't there")."""
    following = words[at + 1 : at + 3]
    if following[:1] not in (["here"], ["there"]) or following[1:2] == ["yet"]:
        return False
    before = words[max(0, at - 5) : at]
    starts = [n for n, w in enumerate(before) if w in DETERMINERS]
    if not starts:
        return False
    subject = before[starts[-1] + 1 :]
    return bool(subject) and not set(subject) & NOT_GOODS


PEOPLE = (["i"], ["we"], ["you"])
PERSONS = {"i", "we", "you", "he", "she"}
NOT_BEING = {"isnt", "wasnt", "arent", "werent"}
# What "isn't here" can be said of besides goods: the order, a person, paperwork.
NOT_GOODS = CONTAINERS | CONTAINER_PLURALS | PERSONS | {
    "it", "they", "husband", "wife", "son", "daughter", "stuff", "shipment", "receipt",
    "receipts", "invoice", "slip", "paperwork", "way",
}  # fmt: skip


MAKE_IT = (["make", "it"], ["made", "it"])  # "didn't make it", "never made it"


def _made_it_nowhere(following: list[str]) -> bool:
    return following[:2] in MAKE_IT and following[2:3] != ["to"]


def tells_of_damage(text: str) -> bool:
    """The message says something came damaged or wrong: "a big scratch on the seat", "arrived
    broken", "the curtains are too short, wrong size"."""
    plain = plain_text(text)
    words = _words(plain)
    broken = [n for n, word in enumerate(words) if word in DAMAGE and not _names_a_kind(words, n)]
    broken += [len(_words(plain[: found.start()])) for found in FAULTS.finditer(plain)]
    return any(not set(words[max(0, n - 3) : n]) & ONLINE for n in broken)


# Words of damage that also name a kind of goods before a noun: "a wet palette", "damp cloths"
KIND_WORDS = {"wet", "damp"}


def _names_a_kind(words: list[str], at: int) -> bool:
    """ "the wet palette" is a thing, where "arrived wet" and "wet and torn" tell of damage."""
    following = words[at + 1 : at + 2]
    return words[at] in KIND_WORDS and bool(following) and following[0] not in ENGLISH_STOP_WORDS


# What fails online is not goods that came damaged: "the tracking link doesn't work".
ONLINE = {
    "link", "links", "website", "site", "app", "code", "page", "email", "account", "password",
    "login", "portal", "button", "url", "checkout", "coupon", "voucher", "promo",
}  # fmt: skip


# What a thing does when it works: "won't charge properly", "the gears don't shift right".
OPERATING = (
    r"(?:work|shift|charge|heat|cool|close|open|connect|turn|spin|run|start|lock|latch|zip|"
    r"pair|power|light|print|play|seal|inflate|hold|stay|function|operate|pump|drain|sync|load|"
    r"boot|click|snap|stick|cut|blow|spray|move|roll|fold|tighten|screw|attach|mount)"
)
# What came but is not right, a matter for returns: its fit, its size, its working order.
FAULTS = re.compile(
    r"\b(?:wrong\s+(?:size|colou?r|shade|model|version|width|length|fit)|too\s+(?:small|big|large|short|long|"
    r"tight|loose|narrow|wide)|(?:does\s*n'?t|do\s*n'?t|did\s*n'?t|won'?t)\s+(?:fit|work|turn\s+on)|"
    r"not\s+working|stopped\s+working|(?:has|had|have|got)\s+an?\s+(?:hole|tear|rip|stain|split|crack|dent)|"
    # what came, not liked or not as good as hoped: "my dog hates this food", "barely foams"
    r"(?:hates?|dislikes?)\s+(?:it|them|this|these|that|those|the)|"
    r"(?:does\s*n'?t|do\s*n'?t|did\s*n'?t)\s+(?:really\s+)?like\s+(?:it|them|this|these|the)|"
    r"not\s+happy\s+with\s+(?:the|it|them|this|these|my)|changed\s+my\s+mind|"
    # "none of the seeds germinated", "the bulbs never sprouted": what came did not grow
    r"\bnone\s+of\s+(?:the\s+|my\s+|them\s+)?(?:\w+\s+)?(?:germinated|sprouted|grew|bloomed|"
    r"worked|fit)\b|(?:did\s*n'?t|did\s+not|never|won'?t|failed\s+to)\s+(?:germinat|sprout|"
    r"grow|grew|bloom|flower|hatch)\w*|"
    # "it made my scalp itch", "gave me a rash": a reaction to what came
    r"(?:made|gave)\s+(?:my\s+\w+|me|him|her|them)\s+(?:a\s+)?(?:itch\w*|rash|break\s+out|"
    r"sick|burn\w*|sting\w*)|allergic\s+reaction|"
    r"barely\s+(?:\w+s|works?|fits?)|(?:smells?|tastes?)\s+(?:stale|bad|off|funny|weird|rancid)|"
    # "a dead key straight out of the box", "the battery was dead"
    r"dead\s+(?:on\s+arrival|pixels?|keys?|spots?|zones?|cells?)|(?:has|had)\s+a\s+dead|"
    r"(?:is|was|arrived|came)\s+(?:completely\s+)?dead|"
    r"(?:falling|fell|came|coming)\s+apart|peel(?:s|ed|ing)\s+off|fraying|frayed|unstitched|"
    r"split\s+(?:open|apart|after|when|on\s+the|at\s+the|down)|"
    # "a wheel has a chunk missing out of it": a piece of a thing that came, broken off
    r"(?:has|had|have|with|got)\s+(?:a\s+|some\s+)?(?:chunks?|chips?|bits?|corners?)\s+"
    r"(?:\w+\s+)?(?:missing|out|off|broken|gone)(?:\s+(?:out\s+)?of\s+(?:it|them))?|"
    # "are a size 42 but I ordered 43": another size than the one ordered
    r"size\s+[\w.]+\s*,?\s+(?:but|when|while|though)\s+(?:i|we)\s+(?:had\s+)?"
    r"(?:ordered|asked\s+for|wanted|bought|paid\s+for)|"
    # "the gears don't shift right", "it won't charge properly": something that came, not right
    r"(?:does\s*n'?t|do\s*n'?t|did\s*n'?t|won'?t|can'?t|is\s*n'?t|are\s*n'?t)\s+"
    rf"(?:\w+\s+)?{OPERATING}\s+(?:\w+\s+)?(?:right|properly|correctly|anymore|any\s+more))\b",
    re.IGNORECASE,
)


def tells_only_of_damage(text: str) -> bool:
    """Damage, with no goods missing: "half the balloons were popped" counts what broke, while
    "the box was crushed and the charger was missing" is short too."""
    # "half" counts what broke; "too short" is a fit: neither is missing goods here
    rest = FAULTS.sub(" ", re.sub(r"\bhalf\b", " ", plain_text(text), flags=re.IGNORECASE))
    if SIZE_FAULT.search(text):  # "wrong size, I ordered 32 waist and got 30": sizes, no counts
        rest = re.sub(r"\b\d+(?:[.,/-]\d+)*\b", " ", rest)
    return tells_of_damage(text) and not tells_of_shortfall(rest)


SIZE_FAULT = re.compile(
    r"\bwrong\s+(?:size|width|length|fit)|\btoo\s+(?:small|big|large|short|long|tight|loose|"
    r"narrow|wide)\b",
    re.IGNORECASE,
)


def tells_of_goods_left_out(text: str) -> bool:
    """Goods said to be absent from a container: "none of the boxwoods were in my delivery",
    "the cable wasn't in the box"; never a package lost on its way ("my package is missing")."""
    words = _words(plain_text(text))
    return any(_left_out_at(words, n, False) for n in range(len(words)))


def _left_out_at(words: list[str], at: int, of_an_order: bool) -> bool:
    """The word at `at` denies goods in what came: "(wasn't) in my bag", "no blender in the
    box", "none of the boxwoods were in my delivery"; `of_an_order` as `_not_in_what_came`."""
    following = words[at + 1 : at + 6]
    while following[:1] and following[0] in HEDGES:
        following = following[1:]  # "(isn't) actually in the bag"
    if words[at] in NEGATION and following and _not_in_what_came(following, of_an_order):
        return True
    return words[at] in {"no", "none"} and _none_in_what_came(words[at + 1 : at + 8], of_an_order)


def _none_in_what_came(following: list[str], of_an_order: bool = False) -> bool:
    """After "no" or "none": a thing of up to three words, then in a container ("no blender
    in the box", "none of the boxwoods were in my delivery")."""
    at = next((k for k, w in enumerate(following[:6]) if w == "in"), None)
    if not at:
        return False
    thing = [w for w in following[:at] if w not in COPULAS and w != "of"]
    if not thing or len(thing) > 3 or set(thing) & (CUE_WORDS | NOT_GOODS):
        return False
    return _not_in_what_came(following[at:], of_an_order)  # "no sunglasses in it"


def _not_in_what_came(following: list[str], of_an_order: bool) -> bool:
    """After a negation: "(wasn't) included", "(weren't) in my bag", "(was not) packed";
    in a message `of_an_order` (ordered, picked up, a box), also "in there" and "in it"."""
    if following[0] in {"included", "packed", "inside"} or _into(following):
        return True  # "(didn't) make it into my bag"
    if following[0] != "in":
        return False
    described = following[1] in DETERMINERS and following[3:4] in CONTAINER_WORDS  # "my yarn order"
    return (
        any(_a_container(word) for word in following[1:3])
        or described
        or (of_an_order and following[1:2] in PLACE_IT)
    )


def _a_container(word: str) -> bool:
    """A container word, or a slip of a long one ("pakage", "parcle")."""
    if word in CONTAINERS:
        return True
    return len(word) >= LONG_CONTAINER and any(
        DamerauLevenshtein.distance(word, c) == 1 for c in LONG_CONTAINERS
    )


def _sentence_tells_of_shortfall(words: list[str]) -> bool:
    cues = DENYING | SHORT_ON_ITS_OWN | EXCEPTING
    return any(
        (w in cues and not _half_a_name(words, n))
        or (
            w in RESTRICTING
            and not _softens(words, n)
            and _restricts_what_came(words[n + 1 : n + 2])
        )
        or (w in RESTRICTING and n == len(words) - 1 and _came_before(words, n))
        or (w == "instead" and _counted_near(words, n))  # "one instead of two"
        or ((w in NEGATION or _negation_slip(w)) and _denies_presence(words, n))
        or (_absent(w) and _partnered(w, words, n) and not _own_forgetting(words, n))
        or (w in RECEIVING and _all_that_came(words, n))
        for n, w in enumerate(words)
        if not _denies_a_fault(words, n)
        and words[n - 1 : n] != ["or"]  # "is it there or not"
        and not _nothing_absent(words, n)
    )


NOTHING = {"nothing", "nothings", "nothin", "none"}
SUBJECTS = {"i", "we", "you", "it", "its", "they", "he", "she", "im", "ive", "id", "thats"}
NOTHING_BETWEEN = {"is", "was", "s", "actually", "really", "else", "at", "all", "that", "thats"}


def _negated_before(words: list[str], at: int) -> bool:
    return bool(set(words[max(0, at - 5) : at]) & NEGATION)


def _nothing_absent(words: list[str], at: int) -> bool:
    """ "nothing's missing", "nothing is missing after all": an absence denied, unless an
    exception follows ("nothing missing except the lid")."""
    word = words[at]
    if word in NOTHING:
        rest = [w for w in words[at + 1 : at + 4] if w not in NOTHING_BETWEEN]
        absent = bool(rest) and rest[0] in ABSENT
    else:
        before = [w for w in words[max(0, at - 4) : at] if w not in NOTHING_BETWEEN]
        absent = word in ABSENT and bool(before) and before[-1] in NOTHING
        # "it's not about anything missing", "there isn't anything missing"
        absent |= word in ABSENT and before[-1:] == ["anything"] and _negated_before(words, at)
    # an exception right after it: "nothing missing except the lid", "... but the lid"; not a
    # clause of its own ("nothing's missing, but I want to return it")
    following = words[at + 1 : at + 3]
    excepted = bool(set(following) & EXCEPTING) or (
        following[:1] == ["but"] and not set(following[1:]) & SUBJECTS
    )
    return (absent and not excepted) or _absence_dismissed(words, at)


DISMISSING = {"forget", "ignore", "drop", "scrap", "skip", "nevermind"}
DISMISSED_BETWEEN = {"about", "the", "that", "my", "all", "just", "those", "these"}


def _absence_dismissed(words: list[str], at: int) -> bool:
    """ "forget the missing thing", "never mind about the missing charger": the shopper lets
    the shortfall go and asks no claim for it."""
    if words[at] in DISMISSING:  # the verb itself: "forget" here lets go, it tells of nothing
        after = [w for w in words[at + 1 : at + 5] if w not in DISMISSED_BETWEEN]
        return after[:1] != [] and after[0] in ABSENT
    if words[at] not in ABSENT:
        return False
    before = [w for w in words[max(0, at - 4) : at] if w not in DISMISSED_BETWEEN]
    return bool(before) and (before[-1] in DISMISSING or before[-2:] == ["never", "mind"])


MODALS = {"can", "could", "should", "would", "will", "may", "do"}
FORGETTING = {"forgot", "forget", "forgotten"}


def _own_forgetting(words: list[str], at: int) -> bool:
    """ "before I forget", "I forgot to ask": the shopper forgets, no goods are left out
    ("you forgot the X", "they forgot to pack it" are)."""
    return words[at] in FORGETTING and bool(set(words[max(0, at - 2) : at]) & {"i", "we"})


def _softens(words: list[str], at: int) -> bool:
    """ "can I just show the email", "do I just bring my ID": "just" softens a question."""
    before = words[max(0, at - 2) : at]
    return len(before) == 2 and before[0] in MODALS and before[1] in {"i", "we"}


def _restricts_what_came(following: list[str]) -> bool:
    """After "only" or "just": what came ("only the case", "just got 2"), not a manner or an
    aside ("just want to say", "the staff just ignored me")."""
    if not following or following[0] in ASIDE_VERBS | NOT_OF_GOODS_CAME:
        return False
    word = following[0]
    past = len(word) > 4 and word.endswith("ed") and not word.endswith(("eed", "bed", "sled"))
    return not (past and word not in RECEIVING | PRESENCE | GIVEN | {"contained"})


def _all_that_came(words: list[str], at: int) -> bool:
    """ "all I got was", "all that came": what came, restricted; not "it was all there"."""
    return words[at - 2 : at - 1] == ["all"] and words[at - 1] in {"i", "we", "that", "they"}


# "The running shoes in 10.5", "the mug in blue": "in" says which one, not that it came.
VARIANT_WORDS = {
    "size", "small", "medium", "large", "xl", "xs", "xxl", "black", "white", "red", "blue",
    "green", "grey", "gray", "pink", "navy", "brown", "beige", "cream", "silver", "gold",
}  # fmt: skip


def _a_variant(words: list[str], at: int) -> bool:
    following = words[at + 1 : at + 2]
    variant = bool(following) and (following[0][:1].isdigit() or following[0] in VARIANT_WORDS)
    return words[at] == "in" and variant


PACKING = {"pack", "put", "include", "add", "send", "ship", "bag", "give"}
SHIPMENTS = {"order", "orders", "package", "packages", "parcel", "delivery", "shipment"}
# What else should have come, asked after: "where's the third bag?", "where are the other 2?".
THE_REST = {"other", "others", "rest", "remaining", "second", "third", "fourth", "fifth"}


def tells_someone_forgot_goods(text: str) -> bool:
    """ "you forgot my gym towel lol", "they forgot to pack the lid": the store left goods out."""
    return _forgot_to_pack(_words(plain_text(text)))


def _forgot_to_pack(words: list[str]) -> bool:
    """ "You forgot to pack the cushions", "you forgot the LiPo batteries": goods left out,
    not a password forgotten."""
    return (
        _someone_forgot_goods(words)
        or any(
            w in FORGETTING
            and words[n - 1 : n] not in PEOPLE  # not "I forgot to add a coupon"
            and words[n + 1 : n + 2] == ["to"]
            and words[n + 2 : n + 3] != []
            and words[n + 2] in PACKING
            and not set(words[n + 3 : n + 8]) & NOT_PACKED  # "forgot to put my 10% off code"
            for n, w in enumerate(words)
        )
    )


def _someone_forgot_goods(words: list[str]) -> bool:
    """ "you forgot the batteries", "they forgot my charger", "you guys left out the gift box":
    the store forgot a thing."""
    return any(
        words[n - 1 : n] in FORGETTERS
        and (thing := _forgotten_thing(words, n)) is not None
        and thing < len(words)
        and words[thing] in DETERMINERS
        and not set(words[thing + 1 : thing + 4]) & NOT_PACKED
        for n in range(len(words))
    )


def _forgotten_thing(words: list[str], at: int) -> int | None:
    """Where the thing forgotten starts: after "forgot", or after "left out"."""
    if words[at] in {"forgot", "forgotten"}:
        return at + 1
    if words[at] == "left" and words[at + 1 : at + 2] in (["out"], ["off"]):
        return at + 2
    return None


FORGETTERS = (["you"], ["u"], ["they"], ["guys"], ["yall"], ["store"], ["warehouse"])
HEDGES = {"actually", "even", "really", "ever", "originally"}
# What no one packs: "forgot to add my voucher", "forgot to put my code in".
NOT_PACKED = {
    "voucher", "coupon", "code", "discount", "promo", "password", "email", "address", "note",
    "points", "membership", "payment",
}  # fmt: skip


def _only_some_came(words: list[str]) -> bool:
    """ "only 2 were in the box", "just one came", "only 3 of the 5 gallons": a count that came,
    restricted, or a restricted part of a count."""
    for n, w in enumerate(words[:-1]):
        count = _count(words[n + 1]) if w in RESTRICTING else None
        if count is None:
            continue
        if set(words[n + 2 : n + 4]) & (COUNTED_IN | GIVEN):
            return True
        due = _part_of(words[n + 2 : n + 6])
        packages = bool(set(words[n + 3 : n + 8]) & SHIPMENTS)  # "only 2 of my 3 packages"
        if due is not None and count < due and not packages:
            return True
    return False


def _count(word: str) -> int | None:
    """A count of goods written as digits or a word; an order number is none."""
    if word.isdigit() and len(word) <= 3:
        return int(word)
    if TIMES.fullmatch(word):  # "ordered piping bags x100 got x50"
        return int(word.strip("x"))
    return NUMBER_WORDS.get(word)


TIMES = re.compile(r"x\d{1,3}|\d{1,3}x")


def count_of_a_whole(text: str) -> tuple[int, int] | None:
    """The first "k of (the) n" in the text, as (k, n): "one of the two", "got 1 out of 3"."""
    words = _words(plain_text(text))
    for n, word in enumerate(words):
        part = _count(word)
        whole = _part_of(words[n + 1 : n + 5]) if part is not None else None
        if whole is not None:
            return part, whole
    return None


def _part_of(words: list[str]) -> int | None:
    """The whole of "(out) of (the/my) 5": the count a part is of."""
    rest = [w for w in words if w not in {"out", "the", "my", "our", "those"}]
    return _count(rest[1]) if rest[:1] == ["of"] and len(rest) > 1 else None


def _part_of_a_count_came(words: list[str]) -> bool:
    """ "received one of the two kettles", "got 2 out of 3": fewer came than were due."""
    came = _count_after(words, COUNTED_IN)
    if came is None:
        return False
    count, at = came
    due = _part_of(words[at + 1 : at + 5])
    rest = [w for w in words[at + 1 : at + 5] if w not in {"out", "the", "my", "our", "those"}]
    packages = bool(set(rest[2:4]) & SHIPMENTS)  # "got 1 of my 2 packages": their way
    return due is not None and count < due and not packages


def _asks_for_the_rest(words: list[str]) -> bool:
    """ "Got the table and 2 chairs. where are the other 2?": what came, and where the rest is."""
    return _where_the_rest(words) and bool(set(words) & (COUNTED_IN | HANDED))


# What a shopper did with what came: "picked up my cleats", "opened everything", "got home"
HAD_IN_HAND = {"picked", "collected", "opened", "unpacked", "unboxed", "handed", "gave"}
# Asked "where is" after that, these are no goods: the paperwork, the money, the place
NOT_GOODS_ASKED = SHIPMENTS | {
    "receipt", "invoice", "email", "code", "refund", "money", "confirmation", "tracking",
    "number", "link", "store", "counter", "desk", "locker", "pickup", "parking", "entrance",
    "stuff", "things", "items", "it", "them", "rest",
}  # fmt: skip


def _asks_where_a_thing_is(words: list[str]) -> bool:
    """ "picked up my cleats but where are the socks?", "got home, opened everything. where's
    the catcher's mitt??": goods in hand, and one of them asked after."""
    in_hand = bool(set(words) & HAD_IN_HAND) or "got home" in " ".join(words)
    if not in_hand:
        return False
    for n, word in enumerate(words):
        if word not in {"where", "wheres"}:
            continue
        following = words[n + 1 : n + 5]
        while following[:1] and following[0] in {"is", "are", "s", "did", "was", "were"}:
            following = following[1:]
        if (
            following[:1] in (["the"], ["my"])
            and following[1:2]
            and following[1] not in (NOT_GOODS_ASKED | THE_REST)
        ):
            return True
    return False


def asks_where_the_rest_is(text: str) -> bool:
    """ "part of my order is ready but where's the rest of it?", "where are the others?"."""
    return _where_the_rest(_words(plain_text(text)))


def _where_the_rest(words: list[str]) -> bool:
    return any(
        w in {"where", "wheres"}
        and set(words[n + 1 : n + 4]) & THE_REST
        and not set(words[n + 1 : n + 5]) & SHIPMENTS  # "where is my other order": its way
        for n, w in enumerate(words)
    )


def _came_before(words: list[str], at: int) -> bool:
    """ "The bag had the tent only": a restriction after what came, at the sentence's end."""
    return any(
        words[n] in COUNTED_IN and not (words[n] in {"have", "has"} and words[n - 1 : n] in PEOPLE)
        for n in range(max(0, at - 5), at)
    )  # not "I have a question about pickup only"


def _elided_denial(sentence: str) -> bool:
    """ "The rug came but the cushions didn't, same order": a clause that ends on its
    negation leaves out the verb of what came before it."""
    clauses = [_words(clause) for clause in sentence.split(",")]
    for n, words in enumerate(clauses):
        ends_denied = len(words) >= 2 and words[-1] in ELIDING and words[-2] not in PERSONS
        came_before = set(words[:-1]).union(*clauses[:n]) & COUNTED_IN
        if ends_denied and came_before:
            return True
    return False


# After "half": a part of something ("half my order", "half of it", "half empty"); else a name
# ("half chaps", "half zip").
HALF_OF = {"of", "my", "the", "our", "it", "them", "empty", "missing", "gone", "short"}


def _half_a_name(words: list[str], at: int) -> bool:
    following = words[at + 1 : at + 2]
    return words[at] == "half" and bool(following) and following[0] not in HALF_OF | DETERMINERS


def _counted_near(words: list[str], at: int) -> bool:
    """A count near "instead" ("one instead of two"); not the pronoun of "a longer one
    instead", which asks for another thing."""
    start = max(0, at - 2)
    near = words[start : at + 4]
    return any(
        (w.isdigit() or w in NUMBER_WORDS) and not _a_pronoun_one(words, start + k)
        for k, w in enumerate(near)
    )


def _a_pronoun_one(words: list[str], at: int) -> bool:
    """ "a longer one", "the blue one", "another one": "one" standing for a thing."""
    before = words[max(0, at - 2) : at]
    return words[at] == "one" and bool(set(before) & {"a", "an", "another", "the", "this", "that"})


def _that_was_all(words: list[str]) -> bool:
    """ "I got the boots and the vest. That's it.": what came, and that nothing more did."""
    for n in range(1, len(words)):
        closes = words[n] in {"it", "all", "everything"} and (
            words[n - 1] == "thats" or words[max(0, n - 2) : n] == ["that", "was"]
        )
        if closes and set(words[:n]) & RECEIVING:
            return True
    return False


def _fewer_than_expected(words: list[str]) -> bool:
    """ "Ordered 6, got 3", "paid for 3 shirts and there's 2", "got 1 but paid for 2": a count
    that came, below the count that was due."""
    return _due_and_came(words) is not None


def count_short(text: str) -> int | None:
    """How many fewer came than were due, when the message gives both counts: "ordered 3 of
    the flatcars and only 2 were in the box" is 1."""
    counts = _due_and_came(_words(plain_text(text)))
    return None if counts is None else counts[0] - counts[1]


def _due_and_came(words: list[str]) -> tuple[int, int] | None:
    """The count due and the smaller count that came, if the message gives both."""
    due = _count_after(words, DUE, reach=4)  # "ordered a set of 4 plates"
    if due is None:
        return _count_put_right(words) or _part_of_the_whole(words)
    counted = _counts_before_their_verbs(words)
    if counted is not None:
        return counted
    expected, at = due
    came = _count_after(words[at + 1 :], COUNTED_IN | GIVEN)
    if came is None:  # "got 1 rubber bone but I paid for 2": what came, told first
        came = _count_after(words[: at - 1], COUNTED_IN | GIVEN)
    if came is None:  # "one 12 inch sub came", "only 2 were in the box": the count before
        came = _count_before(words, ARRIVED) or _count_before(words, BEING, PLACED)
    if came is None:  # "ordered 6 batteries, 4 in the bag": a count put in a place
        came = _count_before(words[at + 1 :], PUT_IN, PLACE_DETERMINERS)
    if came is None and words[at - 1 : at] in (["be"], ["been"]):
        came = _count_before(words[: at - 1], SHOULD)  # "10 party hats, should be 20"
    return (expected, came[0]) if came is not None and came[0] < expected else None


def _part_of_the_whole(words: list[str]) -> tuple[int, int] | None:
    """ "3 of the 5 gobos are in the box", "only 2 of my 4 chairs came": a part that came, out
    of the whole that was due."""
    for n in range(len(words) - 2):
        part = _count_at(words, n)
        if part is None or words[n + 1] != "of":
            continue
        at = n + 3 if words[n + 2] in DETERMINERS else n + 2
        whole = _count_at(words, at) if at < len(words) else None
        if whole is None or part >= whole:
            continue
        after = words[at + 1 : at + 6]
        if after[:1] and after[0] in SHIPMENTS | {"boxes", "bags", "parcels"}:
            continue  # "only 2 of my 3 packages came": a package on its way, no goods short
        came = set(after) & (ARRIVED | RECEIVED) or any(
            word in BEING and after[k + 1 : k + 2] and after[k + 1] in PLACED
            for k, word in enumerate(after)
        )
        if came:
            return whole, part
    return None


def _counts_before_their_verbs(words: list[str]) -> tuple[int, int] | None:
    """ "3 items ordered, 1 item received": each count before its verb."""
    due = _count_before(words, ORDERING)
    if due is None:
        return None
    after = words[due[1] + 1 :]
    verb = next((n for n, word in enumerate(after) if word in ORDERING), None)
    came = _count_before(after[verb + 1 :], ARRIVED | RECEIVED) if verb is not None else None
    return (due[0], came[0]) if came is not None and came[0] < due[0] else None


def _count_put_right(words: list[str]) -> tuple[int, int] | None:
    """ "the carton i collected had 8 reams not 10", "got 2 fenders instead of 4": a count that
    came, then the count due after a "not" or an "instead of"."""
    for n, word in enumerate(words[:-1]):
        expected = None
        if word == "not":
            expected = _count_at(words, n + 1)
        elif word == "instead" and words[n + 1] == "of" and n + 2 < len(words):
            expected = _count_at(words, n + 2)
        came = _count_after(words[:n], COUNTED_IN | GIVEN) if expected is not None else None
        if expected is not None and came is not None and came[0] < expected:
            return expected, came[0]
    return None


def _count_after(words: list[str], verbs: set[str], reach: int = 3) -> tuple[int, int] | None:
    """The first count within `reach` words after one of the verbs, and where it is."""
    for n, word in enumerate(words):
        if word in verbs:
            for m in range(n + 1, min(n + 1 + reach, len(words))):
                if (count := _count_at(words, m)) is not None:
                    return count, m
    return None


def _count_before(
    words: list[str], verbs: set[str], then: set[str] | None = None
) -> tuple[int, int] | None:
    """The nearest count within four words before one of the verbs ("only 2 chairs arrived"),
    and one of `then` after it, if given ("2 were in the box")."""
    for n, word in enumerate(words):
        if word in verbs and (then is None or words[n + 1 : n + 2] and words[n + 1] in then):
            for m in reversed(range(max(0, n - 4), n)):
                if (count := _count_at(words, m)) is not None:
                    return (count, m) if _counts_what_came(words, m) else None
    return None


ONE_OF_A_KIND = {
    "the", "a", "an", "that", "this", "which", "each", "every", "other", "another", "first",
    "second", "last", "my", "his", "her", "our", "their", "your",
}  # fmt: skip


def _counts_what_came(words: list[str], at: int) -> bool:
    """The count before a verb is a number of things: not "not a single one", "the small one"."""
    before = words[max(0, at - 2) : at]
    if set(before) & (NEGATION | {"single"}):
        return False
    # "only one came"; not "the blue one was there", which says which one
    return words[at] != "one" or not set(before) & ONE_OF_A_KIND


def _count_at(words: list[str], at: int) -> int | None:
    """The count the word at `at` is: not an order number, a size ("12 inch") or a time
    ("3 days")."""
    following = words[at + 1 : at + 2]
    return None if following and following[0] in MEASURES else _count(words[at])


def _into(following: list[str]) -> bool:
    """ "make it into (the bag)", "make it in": goods that did not get into what came."""
    in_time = following[2:4] == ["in", "time"]  # "we didn't make it in time": no goods
    return following[:2] in MAKE_IT and following[2:3] in (["in"], ["into"]) and not in_time


# "Nothing's wrong with the order", "no problem with it": the denial is of a fault, not of
# goods; "it shipped but nothing since", "no update yet": of news.
NOT_GOODS_DENIED = {
    "wrong", "amiss", "broken", "problem", "problems", "issue", "issues", "since", "yet",
    "update", "updates", "news", "word", "movement", "change", "changes", "tracking",
}  # fmt: skip


# "no worries", "no idea": manners and shrugs after "no", that deny nothing of an order
NO_MATTER = {
    "worries",
    "worry",
    "idea",
    "clue",
    "rush",
    "thanks",
    "luck",
    "matter",
    "need",
    "probs",
}


PARTIES = {"them", "you", "u", "anyone", "anybody", "store", "shop", "location", "team", "staff"}


def _from_a_party(following: list[str]) -> bool:
    """ "from the store", "from them": who a word would have come from, not what came."""
    return following[:1] == ["from"] and bool(set(following[1:3]) & PARTIES)


def _denies_a_fault(words: list[str], at: int) -> bool:
    """A denying word that speaks of no goods: "nothing is wrong", "nothing since"."""
    following = [word for word in words[at + 1 : at + 3] if word not in {"is", "was", "s"}]
    if words[at] == "no" and words[at + 1 : at + 2] and words[at + 1] in NO_MATTER:
        return True  # "ah ok no worries, thanks anyway", "no rush"
    if words[at] == "nothing" and _from_a_party(words[at + 1 : at + 4]):
        return True  # "an email saying shipped but nothing from the store": no word, no goods
    return bool(following) and following[0] in NOT_GOODS_DENIED


def _denies_presence(words: list[str], at: int) -> bool:
    """A negated verb denies that something came: "wasn't there", "didn't get", "can't find";
    not "doesn't fit", "not happy" or "hasn't been picked up"."""
    following = words[at + 1 : at + 4]
    if not following or following[0] in PLACE_WORDS:
        return True  # "there was meant to be a charger and there wasn't": the verb left out
    if following[:2] in (["get", "to"], ["come", "to"], ["got", "to"], ["gotten", "to"]):
        return False  # "I can't get to the store", "it hasn't got to the store": no goods short
    if following[:2] in (["get", "there"], ["go", "there"]) and words[at - 1 : at] in (
        ["i"],
        ["we"],
    ):
        return False  # "I can't get there until next week": nor here
    if following[:1] in (["get"], ["receive"], ["got"]) and set(words[at + 2 : at + 6]) & MESSAGES:
        return False  # "didn't get a pickup email yet": a message, not goods
    if following[:2] in MAKE_IT and not _into(following):
        # "I can't make it (to the store)"; but "one of the towels didn't make it": not there
        return _made_it_nowhere(following) and words[at - 1 : at] not in PEOPLE
    return any(
        (word in PRESENCE and (word != "at" or n == 0 or following[n - 1] in BE_WORDS))
        or _presence_slip(word)
        for n, word in enumerate(following)
    )  # "wasn't at the store", "isn't even at the store"; not "didn't even look at me"


BE_WORDS = {"be", "been", "is", "was", "even", "there", "still", "yet"}
MESSAGES = {
    "email", "e", "notification", "notice", "text", "sms", "call", "reply", "response",
    "confirmation", "update", "alert", "message", "answer", "receipt",
}  # fmt: skip


def _presence_slip(word: str) -> bool:
    """A word of presence typed with one slip: "insdie", "recieved", "inclded"."""
    return (
        len(word) >= 5
        and word not in NOT_PRESENCE
        and any(
            DamerauLevenshtein.distance(word, presence) <= 1
            for presence in PRESENCE
            if len(presence) >= 5
        )
    )


def _negation_slip(word: str) -> bool:
    """A negation typed with one slip: "wernt", "didint", "wasent"; not "want" or "went", nor
    a word one letter from a short one ("paint", "mint" are not "aint")."""
    if len(word) < 4 or not word.endswith("nt") or word in {"want", "went", "sent", "rent"}:
        return False
    return any(
        DamerauLevenshtein.distance(word, negation) <= 1
        for negation in NEGATION
        if negation.endswith("nt") and len(negation) >= 5
    )


def _absent(word: str) -> bool:
    """An absence word, with a slip allowed in the long ones ("msising", "misisng")."""
    return word in ABSENT or missing_slip(word)


def missing_slip(word: str) -> bool:
    """ "missing" typed with one slip ("msising", "misisng"); not another word ("hissing")."""
    if word in WORDS_LIKE_MISSING:
        return False
    return len(word) >= 6 and DamerauLevenshtein.distance(word, "missing") <= 1


# Words one letter from "missing" that are words of their own: "the tank was hissing"
WORDS_LIKE_MISSING = {"hissing", "kissing", "pissing", "dissing", "misting", "mussing", "messing"}


def _partnered(word: str, words: list[str], at: int) -> bool:
    partners = NEEDS_PARTNER.get(word)
    following = words[at + 1 : at + 3]
    if partners is None or set(following) & partners:
        return True
    if word != "short":
        return False
    if any(w.isdigit() or w in NUMBER_WORDS for w in following[:1]):
        return True  # "short 2 towels"
    counted = words[max(0, at - 4) : at]  # "one inner tube short", "we're a towel short"
    if following or words[at - 1 : at] in DEGREES:
        return False  # "the jersey is a bit short": its fit
    return any(w.isdigit() or w in {*NUMBER_WORDS, "a", "an"} for w in counted)


DEGREES = [[w] for w in ("bit", "little", "too", "very", "so", "kinda", "way", "really", "tad")]


def _inherit(
    segments: list[Segment], answering: bool, previous: list[Segment] | None = None
) -> list[Segment]:
    """Segments with items but no cue take the polarity that governs their list; `before` is
    the previous sentence's last segment ("The X wasn't there! Only the Y and the Z.")."""
    result = list(segments)
    previous = previous or []
    # "everything except the shoes and the vest", "only the Y and the Z": the list goes on
    listed: Polarity | None = None
    for n, segment in enumerate(segments):
        torn = False
        if segment.polarity is not Polarity.NONE:
            listed = None
            continue
        if _is_except(segment):  # "got everything except the boots"
            before = _previous_cue(result, n)
            flipped = {Polarity.RECEIVED: Polarity.MISSING, Polarity.MISSING: Polarity.RECEIVED}
            # answering "which are missing?", "everything except X": X is what came
            listed = flipped.get(before, Polarity.RECEIVED if answering else Polarity.NONE)
            polarity = listed
        elif not segment.items:
            continue
        elif listed is not None:
            polarity = listed
        elif _adds_to(segment) and n > 0 and result[n - 1].polarity in SIDES:
            polarity = result[n - 1].polarity  # "X is missing and also one of the Y"
        elif _is_restricted(segment) and _contrasts(previous + result, n + len(previous)):
            listed = polarity = Polarity.RECEIVED  # "the vacuum isn't in the box, only the filters"
        else:
            governing = _governing(segments, n, answering)
            torn = governing is Polarity.NONE
            polarity = governing or (Polarity.MISSING if answering else Polarity.NONE)
        if polarity is Polarity.NONE and _is_restricted(segment) and _counted(segment):
            polarity = Polarity.RECEIVED  # "... but only ONE pair of mittens": that came
        if segment.items:
            torn = torn and polarity is Polarity.NONE
            result[n] = replace(segment, polarity=polarity, torn=torn)
    return result


def _ordered_short(text: str, told: list[Line]) -> Wanted | None:
    """ "I ordered 12 of the vanilla gels and only got 8", "got 1 chamois strip, should be 2":
    the one line told as ordered (or else as come), by its whole count, is short by the
    difference (how many is left to ask if some can't be claimed)."""
    if len(told) != 1:
        return None
    line = told[0]
    counts = _due_and_came(_words(plain_text(text)))
    if counts is None or counts[0] != line.ordered or not line.claimable:
        return None
    return Wanted(line, counts[0] - counts[1] if line.claimable == line.ordered else None)


def _short_of_the_whole(segment: Segment, want: Wanted) -> Wanted | None:
    """ "Got 2 of the 3 film packs", "only 1 out of 3 came": a count of the whole line that came,
    short of it. The count missing is sure only when every unit ordered can be claimed; with
    some on their way or claimed before, how many is left to ask."""
    if want.quantity is None or want.ambiguous or want.everything:
        return None
    words = _words(segment.text)
    line = want.line
    due_and_came = _due_and_came(words)  # "there was only one belt pouch when I paid for two"
    if due_and_came is not None and due_and_came == (line.ordered, want.quantity):
        short = line.ordered - want.quantity
        return Wanted(line, short if line.claimable == line.ordered else None)
    if segment.polarity is not Polarity.RECEIVED and not set(words) & (COUNTED_IN | ARRIVED):
        return None  # "I ordered 2 of the 3 colours": no word that anything came
    counted = count_of_a_whole(segment.text)
    if counted is None or counted[0] != want.quantity:
        return None
    part, whole = counted
    if not part < whole == line.ordered:
        return None
    return Wanted(line, whole - part if line.claimable == line.ordered else None)


def _short_by(segment: Segment, want: Wanted) -> int:
    """How many of a line "only N came" leaves out: N fewer than claimable, when it says only."""
    if segment.polarity is not Polarity.RECEIVED or not _is_restricted(segment):
        return 0
    if want.quantity is None or want.ambiguous or want.everything:
        return 0
    return max(0, want.line.claimable - want.quantity) if want.quantity > 0 else 0


def _contrasts(segments: list[Segment], n: int) -> bool:
    """'Only X' right after a missing clause that names its own item and says it itself; or
    that denies, of a thing it leaves unnamed, that it was there ("not in the box, just the
    suit, gloves and sliders"), not "I'm missing stuff, just the charger"."""
    if n == 0:
        return False
    before = segments[n - 1]
    words = set(_words(before.text))
    if before.polarity is not Polarity.MISSING:
        return False
    if before.items:
        return bool(words & (ABSENT | NEGATION))
    told = words - NEGATION - PLACE_WORDS - COPULAS - PLAIN_WORDS
    if "empty" in words:  # "the UPS box was half empty, just the couplings": what it held
        return any(_a_container(word) for word in told)
    return bool(words & NEGATION) and all(_a_container(word) for word in told)


SIDES = (Polarity.MISSING, Polarity.RECEIVED)
ADDING = {"also", "too", "plus", "aswell"}


def _adds_to(segment: Segment) -> bool:
    """ "Also the Y", "the Y too", "the Y as well": the same as what was just said."""
    words = _words(segment.text)
    return bool(set(words[:1] + words[-1:]) & ADDING) or words[-2:] == ["as", "well"]


def _is_restricted(segment: Segment) -> bool:
    """ "only the filters", "just 2 came"; not "she just told me" (a manner, not what came)."""
    words = _words(segment.text)
    return any(
        word in RESTRICTING and (n == len(words) - 1 or _restricts_what_came(words[n + 1 :]))
        for n, word in enumerate(words)
    )


def _counted(segment: Segment) -> bool:
    return any(want.quantity is not None and not want.everything for want in segment.items)


def _is_except(segment: Segment) -> bool:
    return bool(set(_words(segment.text)) & EXCEPTING)


def _previous_cue(segments: list[Segment], n: int) -> Polarity | None:
    for segment in reversed(segments[:n]):
        if segment.polarity not in (Polarity.NONE, Polarity.EXCLUDED):
            return segment.polarity
    return None


def _governing(segments: list[Segment], n: int, answering: bool = False) -> Polarity | None:
    """The cue of the list this bare segment is in: before it ("I ordered X, Y") or after it.

    Answering "which items?", a clause set off by a comma alone starts anew: "the trail ones,
    the road shoes came fine" answers with the trail ones."""
    start = n
    while start > 0 and _bare(segments[start - 1]):
        start -= 1
    end = n
    while end + 1 < len(segments) and _bare(segments[end + 1]):
        end += 1
    before = segments[start - 1] if start > 0 else None
    after = segments[end + 1] if end + 1 < len(segments) else None
    # A cue before the list governs it when the list is its object: "I ordered the X, the Y"
    # or "missing: X, Y"; not "I picked up my order yesterday, X and Y are missing".
    quiet = (Polarity.NONE, Polarity.EXCLUDED)
    leads = before is not None and before.polarity not in quiet and before.cue_first
    leads = leads and (bool(before.items) or _ends_with_cue(before))
    # "picked up my car seat but the mirror and the cover weren't there": after "but", the
    # list is the next clause's, not the one before
    leads = leads and not segments[start].after_contrast
    # "the socks and the laces came fine": a cue after the list governs it, even when its own
    # subject names nothing on the order
    follows = after is not None and (
        (bool(after.items) and not after.cue_first) or (not after.items and _has_subject(after))
    )
    follows = follows and after.polarity not in quiet
    follows = follows and not (answering and after.after_comma)
    # "unpacked the smoker, the pellets, the jacket - but the hive tool wasn't there": a cue
    # after "but" is the next clause's, never the list's before it
    follows = follows and not after.after_contrast
    if leads and follows and before.polarity is not after.polarity:
        # "I got the X, the Y and the Z weren't there": not sure, so not missing, even as an
        # answer ("no cables in the box, charger and pad were")
        return Polarity.NONE
    if leads:
        return before.polarity
    if follows:
        return after.polarity
    return None


DETERMINERS = {"the", "my", "our", "both", "those", "these", "his", "her", "their"}


def _has_subject(segment: Segment) -> bool:
    """ "the laces came fine": a thing named before the clause's cue, not "everything else"."""
    words = _words(segment.text)
    return bool(words) and words[0] in DETERMINERS and segment.polarity is not Polarity.NONE


def _ends_with_cue(segment: Segment) -> bool:
    words = _words(segment.text)
    cues = ABSENT | NEGATION | RECEIVING | ORDERING
    return bool(words) and words[-1] in cues


def _bare(segment: Segment) -> bool:
    return bool(segment.items) and segment.polarity is Polarity.NONE and not _is_except(segment)


def _says_everything(text: str) -> bool:
    """'Nothing was in the bag', 'everything is missing'; not 'not everything came'."""
    words = _words(text)
    if set(words) & PARTIAL or any(
        w in {"everything", "all"} and n > 0 and words[n - 1] in NEGATION
        for n, w in enumerate(words)
    ):
        return False
    return (
        means_everything(text)
        or bool(set(words) & {"nothing", "empty"})
        or ("none" in words and "of" in words)
    )


def _words(text: str) -> list[str]:
    """The words, a compound kept whole: the "in" of "plug-in", "built-in" or "in-use" is no
    cue."""
    compound = r"(?:\b(?:in|on)-(?=[a-z]))?[a-z0-9]+(?:-(?:in|on|out|up|off)\b)?(?:'[a-z]+)?"
    words = re.findall(compound, text.lower())
    return [w.replace("'", "") for w in words]
