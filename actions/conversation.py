"""Conversation repair: stopping, not understanding, asides in a form, and what happens next."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.claim_form import reset_claim_slots
from actions.claim_talk import asks_about_an_earlier_claim, speaks_of_a_claim
from actions.common import (
    ASKS_IN_A_ROW,
    FAILED_ATTEMPTS,
    NOT_ANSWERS,
    SAME_QUESTION,
    TASK_MENU,
    answered_in_a_row,
    client,
    explain_error,
    leave_step,
)
from actions.follow_up import ActionEvidenceLink, conversation_claim, status_message
from actions.handoff import escalate
from actions.help_center import (
    KEEPING_OR_CHANGING,
    TRACK_WORDS,
    WHERE_WORDS,
    announces_a_question,
    another_matter,
    asks_if_it_came,
    asks_its_way_only,
    carries_on,
    could_be_a_claim,
    speaks_of_an_order,
    then_listen,
)
from actions.identifiers import normalize_claim_number
from actions.item_reading import (
    tells_of_damage,
    tells_of_missing_goods,
    tells_of_shortfall,
    tells_only_of_damage,
)
from actions.out_of_scope import say_out_of_scope
from actions.supportdesk_client import SupportDeskError
from actions.tracking import another_orders_way, store_message, tracking_message
from actions.turns import latest_turn, only_thanks, signs_off, wishes_well
from actions.verification import ANSWERED_BY, IDENTIFIERS, another_order, verified_order

TASK_FORMS = {
    "check_tracking": "verify_form",
    "report_missing_item": "claim_form",
    "request_refund": "claim_form",
    "check_claim_status": "claim_status_form",
}
TRACKING_CUES = re.compile(
    rf"\b(where(?:'s| is| are)|{TRACK_WORDS}|has it arrived|"
    r"when will it (?:arrive|get here))\b",
    re.IGNORECASE,
)
RUNNER_UP = 0.1  # the least confidence for a task ranked next to a catch-all guess
ASKS_ITS_OWN = 5  # a question of this many words, not understood in a form, is an aside
FIRST_GUESS = 0.3  # a task the NLU is unsure of, but ranks first
CATCH_ALL = {"inform", "correct"}  # guesses that say little about what the shopper wants
OUT_OF_SCOPE_GUESS = 0.2  # out of scope this likely: no form is started on a guess
ESCALATE_AFTER = 3  # misunderstandings in a row before the assistant brings in a person, once
ORDER_ASIDES = {"check_tracking": "tracking", "ask_store_hours": "store"}
# Fixed answers to asides in the middle of a form (the form then asks its question again).
ASIDE_RESPONSES = {
    "bot_challenge": "utter_iamabot",
    "greet": "utter_greet_in_form",
    "thank": "utter_you_are_welcome_in_form",
    "chitchat": "utter_chitchat",
    "ask_next_steps": "utter_next_steps_before_claim",
}


# Small talk that asks after the assistant, not "ok cool" or "nice, I'll go saturday".
ASKS_HOW_I_AM = re.compile(
    r"\b(?:how\s+(?:are|r)\s+(?:you|u|ya)|how'?s\s+(?:it\s+going|your\s+day|life)|"
    r"how\s+(?:is|was)\s+your\s+day|how\s+do\s+you\s+do|what'?s\s+up|wh?ass?up|"
    r"are\s+you\s+(?:ok|okay|well|good)|how\s+have\s+you\s+been|you\s+doing\s+(?:ok|well))\b",
    re.IGNORECASE,
)


class ActionSmallTalk(Action):
    """Small talk outside a form: "how are you?" is answered as such; "ok cool", said after an
    answer, is taken as the acknowledgement it is."""

    def name(self) -> str:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        asks = ASKS_HOW_I_AM.search(latest_turn(tracker).text)
        dispatcher.utter_message(response="utter_chitchat_what_next" if asks else "utter_noted")
        return []


class ActionStopForm(Action):
    """The customer wants to stop: end the form and drop what it collected for the claim."""

    def name(self) -> str:
        return "action_stop_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_stopped")
        stopped = [ActiveLoop(None), SlotSet("requested_slot", None), *reset_claim_slots()]
        turn = latest_turn(tracker)
        if not (another_matter(turn.text) or (turn.is_question and tells_of_damage(turn.text))):
            return stopped
        # "nothing's missing. but the boots are too small, can I return them here?": answered,
        # in place of "anything else?"
        return [*stopped, *then_listen(say_out_of_scope(dispatcher, tracker, domain))]


class ActionLeaveForm(Action):
    """A person or a goodbye in the middle of a form: nothing half-asked comes back later.

    The form ends; what it collected stays in its slots, so starting the task again asks only
    for what is still missing.
    """

    def name(self) -> str:
        return "action_leave_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if latest_turn(tracker).intent == "request_human":
            events = escalate(dispatcher, tracker, "The customer asked for a person.")
        else:
            dispatcher.utter_message(response="utter_goodbye_in_form")
            events = []
        return [*events, ActiveLoop(None), SlotSet("requested_slot", None)]


def _names_a_claim_number(turn: Any) -> bool:
    """A claim number the shopper typed: one in its form, or a number after "claim"."""
    given = turn.entities.get("claim_number")
    if not given:
        return False
    return bool(normalize_claim_number(given) or CLAIM_WORD.search(turn.text))


CLAIM_WORD = re.compile(r"(?:clm|claim)", re.IGNORECASE)


class ActionCannotHandle(Action):
    """Not understood: say what the assistant can do, and never hand off at the first miss.

    With no form going on, a message that the NLU did not place but that carries an
    identifier or tells of missing items is taken up instead. After ESCALATE_AFTER
    misunderstandings in a row, the assistant brings in a person, once per conversation.
    """

    def name(self) -> str:
        return "action_cannot_handle"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if not tracker.active_loop_name:
            routed = self._route(dispatcher, tracker, domain)
            if routed is not None:
                return routed
        if tracker.active_loop_name and (
            set(tracker.slots_to_validate()) & IDENTIFIERS or _gives_what_is_asked(tracker)
        ):
            # "it was for the toothbrush heads, order #STS ...", "not sure where that email
            # went, it was for order 9013-0168" at the claim number: the form takes it
            return []
        misses = misunderstood_in_a_row(tracker) + 1
        if tracker.active_loop_name and unanswered_before(tracker) + 1 >= ASKS_IN_A_ROW:
            return leave_the_question(dispatcher, tracker)
        if tracker.active_loop_name and self._help_center_question(tracker):
            return say_out_of_scope(dispatcher, tracker, domain, in_form=True)
        if tracker.active_loop_name:
            dispatcher.utter_message(response="utter_cannot_handle_in_form")
        else:
            dispatcher.utter_message(response="utter_cannot_handle", buttons=TASK_MENU)
        attempt = latest_turn(tracker).is_attempt  # noise never opens work for a person
        if misses >= ESCALATE_AFTER and attempt and not tracker.get_slot("auto_escalated"):
            events = escalate(dispatcher, tracker, "The assistant repeatedly misunderstood.")
            return [*events, SlotSet("auto_escalated", True)]
        return []

    @staticmethod
    def _help_center_question(tracker: Tracker) -> bool:
        """A question the NLU half places as out of scope or store hours: an aside for the help
        center ("what time does it close?"), not a miss."""
        guessed = ranked(tracker, "out_of_scope", OUT_OF_SCOPE_GUESS) or ranked(
            tracker, "ask_store_hours", OUT_OF_SCOPE_GUESS
        )
        turn = latest_turn(tracker)
        # "actually, can I return the easel? my kid has one": a question of its own
        return turn.is_question and (guessed or turn.words >= ASKS_ITS_OWN)

    @staticmethod
    def _route(
        dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict] | None:
        turn = latest_turn(tracker)
        if turn.is_payload:
            return None
        if carries_on(tracker):
            return [FollowupAction("claim_form")]  # "can we finish what we started?"
        if _names_a_claim_number(turn):  # not "52mm" read as one
            return [FollowupAction("claim_status_form")]
        if first_guess(tracker) == "request_human":
            return escalate(dispatcher, tracker, "The customer asked for a person.")
        given = {"order_number", "email", "tracking_number"} & set(turn.entities)
        short = turn.words >= 3 and tells_of_shortfall(turn.text)  # "3 of the bars aren't there"
        if only_thanks(turn.text) and not short and not given:
            dispatcher.utter_message(response="utter_you_are_welcome")  # "gracias"
            return []
        if wishes_well(turn.text) and not short and not given:
            dispatcher.utter_message(response="utter_goodbye")  # "have a lovely evening"
            return []
        if signs_off(turn.text) and not short and not given:
            dispatcher.utter_message(response="utter_all_right")  # "ok, I'll ask her then"
            return []
        if only_greets(turn.text) and not short and not given:
            dispatcher.utter_message(response="utter_greet")  # "good morning!! hope ur day's 😊"
            return [FollowupAction("action_listen")]
        # never a form on a guess; but "hi can i check on an order" asks the order's way
        way = asks_its_way_only(turn.text)
        if (
            not given
            and not short
            and not way
            and ranked(tracker, "out_of_scope", OUT_OF_SCOPE_GUESS)
        ):
            return say_out_of_scope(dispatcher, tracker, domain)
        keeping = KEEPING_OR_CHANGING.search(turn.text) and not tells_of_missing_goods(turn.text)
        if keeping or another_matter(turn.text) or tells_only_of_damage(turn.text):
            # "… or will it be sent back?", "if I miss the pickup window, do I get a refund?"
            return say_out_of_scope(dispatcher, tracker, domain)
        task = runner_up_task(tracker)
        if task == "report_missing_item" and not short:
            task = None  # a guess of a missing item opens no claim unless something is short
        if task == "request_refund" and not could_be_a_claim(turn.text):
            task = None  # nor a guess of a refund, unless a claim or a refund is spoken of
        if task == "check_claim_status" and short and not asks_about_an_earlier_claim(turn.text):
            task = None  # "rather have the money than wait … the missing desk lamp": a claim
        if task == "check_claim_status" and not (given or speaks_of_a_claim(turn.text)):
            task = None  # "whats the difference between 52mm and 54mm wheels": no claim named
        if task == "check_tracking" and (short or not (given or WHERE_WORDS.search(turn.text))):
            # "... came without the mouse": the shortfall; "what's 2+2": no way asked
            task = None
        if task == "check_tracking" and not (
            given or speaks_of_an_order(turn.text) or tracker.get_slot("verified_order")
        ):
            task = None  # "ok where then" after how to cancel: no order of the shopper's named
        if task is not None:
            return [FollowupAction(TASK_FORMS[task])]
        if short:
            return [FollowupAction("claim_form")]
        way_asked = TRACKING_CUES.search(turn.text) or asks_if_it_came(turn.text)
        if way_asked or (given and WHERE_WORDS.search(turn.text)):
            return [FollowupAction("verify_form")]  # "sts48210937 status?": that order's way
        if given or announces_a_question(turn.text):
            # "STS-…", "I have a small problem with my order": understood, and asked what about
            dispatcher.utter_message(response="utter_what_to_do_with_order", buttons=TASK_MENU)
            return [FollowupAction("action_listen")]
        return None


GREETING = re.compile(
    r"^\W*(?:hi+|hello+|helo|hey+|hiya|heya|howdy|greetings|yo|good\s+(?:morning|afternoon|"
    r"evening|day))\b",
    re.IGNORECASE,
)
GREETING_WORDS = 12  # a greeting with pleasantries, not a request told after it
PLEASANTRY = re.compile(
    r"\bhow\s+(?:are|r)\s+(?:you|u|ya)\b|\bhow(?:'s|\s+is)\s+it\s+going\b", re.I
)


def only_greets(text: str) -> bool:
    """A greeting, with pleasantries at most: nothing of an order or a claim, and no question
    but how the assistant is ("hello do you sell gift cards?" asks something)."""
    asks = "?" in text and not PLEASANTRY.search(text)
    return (
        bool(GREETING.search(text))
        and len(text.split()) <= GREETING_WORDS
        and not asks
        and not speaks_of_an_order(text)
        and not speaks_of_a_claim(text)
    )


def first_guess(tracker: Tracker) -> str | None:
    """The NLU's best guess behind its fallback, when it is at least a FIRST_GUESS."""
    ranking = latest_turn(tracker).ranking
    if ranking and ranking[0][1] >= FIRST_GUESS:
        return ranking[0][0]
    return None


def ranked(tracker: Tracker, intent: str, least: float) -> bool:
    """The NLU ranked `intent` among its two best guesses with at least `least` confidence."""
    ranking = latest_turn(tracker).ranking
    return any(name == intent and confidence >= least for name, confidence in ranking[:2])


def runner_up_task(tracker: Tracker) -> str | None:
    """A task the NLU ranked first, or right behind a catch-all guess ("where is my order
    sts48291307?" may read as a detail, `inform`): never a form for a guess behind anything
    else, such as a question the assistant does not serve."""
    for place, (name, confidence) in enumerate(latest_turn(tracker).ranking[:2]):
        least = FIRST_GUESS if place == 0 else RUNNER_UP
        if name in TASK_FORMS and confidence >= least:
            return name
        if name not in CATCH_ALL:
            return None
    return None


def misunderstood_in_a_row(tracker: Tracker) -> int:
    """How many of the latest customer messages in a row got the cannot-handle answer."""
    return answered_in_a_row(tracker, {"action_cannot_handle"})


def leave_the_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict]:
    """Leave the form's step (`common.leave_step`); its failures are forgotten with it."""
    asked = tracker.get_slot("requested_slot") or ""
    counts = dict(tracker.get_slot(FAILED_ATTEMPTS) or {})
    for key in (asked, SAME_QUESTION.get(asked, "")):
        counts.pop(key, None)
    left = {**leave_step(dispatcher, "form"), FAILED_ATTEMPTS: counts}
    return [SlotSet(slot, value) for slot, value in left.items()]


def unanswered_before(tracker: Tracker, asides: bool = True) -> int:
    """How often the form's question went out before this message and got no answer: answers
    it could not use (`common.failure`), misses in a row and, with `asides`, asides in a row.

    Without `asides`, an aside counts only when this message repeats it word for word: a
    shopper who says the same thing again meant it as the answer.
    """
    asked = tracker.get_slot("requested_slot") or ""
    counts = tracker.get_slot(FAILED_ATTEMPTS) or {}
    failed = counts.get(asked, 0) + counts.get(SAME_QUESTION.get(asked, ""), 0)
    if asides:
        return answered_in_a_row(tracker, NOT_ANSWERS) + failed
    return misunderstood_in_a_row(tracker) + failed + int(_repeats_an_aside(tracker))


def _repeats_an_aside(tracker: Tracker) -> bool:
    """The latest message says again what the one before said, which was taken as an aside."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    if len(users) < 2 or not answered_in_a_row(tracker, {"action_answer_aside"}):
        return False
    before, latest = (
        " ".join(str(tracker.events[i].get("text") or "").lower().split()) for i in users[-2:]
    )
    return before == latest


def _gives_what_is_asked(tracker: Tracker) -> bool:
    """The message carries an identifier that answers the form's question, and asks nothing."""
    turn = latest_turn(tracker)
    answering = ANSWERED_BY.get(tracker.get_slot("requested_slot") or "", ())
    return not turn.ends_with_question and any(name in turn.entities for name in answering)


class ActionAnswerAside(Action):
    """An aside in the middle of a form: answer it; the form then asks its question again,
    but not a third time after answers it could not use, or the same aside said again."""

    def name(self) -> str:
        return "action_answer_aside"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if tracker.active_loop_name and _gives_what_is_asked(tracker):
            return []  # "don't know it, it was for order 2280-7731": the form takes the number
        events = await self._answer(dispatcher, tracker, domain)
        in_form = tracker.active_loop_name and latest_turn(tracker).intent != "request_human"
        # A wrong answer, a miss or this same aside just before: the question went out twice.
        if in_form and unanswered_before(tracker, asides=False) + 1 >= ASKS_IN_A_ROW:
            events += leave_the_question(dispatcher, tracker)
        return events

    async def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        intent = latest_turn(tracker).intent
        if intent == "request_human":
            return escalate(dispatcher, tracker, "The customer asked for a person.")
        if intent == "send_evidence":
            return await ActionEvidenceLink().run(dispatcher, tracker, domain)
        if intent in ORDER_ASIDES:
            return self._about_the_order(dispatcher, tracker, intent)
        if intent == "check_claim_status":
            return self._claims(dispatcher, tracker)
        if intent == "out_of_scope":
            return say_out_of_scope(dispatcher, tracker, domain, in_form=True)
        dispatcher.utter_message(response=ASIDE_RESPONSES.get(intent, "utter_out_of_scope_in_form"))
        return []

    @staticmethod
    def _about_the_order(
        dispatcher: CollectingDispatcher, tracker: Tracker, intent: str
    ) -> list[dict[str, Any]]:
        """Where the order is, or its pickup store: only once the customer is verified."""
        other = another_order(tracker)
        if other is not None and intent == "check_tracking":
            return another_orders_way(dispatcher, tracker, other)
        try:
            order = verified_order(tracker)
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        if order is None:
            dispatcher.utter_message(response=f"utter_{ORDER_ASIDES[intent]}_after_verification")
        elif intent == "check_tracking":
            dispatcher.utter_message(text=tracking_message(order))
        else:
            dispatcher.utter_message(text=store_message(order))
        return []

    @staticmethod
    def _claims(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        verified = tracker.get_slot("verified_order")
        if not verified:
            dispatcher.utter_message(response="utter_claims_after_verification")
            return []
        try:
            claims = client().list_claims(verified)["claims"]
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        if not claims:
            dispatcher.utter_message(text=f"There are no claims on order {verified} yet.")
        for claim in claims:
            dispatcher.utter_message(text=status_message(claim))
        return []


# "my claim is 'under review', how long will it take?": a claim of the shopper's, made before
OWN_CLAIM = re.compile(
    r"\b(?:my|our)\s+(?:[\w'-]+\s+){0,2}?(?:claim|report)s?\b(?!\s+(?:form|page|button|link))",
    re.IGNORECASE,
)


class ActionNextSteps(Action):
    """'What happens now?', 'how long?': answered from the conversation's latest claim."""

    def name(self) -> str:
        return "action_next_steps"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        try:
            claim = conversation_claim(tracker)
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        turn = latest_turn(tracker)
        if "claim_number" in turn.entities or (
            claim is None
            and (ranked(tracker, "check_claim_status", RUNNER_UP) or OWN_CLAIM.search(turn.text))
        ):
            # another claim than this chat's, or one from before it: look it up
            return [FollowupAction("claim_status_form")]
        if claim is None:
            dispatcher.utter_message(response="utter_next_steps_without_claim")
            return []
        dispatcher.utter_message(text=next_steps_message(claim))
        return []


def next_steps_message(claim: dict[str, Any]) -> str:
    """What happens next with this claim, and how long it usually takes."""
    number, status = claim["claim_number"], claim["status"]
    if status == "approved":
        timing = (
            "Your refund is approved: it goes back to your original payment method and usually "
            "shows within 3 to 5 business days."
        )
    elif status == "rejected":
        timing = "The claim was not approved; the note on it says why."
    elif status == "needs_info":
        timing = "Support needs more information from you: the note on the claim says what."
    else:
        timing = (
            "Our support team reviews it, usually within 1 to 2 business days, and I'll tell "
            "you here as soon as they decide."
        )
    return (
        f"Claim {number}: {timing} {claim.get('next_steps', '')} You can ask me for its status "
        "at any time, or add photos."
    ).replace("  ", " ")
