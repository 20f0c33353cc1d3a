"""What the customer's latest message is: an answer to the question asked, or something else.

The forms ask for values; what the customer writes back is read here once, so that every step
makes the same decision: take it as the answer, or let a digression rule answer it and come
back to the step (by rejecting the form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein
from rasa_sdk import Tracker

# Intents that the digression rules answer in the middle of a form (data/rules/digressions.yml).
ASIDES = {
    "check_tracking",
    "check_claim_status",
    "request_human",
    "bot_challenge",
    "out_of_scope",
    "send_evidence",
    "share_photo",
    "stop",
    "greet",
    "thank",
    "goodbye",
    "chitchat",
    "ask_next_steps",
    "ask_store_hours",
}
# Questions about the order that may name its items ("where is the package with the bag?")
ORDER_QUESTIONS = {"check_tracking", "check_claim_status", "ask_store_hours"}
# Asides that are a word or two of politeness break into free text only when very short.
SMALL_TALK = {"greet", "thank", "goodbye", "chitchat"}
CLEAR_CONFIDENCE = 0.8
ASIDE_CONFIDENCE = 0.6  # below it, an aside's intent is a guess: the message is an answer
CLEAR_WORDS = 8
THANKS = r"(?:thanks|thank you|thank u|thanx|thx|ty|cheers|gracias|merci|danke|appreciate it)"
# "ok thanks, I'll come back for it", "oh ok, so it's still coming? thanks": a reply that closes
CLOSING_THANKS = re.compile(
    rf"\b{THANKS}(?:\s+(?:anyway|anyways|again|so much|a lot|a bunch))?\b[\s!.:)]*$", re.IGNORECASE
)
OPENING_THANKS = re.compile(
    rf"^\s*(?:(?:ok(?:ay)?|oh|ah|great|cool|perfect|got it|alright)[\s,!.]+)*{THANKS}\b",
    re.IGNORECASE,
)
ACKNOWLEDGING = re.compile(r"^\s*(?:ok(?:ay)?|oh|ah|got it|i see|alright|right)\b", re.IGNORECASE)
THANKS_WORDS = 9  # "thanks, sorry for the confusion": thanks, and a word or two of manners
REQUESTING = re.compile(
    r"\b(?:you\s+(?:can|could|will)|can\s+you|could\s+you|please|pls|where|when|check|tell\s+me)\b",
    re.IGNORECASE,
)
HOPEFUL = re.compile(r"\b(?:hop(?:e|es|ing)|fingers\s+crossed|appreciate\s+it)\b", re.IGNORECASE)


# "ok I'll check with them then", "fine, I'll have her message you herself": the shopper
# closes with a plan of their own, and asks nothing.
SIGNING_OFF = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|oh|ah|alright|all right|fine|got it|right|sure|cool|understood|"
    r"i see|no worries|then|so)\W+)+(?:i'?ll|i will|we'?ll|i'?m going to|i guess i'?ll)\s+"
    r"(?:\w+\s+){0,2}?(?:check|ask|call|contact|try|wait|do|message|get|have|look|come|go|"
    r"phone|email|e-mail|write|reach|sort)\b[^?]*$",
    re.IGNORECASE,
)
# "ok so the album is coming later, got it": what was said, taken in, and nothing asked
TAKEN_IN = re.compile(
    r"^\W*(?:ok(?:ay)?|oh|ah|alright|all right|right|i see)\b[^?]*\b(?:got it|understood|"
    r"makes sense|fair enough|noted|good to know)[^\w?]*$",
    re.IGNORECASE,
)
SIGN_OFF_WORDS = 14
# A plan to get in touch that is the shopper's own: "I'll have her contact you herself",
# "fine, I'll call them": nobody asked to be brought in here.
WILL = r"\b(?:i'?ll|i\s+will|i'?m\s+going\s+to|gonna)\s+(?:just\s+|simply\s+)?"
SOMEONE_ELSE_WILL = re.compile(
    rf"{WILL}(?:have|get|ask|tell|let)\s+(?:her|him|them|my\s+\w+)\s+(?:to\s+)?"
    r"(?:contact|call|message|email|e-mail|reach|ring|write|text|chat)\b|"
    rf"{WILL}(?:call|ring|phone|email|e-mail|contact)\s+(?:them|the\s+store|the\s+shop|"
    r"customer\s+service|the\s+company|my\s+bank|the\s+bank)\b",
    re.IGNORECASE,
)
# The report taken back as a whole: nothing is missing after all.
TAKEN_BACK = re.compile(
    r"\b(?:nothing(?:'s|\s+is|\s+was)?\s+missing|found\s+(?:it|them)|(?:it'?s|it\s+is|"
    r"they'?re|they\s+are|everything'?s|everything\s+is|all)\s+(?:all\s+)?(?:there|here))\b",
    re.IGNORECASE,
)


# The shopper calls the claim off in so many words, whatever else the message tells:
# "never mind, please don't file anything", "let's cancel this for now".
CALLS_OFF = re.compile(
    r"\b(?:do\s*n'?t|do\s+not|no\s+need\s+to)\s+(?:file|submit|send|open|make|process)\b|"
    r"\bcancel\s+(?:this|it|that|everything|the\s+(?:claim|report|request|refund))\b|"
    r"\bforget\s+(?:it|about\s+it|the\s+(?:claim|refund))\b|"
    # "forget the fork, it's like 6 bucks": a thing let go, and why
    r"\bforget\s+(?:about\s+)?the\s+[\w' -]{1,30}?,\s*(?:it'?s|its|not\s+worth|whatever)\b|"
    # "… he'd unpacked it. never mind, sorry about that!": a "never mind" that closes the message
    r"\b(?:never\s*mind|nvm|scratch\s+that|disregard\s+(?:that|this|me))\b"
    r"(?:\W+(?:then|sorry|about\s+that|for\s+the\s+(?:trouble|bother|confusion)|thanks?|"
    r"thank\s+you|lol|haha|my\s+bad|all\s+good|false\s+alarm))*\W*$",
    re.IGNORECASE,
)


def calls_off(text: str) -> bool:
    """The message says not to file the claim: an explicit stop wins over any answer."""
    return bool(CALLS_OFF.search(text.replace("’", "'")))


def signs_off(text: str) -> bool:
    """An acknowledgement, with a plan of the shopper's own or of what was said, that asks
    nothing new."""
    short = len(text.split()) <= SIGN_OFF_WORDS
    return short and bool(SIGNING_OFF.search(text) or TAKEN_IN.search(text))


# "have a lovely evening", "enjoy your weekend!": a farewell wish, and nothing asked
WISHES_WELL = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|thanks?|thank you|and|you too|same to you)\W+)*(?:have|enjoy)\s+"
    r"(?:a|an|the|your)\s+(?:\w+\s+){0,3}?(?:day|evening|night|weekend|week|one|afternoon|"
    r"morning|holiday|holidays|time|shift)\b[^?]*$",
    re.IGNORECASE,
)


def wishes_well(text: str) -> bool:
    """A farewell wish: "have a lovely evening", "enjoy the rest of your day"."""
    return len(text.split()) <= SIGN_OFF_WORDS and bool(WISHES_WELL.search(text))


def only_thanks(text: str) -> bool:
    """The message thanks, and asks nothing new: "thanks, sorry for the confusion", "oh ok, so
    the rain cover is still coming? thanks"; not "thanks, but where is my order?"."""
    asks = "?" in text and not ACKNOWLEDGING.search(text)
    if CLOSING_THANKS.search(text):
        return not asks
    # "Thanks, recital is in 2 weeks so hoping this is quick": manners and a hope, no request
    hopes = bool(HOPEFUL.search(text)) and not REQUESTING.search(text)
    short = (len(text.split()) <= THANKS_WORDS or hopes) and not re.search(r"\bbut\b", text, re.I)
    return bool(OPENING_THANKS.search(text)) and short and "?" not in text


YES_NO_GUESS, YES_NO_WORDS = 0.3, 6
BEHIND_FALLBACK = 0.5  # the least for a guess the NLU itself did not trust enough to make
SMALL_TALK_WORDS = 3
QUESTION_WORDS = {"where", "where's", "wheres", "when", "why", "how", "what", "what's", "who"}
FILLERS = {"btw", "oh", "and", "also", "so", "but", "ok", "okay", "hey", "um", "hmm", "wait"}
# One-word answers whose slip of a key the NLU cannot read ("yse", "ys", "nope" as "nopw").
YES_NO_TYPOS = {"affirm": ("yes", "yeah", "yep", "yup"), "deny": ("nope",)}
YES_WORDS = ("yes", "yeah", "yep", "yup", "ya", "yea", "yah")  # too short for slips: exact
# Said before a yes without changing it: "ok yes, just the bio rings then"
BEFORE_YES = {"ok", "okay", "oh", "ah", "alright", "right", "so", "well", "um", "hmm", "fine"}
SHORT_YES_WORDS = 4
AGAINST_YES = {"no", "not", "nope", "don't", "dont", "wait", "cancel", "wrong", "but", "stop"}
# What a person's attempt looks like (Turn.is_attempt).
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row, in any script
DIGITS = re.compile(r"\d{3}")
PLAIN_MARKS = set(".,;:'\"!?@#&()-/+$%")
PLAIN_SHARE = 0.85
MAX_ATTEMPT = 1000


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str
    confidence: float
    entities: dict[str, str]
    ranking: tuple[tuple[str, float], ...] = ()  # the NLU's guesses, best first

    def says(self, intent: str, least: float = YES_NO_GUESS, words: int = YES_NO_WORDS) -> bool:
        """A short answer to a yes/no question that is `intent` among the NLU's two best
        guesses ("yep, file it" may read as a missing-item story first, a yes second)."""
        if self.intent == intent or (
            self.words == 1 and _slip_of(self.text.lower().strip(" .!"), intent)
        ):
            return True
        if self.intent == "nlu_fallback":
            least = max(least, BEHIND_FALLBACK)  # "asdfgh" at 0.34 "affirm" is no yes
        best = [name for name, confidence in self.ranking[:2] if confidence >= least]
        return self.words <= words and intent in best

    def opens_with_yes(self) -> bool:
        """ "Yes, 2 pairs", "ya thats rigth", "ok yes, just the rings": a plain yes first (after
        an "ok"), and no question after it; or a short message with a plain yes and no word
        against it ("ok cool yes"); or a plain yes set off at its end ("the one I picked up,
        yes")."""
        words = [w.strip(" .,!;:-").lower() for w in self.text.split()]
        if not words or self.ends_with_question:
            return False
        first = next((w for w in words[:3] if w not in BEFORE_YES), "")
        if first in YES_WORDS or _slip_of(first, "affirm"):
            return True
        short = len(words) <= SHORT_YES_WORDS and not set(words) & AGAINST_YES
        if short and bool(set(words) & set(YES_WORDS)):
            return True
        # "the one I picked up, yes": a plain yes set off at the end, nothing against it
        closing = re.search(r"[,;–-]\s*(\w+)\W*$", self.text)
        return bool(closing) and closing[1].lower() in YES_WORDS and not set(words) & AGAINST_YES

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def ends_with_question(self) -> bool:
        return self.text.rstrip().endswith("?")

    @property
    def is_question(self) -> bool:
        """Asks something ("where's my other box, the one with the puzzle?", "btw where's my
        other box? the one with the puzzle"): no answer."""
        first = self.text.lower().split()[:1]
        if self.ends_with_question or bool(first and first[0] in QUESTION_WORDS):
            return True
        return any(_asks(sentence) for sentence in re.findall(r"[^?.!]*\?", self.text))

    @property
    def is_payload(self) -> bool:
        """A button's `/intent` payload (or one typed like it), never an answer in words."""
        return self.text.startswith("/")

    @property
    def is_attempt(self) -> bool:
        """Written by a person trying to say something: words or a number, not noise.

        Markup, a wall of text, emoji or random characters are answered like any miss, but
        they never bring in a person by themselves (see `common.failure`).
        """
        if self.is_payload or not self.text or len(self.text) > MAX_ATTEMPT:
            return False
        if not (WORD.search(self.text) or DIGITS.search(self.text)):
            return False
        plain = sum(1 for c in self.text if c.isalnum() or c.isspace() or c in PLAIN_MARKS)
        return plain / len(self.text) >= PLAIN_SHARE

    def is_clearly(self, intents: set[str], words: int = CLEAR_WORDS) -> bool:
        return (
            self.intent in intents
            and (self.is_payload or self.confidence >= CLEAR_CONFIDENCE)
            and self.words <= words
        )

    @property
    def asks_for_a_person(self) -> bool:
        """A clear request for a person, whatever else the message names; not someone else's
        plan to get in touch ("I'll have her contact you herself")."""
        sure = self.is_payload or self.confidence >= CLEAR_CONFIDENCE
        return self.intent == "request_human" and sure and not SOMEONE_ELSE_WILL.search(self.text)

    @property
    def is_aside(self) -> bool:
        """Something the digression rules answer, rather than an answer to the question."""
        sure = self.is_payload or self.confidence >= ASIDE_CONFIDENCE
        return self.intent in ASIDES and sure

    def breaks_free_text(self, describes: bool) -> bool:
        """While free text is asked: a clear request for a person, or a short, clear aside.

        `describes`: the text speaks of the items or the package, so it is the answer
        whatever the NLU made of it ("it wasnt in teh bag" is no greeting).
        """
        if self.intent == "share_photo":
            return True
        if self.asks_for_a_person:
            return True  # the explicit request wins, even in a long message about the items
        if self.ends_with_question and self.is_aside and self.intent in ORDER_QUESTIONS:
            return True  # "where's my other package, the one with the sleeping bag?"
        clear_stop = self.intent == "stop" and (
            self.is_payload or self.confidence >= CLEAR_CONFIDENCE
        )
        if clear_stop and TAKEN_BACK.search(self.text):
            return True  # "never mind, it was stuffed in the brush roll. nothing's missing"
        if describes:
            return False
        if clear_stop:
            return True  # "never mind, just found it under the seat": however long
        if self.intent in SMALL_TALK:
            return self.is_clearly(SMALL_TALK, SMALL_TALK_WORDS)
        if self.ends_with_question and self.is_aside:
            return True  # "wait, are you a bot or a real person typing this?" tells nothing
        if self.ends_with_question and self.intent in ASIDES | {"nlu_fallback"}:
            return True  # "how long does the refund take to show up on my card?" tells nothing
        return self.is_clearly(ASIDES)


def _asks(sentence: str) -> bool:
    """A sentence ending in "?" that opens, after a filler, with a question word."""
    words = [w for w in sentence.lower().split() if w not in FILLERS]
    return bool(words) and words[0] in QUESTION_WORDS


def _slip_of(word: str, intent: str) -> bool:
    """One word, one slip away from a plain yes or no: "yse" and "ys" are a yes."""
    if len(word) < 2 or not word.isalpha():
        return False
    return any(
        word[0] == plain[0] and DamerauLevenshtein.distance(word, plain) <= 1
        for plain in YES_NO_TYPOS.get(intent, ())
    )


def latest_turn(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    entities = {}
    for entity in message.get("entities") or []:
        entities.setdefault(entity.get("entity"), str(entity.get("value")))
    text = " ".join(str(message.get("text") or "").split())
    ranking = tuple(
        (str(guess.get("name")), float(guess.get("confidence") or 0))
        for guess in message.get("intent_ranking") or []
        if guess.get("name") != "nlu_fallback"
    )
    name, confidence = intent.get("name") or "", float(intent.get("confidence") or 0)
    return Turn(text, name, confidence, entities, ranking)


CORRECTION_START = re.compile(
    r"^\s*(?:oh,?\s+|wait,?\s+|sorry,?\s+|hold on,?\s+|no,?\s+|and\s+|also\s+|actually,?\s+|"
    r"plus\s+|not\s+)",
    re.IGNORECASE,
)


def starts_like_correction(text: str) -> bool:
    """'oh, and the cable', 'actually not the case', 'no wait': a change, by how it starts."""
    return bool(CORRECTION_START.search(text))
