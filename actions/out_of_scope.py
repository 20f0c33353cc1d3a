"""Requests this assistant does not serve: the help center's answer, or an honest "not here",
and a person.

They never enter a form. The help center (actions/help_center.py) answers them. When the
support desk cannot be asked, the NLU's response selector names the topic of an `out_of_scope`
message (data/nlu/out_of_scope.yml), and the domain's fixed answer for that topic
(`utter_out_of_scope/<topic>`) says where to go.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from actions.common import HUMAN_BUTTON, TASK_MENU, explain_error, help_center_url
from actions.help_center import (
    announces_a_question,
    another_matter,
    answer_from_help_center,
    asks_a_change,
    asks_if_it_came,
    asks_its_way_only,
    carries_on,
    task_or_answer,
)
from actions.item_reading import (
    says_it_came,
    tells_of_damage,
    tells_of_missing_goods,
    tells_of_shortfall,
)
from actions.items import parts
from actions.supportdesk_client import SupportDeskError
from actions.tracking import store_message
from actions.turns import latest_turn, only_thanks
from actions.verification import verified_order

DEFAULT_TOPIC = "other"
TASK_BUTTONS = [
    {"title": "Where is my order?", "payload": "/check_tracking"},
    {"title": "Items are missing", "payload": "/report_missing_item"},
    HUMAN_BUTTON,
]


def topic_of(tracker: Tracker) -> str:
    """The out-of-scope topic the response selector chose ("returns", "payment", ...)."""
    selector = ((tracker.latest_message or {}).get("response_selector") or {}).get(
        "out_of_scope"
    ) or {}
    name = ((selector.get("response") or {}).get("intent_response_key")) or ""
    return name.split("/", 1)[1] if "/" in name else DEFAULT_TOPIC


def say_out_of_scope(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict, in_form: bool = False
) -> list[dict[str, Any]]:
    """The help center's answer; outside a form with the tasks and a person as buttons."""
    buttons = [HUMAN_BUTTON] if in_form else TASK_BUTTONS
    if not in_form and announces_a_question(latest_turn(tracker).text):
        # "Hello, I need help with order STS-…": the question is still to come
        dispatcher.utter_message(response="utter_what_to_do_with_order", buttons=TASK_MENU)
        return []
    answered = answer_from_help_center(dispatcher, tracker, buttons, in_form)
    if answered is not None:
        return answered
    response = f"utter_out_of_scope/{topic_of(tracker)}"
    if response not in (domain.get("responses") or {}):
        response = f"utter_out_of_scope/{DEFAULT_TOPIC}"
    dispatcher.utter_message(response=response, help_center=help_center_url(), buttons=buttons)
    return []


class ActionOutOfScope(Action):
    """The help center's answer; or the claim, for a message that says goods were missing.

    "I'd like the cost of the missing towel set returned to my card" reads as a return to the
    classifier. When it says goods are missing and no claim has been spoken of yet, the claim
    starts, unless the help center is sure the question is about another of its articles.
    """

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if self._tells_of_missing_goods(tracker) or carries_on(tracker):
            return task_or_answer(dispatcher, tracker, "claim")
        text = latest_turn(tracker).text
        # "can I swap the colour on my order? it still says processing": the change is asked
        if not tracker.active_loop_name and asks_its_way_only(text):
            return task_or_answer(dispatcher, tracker, "tracking")  # "see if it's ready"
        if only_thanks(text) and not tells_of_shortfall(text):
            dispatcher.utter_message(response="utter_you_are_welcome")  # "thanks, sorry for …"
            return []
        return say_out_of_scope(dispatcher, tracker, domain)

    @staticmethod
    def _tells_of_missing_goods(tracker: Tracker) -> bool:
        turn = latest_turn(tracker)
        quiet = not tracker.active_loop_name and not tracker.get_slot("claim_number")
        if not quiet or turn.is_payload or tells_of_damage(turn.text):
            return False  # "a missing leg screw and a big scratch": damage, for returns
        if tells_of_missing_goods(turn.text):
            return True
        # "can I cancel just the grooming table? … found one cheaper locally": a change asked
        return _short_beside_what_came(turn.text) and not asks_a_change(turn.text)


def _short_beside_what_came(text: str) -> bool:
    """Something short, told beside goods that came: "the charcoal yarn was there but I don't
    have the heather grey yarn" is goods missing, where "I don't have my receipt" alone, or
    beside "my order came", is not."""
    return tells_of_shortfall(text) and any(
        says_it_came(part) and _names_goods(part) for part in parts(text)
    )


NOT_GOODS_WORDS = ENGLISH_STOP_WORDS | {
    "order", "package", "parcel", "box", "delivery", "shipment", "stuff", "came", "arrived",
    "got", "picked", "today", "yesterday", "store",
}  # fmt: skip


def _names_goods(part: str) -> bool:
    return any(len(w) > 2 and w not in NOT_GOODS_WORDS for w in re.findall(r"[a-z]+", part.lower()))


class ActionNothingToStop(Action):
    """A stop with no form going on: "how can I help?", unless the message is a matter of its
    own ("actually I just want to cancel it, I changed my mind"): the help center's answer."""

    def name(self) -> str:
        return "action_nothing_to_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if another_matter(latest_turn(tracker).text):
            return say_out_of_scope(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_how_can_i_help")
        return []


HOURS = re.compile(
    r"\b(?:hours?|open(?:s|ing)?|clos(?:e|es|ing)|what\s+time|till|until|weekends?|sundays?|"
    r"saturdays?|holidays?|address|directions|located|parking)\b",
    re.IGNORECASE,
)


class ActionStoreHours(Action):
    """Store hours: the pickup store's once the order is verified, else where to find them.

    An order number in the message starts the verification; a general question never does.
    """

    def name(self) -> str:
        return "action_store_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("verified_order"):
            try:
                order = verified_order(tracker)
            except SupportDeskError as error:
                explain_error(dispatcher, error)
                return []
            if order is not None:
                dispatcher.utter_message(text=store_message(order))
                return []
        turn = latest_turn(tracker)
        if "order_number" in turn.entities:
            return [FollowupAction("verify_form")]
        if asks_if_it_came(turn.text) and not HOURS.search(turn.text):
            # "when can i pick up my rc car": when it is at the store, not when the store opens
            return [FollowupAction("verify_form")]
        dispatcher.utter_message(
            response="utter_store_hours_general", help_center=help_center_url()
        )
        return []
