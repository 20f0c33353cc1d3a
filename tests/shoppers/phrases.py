"""How simulated shoppers write: phrase banks and small text helpers.

Written for this suite, independently of the assistant's training data (data/nlu is never read),
so that the suite measures how well the assistant generalises to the way people write.
Item names are never listed here: they come from the demo data at run time and are turned into
what a shopper would call them (`item_forms`).
"""

from __future__ import annotations

import random
import re

GREETINGS = ["", "hi! ", "hello, ", "hey there. ", "good morning! ", "hi, ", "hey "]
WHEN = ["yesterday", "this morning", "on saturday", "earlier today", "a couple of days ago", ""]
NOISE = ["ok so ", "hello?? ", "umm ", "hi again, ", "so, ", "right, ", "ok ", "hey, quick one: "]

# Stories: {greet} {when} {items} {be_neg} ("wasn't"/"weren't") {be} ("is"/"are")
STORIES = [
    "{greet}picked up my order {when} and {items} {be_neg} in the bag",
    "{greet}I got my ship to store order {when} but {items} {be_neg} there",
    "{greet}just opened my pickup order and {items} {be} missing",
    "{greet}my package from the store was missing {items}",
    "{greet}went to collect my order {when}, got home and {items} {be_neg} inside",
    "{greet}i'm missing {items} from the order i picked up {when}",
    "{greet}the bag I picked up only had part of my order, {items} {be} not in it",
    "{greet}collected my parcel at the store {when} and there's no sign of {items}",
    "{greet}opened the box from my store pickup and {items} {be} gone",
    "{greet}so {items} never made it into my bag when I picked up {when}",
]
# All facts in one message: {order} {email} {items} {be_neg} {be} {when}
ALL_FACTS = [
    "Hi, order {order} ({email}): {items} {be_neg} in the package",
    "{items} missing from order {order}, my email is {email}",
    "order {order}, email {email}. picked it up {when} and {items} {be_neg} in the bag",
    "hello, {email} here, order number {order}, {items} {be} missing",
    "My order {order} under {email} came without {items}",
    "{order} / {email} - {items} {be_neg} in my bag",
    "I picked up {order} {when} (email {email}) and {items} {be_neg} there",
]
TASK_OPENERS = [
    "some items are missing from my order",
    "my ship to store order came without everything",
    "I picked up my order and something is missing",
    "there's stuff missing from my pickup order",
    "I need to report a missing item",
    "hi, part of my order wasn't in the bag",
    "i want a refund for an item that wasn't in my package",
    "something I paid for wasn't in my order",
    "hello, my order is incomplete",
    "got my order but one thing isn't there",
]
TASK_RESTATE = [
    "I still need to report the missing items from my order",
    "can we finish reporting what was missing?",
    "so about the missing items from my order",
]
TRACKING_OPENERS = [
    "where is my order?",
    "has my order reached the store yet?",
    "can you check my ship to store order",
    "I'd like to track my order",
    "is my pickup order ready?",
    "can you tell me where my package is",
    "what's the status of my order",
    "when can I pick up my order?",
]
TRACKING_RESTATE = ["can you just tell me where my order is?", "I only want to know where it is"]
EMAIL_STYLES = ["{email}", "it's {email}", "my email is {email}", "{email} is the one", "{email}"]
YES_PACKAGE = ["yes", "yep that's it", "yes, that's the one", "correct", "yeah", "that's right"]
NO_PACKAGE = ["no", "no, it's another one", "nope, different number"]
CONFIRM = ["yes", "yes please", "go ahead", "yep, file it", "that's right, yes", "yes do it"]
THANKS = ["thanks!", "thank you", "great, thanks", "ok thanks, bye", "perfect, thank you"]
OK_THANKS = ["ok, thanks", "alright, thank you", "got it, thanks", "ok I'll wait then, thanks"]
GIVE_UP = ["never mind then", "forget it, I'll call the store", "ok never mind"]

DESCRIPTIONS = [
    "The bag was sealed but {item} wasn't inside.",
    "I opened the package at home and {item} was not there, everything else was.",
    "Store staff handed me the bag, I checked it at home and {item} was missing.",
    "The box looked fine from the outside but {item} wasn't in it.",
    "Everything else was in the package except {item}.",
    "I looked through the whole bag twice and {item} just isn't there.",
]
# Free text that looks like something else: a greeting, a tracking question, a claim, a typo.
TRICKY_DESCRIPTIONS = [
    "just the other stuff was inside",
    "it wasnt in teh bag",
    "where did it go, the box was taped shut",
    "hello? the bag only had the {other}",
    "no idea, the package was sealed when I got it",
    "the store gave me the bag and it was just not in there",
    "thanks for asking, the box was closed and it was simply missing",
    "I want my money back for it, the bag had everything else",
    "stop by the store and ask them, the tape was intact",
    "the package tracking said delivered but it was not in the box",
]
SHORT_DESCRIPTIONS = ["gone", "missing", "not there", "wasn't in it", "empty"]
SHORT_SECOND = ["just gone", "it was not in the bag", "not there", "no idea", "missing, sorry"]

DIGRESSIONS = {
    "where_package": [
        "where is my package right now?",
        "wait, where's the package at the moment?",
        "quick question - where is my parcel now?",
    ],
    "bot": ["are you a bot?", "am I talking to a real person?", "is this an automated assistant?"],
    "hours": ["what are your store hours", "when is the store open?", "what time does it close?"],
}
CHITCHAT = ["how are you", "lol ok", "thanks!", "haha ok", "how's your day going?", "ok cool"]
GIBBERISH = ["asdfgh", "my cat likes boxes", "qwerty uiop", "do you like pizza?", "blorp zzz"]
CANCEL = [
    "stop",
    "never mind",
    "forget it",
    "cancel that please",
    "actually never mind, I'll sort it out myself",
]
HUMAN = [
    "can I talk to a human",
    "I want to speak to a person",
    "agent please",
    "get me a real person",
    "can someone from support help me?",
]
HUMAN_AGAIN = ["I'd still like a person please", "can I talk to someone real?", "human please"]
COMPLETION = ["what happens now?", "how long will it take?", "when do I get my money back?"]
CORRECT_ADD = ["no wait, {add} too", "actually {add} was missing as well", "oh and {add} too"]
CORRECT_REPLACE = ["not the {old}, the {new}", "sorry, it wasn't the {old}, it was the {new}"]
CORRECT_FEWER = ["wait, only one of the {plural} is missing", "actually just one {singular}"]
EMAIL_CORRECTION = [
    "actually it's my other e-mail, {email}",
    "sorry, wrong one. try {email}",
    "oh I used {email} for that order",
]
OTHER_ORDER = ["oh sorry, wrong order, it's {order}", "my mistake, I meant {order}"]
WRONG_EMAILS = ["sam.taylor@example.org", "alex.k@example.com", "pat.lee@example.net"]
GENERIC_LAST_WORDS = {"set", "pack", "kit", "bundle", "pcs"}
# Units after a number in a product name ("USB-C Cable 2 m", "Headlamp 400 Lumen"): not a name.
UNITS = {"m", "cm", "mm", "in", "ft", "l", "ml", "oz", "fl", "qt", "gal", "g", "kg", "lb", "lbs"}
UNITS |= {"ct", "pk", "pcs", "w", "v", "mah", "gb", "lumen", "lumens"}


def pluralize(phrase: str) -> str:
    """'phone case' -> 'phone cases'; already plural words stay as they are."""
    words = phrase.split()
    last = words[-1]
    if last.endswith("s"):
        return phrase
    if last.endswith(("ch", "sh", "x")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join([*words[:-1], last])


def _name_tokens(name: str) -> list[str]:
    """The words that name the product: before a comma or a spaced dash ("Camp Chair - Low
    Back"), without brackets, numbers and the units after them."""
    base = re.sub(r"\(.*?\)", " ", re.split(r",| [-\u2013\u2014] ", name)[0])
    tokens: list[str] = []
    after_number = False
    for token in base.split():
        if re.search(r"\d", token):
            after_number = True
        elif not (after_number and token.lower().strip(".") in UNITS):
            after_number = False
            tokens.append(token)
    return tokens or [name]


def item_forms(name: str, sibling_names: list[str]) -> list[str]:
    """What a shopper calls an order line: 'Clear Phone Case' -> ['phone case', 'case', ...]."""
    tokens = _name_tokens(name)
    forms = [" ".join(tokens[-2:]).lower()]
    last = tokens[-1].lower()
    # A one-word form must not name a sibling too ("charger": a phone charger, a charger pad).
    other_words = {w.lower() for n in sibling_names if n != name for w in _name_tokens(n)}
    if last in GENERIC_LAST_WORDS and len(tokens) >= 3:
        forms.append(" ".join(tokens[:-1]).lower())
    elif last not in GENERIC_LAST_WORDS and last not in other_words and len(tokens) > 1:
        forms.append(last)
    return list(dict.fromkeys(forms))


def join_phrases(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def typo(text: str, rng: random.Random, count: int = 1) -> str:
    """Swap or drop letters in `count` ordinary words (never in identifiers or addresses)."""
    words = text.split(" ")
    candidates = [
        i
        for i, w in enumerate(words)
        if len(w) >= 4 and w.isalpha() and not re.search(r"[@\d#]", w)
    ]
    for i in rng.sample(candidates, min(count, len(candidates))):
        w = words[i]
        k = rng.randrange(1, len(w) - 1)
        if rng.random() < 0.5:
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        else:
            words[i] = w[:k] + w[k + 1 :]
    return " ".join(words)


def noisy(text: str, rng: random.Random) -> str:
    """Letter case, doubled spaces and a noisy start, the way people type on a phone."""
    choice = rng.randrange(4)
    if choice == 0:
        text = text.lower()
    elif choice == 1:
        text = text.upper() if len(text) < 60 else text.capitalize()
    if rng.random() < 0.6:
        text = text.replace(" ", "  ", rng.randrange(1, 3))
    if rng.random() < 0.7:
        text = rng.choice(NOISE) + text
    return text


ORDER_VARIANTS = [
    "canonical",
    "compact_lower",
    "hash_spaced",
    "digits_dash",
    "spaced",
    "lower_dash",
]


def order_variant(order_number: str, variant: str) -> str:
    """STS-4829-1307 as shoppers type it: sts48291307, #STS 4829 1307, 4829-1307, ..."""
    _, a, b = order_number.split("-")
    return {
        "canonical": order_number,
        "compact_lower": f"sts{a}{b}",
        "hash_spaced": f"#STS {a} {b}",
        "digits_dash": f"{a}-{b}",
        "spaced": f"STS {a} {b}",
        "lower_dash": order_number.lower(),
    }[variant]


def spaced_tracking(number: str, rng: random.Random) -> str:
    """A tracking number typed in groups, the way it is printed on labels."""
    size = rng.choice([3, 4])
    return " ".join(number[i : i + size] for i in range(0, len(number), size))
