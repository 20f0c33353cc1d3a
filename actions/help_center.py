"""Questions outside the flows, answered from the retailer's help center.

The support desk searches the articles and records each answer. A question whose article is
about one of the assistant's own tasks (tracking, a missing item, a claim's status) starts that
task instead. Otherwise the shopper gets the article's short answer and its link, then "Did that
answer your question?"; inside a form the answer is an aside and the form's question follows.
With no article good enough, the shopper is told so honestly and offered a person. The answer's
id stays in `help_answer_id` until the shopper's next message, which may rate it: yes, no, or a
person.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claim_talk import (
    asks_about_an_earlier_claim,
    names_a_claim,
    reports_anew,
    speaks_of_a_claim,
)
from actions.common import HUMAN_BUTTON, LEFT_STEP, TASK_MENU, channel_of, client
from actions.identifiers import normalize_order_number
from actions.item_reading import (
    tells_of_damage,
    tells_of_missing_goods,
    tells_of_shortfall,
    tells_only_of_damage,
)
from actions.supportdesk_client import SupportDeskError
from actions.turns import latest_turn, signs_off

logger = logging.getLogger(__name__)

ANSWER_SLOT = "help_answer_id"
# An article about one of the assistant's own tasks (its front matter's `flow`): the task starts.
FLOW_FORMS = {"tracking": "verify_form", "claim": "claim_form", "claim_status": "claim_status_form"}
RATING_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No, talk to a person", "payload": "/request_human"},
]
# The task the classifier read, one tap away when the help center answered instead.
TASK_BUTTONS = {
    "tracking": {"title": "No, track my order", "payload": "/check_tracking"},
    "claim": {"title": "No, items are missing", "payload": "/report_missing_item"},
    "claim_status": {"title": "No, my claim's status", "payload": "/check_claim_status"},
}
# Identifiers say the shopper means their own order or claim: the task starts.
OWN_ORDER_ENTITIES = {"order_number", "claim_number", "tracking_number"}


# A question the classifier did not read as tracking asks about a package's way in these words.
# "track" the verb, not the goods ("my Lionel track", "O gauge track but I needed HO"): what
# follows is what is tracked, or what comes before asks to track.
TRACK_VERB = (
    r"track(?=\s+(?:my|our|the|it|this|that|an?|his|her|their|them|orders?|packages?|parcels?|"
    r"shipments?|deliver(?:y|ies)|down|where|status|sts|#|\d|numbers?|no|info|link|id)\b)|"
    r"(?<![\w'-])(?:to|you|u|i|we|can|pls|please|plz)\s+track\b|^\W*track\b"
)
# with the slips of "tracking"
TRACK_WORDS = rf"{TRACK_VERB}|trackin[g']?|trackign|trakcing|trakin[g']?|trackng|tarcking"
WHERE_WORDS = re.compile(
    rf"\b(where|wheres|{TRACK_WORDS}|arrive[sd]?|shipped|status|ready|eta|delivered|"
    r"reached|on its way|when will|how long until|made it|come in|in yet|(?:shown|turned) up|"
    r"when\s+(?:it|they)\s+gets?\s+(?:in|here|there)|what'?s\s+the\s+latest)\b",
    re.IGNORECASE,
)


# When the order reaches the store, or whether it has shipped: "any idea when they'll get to
# the Riverside branch?", "did my pizza oven ship yet?". Its way, whatever the classifier read.
ARRIVAL = re.compile(
    r"\bwhen\s+(?:they|it|my\s+[\w'-]+)(?:'ll|\s+will)\s+(?:get|be|arrive)\b|"
    r"\b(?:will|would)\s+(?:they|it)\s+(?:be|get)\s+(?:at|to|in)\s+(?:the\s+)?(?:[\w'-]+\s+)?"
    r"(?:store|shop|branch)\b|"
    r"\b(?:did|has)\s+(?:my|the|it)\b(?:\s+[\w'-]+){0,3}?\s+ship(?:ped)?\b|\bhave\s+they\s+shipped\b",
    re.IGNORECASE,
)


# A question about the shopper's own package's way: "where my order is", "track my package".
ASKS_WHERE_MINE = re.compile(
    r"\b(?:where(?:'s|s| is| are)?|track(?:ing)?)\s+(?:my|our)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:order|package|parcel|stuff|items|delivery|pickup|box)\b|"
    # "my order shipped but the link doesnt work, can you tell me where it is?"
    r"\b(?:(?:my|our)\s+(?:order|package|parcel|delivery)|ordered|bought|purchased)\b.{0,80}?"
    r"\btell\s+me\s+where\s+(?:it|they)\s+(?:is|are)\b|"
    # "the tracking details for my recent purchase"
    r"\btracking\s+(?:details|info(?:rmation)?|number|link|status|updates?)\s+(?:for|of|on)\s+"
    r"(?:my|our)\s+(?:[\w'-]+\s+){0,2}?(?:order|purchase|package|parcel|delivery|stuff)\b",
    re.IGNORECASE,
)


# Any word of an order, a package or its way: tracking is never asked without one (545 of 545
# blind tracking first messages have one, or an order number's digits).
PACKAGE_TALK = re.compile(
    r"\b(?:orders?|ordered|ordre|ordr|oder|pedido|packages?|pa[ck]+age|pakage|pacakge|parcels?|"
    rf"stuff|stuf|items?|things|deliver\w*|shipments?|ship\w*|box(?:es)?|{TRACK_WORDS}|"
    r"tracked|pick\w* \w* ?up|"
    r"pickup|collect\w*|store|shop|arriv\w*|sts\w*|eta|purchase\w*|bought|dispatch\w*|transit|"
    r"notifi\w*|(?:there|here|in) yet)\b|\d{4}|"
    # "still waiting on my shin guards": goods awaited (not a refund, a reply or a call)
    r"\bwaiting\s+(?:on|for)\s+(?:my|the|our)\s+(?!refund|money|reply|response|answer|call|"
    r"e-?mail|credit|claim)",
    re.IGNORECASE,
)


def speaks_of_an_order(text: str) -> bool:
    """The message has a word of an order, a package or its way to the store."""
    return bool(PACKAGE_TALK.search(text))


# "I have a question about my order", "got an issue with order STS-…": a question still to come.
ANNOUNCED = re.compile(
    r"\b(?:question|query|inquiry|enquiry|issue|problem|something to ask)s?\s+"
    r"(?:about|regarding|re|with|on|concerning)\s+(?:my|an|the|our|this)?\s*(?:[\w'-]+\s+)?order\b|"
    # "hi, it's about my order STS-…", "writing regarding order 1234-5678"
    r"\b(?:it'?s|this\s+is|i'?m\s+(?:writing|messaging|contacting\s+you)|writing)\s+"
    r"(?:about|regarding|re|concerning)\s+(?:my\s+|an\s+|the\s+|our\s+)?order\b|"
    # "I need to do something with order STS-…", "need to sort something out on my order"
    r"\b(?:do|sort|ask|change)\s+something\s+(?:out\s+)?(?:with|about|regarding|on|for)\s+"
    r"(?:my\s+|an\s+|the\s+|our\s+|this\s+)?order\b",
    re.IGNORECASE,
)
# "I need help with order STS-…", "hi I need some help with my order": the same; but "I still
# need help with my order" says the last answer did not help.
NOT_HELPED = re.compile(r"\b(?:still|again|anyway|yet)\b", re.IGNORECASE)
HELP_WITH_AN_ORDER = re.compile(r"\bhelp\s+(?:with|on|regarding)\s+(?:my\s+|the\s+)?order\b", re.I)


def announces_a_question(text: str) -> bool:
    """The message says there is a question about an order, but asks nothing yet: after
    "a question about order STS-…", "can you send me an invoice for it?" is the question."""
    helped = HELP_WITH_AN_ORDER.search(text)
    unhelped = NOT_HELPED.search(text) and not re.search(r"\d{4}", text)
    found = ANNOUNCED.search(text) or (None if unhelped else helped)
    if not found or WHERE_WORDS.search(text):
        return False
    rest = re.sub(r"\S*\d\S*", " ", text[found.end() :])  # the order's number is no question
    rest = PLACED_AT.sub(" ", rest)  # nor where it was sent: "my order from Mill Yard"
    return len(re.findall(r"[A-Za-z]+", rest)) < ASKED_WORDS


ASKED_WORDS = 2  # this many words after the announcement ask or tell something
PLACED_AT = re.compile(
    r"^\W*(?:from|at|for|in)\s+(?:the\s+)?(?:[A-Z][\w'&-]*\s*){1,3}(?:store|branch|shop)?\W*$"
)


# The shopper's people, who may collect or come in their place
PEOPLE = (
    r"(?:husband|wife|son|daughter|friend|partner|mom|mum|dad|mother|father|brother|sister|"
    r"kids?|family|neighbou?r|roommate|flatmate|colleague|coworker|boyfriend|girlfriend|"
    r"parents?|grandma|grandpa|assistant|driver|courier)"
)
# Matters of their own, not an order's way nor its missing goods: the goods for sale, money
# other than a claim's refund, returns, paperwork, jobs, delivery options, and what-ifs.
ANOTHER_MATTER = re.compile(
    r"\b(?:back\s+in\s+stock|in\s+stock|out\s+of\s+stock|restock\w*|sold\s+out|"
    r"available\s+again|price\s*match\w*|match\s+(?:the|their|that|its|it)\b|for\s+less)\b|"
    r"\b(?:vouchers?|coupons?|promo(?:tion(?:al)?)?\s*codes?|discount\s+codes?|gift\s*cards?|"
    # "I forgot to apply my 10% code", "add my student code"
    r"\d+\s*%\s*(?:off\s+)?codes?|(?:apply|add|use|enter)\s+(?:my|a|the|our)\s+"
    r"(?:[\w%-]+\s+){0,2}?codes?|"
    r"\d+\s*%\s*off|membership|(?:in|with|by)\s+(?:cash|cheque|check|paypal)|"
    r"(?:card|payment)\b(?:\s+[\w']+){0,6}?\s+(?:expired|declined|failed|bounced))\b|"
    r"\b(?:changed\s+my\s+mind|change\s+of\s+mind|did\s*n'?t\s+like|do\s*n'?t\s+like|"
    r"(?:is|was|are|were)\s*n'?t\s+what\s+(?:i|we)\s+(?:expected|wanted|thought)|"
    r"not\s+what\s+(?:i|we)\s+(?:expected|wanted|thought)|"
    r"(?:my|a|the)\s+return|return\s+label|rec(?:ei|ie)pts?|invoices?|interview|job\s+application|"
    r"hiring|passwords?|log\s*(?:in|on)(?:to)?|sign\s*(?:in|on)(?:to)?|logged\s+(?:in|out))\b|"
    r"\b(?:(?:ship|shipped|send|sent|deliver|delivered)\s+(?:it\s+|them\s+)?"
    r"(?:straight\s+|directly\s+|right\s+)?(?:to\s+(?:my|the|our)\s+)?"
    r"(?:house|home|address|door)|"
    r"home\s+delivery|instead\s+of\s+(?:to\s+|at\s+)?(?:the\s+)?(?:store|pick\s*up))\b|"
    r"\b(?:what\s+happens\s+)?if\s+(?:i|we)\s+(?:miss|can'?t|cannot|don'?t|do\s+not|won'?t)\b|"
    r"\b(?:cancel|cancle|cancl|cansel)\w*\s+(?:(?:my|the|this|that|an?|whole|entire)\b(?!\s+claim)|"
    r"(?:order|ordr|oder|purchase)\b)|"
    r"\bstop\s+(?:the|my|this|that)\s+(?:order|shipment|delivery)\b|"
    # an order changed before pickup: a line taken off or added, bought cheaper elsewhere
    r"\b(?:take|remove|drop)\s+(?:[\w'-]+\s+){0,4}?(?:off|from|out\s+of)\s+"
    r"(?:(?:my|the|this|that)\s+)?order\b|\badd\s+(?:[\w'-]+\s+){0,6}?to\s+(?:my|the|this|that)\s+"
    r"(?:existing\s+|current\s+|last\s+|online\s+)?order\b|"
    r"\bcheaper\s+(?:somewhere|elsewhere|at|on|online|in)\b|"
    # the goods for sale: "does the swim nappy come in a 2 pack?", "do they come in blue?"
    r"\b(?:does|do)\s+(?:it|they|(?:the|this|that|these|those)\s+[\w' -]{1,30}?)\s+come\s+in\s+"
    r"(?!yet\b|today\b|already\b|at\b|to\b)|"
    # goods sent back by choice: "can I return the 3S lipo? turns out I don't need it"
    r"\b(?:return(?:ed|ing)?|exchang(?:e|ed|ing)|swap|trade|send\s+back)\s+(?:the|this|that|my|a|an|it|one|"
    r"them|everything|all|both)\b|\b(?:send|sending|take|taking|bring|bringing)\s+(?:it|them|this|that|these|those)\s+"
    r"back\b|"
    r"\b(?:update|change|edit|correct|fix)\s+(?:the|my)\s+(?:delivery\s+|shipping\s+|home\s+)?"
    r"(?:phone|mobile|address|billing)\b|"
    # money other than a claim's refund: a charge, store credit, a store's card
    r"\b(?:card|account)\s+(?:was\s+|got\s+|has\s+been\s+)?charged\b|"
    r"\bcharged\s+(?:twice|double|two\s+times|again|early|before)\b|"
    r"\b(?:pending|unknown|strange|weird|double|duplicate)\s+(?:charges?|payments?)\b|"
    r"\b(?:charges?|holds?|authori[sz]ations?)\s+on\s+my\s+(?:card|account|statement|bank)\b|"
    r"\bstore\s+credit\b|\bcredit\s+card\b|"
    # where a refund is paid: "can I change the card my refund goes to?"
    r"\b(?:change|switch|update)\s+(?:the|my|which)\s+(?:card|account|payment\s+method)\b|"
    r"\b(?:to|on(?:to)?)\s+(?:a\s+)?(?:different|another|other|new)\s+(?:card|account)\b|"
    r"\bhow\s+much\s+(?:is|does|for|are)\s+(?:the\s+)?(?:shipping|delivery)\b|"
    r"\b(?:shipping|delivery)\s+(?:costs?|fees?|charges?)\b|"
    # goods that came wrong, and word about the store's people: not what the order holds
    r"\bwrong\s+(?:size|colou?r|item|model|style|width|length|fit|version|one)\b|"
    r"\bsize\s+\S+\s+instead\s+of\b|"
    r"\b(?:need|needed|want|get|send|exchange|swap|for)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:right|correct|different|bigger|smaller|larger)\s+size\b|"
    r"\b(?:staff|employees?|cashier|associate|clerk|lady|guy|woman|man|manager|girl|boy|gentleman|"
    r"people|person|workers?|team|folks)\b[^.?!]{0,40}"
    r"\b(?:helpful|rude|friendly|unhelpful|lovely|kind|nice|ignored)\b|"
    r"\bmade\s+(?:me|us)\s+wait\b|\bkept\s+(?:me|us)\s+waiting\b|"
    r"\bcomplain(?:t|ts|ed|ing)?\s+(?:about|regarding|against|of)\s+(?:a|an|the|your|this|that|"
    r"one\s+of\s+(?:your|the))\s+(?:[\w'-]+\s+){0,2}?(?:employees?|staff|cashiers?|associates?|"
    r"clerks?|managers?|workers?|store|shop|service)\b|"
    # the goods for sale: "what sizes do the kids rain boots come in?"
    r"\bwhat\s+(?:sizes?|colou?rs?|styles?|lengths?|widths?|flavou?rs?|finish(?:es)?)\s+"
    r"(?:do|does|is|are|can|did)\b|"
    # goods restocked: "when will you get more chick starter in?"
    r"\b(?:you|u|they|the\s+store)\s+(?:get|getting|have|receive)\s+(?:any\s+|some\s+)?more\s+"
    r"(?:[\w'-]+\s+){0,4}?in\b|"
    # what to bring to the store: "do I need the order number or just my name when I go get it?"
    r"\bwhat\s+(?:do|should|must)\s+(?:i|we)\s+(?:need\s+to\s+)?bring\b|"
    r"\b(?:do|will|would)\s+(?:i|we)\s+need\s+(?:to\s+(?:bring|show)\s+)?(?:an?\s+|the\s+|my\s+)?"
    r"(?:id|identification|photo\s+id|order\s+number|confirmation|receipt|license|licence|"
    r"passport)\b|"
    r"\b(?:terrible|awful|poor|bad|great|excellent|amazing)\s+(?:customer\s+)?service\b|"
    r"\b(?:compliment|feedback)\b|\b(?:leave|write|post|give)\s+(?:a\s+)?(?:review|rating)\b",
    re.IGNORECASE,
)


# The order's own paper as the evidence of a shortfall: "no HDMI cable, it's on the receipt"
EVIDENCE = re.compile(
    r"\b(?:on|in)\s+(?:the\s+|my\s+)?(?:receipt|invoice|packing\s+slip)\b|"
    r"\b(?:receipt|invoice|packing\s+slip)\s+(?:says|said|lists|listed|shows|showed)\b",
    re.IGNORECASE,
)


# Goods that came but fall short of a wish: "it's just not bright enough for our stage", "they're
# too loud". Beside a refund asked with nothing short, a return; "the box was way too light"
# tells of goods short, and "not good enough" of the service.
WISH_UNMET = re.compile(
    r"(?:\bnot|n't)\s+(?:nearly\s+|quite\s+|really\s+|very\s+)?"
    r"(?!enough\b|quite\b|nearly\b|good\b)[a-z]{3,}\s+enough\b|"
    r"\bnot\s+as\s+[a-z]+\s+as\s+(?:i|we)\s+(?:hoped|expected|thought|wanted)\b|"
    r"\b(?:is|are|was|were|it'?s|they'?re)\s+(?:way\s+|far\s+|much\s+|a\s+bit\s+|just\s+)?"
    r"too\s+(?!many\b|much\b|few\b|little\b|late\b|early\b|long\b|soon\b|light\b)[a-z]{3,}\b",
    re.IGNORECASE,
)


def another_matter(text: str) -> bool:
    """A matter of its own that tells of no missing goods: "forgot to use my 20% off code"."""
    plain = text.replace("’", "'")
    if EVIDENCE.search(plain) and tells_of_shortfall(plain):
        return False  # the receipt shows what is short: no question about a receipt
    slipped = _slipped_matter_word(plain) and not tells_of_shortfall(plain)  # "recipt says 2"
    matter = ANOTHER_MATTER.search(plain) or slipped
    return bool(matter) and not tells_of_missing_goods(plain)


# Words of matters of their own, typed with one slip: "can i get a invoce for my ordr"
MATTER_WORDS = {"invoice", "invoices", "receipt", "receipts", "password", "coupon", "voucher"}


def _slipped_matter_word(text: str) -> bool:
    return any(
        word[0] == matter[0] and DamerauLevenshtein.distance(word, matter) == 1
        for word in re.findall(r"[a-z]{5,}", text.lower())
        for matter in MATTER_WORDS
    )


# Who may collect, not where the order is: "can my husband pick it up for me?"
SOMEONE_ELSE = re.compile(
    rf"\b(?:can|could|may|will)\s+(?:my\s+{PEOPLE}|someone(?:\s+else)?|somebody(?:\s+else)?|"
    r"a\s+friend)\s+(?:\w+\s+)?(?:come|collect|pick)\b",
    re.IGNORECASE,
)
# A service of the store's, not an order's way: "do you string rackets in store?"
SERVICE_ASKED = re.compile(
    r"^\W*(?:hi|hey|hello)?\W*(?:do|does|can|could)\s+(?:you|u|y'?all|the\s+stores?|your\s+stores?)"
    r"\s+(?:guys\s+)?(?:string|restring|fit|install|assemble|repair|fix|sharpen|engrave|"
    r"gift\s*-?\s*wrap|price\s*-?\s*match|sell|stock|carry|rent|service)\b",
    re.IGNORECASE,
)
# Keeping, cancelling or changing the order, not its way: "will my order still be there when
# I'm back?", "will the store keep my package till then?", "can I still cancel?", "can I change
# the pickup date?". The help center's.
KEEPING_OR_CHANGING = re.compile(
    r"\bstill\s+be\s+(?:there|here|at\s+the\s+(?:store|shop)|kept|held)\b|"
    r"\b(?:keep|hold)\s+(?:it|them|my\s+\w+|the\s+\w+)\s+(?:until|till|til|for|while)\b|"
    # "will they keep my stuff?", "does the store hold orders?": how long it is kept
    r"\b(?:will|would|do|does|can|could)\s+(?:they|you|u|the\s+(?:store|shop|staff))\s+"
    r"(?:still\s+)?(?:keep|hold)\b|"
    r"\bstore\s+(?:still\s+)?(?:keep|hold)s?\b|\bsent\s+back\b|"
    r"\b(?:they|you|u|the\s+(?:store|shop))\s+still\s+have\b|"
    r"\bwhen\s+i(?:'m|\s+am|\s+get|\s+come)\s+back\b|\bcancel\w*|"
    r"\b(?:change|move|extend|reschedule|postpone)\s+(?:the|my|its|it)\b|"
    r"\bchange\s+who\b",  # "can I change who is picking it up?"
    re.IGNORECASE,
)


def asks_a_change(text: str) -> bool:
    """A matter of its own, or keeping or changing the order, beside any words of its way:
    "can I swap the colour on my order? it still says processing"."""
    return another_matter(text) or bool(KEEPING_OR_CHANGING.search(text))


# "Can I see if it's ready?", "is it ready for pickup": the order's way, in other words.
ASKS_READY = re.compile(
    r"\b(?:is|if|whether|when)\s+(?:it'?s|it is|it|my order|the order|they'?re|they are)\s+"
    r"(?:\w+\s+)?ready\b|\bready (?:for|to) (?:pick ?up|collect)|"
    # "wen will my order be reddy to pik up": the same, typed in haste
    r"\b(?:when|wen|whn)\s+(?:will|wil|is|does)\s+(?:my|the|it)\s+(?:order|oder|ordr|stuff|package)?\s*"
    r"(?:be\s+)?(?:ready|reddy|redy|raedy|rdy)\b|"
    r"\b(?:when|wen|whn)\s+(?:exactly\s+|roughly\s+)?(?:can|could|do|will)\s+(?:i|we)\s+"
    r"(?:go\s+|come\s+)?(?:pick|coll?ect|get|grab)\s+"
    r"(?:up\s+)?(?:it|them|my|our|the)\b|"  # "when can I pick up my vitamins?", "wen can i colect"
    r"\b(?:when|wen|whn)\s+(?:can|could)\s+(?:i|we)\s+(?:pick\s*up|coll?ect)\s*(?:[?.!]|$)|"
    # "can i pick up my watch today": whether it is there by then
    r"\b(?:can|could)\s+(?:i|we)\s+(?:pick|coll?ect|get)\s+(?:up\s+)?(?:(?:it|them|my|our|the)\b"
    r"(?:\s+[\w'-]+){0,3}?\s+)?(?:today|tonight|tomorrow|now|yet)\b",
    re.IGNORECASE,
)


# "it has", "my order's": the subject and auxiliary of "whether it has arrived"
IT_HAS = r"\s+(?:it|they|my\s+order|the\s+order)\s*(?:has|have|'?s|'?ve)?\s+"
# Whether the order has come to the store yet: "has my order made it to the Riverside store",
# "need to know if my order came in", "is my order at the pickup location", "pickup date?".
ASKS_ARRIVAL = re.compile(
    r"\b(?:is|be|got|get)\s+(?:it|my\s+[\w-]+|the\s+[\w-]+)\s+(?:there|here|in)"
    r"(?=\s*(?:[?.!,]|$|yet|already|now|by|before|today|tomorrow))|"
    r"\b(?:is|be|it'?s)\s+(?:it\s+|(?:my|the)\s+(?:[\w-]+\s+){1,2})?"
    r"at\s+the\s+(?:[\w-]+\s+){0,2}(?:store|shop|location|branch|pickup)\b|"
    # "can u tell me if the wellies r at the store", "… are at the Elm Street store now"
    r"\b(?:are|r)\s+at\s+the\s+(?:[\w-]+\s+){0,3}(?:store|shop|location|branch)\b|"
    # "is it in the store so I don't waste a drive?": the shopper's own, not goods for sale
    r"\bis\s+(?:it\s+|my\s+(?:[\w-]+\s+){1,2})in\s+(?:the\s+)?(?:store|shop)\b|"
    r"\b(?:came|come)\s+in(?=\s*(?:[?.!,]|$|yet|already|today|at|to\b))|\bmade\s+it\b|"
    r"\b(?:did|does|will|would)\s+(?:it|they|(?:my|the)\s+(?:[\w-]+\s+){1,3}?)\s*make\s+it\s+to\b|"
    r"\bavailable\s+(?:to|for)\s+(?:collect|pick)|"
    # "could you tell me the expected arrival date?", "how do I know if theyre there yet?"
    r"\b(?:expected\s+)?arrival\s+(?:date|day|time)\b|\b(?:expected|estimated)\s+arrival\b|"
    r"\b(?:they'?re|they\s+are|it'?s|it\s+is)\s+(?:there|here|in)\s+yet\b|"
    r"\bwill\s+(?:it|they|my\s+[\w-]+)\s+be\s+(?:there|here|in)\b|\bpick ?up\s+date\b|"
    r"\bwhat\s+day\s+can\s+i\b|\b(?:update|news)\s+on\s+(?:my|the)\s+order\b|"
    # "still waiting on the bricks I ordered", "never got a pickup email", "did the claw
    # machine ship": the goods' way, not a refund's
    r"\bstill\s+waiting\s+(?:on|for)\s+(?:my|the|our)\s+(?:order\b|"
    r"(?!refund|claim|money|credit|reply|response|answer)(?:[\w'-]+\s+){1,3}?(?:i|we)\s+"
    r"(?:ordered|bought)\b)|"
    r"\b(?:never|have\s*n'?t|have\s+not|did\s*n'?t|did\s+not|still\s+no)\s+(?:got|get|gotten|"
    r"received?)?\s*(?:a|the|my|any)\s+(?:pickup|pick-up|ready|collection)\s+(?:e-?mail|notice|"
    r"text|notification|message)\b|"
    r"(?<!you\s)(?<!to\s)(?<!\bu\s)\b(?:did|has|have)\s+(?:it|they|(?:my|the)\s+(?:[\w-]+\s+){0,3}?[\w-]+)\s+(?:ship|shipped|"
    r"been\s+shipped|gone\s+out|left\s+the\s+warehouse)\b|"
    r"\bcheck(?:ing)?\s+(?:on|up\s+on)\s+(?:my|her|his|their|our|the|an)\s+(?:[\w-]+\s+)?order\b|"
    # "is the gravel bike I ordered in store yet?", "how far along is it?", "still says processing"
    r"\b(?:in|at)\s+(?:the\s+)?(?:store|shop|building)\s+yet\b|\bhow\s+far\s+along\s+is\s+(?:it|my|the)\b|"
    r"\bhow\s+far\s+away\s+is\s+(?:it|my)\b|"
    r"\b(?:says?|shows?|showing|stuck\s+(?:on|at|in))\s+['\"]?(?:processing|in\s+transit|pending|"
    r"preparing)\b|"
    # "what day my Nerf blaster will get to the Eastgate store", "did my order ship?"
    rf"\b(?:it\s+|they\s+|(?:my|the)\s+(?!{PEOPLE}\b)(?:[\w-]+\s+){{1,3}}?)"
    r"(?:will\s+|would\s+|should\s+|has\s+|have\s+|did\s+|is\s+going\s+to\s+)?"
    r"(?:(?:get|gets|arrive|arrives|arrived|come|comes|be delivered|show up)\s+(?:to|at|in)|"
    r"(?:got|gotten)\s+to)\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:store|shop|location|branch)\b|"
    r"\b(?:did|has)\s+(?:it|they|(?:my|the)\s+(?:[\w-]+\s+){0,2}?order(?:\s+[\w#-]+)?)\s+"
    r"(?:ship|shipped|been\s+shipped|been\s+sent|left|gone\s+out)\b|"
    # "could you tell me whether it has arrived?", "if they've come in"
    rf"\b(?:whether|if|has|have){IT_HAS}(?:arrived|landed|come\s+in|got\s+there|gotten\s+there|"
    r"been\s+(?:delivered|dropped\s+off)|reached|got\s+to|gotten\s+to)\b|"
    # "he wants to know if it's in"
    r"\b(?:if|whether)\s+(?:it'?s|it\s+is|they'?re|they\s+are)\s+(?:in|there|here)"
    r"(?=\s*(?:[?.!,]|$|yet|already|now|at\b))|"
    rf"\b(?:whether|if){IT_HAS}(?:shipped|been\s+shipped)\b|"  # not "have it shipped to"
    # "Is my order on its way?"
    r"\b(?:is|are)\s+(?:it|they|my\s+(?:[\w-]+\s+){0,2}?(?:order|package|parcel|stuff|items?))\s+"
    r"on\s+(?:its|their|the)\s+way\b|"
    # "is the Traxxas Slash I ordered at the Elm Street store now?"
    r"\b(?:is|are)\s+the\s+(?:[\w'-]+\s+){1,4}?(?:i|we)\s+(?:ordered|bought|purchased)\s+"
    r"(?:at|in)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}?(?:store|shop|location|branch)\b|"
    # "they couldn't find it", "the store says they don't have my order": not there yet
    r"\b(?:they|the\s+(?:store|staff|shop)|staff)\s+(?:couldn'?t|could\s+not|can'?t|cannot|"
    r"didn'?t|did\s+not)\s+(?:find|locate)\s+(?:it|them|my\s+order|the\s+order|"
    r"my\s+package|my\s+parcel)\b|"
    r"\b(?:they|(?:the\s+)?store|staff)\s+(?:said|says|say|told\s+me)\s+(?:that\s+)?(?:they\s+)?"
    r"(?:don'?t|do\s+not|didn'?t|did\s+not)\s+have\s+(?:it|them|my\s+order|the\s+order)\b|"
    # "ship to store in Elm Park. how much longer"
    r"\bhow\s+much\s+longer\b|"
    # "the estimated date came and went": the date it was due has passed
    r"\b(?:eta|estimated|expected)\s+(?:[\w-]+\s+){0,2}?(?:came\s+and\s+went|has\s+passed|"
    r"passed|was\s+(?:yesterday|days\s+ago|last\s+week))\b",
    re.IGNORECASE,
)


def _own_arrival(text: str) -> bool:
    """Whether the shopper's own order came: "is my griptape order at the downtown store"."""
    found = ASKS_ARRIVAL.search(text)
    return bool(found and re.search(r"\b(?:my|our)\b", found.group(0), re.IGNORECASE))


def asks_if_it_came(text: str) -> bool:
    """The message asks where the shopper's order is, or whether it has come or is ready."""
    return bool(
        ASKS_WHERE_MINE.search(text) or ASKS_READY.search(text) or ASKS_ARRIVAL.search(text)
    )


def then_listen(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An answer's events, then listening, unless they already start something (a task the
    help center's article was about)."""
    if any(event.get("event") == "followup" for event in events):
        return events
    return [*events, FollowupAction("action_listen")]


def asks_its_way_only(text: str) -> bool:
    """The message asks whether the order came, and asks no change to it: not "can I swap the
    colour on my order? it still says processing"."""
    return asks_if_it_came(text) and not asks_a_change(text)


def asks_the_way(text: str) -> bool:
    """Words that ask where an order is, or whether it came."""
    return bool(WHERE_WORDS.search(text)) or asks_if_it_came(text)


# Money back in other words than a refund's: "pay me back", "a partial credit"
REPAID = re.compile(
    r"\bpa(?:y|id)\s+(?:me|us)\s+back\b|\bcharge\s*back\b|\bpartial\b|\$\s*\d[\d.,]*\s+back\b", re.I
)


def could_be_a_claim(text: str) -> bool:
    """Something is short, or a claim or money back is spoken of: a claim never starts without
    one ("what's 15% of 240" may read as a refund to the classifier)."""
    slipped = any(
        DamerauLevenshtein.distance(word, "refund") == 1
        for word in re.findall(r"[a-z]{5,7}", text.lower())
    )  # "rufund pls", "i want a refnd"
    return tells_of_shortfall(text) or names_a_claim(text) or bool(REPAID.search(text)) or slipped


def _fits(flow: str, text: str) -> bool:
    """A flow article starts its task only for a message of that task: "refund me for the
    shoes, they're too small" tells of no shortfall; "will they keep my package?" asks no way;
    a claim's status needs a claim, a refund or a report."""
    if flow == "claim":
        return tells_of_shortfall(text) and not tells_of_damage(text)
    if flow == "tracking":
        return asks_the_way(text) and not asks_a_change(text)
    if flow == "claim_status":
        return names_a_claim(text)  # "are your suitcases TSA approved?" is no claim's
    return True


def say_article(dispatcher: CollectingDispatcher, article: dict[str, str]) -> None:
    """The article's short answer, then its title as a link."""
    dispatcher.utter_message(
        response="utter_help_center_answer",
        answer=article["summary"],
        title=article["title"],
        url=article["url"],
    )


def answer_from_help_center(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    fallback_buttons: list[dict[str, str]],
    in_form: bool = False,
) -> list[dict[str, Any]] | None:
    """Answer the latest message from the help center; None when the desk cannot be asked."""
    text = latest_turn(tracker).text
    try:
        answer = client().answer_question(text, tracker.sender_id, channel_of(tracker))
    except SupportDeskError as error:
        logger.warning("help center unavailable (%s)", type(error).__name__)
        return None
    article = answer.get("article") if answer.get("found") else None
    flows = answer.get("flow") in FLOW_FORMS and not tells_only_of_damage(text)
    if article and flows and not in_form and _fits(answer["flow"], text):
        # "my order was short 2 things, refund them" read as out of scope: the claim starts
        return [SlotSet(ANSWER_SLOT, None), FollowupAction(FLOW_FORMS[answer["flow"]])]
    if answer.get("flow") == "claim_status" and not _fits("claim_status", text):
        article = None  # "are your suitcases TSA approved?": not how a claim is followed up
    if not article:
        response = "utter_help_center_unknown_in_form" if in_form else "utter_help_center_unknown"
        dispatcher.utter_message(response=response, buttons=[HUMAN_BUTTON] if in_form else None)
        if not in_form:
            dispatcher.utter_message(response="utter_help_center_offer", buttons=fallback_buttons)
        return [SlotSet(ANSWER_SLOT, None), *order_kept(tracker)]
    say_article(dispatcher, article)
    if in_form:
        return [SlotSet(ANSWER_SLOT, None)]
    dispatcher.utter_message(response="utter_ask_help_helpful", buttons=RATING_BUTTONS)
    return [SlotSet(ANSWER_SLOT, str(answer["answer_id"])), *order_kept(tracker)]


def order_kept(tracker: Tracker) -> list[dict[str, Any]]:
    """The order number typed with a question answered here ("can I cancel order STS-…?"),
    kept when no other order is in play: "then when does it get to the store?" needs it."""
    typed = latest_turn(tracker).entities.get("order_number")
    number = normalize_order_number(typed) if typed else None
    in_play = tracker.get_slot("order_number") or tracker.get_slot("verified_order")
    if not number or in_play or tracker.active_loop_name:
        return []
    return [SlotSet("order_number", number)]


# "I still need help with my order", "can we finish what we started?": the task left unfinished.
CARRY_ON = re.compile(
    r"\b(?:still need help|finish|continue|carry on|go on|keep going|resume|what we started|"
    r"where we (?:were|left off)|pick up where|try (?:it |that |this )?again|"
    r"back to (?:it|the claim|my claim))\b",
    re.IGNORECASE,
)


def carries_on(tracker: Tracker) -> bool:
    """The shopper asks to carry on, and a claim was begun (items named) or its form was left
    at a step, before it was filed, with what was said kept (`common.leave_step`)."""
    begun = tracker.get_slot("missing_items") or tracker.get_slot("item_mentions")
    text = latest_turn(tracker).text
    if tracker.active_loop_name or not CARRY_ON.search(text):
        return False
    return bool(begun) or _claim_left_at_a_step(tracker)


def _claim_left_at_a_step(tracker: Tracker) -> bool:
    """The latest form was the claim's, and it was left at a step ("which package?")."""
    left = False
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "stop_reason":
            left = left or event.get("value") == LEFT_STEP
        if event.get("event") == "active_loop" and event.get("name"):
            return left and event["name"] == "claim_form"
    return False


def task_or_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, task: str
) -> list[dict[str, Any]]:
    """Start the task the classifier read, unless the help center is sure the question is about
    another of its articles ("can you resend my order confirmation" is not tracking): then its
    answer, with the task as a button. A shopper who asks to carry on gets the claim they left."""
    turn = latest_turn(tracker)
    entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
    if turn.is_payload:  # a button, "No, track my order" among them: the answer did not help
        return [*rate(tracker, helpful=False), FollowupAction(FLOW_FORMS[task])]
    if carries_on(tracker):
        return [FollowupAction("claim_form")]  # "can we finish what we started?"
    goods = tells_of_missing_goods(turn.text)
    if signs_off(turn.text) and not goods and not entities and not tracker.active_loop_name:
        # "ok I'll check with them then" read as a task: nothing to start
        dispatcher.utter_message(response="utter_all_right")
        return [FollowupAction("action_listen")]
    if task == "tracking" and not tracker.active_loop_name and goods:
        task = "claim"  # "u forgot to pack the X"
    quiet = not tracker.active_loop_name
    if task == "claim" and quiet and asks_if_it_came(turn.text) and not could_be_a_claim(turn.text):
        task = "tracking"  # "can i pick up today? ordered the red dot finder yesterday"
    # "ok, and will the money go back on my visa?" right after the returns article: its topic
    follows_an_answer = answer_being_rated(tracker) is not None and not tells_of_shortfall(
        turn.text
    )
    if task == "claim" and quiet and (follows_an_answer or not could_be_a_claim(turn.text)):
        if entities & OWN_ORDER_ENTITIES:  # "STS-… can u help" read as a refund: ask what for
            dispatcher.utter_message(response="utter_what_to_do_with_order", buttons=TASK_MENU)
            return [FollowupAction("action_listen")]
        answered = answer_from_help_center(dispatcher, tracker, TASK_MENU)
        if answered is not None:  # "what rpm is the reissue" read as a refund: no claim
            return then_listen(answered)
    if task == "tracking" and announces_a_question(turn.text) and not tracker.active_loop_name:
        # "quick question about my order 4669-2016": the question is still to come
        dispatcher.utter_message(response="utter_what_to_do_with_order", buttons=TASK_MENU)
        return [FollowupAction("action_listen")]
    # "are your suitcases TSA approved": an outcome word, but no claim, refund or report, and
    # none made here; every blind claim-status first message names one (tests/actions)
    claimless = not (
        names_a_claim(turn.text) or "claim_number" in entities or tracker.get_slot("claim_number")
    )
    orderless = not (
        speaks_of_an_order(turn.text)
        or WHERE_WORDS.search(turn.text)
        or asks_if_it_came(turn.text)  # "I'm hoping to grab my bow strings … will they be there?"
        or entities & OWN_ORDER_ENTITIES
    )
    asks_status_of_order = not (names_a_claim(turn.text) or asks_about_an_earlier_claim(turn.text))
    if task == "claim_status" and "order_number" in entities and asks_status_of_order:
        task = "tracking"  # "sts4091… status?"
    way_asked = asks_its_way_only(turn.text)
    if task == "claim_status" and quiet and claimless and way_asked and asks_status_of_order:
        task = "tracking"  # "still waiting on the bricks I ordered. any update?": no claim named
    anew = reports_anew(turn.text)  # "got everything except the crackers (the jam I reported)"
    # "they said nothing's there?? so I guess the whole thing is missing": no claim spoken of
    no_claim_said = not speaks_of_a_claim(re.sub(r"(?i)\bmissing\b", " ", turn.text))
    new_report = (asks_status_of_order or anew or no_claim_said) and (
        "claim_number" not in entities  # "… its day 7 now. CLM-003050"
    )
    if task == "claim_status" and new_report and (goods or anew) and not tracker.active_loop_name:
        # "the vitamin C isn't here. what happened?", "I want to report my watch missing, it's
        # been over a week": nothing reported yet
        task = "claim"
    if task == "claim" and quiet and asks_about_an_earlier_claim(turn.text) and not anew:
        task = "claim_status"  # "I filed a claim for missing goggles and heard nothing"
    tracking_off = orderless or bool(
        KEEPING_OR_CHANGING.search(turn.text)
        or SOMEONE_ELSE.search(turn.text)
        or SERVICE_ASKED.search(turn.text)
    )
    unmet = WISH_UNMET.search(turn.text) and not tells_of_shortfall(turn.text)
    wish_unmet = task == "claim" and unmet  # "a refund for the LED wash, not bright enough"
    off_task = (
        another_matter(turn.text)
        or tells_only_of_damage(turn.text)
        or wish_unmet
        or (claimless if task == "claim_status" else tracking_off if task == "tracking" else False)
    )
    if off_task and not tracker.active_loop_name:
        # "i keep getting logged out of the app" read as a claim's status, "can you help me
        # with my homework" as tracking: nothing of a claim or an order in them
        answered = answer_from_help_center(dispatcher, tracker, TASK_MENU)
        if answered is not None:
            return then_listen(answered)
    start = [FollowupAction(FLOW_FORMS[task])]
    if entities & OWN_ORDER_ENTITIES or tracker.active_loop_name:
        return start
    if task == "tracking" and (ASKS_WHERE_MINE.search(turn.text) or _own_arrival(turn.text)):
        return start  # "how do i see where my ship to store order is": their own order
    if task == "claim_status" and asks_about_an_earlier_claim(turn.text):
        return start  # "is my claim still open? I never got a confirmation e-mail": their claim
    if task == "claim" and goods:
        return start  # "the charging cable wasn't in my order": no article says it better
    try:
        answer = client().answer_question(
            turn.text, tracker.sender_id, channel_of(tracker), task=task
        )
    except SupportDeskError as error:
        logger.warning("help center unavailable (%s)", type(error).__name__)
        return start
    article = answer.get("article") if answer.get("found") else None
    if not article:
        return start
    say_article(dispatcher, article)
    buttons = [RATING_BUTTONS[0], TASK_BUTTONS[task], RATING_BUTTONS[1]]
    dispatcher.utter_message(response="utter_ask_help_helpful", buttons=buttons)
    return [SlotSet(ANSWER_SLOT, str(answer["answer_id"])), FollowupAction("action_listen")]


class _StartTask:
    """A message the classifier read as one of the assistant's tasks: that task, unless the help
    center is sure it is about another article. (Not an Action itself, like the rating class.)"""

    action: str
    task: str

    def name(self) -> str:
        return self.action

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        return task_or_answer(dispatcher, tracker, self.task)


class ActionStartTracking(_StartTask, Action):
    """ "Where is my order?" tracks it; "can you resend my confirmation?" gets its article."""

    action, task = "action_start_tracking", "tracking"


class ActionStartClaimStatus(_StartTask, Action):
    """A claim's status, unless the question is about another article ("refund times")."""

    action, task = "action_start_claim_status", "claim_status"


class ActionStartRefund(_StartTask, Action):
    """A refund for what is missing, unless the question is about another article ("how long
    does a refund take", "I was charged twice")."""

    action, task = "action_start_refund", "claim"


def answer_being_rated(tracker: Tracker) -> int | None:
    """The help-center answer that the latest message replies to, if it replies to one."""
    value = tracker.get_slot(ANSWER_SLOT)
    if not value:
        return None
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
        elif event.get("event") == "slot" and event.get("name") == ANSWER_SLOT:
            return int(value) if users == 1 and str(event.get("value")) == value else None
    return None


def rate(tracker: Tracker, helpful: bool) -> list[dict[str, Any]]:
    """Record the shopper's yes or no to the answer just given; the slot is cleared."""
    answer_id = answer_being_rated(tracker)
    if answer_id is None:
        return []
    try:
        client().rate_answer(answer_id, helpful)
    except SupportDeskError as error:  # a lost rating must not cost the shopper an answer
        logger.warning("help-center rating not recorded (%s)", type(error).__name__)
    return [SlotSet(ANSWER_SLOT, None)]


OPENS_WITH_NO = re.compile(r"^\W*(?:no+|nope|nah|not|none|nothing|never|neither)\b", re.I)


class _YesOrNoWithNothingAsked:
    """A yes or no with no question open: it rates the answer just given, if there was one.
    (Not an Action itself: rasa-sdk registers every subclass of Action it finds.)"""

    action: str
    helpful: bool
    rated_response: str  # after rating the answer just given
    plain_response: str  # when no answer was just given

    def name(self) -> str:
        return self.action

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        rated = rate(tracker, helpful=self.helpful)
        turn = latest_turn(tracker)
        # "radio not here" read as a no: a thing short, told before any no-word
        terse = not self.helpful and not OPENS_WITH_NO.match(turn.text)
        short = tells_of_missing_goods(turn.text) or (terse and tells_of_shortfall(turn.text))
        if not turn.is_payload and short:
            # "no, the olive oil isn't here": a claim to start, not a goodbye
            return [*rated, *task_or_answer(dispatcher, tracker, "claim")]
        dispatcher.utter_message(response=self.rated_response if rated else self.plain_response)
        return rated


class ActionYesWithNothingAsked(_YesOrNoWithNothingAsked, Action):
    """ "Yes": the answer just given helped, or what else to do."""

    action, helpful = "action_yes_with_nothing_asked", True
    rated_response, plain_response = "utter_glad_it_helped", "utter_what_else"


class ActionNoWithNothingAsked(_YesOrNoWithNothingAsked, Action):
    """ "No": the answer just given did not help (a person is offered), or goodbye."""

    action, helpful = "action_no_with_nothing_asked", False
    rated_response, plain_response = "utter_help_not_helpful", "utter_goodbye"
