"""Words that ask how a claim already made is going: "did you guys get my claim?",
"I reported the lamp last week, any news?". The NLU (`nlu_components.earlier_claim`) and the
help-center routing (`actions.help_center`) read them alike."""

from __future__ import annotations

import re

from actions.item_reading import tells_of_shortfall

REPORTED = re.compile(
    r"(?:\b(?:i|we|they|you(?:\s+guys|\s+all)?|the agent|an agent|the store|someone|somebody|"
    r"support)\s+(?:already\s+|have\s+|had\s+|'ve\s+)?|\balready\s+)(?:reported\b|"
    r"(?:filed|submitted|made|opened|raised|lodged|put in|sent in|started)"
    r"(?:\s+[\w'-]+){0,4}?\s+(?:claim|report|complaint|request|ticket|case|refund)s?\b|"
    # "I filed something about my order being short": a report, named vaguely
    r"(?:filed|submitted|lodged|raised|put\s+in|sent\s+in)\s+(?:something|one)\b)|"
    # "the refund I asked for", "the claim we put in": one made, named after the fact
    r"\b(?:i|we)\s+(?:already\s+)?(?:asked\s+for|requested|applied\s+for)\s+"
    r"(?:(?:a|the|my|our)\s+refund|it|one)\b|"
    r"\b(?:refund|claim|report|request|complaint|ticket|case)\s+(?:that\s+)?(?:i|we)\s+"
    r"(?:already\s+)?(?:asked\s+for|requested|filed|submitted|made|opened|put\s+in|sent\s+in)\b|"
    # "I have an open case about …", "they told me they'd file a claim": one made, or promised
    r"\b(?:i|we)\s+(?:have|had|got)\s+(?:an?\s+)?(?:open|existing|ongoing|pending)\s+"
    r"(?:claim|case|ticket|request|report)\b|"
    r"\b(?:they|the store|someone|the agent|support)(?:'?d|\s+would|\s+were\s+going\s+to)\s+"
    r"(?:file|submit|make|open|raise|put in|start)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:claim|report|request)\b",
    re.IGNORECASE,
)
# The money of a claim not yet come: "it hasn't arrived in my bank", "hasn't shown on my card"
NOT_COME = (
    r"(?:has\s*n'?t|have\s*n'?t|not|never|still\s+not)\s+(?:yet\s+)?(?:shown|showed|landed|hit|"
    r"appeared|(?:gone|come|came)\s+(?:through|thru)|cleared|posted|been\s+(?:paid|credited)|"
    r"(?:arrived|come|came|reached)\s+(?:in|on|to|into)\s+(?:my|our|the)\s+"
    r"(?:bank|card|account|statement|paypal))"
)
# Words that ask how a claim is going, in both forms below.
HOW_IT_GOES = (
    r"where\s+(?:are|r)\s+(?:we|things)\s+(?:on|with|at)|"  # "where are we on my claim"
    r"status|update|news|progress|stands|looked at|heard back|hear back|follow(?:ing)? up|going on|"
    r"(?:have\s*n'?t|not|never)\s+heard|heard\s+(?:nothing|zero|zilch|nada|squat)|"
    r"nothing\s+(?:since|yet|back|more)|"
    r"no\s+(?:word|reply|response|answer)\b|it'?s\s+been\b.{0,25}\bsince"
)
PROGRESS = re.compile(
    rf"\?|\b(?:{HOW_IT_GOES}|happening|happened|decided?|any word|went (?:through|thru)|"
    r"resolved|sorted|settled|dealt with|accepted|approved|denied|rejected|declined|"
    r"where(?:'s| is) (?:it|that)|how far along|back to (?:me|us)|"
    # "did it go through?"; not "I've gone through the rest of the bag"
    r"go(?:ne)? (?:through|thru)(?!\s+(?:the|my|our|all|every|it|them|his|her|their|this))|"
    r"been\s+(?:done|filed|made|submitted|sent|processed)|"
    r"when\s+(?:is|will|does)\s+(?:it|that|the\s+money|my\s+money|the\s+refund|my\s+refund)\b|"
    r"when\s+(?:will|do|can)\s+(?:i|we)\s+(?:get|see|receive)\b)\b",
    re.IGNORECASE,
)
# "was my missing item claim accepted?", "status of the report I made": a claim that already
# exists, named with what became of it (a question mark alone would not do: "can I make my claim?")
MY_CLAIM = re.compile(
    r"(?:^\s*claim|\b(?:my|the|our)\s+(?:[\w'-]+\s+){0,3}?(?:claim|report|refund(?:\s+request)?))\b"
    r"(?!\s+(?:form|page|button|link|process))",  # "the claim form won't load": no claim yet
    re.IGNORECASE,
)
OUTCOME = re.compile(
    rf"\b(?:{HOW_IT_GOES}|accepted|approved|denied|rejected|declined|processed|received|"
    r"(?:did|have|has)\s+(?:you|u|they|anyone|someone)(?:\s+(?:guys|all))?(?:\s+\w+)?\s+"
    r"(?:accept|approve|deny|reject|decline|process|receive|review|look at|decide)|"
    r"reviewed|decided|going|happening|happened\s+(?:to|with)|check(?:ing)? (?:on|in on|up on)|"
    r"when\s+(?:will|do|can)\s+(?:i|we)\s+(?:get|see|receive)|"
    r"still open|closed|pending|resolved|"
    r"did (?:you|u)(?: guys| all)? (?:get|see|receive)|how far along|"
    rf"where(?:'s|s|\s+is)\s+(?:my|the|our)\s+(?:[\w'-]+\s+){{0,2}}?(?:refund|money|credit)|{NOT_COME})\b",
    re.IGNORECASE,
)
# "you said my refund for the missing airlocks would be back in 3-5 days": a refund promised,
# so a claim made; any word of time since then asks how it is going.
PROMISED = re.compile(
    r"\b(?:you(?:\s+guys|\s+all)?|they|support|the store|the agent|someone)\s+"
    r"(?:said|told me|promised)\b"
    r".{0,60}?\b(?:refund|money|credit)\b",
    re.IGNORECASE,
)
SINCE = re.compile(
    rf"\b(?:it'?s been|been (?:a|over|more than)|still|yet|days? ago|weeks?|{NOT_COME}|"
    # "the email said 3-5 business days, it's day 7"
    r"(?:it'?s|its|now|today\s+is)\s+day\s+\d+|\d+\s*(?:-|to)\s*\d+\s+(?:business\s+|working\s+)?days)\b",
    re.I,
)
# "following up on a claim about the shin pads": a claim made, whatever article it has
FOLLOWED_UP = re.compile(
    r"\b(?:follow(?:ing|ed)?[\s-]+up|check(?:ing)?\s+(?:on|in\s+on|up\s+on))\s+(?:on\s+)?"
    r"(?:a|an|my|the|our|this|that)\s+(?:[\w'-]+\s+){0,3}?(?:claim|report|refund|request)s?\b",
    re.IGNORECASE,
)
# "where's my refund for the coat I returned?": the refund of a return, no claim's
RETURNED = re.compile(r"\b(?:return(?:ed|ing|s)?|exchang\w*)\b", re.IGNORECASE)
# "now the rug is missing too"; not "now what?"
NEW_SHORTFALL = re.compile(
    r"\b(?:now(?!\s+what)|also|too|another|as well|this time)\b", re.IGNORECASE
)


# "I don't think I reported it yet", "we haven't filed a claim", "never reported it": none made
UNREPORTED = re.compile(
    r"\b(?:(?:do\s*n'?t|did\s*n'?t|not\s+sure)\s+(?:think|know\s+if|remember\s+if|believe)\s+"
    r"(?:i|we)\s+|(?:i|we)\s+(?:have\s*n'?t|have\s+not|never|did\s*n'?t|did\s+not)\s+"
    r"(?:yet\s+|even\s+|actually\s+)?)"
    r"(?:ever\s+|already\s+|actually\s+)?(?:reported|report|filed|file|made|make|submitted|submit|"
    r"opened|open|put\s+in)\b|"
    # "my wife might have already reported it, not sure": a report now, told when one exists
    r"\b(?:might|may|could)\s+have\s+(?:already\s+)?(?:reported|filed|submitted|made|opened)\b"
    r"(?=.*\b(?:not\s+sure|no\s+idea|do\s*n'?t\s+know|dunno)\b)",
    re.IGNORECASE,
)


def asks_about_an_earlier_claim(text: str) -> bool:
    """A clause says a claim or report was made, and the message asks how it is going."""
    plain = text.replace("’", "'")
    if UNREPORTED.search(plain):
        return False  # "I don't think I reported it yet? maybe my brother did": a report now
    reported = REPORTED.search(plain) and (PROGRESS.search(plain) or SINCE.search(plain))
    named = MY_CLAIM.search(plain) and OUTCOME.search(plain)
    promised = PROMISED.search(plain) and (SINCE.search(plain) or OUTCOME.search(plain))
    followed = FOLLOWED_UP.search(plain)
    earlier = bool(reported or named or promised or followed)
    # "Also, I filed a claim weeks ago …": the "also" joins the conversation, not a new shortfall
    told = _joining_also_dropped(plain)
    return earlier and not NEW_SHORTFALL.search(told) and not RETURNED.search(plain)


LEADING_ALSO = re.compile(r"^\W*(?:(?:oh|and|ok|okay)\s+)?also\b[\s,]*", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _joining_also_dropped(text: str) -> str:
    """The text without an "also" that opens the message, or a sentence that tells of the
    report: "Thanks. Also, I reported the monomer missing …" joins, it adds nothing missing."""
    sentences = SENTENCE_END.split(text)
    kept = [
        LEADING_ALSO.sub("", sentence) if n == 0 or REPORTED.search(sentence) else sentence
        for n, sentence in enumerate(sentences)
    ]
    return " ".join(kept)


# Any word of a claim or its outcome: a claim's status is never asked without one ("checking on
# clm000876" has its number). 438 of 440 blind claim-status first messages have one.
CLAIM_TALK = re.compile(
    r"\b(?:claims?|clm\w*|refunds?|refunded|report(?:ed)?|requests?|requested|case|ticket|"
    r"complaint|money|status|updates?|news|heard|hear|decision|decided|approved|denied|rejected|"
    r"processed|reimburse\w*|credit(?:ed)?|compensation|follow(?:ing)?[- ]?up|submitted|filed|"
    r"sent|pending|reviewed|waiting|missing|happened|going on|look(?:ed)? into|outcome|result|"
    r"progress|response|answer)\b",
    re.IGNORECASE,
)


# "I want to report my watch missing": a report still to make, whatever else is said of time.
NEW_REPORT = re.compile(
    r"\b(?:(?:want|wanna|need|like|going|have)\s+to|can\s+i|could\s+i|how\s+(?:do|can)\s+i)\s+"
    r"(?:report|claim|file|flag)\b|"
    # "I was told at the store to ask online for a refund": sent here to make the report
    r"\b(?:told|asked|advised)\s+(?:me\s+|us\s+)?(?:[\w'-]+\s+){0,4}?to\s+(?:ask|request|apply|file|"
    r"report|claim|put\s+in)\s+(?:[\w'-]+\s+){0,2}?(?:for\s+)?(?:a|the|my)\s+(?:refund|claim|report)\b",
    re.IGNORECASE,
)


# "the rope I reported last week, and now the swing seat is not here either", "got everything
# except the crackers (and the jam, but I reported that one)": one more; not "its day 7 now"
ADDED = re.compile(
    r"\b(?:also|too|another|as well|this time|either|except)\b|"
    r"\bnow\s+(?:i\s+(?:see|notice|found|reali[sz]e)|the|my|there|i'?m|we'?re)\b",
    re.IGNORECASE,
)


def reports_anew(text: str) -> bool:
    """The message makes a report now, rather than asking about one made before: it says it
    wants to, or tells of one more thing missing besides what was reported, or of a thing
    missing that it says was not reported."""
    plain = text.replace("’", "'")
    told = (ADDED.search(plain) or UNREPORTED.search(plain)) and tells_of_shortfall(plain)
    return bool(NEW_REPORT.search(plain) or told) and not asks_about_an_earlier_claim(plain)


def speaks_of_a_claim(text: str) -> bool:
    """The message has a word of a claim, a refund or what became of them."""
    return bool(CLAIM_TALK.search(text))


# The words that make a status a claim's, not an order's: "sts40917736 status?" asks where
# the order is; "status of my refund for STS-…" asks about the claim.
CLAIM_ITSELF = re.compile(
    r"\b(?:claims?|clm\w*|refunds?|refunded|reimburse\w*|credit(?:ed)?|compensation|case|"
    r"ticket|complaint|report(?:ed)?|missing|money|filed|submitted|"
    # "the request I made about my short order": one made, named as such
    r"requests?\s+(?:that\s+)?(?:i|we)\s+(?:made|put\s+in|sent|opened|raised)|"
    # "I was told someone would look into my short order": a report taken, named by its promise
    r"(?:told|said|promised)\s+(?:me\s+|us\s+)?(?:that\s+)?(?:someone|somebody|they|you|support|"
    r"an?\s+agent)\s+(?:would|will|'d|was\s+going\s+to)\s+(?:look\s+into|check\s+on|"
    r"get\s+back|follow\s+up|sort))\b",
    re.IGNORECASE,
)


def names_a_claim(text: str) -> bool:
    """The message names a claim, a refund or a report, not only a status; a "case" after a
    thing's words is that thing ("is the hard bow case TSA approved")."""
    return any(not _a_things_case(text, found) for found in CLAIM_ITSELF.finditer(text))


# Words before "case" that leave it a support case: "my case", "the open case", "support case"
CASE_LEADS = {
    "my", "the", "a", "an", "our", "this", "that", "your", "open", "opened", "support",
    "existing", "pending", "ongoing", "same", "new", "claim", "service", "customer", "in", "of",
    "for", "on", "about", "with", "regarding", "re", "what", "which",
}  # fmt: skip


def _a_things_case(text: str, found: re.Match[str]) -> bool:
    if found.group(0).lower() not in {"case", "cases"}:
        return False
    before = re.findall(r"[a-z']+", text[: found.start()].lower())[-1:]
    return bool(before) and before[0] not in CASE_LEADS
