"""A message that asks for a person is a request for a person, whatever else it tells.

"The box was EMPTY, that's $899!! I need a human to deal with this, not a bot": the
classifier weighs every word, and a story of missing items or a refund can outvote the one
clause that asks for someone. The explicit request wins (issue 17, "the explicit request
wins"), so a clause that asks for a person sets the intent. It must ask: "am I talking to a
real person?" asks what the assistant is, and "the person at the store was rude" asks for
no one.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import DamerauLevenshtein
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.help_center import another_matter
from actions.turns import SOMEONE_ELSE_WILL
from nlu_components.intent_override import FALLBACK, IntentOverride, give_way

HUMAN = "request_human"
# Any word of people or of reaching them: a request for a person needs one ("the phone case
# isn't there" has none, though the classifier may read it as one). Slips count ("agnet").
OF_PEOPLE = re.compile(
    r"\b(?:person|people|human|agent|someone|somebody|anyone|anybody|s[ou]me?(?:one|1)|any1|"
    r"representatives?|reps?|"
    r"operator|manager|supervisor|staff|team|support|service|customer\s+care|call|ring|speak|"
    r"talk|chat|"
    r"contact|reach|live|real|bot|helpdesk|desk|escalat\w*|complain\w*|transfer|telephone|"
    r"callback|hotline|phone\s+(?:you|u|number|no|line|support|us|them)|i\s+phone)\b",
    re.IGNORECASE,
)
PEOPLE_WORDS = (
    "person", "people", "human", "hooman", "agent", "someone", "somebody", "representative",
    "operator", "manager", "supervisor", "support", "service", "contact", "transfer",
    "telephone", "callback", "hotline", "escalate", "complaint",
)  # fmt: skip
SLIP = 4  # words this long or longer may carry one slip ("humna", "agnet")
PEOPLE = (
    r"(?:human|humans|person|people|agent|representative|rep|someone|somebody|employee|"
    r"lady|gentleman|"
    r"staff|supervisor|manager|operator|customer (?:service|support|care)|support team|"
    r"(?:one|some|any|a member)\s+of\s+(?:your|the)\s+(?:team|staff|people))"
)
TALK = r"(?:talk|speak|chat)(?:\s+(?:to|with))?"
# Words that soften a request without changing it: "can I just talk to somebody"
SOFT = r"(?:(?:just|please|pls|plz|maybe|now|quickly|actually|really|finally)\s+)*"
ASKING = (
    rf"(?:i|we)\s+{SOFT}(?:need|want|would like|demand)|(?:i|we)'d\s+{SOFT}like"
    rf"|(?:can|could|may)\s+(?:i|we)\s+{SOFT}(?:get|have)"
    r"|get me|give me|put me through to|transfer me to|connect me (?:to|with)"
    rf"|let me {SOFT}{TALK}|(?:can|could|may)\s+(?:i|we)\s+{SOFT}{TALK}"
    rf"|(?:want|need|like)\s+to\s+{TALK}"
    rf"|how (?:do|can) i (?:reach|contact|get hold of|get in touch with|get through to|{TALK})"
    r"|is there (?:a|an|any)"
)
REQUEST = re.compile(
    rf"\b(?:{ASKING})\s+(?:[\w']+\s+){{0,3}}?{PEOPLE}\b"
    # "…, the app says it is. need a human to sort this out": a clause that opens with the need
    rf"|(?:^|(?<=[.,!?;]\s)){SOFT}(?:need|want)\s+(?:a|an|some)\s+(?:real\s+|actual\s+|live\s+)?"
    rf"{PEOPLE}\b",
    re.IGNORECASE,
)
A_PERSON = rf"(?:a|an|some)\s+(?:real\s+|actual\s+|live\s+)?{PEOPLE}"
# "I'd rather sort this out with a human", "I'd rather have an actual person handle this"
PREFERRING = re.compile(
    rf"\b(?:i'd|i would|i)\s+(?:rather|prefer)\s+(?!not\b)(?:[\w']+\s+){{0,5}}?"
    rf"(?:with|to|from|have|get)\s+{A_PERSON}\b"
    # "I'd rather speak to somebody, this is about a big order"
    r"|\b(?:i'd|i would|i)\s+(?:rather|prefer\s+to)\s+(?:speak|talk|chat)\s+(?:to|with)\s+"
    r"(?:somebody|someone|a\s+person|a\s+human|an\s+agent)\b",
    re.IGNORECASE,
)
# "can a supervisor or an actual agent look at this?": a person asked to act
# What a person is asked to do with the matter ("can someone look into this?")
ACTS = (
    r"(?:look at|look into|check|review|handle|call|phone|ring|contact|deal with|take over|"
    r"sort|give\s+(?:me|him|her|us|them)\s+a\s+(?:call|ring))"
)
ACTING = re.compile(
    rf"\b(?:can|could|would|will)\s+{A_PERSON}(?:\s+or\s+{A_PERSON})?\s+(?:please\s+)?"
    rf"(?:{ACTS}|help)\b",
    re.IGNORECASE,
)
# "how do I contact you guys?", "what's the 1-800 number?", "can I get a call back": the way to
# reach the people behind the chat.
OFFICE = r"(?:(?:the\s+|your\s+)?(?:head|main|corporate|central)\s+office|headquarters|corporate)"
YOU = (
    r"(?:you|u|ya|y'all|your (?:company|team|store|support)|the company|support|customer service|"
    rf"{OFFICE})"
)
REACHING = re.compile(
    r"\bhow (?:do|can|could|would|should) (?:i|we|one) (?:reach|contact|call|phone|ring|email|"
    rf"e-mail|get hold of|get in touch with|get through to|{TALK})\s+{YOU}\b"
    # "the store told me to contact head office, how do I get hold of them?"
    rf"|\b(?:told|asked)\s+(?:me|us)\s+to\s+(?:contact|call|reach|phone|ring|email)\s+{OFFICE}\b"
    r"|\b(?:toll[- ]free|1-?800|hotline|helpline|help line|customer (?:service|support|care)|"
    r"support)\s+(?:number|line|#)"
    # A phone number asked for, not one being changed: "what's your phone number?"
    r"|\b(?:what(?:'s|s| is)|give me|do you have|is there|send me)\s+(?:the|your|a|an|any)?\s*"
    r"(?:phone|telephone|contact)\s+(?:number|line|#)"
    r"|^\s*(?:your\s+)?(?:phone|telephone|contact)\s+(?:number|#)\s*\??\s*$"
    r"|\bnumber (?:to|i can|we can|i could) (?:call|ring|phone)\b"
    r"|\b(?:get|have|request|want|need|like)\s+(?:a\s+)?call ?back\b"
    # "could someone call me back?", "can you ring me": a person asked to call
    r"|\b(?:someone|somebody|anyone|anybody|you|u|an agent|a person)\s+(?:please\s+)?"
    r"(?:call|ring|phone)\s+(?:me|us|her|him|them)\b"
    # "can you have support contact me?", "get someone to call me": a person sent for
    r"|\b(?:you|u|please|pls|plz)\s+(?:have|get|ask)\s+(?:someone|somebody|support|an\s+agent|a\s+person|customer\s+service|"
    r"your\s+team|the\s+team)\s+(?:to\s+)?(?:contact|call|ring|phone|email|e-mail|reach)\s+(?:me|us)\b",
    re.IGNORECASE,
)
# "agent", "human please", "talk to someone", "speak to agent": the request on its own
ON_ITS_OWN = re.compile(
    rf"^\s*(?:please\s+)?(?:(?:{TALK})\s+(?:to\s+|with\s+)?(?:a|an|some|the|your)?\s*)?"
    rf"(?:real\s+|live\s+|actual\s+)?{PEOPLE}(?:\s+(?:please|pls|plz|now|asap))?[\s!.?]*$",
    re.IGNORECASE,
)
# "is a live agent available?", "is there anyone I can talk to", "can someone from your team
# look at this", "escalate this please", "hand me over to a human", "complain to a manager"
REACHABLE = re.compile(
    rf"\bis\s+(?:there\s+)?(?:a|an|any|anyone|anybody|someone|somebody)\s+"
    rf"(?:(?:real|live|actual)\s+)?(?:{PEOPLE}\s+)?(?:available|around|on|online|"
    rf"(?:i|we|she|he|they|my\s+\w+)\s+(?:can|could)\s+(?:{TALK}|call|phone|ring|email|contact|"
    r"reach))\b"
    r"|\b(?:can|could|would|will)\s+(?:someone|somebody|anyone)(?:\s+(?:from|at|on|in)\s+"
    rf"(?:your|the)\s+\w+)?\s+(?:please\s+)?(?:{ACTS}|help me)\b"
    r"|\bescalat(?:e|ed|ion)\b|\bhand\s+(?:me|this|it)\s+(?:over\s+)?to\b"
    rf"|\bcomplain\s+to\s+(?:a|an|the|your)\s+{PEOPLE}\b"
    r"|\bconnect\s+me\s+(?:to|with)\s+(?:customer\s+)?support\b"
    # "do you have live chat with actual people", "do you offer a live agent"
    r"|\bdo\s+(?:you|u|y'all)\s+(?:guys\s+)?(?:have|offer)\s+(?:a\s+|any\s+)?live\s+"
    r"(?:chat|agents?|support|person|people|humans?)\b"
    rf"|\b(?:chat|talk|speak)\s+(?:to|with)\s+(?:an?\s+)?(?:real|actual|live)\s+{PEOPLE}\b",
    re.IGNORECASE,
)
# "i dont want a bot", "is anyone real there?", "I want a real one"
NOT_A_BOT = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|rather not)\s+(?:want|need|like)\s+(?:to\s+(?:talk|speak|chat)"
    r"\s+(?:to|with)\s+)?(?:a|the|this|some|your)\s+(?:stupid\s+|dumb\s+)?(?:ro)?bot"
    r"|\b(?:anyone|anybody|someone|somebody) real\b|\b(?:want|need) a real one\b",
    re.IGNORECASE,
)
# "roughly when will someone look at it?": when the review comes, not a request for a person
WHEN_ACTED_ON = re.compile(
    r"\b(?:when|how\s+soon|how\s+long\s+(?:until|till|before)|by\s+when)\s+(?:will|would|can|"
    r"does|do|is)\s+(?:someone|somebody|anyone|anybody|a\s+person|an\s+agent|support|the\s+team|"
    rf"they|you)\s+(?:\w+\s+)?(?:get\s+to|{ACTS})\b",
    re.IGNORECASE,
)
CLAUSES = re.compile(r"[,.!?;:]+")
NEGATED = re.compile(r"\b(?:don'?t|do not|no need to|never)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def asks_for_a_person(text: str) -> bool:
    """A clause of the message asks to reach a person."""
    plain = text.replace("’", "'")
    if WHEN_ACTED_ON.search(plain):
        return False
    found = [
        *REQUEST.finditer(plain),
        *PREFERRING.finditer(plain),
        *ACTING.finditer(plain),
        *REACHING.finditer(plain),
        *NOT_A_BOT.finditer(plain),
        *REACHABLE.finditer(plain),
    ]
    # "stop the bot, human", "… about it. person please": a clause that is the request alone
    alone = any(ON_ITS_OWN.search(clause) for clause in CLAUSES.split(plain))
    return alone or any(not NEGATED.search(plain[: m.start()]) for m in found)


def names_people(text: str) -> bool:
    """A word of people or of reaching them, or a slip of one, or a clause that asks for one."""
    if OF_PEOPLE.search(text) or asks_for_a_person(text):
        return True
    words = re.findall(r"[a-z]+", text.lower())
    return any(
        len(word) >= SLIP and word[0] == known[0] and DamerauLevenshtein.distance(word, known) <= 1
        for word in words
        for known in PEOPLE_WORDS
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PersonRequest(IntentOverride):
    """Sets the intent to `request_human` when a clause asks for a person, and takes away a
    guess of one that no word of the message founds.

    "half my stuff isnt here??" read as a request for a person at 0.97 tells of missing goods
    and names no one, and "I have a small problem with my order" asks for help, not for a
    person: the classifier's next guess, or the fallback, reads them instead. Behind the
    fallback, a guess of a person for "does the kettle have temperature control?" leaves the
    ranking, so that the fallback's routing does not hand the shopper over on it.
    """

    intent = HUMAN

    def applies(self, message: Message) -> bool:
        text = message.get(TEXT) or ""
        return not text.startswith("/") and asks_for_a_person(text)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in super().process(messages):
            text = message.get(TEXT) or ""
            if text.startswith("/") or asks_for_a_person(text):
                continue
            if (
                not names_people(text)
                or another_matter(text)
                or SOMEONE_ELSE_WILL.search(text)
                or WHEN_ACTED_ON.search(text)
            ):
                # "I want to complain about an employee", "I'll have her contact you herself",
                # "when will someone look at it?"
                _unfound(message)
        return messages


def _unfound(message: Message) -> None:
    """A guess of a person leaves the ranking, as the intent or behind the fallback."""
    guess = (message.get(INTENT) or {}).get("name")
    ranking = message.get(INTENT_RANKING_KEY) or []
    behind_fallback = guess == FALLBACK and ranking[1:2] and ranking[1].get("name") == HUMAN
    if behind_fallback:
        others = [r for r in ranking[1:] if r.get("name") != HUMAN]
        message.set(INTENT_RANKING_KEY, [ranking[0], *others], add_to_output=True)
    elif guess == HUMAN:
        give_way(message, HUMAN)
