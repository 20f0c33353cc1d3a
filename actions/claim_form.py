"""Steps 2 and 3: the claim form's validation, from the order to the confirmed summary.

Every value is extracted here (custom slot mappings), so each step decides for itself what the
customer's message is: its answer, a correction of something given before, or an aside that a
digression rule answers before the step is asked again (the form rejects). Free text is asked
only for the description, and there the message is the description unless it is a short,
clear request for a person or to stop.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from actions.claim_turn import ClaimTurn, claim_turn, order_or_none, reading
from actions.common import (
    NEEDED,
    StoppableFormValidation,
    client,
    explain_error,
    failure,
    said_before_at,
    slots_before_message,
    success,
    without_progress,
)
from actions.corrections import adds_more, apply_changes, asks_to_change, retracts
from actions.follow_up import status_message
from actions.formatting import day, joined
from actions.help_center import another_matter, answer_from_help_center
from actions.identifiers import parse_tracking_number
from actions.item_choice import ItemChoice, choose_items
from actions.item_reading import (
    asks_where_the_rest_is,
    count_of_a_whole,
    counts_what_came,
    missing_slip,
    read_items,
    says_it_came,
    tells_of_shortfall,
)
from actions.items import (
    FULL_STOP,
    MISSING_CUES,
    NUMBER,
    PRESENT_CUES,
    SIZES,
    Line,
    Wanted,
    by_measure,
    exact_line,
    head_word,
    lines_fitting,
    match_segment,
    means_both,
    means_everything,
    measures_named,
    mentions_items,
    only_describes,
    order_lines,
    parse_quantity,
    parse_unnamed_count,
    parts,
    parts_naming,
)
from actions.supportdesk_client import SupportDeskError
from actions.tracking import another_orders_way
from actions.turns import (
    ASIDES,
    CLEAR_CONFIDENCE,
    ORDER_QUESTIONS,
    YES_NO_TYPOS,
    Turn,
    calls_off,
    latest_turn,
    starts_like_correction,
)
from actions.verification import (
    VerificationSlots,
    answer_another_matter,
    asks_another_matter,
    of_another_order,
    typed_answer,
)

MIN_DESCRIPTION, MAX_DESCRIPTION = 10, 2000
MAX_ADDITION_WORDS = 30  # "wait, ... the bowls are missing too, can you add them?"
MAX_MENTIONS = 1500
CLAIM_SLOTS = [
    "tracking_number",  # belongs to one order: asked again for the next claim
    "tracking_declined",
    "missing_items",
    "item_quantity",
    "pending_item",
    "items_inferred",
    "items_confirmed",
    "description",
    "claim_confirmed",
    "claim_checked",
    "item_mentions",
    "stop_reason",
]
TRACKING_FORMATS = (
    "UPS numbers start with 1Z and have 18 characters, FedEx numbers have 12 or 15 digits and "
    "USPS numbers 20 to 22 digits."
)
STORY_INTENTS = {"report_missing_item", "request_refund", "correct", "inform"}


def reset_claim_slots() -> list[dict[str, Any]]:
    return [SlotSet(slot, None) for slot in CLAIM_SLOTS]


class ValidateClaimForm(VerificationSlots, StoppableFormValidation):
    """Order, e-mail, package, missing items, description and confirmation."""

    def form_name(self) -> str:
        return "claim_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        skipped = set()
        if not tracker.get_slot("pending_item"):
            skipped.add("item_quantity")  # asked only when needed
        if not tracker.get_slot("items_inferred") and not claimed_before(tracker):
            # lines read from a story are confirmed, and lines claimed before; not others
            skipped.add("items_confirmed")
        return [slot for slot in slots if slot not in skipped]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Validate; when the order couldn't be fetched, say so (the step is asked again)."""
        before = slots_before_message(tracker)
        with reading(tracker) as turn:
            if turn.message.asks_for_a_person and _users_turn(tracker):
                return []  # the explicit request wins: the form rejects, and ends (digressions)
            other = of_another_order(tracker) if _users_turn(tracker) else None
            if other is not None and asks_another_matter(tracker):
                events = _another_matter_answered(dispatcher, tracker)
                tracker.add_slots(events)  # the next question follows from them: none if off
                asked = await self.next_requested_slot(dispatcher, tracker, domain)
                return [*events, *([asked] if asked else [])]
            if other is not None:
                # "where's my charger? that's on my other order, STS-…": answered, claim kept
                another_orders_way(dispatcher, tracker, other)
                return [SlotSet("order_number", tracker.get_slot("verified_order"))]
            events = await self._validate_turn(turn, dispatcher, tracker, domain)
        if _users_turn(tracker):
            events = without_progress(dispatcher, tracker, before, events)
        if turn.order_error is not None:
            explain_error(dispatcher, turn.order_error, step_kept=True)
        return events

    async def _validate_turn(
        self,
        turn: ClaimTurn,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[dict[str, Any]]:
        """Extract and validate as usual, around what depends on the whole conversation."""
        corrections = self._corrections(turn, dispatcher, tracker)
        turn.corrections = {} if _restates(corrections, tracker) else corrections
        before = {**_remember_mentions(turn, tracker), **turn.corrections}
        _see(tracker, before)
        events = await super().run(dispatcher, tracker, domain)
        before.update(turn.changes)  # what the extraction found besides the question's answer
        answered = bool(before) or any(e.get("name") != "requested_slot" for e in events)
        if not answered and turn.message.is_aside and _users_turn(tracker):
            return events  # nothing for this form: the form rejects, a digression rule answers
        asking = next(
            (e["value"] for e in reversed(events) if e.get("name") == "requested_slot"),
            tracker.get_slot("requested_slot"),
        )
        _see(tracker, turn.changes)
        after = self._once_verified(turn, dispatcher, tracker)
        if asking == "missing_items" and not after:
            after = _still_claimable(turn, dispatcher, tracker)
        if not before and not after:
            return events
        _see(tracker, after)
        extra = _slot_events({**before, **after})
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        return extra + events + ([next_slot] if next_slot else [])

    def on_verified(
        self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Forget the claim details of another order."""
        previous = tracker.get_slot("verified_order")
        if previous and previous != order["order_number"]:
            keep = {"stop_reason", "item_mentions"}
            return {slot: None for slot in CLAIM_SLOTS if slot not in keep}
        return {}

    # --- what needs the verified order, said once per claim --------------------------------

    def _once_verified(
        self, turn: ClaimTurn, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict:
        """The Ship to Store facts first (once), then the items the customer already named."""
        number = tracker.get_slot("verified_order")
        if not number or tracker.get_slot("stop_reason"):
            return {}
        checked = tracker.get_slot("claim_checked") == number
        mentions = tracker.get_slot("item_mentions")
        if checked and not (mentions and tracker.get_slot("missing_items") is None):
            return {}
        order = turn.order(tracker)
        if order is None:
            return {}
        result: dict[str, Any] = {}
        if not checked:
            result["claim_checked"] = number
            stop = _nothing_claimable(order, dispatcher)
            if stop:
                return {**result, **stop}
            _store_facts(order, dispatcher)
            if mentions and _only_the_rest_asked(mentions, order):
                # "part of my order is ready but where's the rest?": the rest is on its way
                dispatcher.utter_message(response="utter_nothing_to_claim_yet")
                return {**result, "item_mentions": None, "stop_reason": "in_transit"}
        if mentions and tracker.get_slot("missing_items") is None:
            result["item_mentions"] = None  # used once: what matched is chosen, the rest asked
            choice = choose_items(mentions, order_lines(order), answering=False)
            if choice.wanted:
                wanted = [_settled_by_the_story(mentions, order, want) for want in choice.wanted]
                selected = self._select(
                    wanted, order, dispatcher, tracker, quiet=True, told=not checked
                )
                result.update(selected)
                if selected.get("missing_items") or selected.get("pending_item"):
                    result["items_inferred"] = choice.inferred
        return result

    # --- corrections of what was given before ----------------------------------------------

    def _corrections(
        self, turn: ClaimTurn, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict:
        """Changes to the items, the package or the description, at the description or summary."""
        requested = tracker.get_slot("requested_slot")
        if requested not in {"description", "claim_confirmed"}:
            return {}
        message = turn.message
        if message.is_payload or not tracker.get_slot("missing_items"):
            return {}
        if another_matter(message.text):
            return {}  # "can I return the 3S lipo?": a matter of its own, no change to the claim
        if _asks_after_the_order(message):
            return {}  # "where is the rowing machine package now?": answered, the claim stands
        order = turn.order(tracker)
        if order is None:
            return {}
        lines = order_lines(order)
        claimed = tracker.get_slot("missing_items") or []
        if requested == "description" and not said_before_at(tracker, requested):
            recounted = _new_quantity(
                claimed, message.text, lines, said_missing_only=True
            ) or _recounted_by_the_story(claimed, message.text, lines)
            if recounted is not None:
                return {"missing_items": recounted}  # "found one pair … only ONE pair missing"
        if requested == "description" and (
            said_before_at(tracker, requested) or not _changes_items(claimed, message, lines)
        ):
            return {}  # at a free-text question, the message is the description; said again, surely
        changed = apply_changes(claimed, message.text, lines)
        if changed is not None and not changed[1] and _units(changed[0]) == _units(claimed):
            changed = None  # "found 2 at the bottom of the bucket. so only 2 are missing": the
            # bucket came, which the claim never held; the count is read below
        at_summary = requested == "claim_confirmed" and message.opens_with_yes()
        if changed is not None and at_summary and _yes_to_the_claims_items(*changed, claimed):
            return {}  # "yes, 2 containers": the claim's containers, as they are
        if changed is not None:
            kept, unsettled = changed
            result = {"missing_items": kept, "claim_confirmed": None}
            if unsettled:
                selected = self._select(unsettled, order, dispatcher, tracker, keeping=bool(kept))
                selected["missing_items"] = kept + (selected.get("missing_items") or [])
                result.update(selected)
            elif not kept:
                dispatcher.utter_message(text="That leaves nothing on the claim.")
                result.update({"missing_items": None})
            if result.get("stop_reason"):
                result.pop("stop_reason")
            if not result.get("pending_item"):  # [] with a question pending is a claim begun
                result["missing_items"] = result.get("missing_items") or None  # [] is no claim
            if _new_lines(claimed, result):
                # a line never confirmed, read from a change: confirmed before any refund
                result.update({"items_inferred": True, "items_confirmed": None})
            story = len(message.text) >= MIN_DESCRIPTION and not _is_item_correction(message)
            if requested == "description" and _keeps_all(claimed, result) and story:
                # "small box inside, no palo santo and only one blanket": a story that adds a
                # line is the description as well
                result["description"] = " ".join(message.text.split())[:MAX_DESCRIPTION]
            return result
        if requested == "claim_confirmed":
            chosen = tracker.get_slot("missing_items")
            quantity = _new_quantity(chosen, message.text, lines) or _new_counts(
                chosen, message.text, lines
            )
            if quantity is not None:
                return {"missing_items": quantity, "claim_confirmed": None}
        if requested == "claim_confirmed" and message.intent in {"correct", "deny", "inform"}:
            named = _package_by_carrier(message.text, order)
            moved = named is not None and named != tracker.get_slot("tracking_number")
            if moved and named in _received_packages(order):
                return {"tracking_number": named, "claim_confirmed": None}  # "the USPS box"
            return _other_correction(message.text, message.entities)
        return {}

    # --- order and e-mail: VerificationSlots; package ---------------------------------------

    async def extract_tracking_number(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "tracking_number":
            return {}
        turn = claim_turn(tracker)
        message = turn.message
        typed = message.entities.get("tracking_number")
        if typed and message.intent != "out_of_scope":
            return {}  # its entity mapping filled it
        if typed and _ships_on(turn.order(tracker), typed) and not message.ends_with_question:
            return {"tracking_number": typed}  # "the smaller box. tracking 1Z…": no aside
        if tracker.get_slot("tracking_declined"):
            taken_back = _yes_after_no(message.text, order_or_none(tracker), tracker)
            if taken_back:
                turn.changes["tracking_declined"] = False
                return taken_back
            return typed_answer(tracker, "tracking_number")
        order = turn.order(tracker)
        by_carrier = not message.is_question and _package_by_carrier(message.text, order)
        if message.is_aside and not message.opens_with_yes() and not by_carrier:
            # "am I talking to a real person?" names no item, even in "2-Person Tent"; but "the
            # big UPS box with the chairs" names the package, whatever the classifier read
            return {}
        received = _received_packages(order)
        names_items = bool(order) and mentions_items(message.text, turn.lines(tracker))
        if names_items and message.is_question and _tells_where(order, message.text, dispatcher):
            return {}  # "btw where's my other box? the one with the calculator"
        if message.is_question and not any(ch.isdigit() for ch in message.text):
            return {}  # "what time does it close?": an aside, never a typed tracking number
        names_items = names_items and not message.is_question  # "where's the puzzle?"
        yes = (message.says("affirm") or message.opens_with_yes()) and not message.says("deny")
        offered = offered_package(order, tracker)
        named = _package_by_carrier(message.text, order)
        held = (
            _package_by_contents(message.text, order, turn.lines(tracker)) if names_items else None
        )
        if held is not None and len(received) > 1 and not message.says("deny"):
            # "the one with the jars", "the jar box"; "the lids weren't in it" says which, too
            return {"tracking_number": held, **_what_is_missing_too(message.text, tracker)}
        if yes and offered is None and named is not None:
            return {"tracking_number": named}  # "yes, the UPS one" to "which package?"
        if yes and offered is None and len(received) > 1:
            return {"tracking_number": message.text}  # "yes" to "which package?": not a choice
        if message.says("deny") or (yes and offered is None):
            turn.changes["tracking_declined"] = True  # the label's number is asked instead
            return {}
        if yes and offered is not None:
            return {"tracking_number": offered["tracking_number"]}
        if names_items and len(received) == 1:
            # "the laptop": that package, and the answer to which items are missing from it
            return {"tracking_number": received[0], **_what_is_missing_too(message.text, tracker)}
        if named is not None:
            return {"tracking_number": named}  # "the UPS one"
        return typed_answer(tracker, "tracking_number")

    def validate_tracking_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        order = order_or_none(tracker)
        if order is None:
            return {"tracking_number": None}
        received = _received_packages(order)
        parsed = parse_tracking_number(str(value or ""))
        if parsed is None and len(received) > 1 and not any(ch.isdigit() for ch in str(value)):
            return failure(dispatcher, tracker, "tracking_number", PICK_A_PACKAGE)
        if parsed is None:
            return failure(
                dispatcher,
                tracker,
                "tracking_number",
                f"That doesn't look like a valid tracking number. {TRACKING_FORMATS}",
            )
        if parsed.number not in received:
            return failure(dispatcher, tracker, "tracking_number", _not_a_package(order, parsed))
        return {**success(tracker, "tracking_number", parsed.number), "claim_confirmed": None}

    # --- which items, and how many ---------------------------------------------------------

    async def extract_missing_items(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "missing_items":
            return {}
        turn = latest_turn(tracker)
        if turn.is_payload:
            return {}
        lines = claim_turn(tracker).lines(tracker)
        names_items = mentions_items(turn.text, lines) or means_everything(turn.text)
        if turn.is_aside and not names_items and not _says_nothing_else(turn.text, turn.intent):
            return {}
        if not names_items and _says_nothing_else(turn.text, turn.intent):
            dispatcher.utter_message(response="utter_claim_not_filed")
            claim_turn(tracker).changes["stop_reason"] = "nothing_missing"
            return {}
        return {"missing_items": turn.text}

    def validate_missing_items(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if isinstance(value, list):
            return {"missing_items": value}  # already chosen, e.g. at re-activation
        order = order_or_none(tracker)
        if order is None:
            return {"missing_items": None}
        lines = order_lines(order)
        if not any(line.claimable for line in lines):
            return {"missing_items": None, **_nothing_claimable(order, dispatcher)}
        text = str(value or "")
        choice = choose_items(text, lines, answering=True)
        wanted = list(choice.wanted)
        if not wanted:
            names = ", ".join(line.name for line in lines if line.claimable)
            return failure(
                dispatcher,
                tracker,
                "missing_items",
                f"I couldn't match that to an item on your order. The items are: {names}.",
            )
        return {
            **self._select(wanted, order, dispatcher, tracker),
            "items_inferred": choice.inferred,
        }

    def _select(
        self,
        wanted: list[Wanted],
        order: dict[str, Any],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        quiet: bool = False,
        keeping: bool = False,
        told: bool = False,
    ) -> dict[str, Any]:
        """Split what the customer named into chosen items, questions and explanations.

        `keeping`: other items stay on the claim, so an item on its way ends nothing.
        `told`: the store's facts were just said, packages on their way included."""
        chosen, pending, notes = [], [], []
        for want in wanted:
            line: Line = want.line
            if want.ambiguous:
                options = [line, *want.alternatives]
                claimable = [o for o in options if o.claimable]
                on_its_way = [o for o in options if not o.claimable and o.in_transit]
                if on_its_way and not claimable:  # "the gloves", every pair on its way
                    notes += [] if told else [_on_its_way(order, o) for o in on_its_way]
                    continue
                if on_its_way and len(claimable) <= 1:
                    claimable += on_its_way  # "the bed": the one on its way, or the bed cover?
                pending.append(
                    {
                        "choice": [_entry(o) for o in claimable],
                        "quantity": want.quantity,
                        "everything": want.everything,
                    }
                )
            elif line.claimable == 0 and line.in_transit:
                notes += [] if told else [_on_its_way(order, line)]
            elif line.claimable == 0:
                claims = ", ".join(c["claim_number"] for c in order["claims"]) or "a claim"
                notes.append(f"{line.name} is already part of {claims} on this order.")
            elif line.in_transit and want.quantity is None and not want.everything:
                # "the flexible panels" with one at the store and one on its way: how many of
                # those that came, with "none" as an answer (precision first)
                pending.append(_split_entry(order, line))
            elif want.quantity is not None and not 1 <= want.quantity <= line.claimable:
                if line.claimable == 1:  # no question with one possible answer
                    notes.append(f"Only 1 × {line.name} can be claimed, so I've put 1.")
                    chosen.append({"line_id": line.line_id, "name": line.name, "quantity": 1})
                    continue
                notes.append(
                    f"You can claim between 1 and {line.claimable} × {line.name}, "
                    f"not {want.quantity}."
                )
                pending.append(_entry(line))
            elif want.quantity is None and not want.everything and line.claimable > 1:
                pending.append(_entry(line))
            else:
                quantity = min(want.quantity or line.claimable, line.claimable)
                chosen.append({"line_id": line.line_id, "name": line.name, "quantity": quantity})
        pending = [p for p in pending if "choice" not in p or p["choice"]]
        for note in notes:
            dispatcher.utter_message(text=note)
        if not chosen and not pending:
            if all(w.line.claimable == 0 and w.line.in_transit for w in wanted):
                if keeping:  # its note said why; the rest is still claimed
                    claim_turn(tracker).explained = True
                    return {"missing_items": None}
                dispatcher.utter_message(response="utter_nothing_to_claim_yet")
                return {"missing_items": None, "stop_reason": "in_transit"}
            if all(w.line.claimable == 0 for w in wanted):
                return _already_claimed(order, dispatcher, {w.line.line_id for w in wanted})
            if quiet:
                return {"missing_items": None}
            return failure(dispatcher, tracker, "missing_items", "")
        return {
            **success(tracker, "missing_items", chosen),
            "pending_item": pending or None,
            "item_quantity": None,
            "claim_confirmed": None,
        }

    async def extract_item_quantity(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "item_quantity":
            return {}
        turn = latest_turn(tracker)
        if turn.is_payload:
            return {}
        # "can I get an invoice for this order? … they want one": a matter of its own, no count
        asks_else = another_matter(turn.text) and not LEADING_COUNT.match(turn.text)
        no_count = parse_quantity(turn.text) is None or asks_else
        if turn.is_aside and no_count and not _names_a_line(tracker):
            return {}
        return {"item_quantity": turn.text}

    def validate_item_quantity(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        pending = list(tracker.get_slot("pending_item") or [])
        if not pending:
            return {"item_quantity": None}
        question, rest = pending[0], pending[1:]
        text = str(value or "")
        if "choice" in question:
            return self._choose(question, rest, text, dispatcher, tracker)
        order = order_or_none(tracker)
        lines = order_lines(order) if order else []
        quantity = None
        if question.get("on_its_way"):
            quantity = _missing_of_the_whole(text, question)
            if quantity == 0 or (quantity is None and _none_of_those_that_came(text)):
                return _the_rest_on_its_way(question, rest, dispatcher, tracker)
        # the lines claimed so far are in play too: "2 of the 12 inch, 1 of the 36 inch"
        asked = _lines_asked([*pending, *(tracker.get_slot("missing_items") or [])], lines)
        if quantity is None:
            part = _part_about(text, question["line_id"], lines, asked)
            quantity = _quantity_answer(_without_sizes(part, question), question["max"])
        if quantity is None or not 1 <= quantity <= question["max"]:
            return failure(
                dispatcher,
                tracker,
                "item_quantity",
                f"Please tell me a number from 1 to {question['max']}.",
            )
        chosen = _with_item(tracker.get_slot("missing_items"), question, quantity)
        settled, rest = _answered_too(text, rest, lines, asked)
        for entry in pending[1:]:
            if entry.get("line_id") in settled:  # a "which one?" still to ask has no line yet
                chosen = _with_item(chosen, entry, settled[entry["line_id"]])
        return {
            **success(tracker, "item_quantity", None if rest else str(quantity)),
            "missing_items": chosen,
            "pending_item": rest or None,
            "claim_confirmed": None,
        }

    def _choose(
        self,
        question: dict[str, Any],
        rest: list[dict[str, Any]],
        text: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        """The answer to "which one do you mean?": one of the options, then how many."""
        options = [Line(o["line_id"], o["name"], o["max"], o["max"], 0) for o in question["choice"]]
        picked = exact_line(text, options)
        both = _options_named(text, options) if picked is None else []
        # "all the hoops (both sizes) and the bee needle minder": the options, not the minder
        other = None if picked or both else _other_line_named(text, options, tracker)
        if other is not None:  # neither option: "the bath mat" is what is missing
            instead = {
                "choice": [_entry(other.line)],
                "quantity": other.quantity,
                "everything": other.everything,
            }
            return self._choose(instead, rest, other.line.name, dispatcher, tracker)
        every = bool(EVERY.search(text))
        if picked is None and not (both and every):  # "all the memory cards and the case"
            picked = _option_left(text, options) or _option_named(text, options)
        several = both if picked is None else []
        if several:  # "both needles - the bamboo ones and the circular ones"
            chosen = tracker.get_slot("missing_items") or []
            counts = _counts_said(text, options)  # "both HDMI cables and one of the DP ones"
            asked = []  # "the microSD and the SD cards", two of each ordered: how many of each?
            for option in several:
                if option.claimable == 0:  # "both", one of them still on its way
                    continue
                said = counts.get(option.line_id)
                if said is None and option.claimable > 1 and not every:
                    asked.append(_entry(option))
                    continue
                chosen = _with_item(
                    chosen, _entry(option), min(said or option.claimable, option.claimable)
                )
            pending = [*asked, *rest]
            return {
                **success(tracker, "item_quantity", None if pending else str(len(several))),
                "missing_items": chosen,
                "pending_item": pending or None,
                "claim_confirmed": None,
            }
        # "the 22 inch ones": a size; "the 14/2 Romex": a spec of the name; neither a count
        count = parse_quantity(
            _without_named_numbers(NUMBER_PAIR.sub(" ", SIZES.sub(" ", text)), options)
        )
        if picked is None and count is not None and not question.get("quantity"):
            dispatcher.utter_message(text=f"Got it, {count}.")
            kept = {**question, "quantity": count}
            return {"item_quantity": None, "pending_item": [kept, *rest]}
        if picked is None:
            return failure(dispatcher, tracker, "item_quantity", "That could be either of them.")
        order = order_or_none(tracker)
        if picked.claimable == 0 and order is not None:  # the one still on its way
            dispatcher.utter_message(text=_on_its_way(order, picked))
            chosen_so_far = tracker.get_slot("missing_items") or []
            return {
                "item_quantity": None,
                "pending_item": rest or None,
                # [] with a question still pending is a claim begun; with none, the items again
                "missing_items": chosen_so_far if chosen_so_far or rest else None,
            }
        quantity = question.get("quantity")
        if question.get("everything") or picked.claimable == 1:
            quantity = quantity or picked.claimable
        chosen_before = tracker.get_slot("missing_items") or []
        if quantity is None and any(i["line_id"] == picked.line_id for i in chosen_before):
            quantity = next(i["quantity"] for i in chosen_before if i["line_id"] == picked.line_id)
        if quantity is None:
            follow = [_entry(picked), *rest]
            return {"item_quantity": None, "pending_item": follow}
        entry = _entry(picked)
        chosen = _with_item(tracker.get_slot("missing_items"), entry, min(quantity, entry["max"]))
        return {
            **success(tracker, "item_quantity", None if rest else str(quantity)),
            "missing_items": chosen,
            "pending_item": rest or None,
            "claim_confirmed": None,
        }

    # --- lines read from a story: confirmed in so many words --------------------------------

    async def extract_items_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "items_confirmed":
            return {}
        turn = latest_turn(tracker)
        if turn.says("affirm"):
            return {"items_confirmed": True}
        order = order_or_none(tracker)
        lines = order_lines(order) if order else []
        if turn.is_aside and turn.intent in LEAVING and not _only_item_words(turn.text, lines):
            return {}  # "you know what, forget it. not worth it over a roll of tape"; but
            # "night lights" names the LED Night Light, whatever "night" sounds like
        if not turn.is_payload and (
            exact_line(turn.text, lines) or mentions_items(turn.text, lines)
        ):
            # a line's button, or the items in words: that is the answer to "which items?";
            # lines it only implies ("the road shoes came fine") are confirmed in turn
            choice = choose_items(turn.text, lines, answering=True)
            again = _names_again(turn.text, lines, tracker)
            if choice.inferred and not again:
                if _same_proposal(choice, tracker):
                    return {"items_confirmed": turn.text}  # the question stays where it was
                return {"missing_items": turn.text}
            if again and all(want.quantity is None for want in choice.wanted):
                return {"items_confirmed": True}  # "night lights": those lines, as counted
            return {"items_confirmed": True, "missing_items": turn.text}
        if turn.is_aside and turn.intent != "deny":
            return {}
        return {"items_confirmed": False}

    def validate_items_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if value is True:
            return {"items_confirmed": True}
        if isinstance(value, str):
            return failure(dispatcher, tracker, "items_confirmed", NEEDED["items_confirmed"])
        order = order_or_none(tracker)
        if order is not None and claimed_before(tracker):  # "no, that's the one I reported"
            return {**_already_claimed(order, dispatcher), "items_confirmed": None}
        dispatcher.utter_message(response="utter_items_not_confirmed")
        return {
            "items_confirmed": None,
            "items_inferred": False,
            "missing_items": None,
            "pending_item": None,
            "item_quantity": None,
        }

    # --- the description: free text -------------------------------------------------------

    async def extract_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "description":
            return {}
        turn = latest_turn(tracker)
        if turn.is_payload or not turn.text:
            return {}
        order = order_or_none(tracker)
        lines = order_lines(order) if order else []
        cues = MISSING_CUES.search(turn.text) or PRESENT_CUES.search(turn.text)
        leaving = turn.intent in {"stop", "request_human"}  # "never mind" has no item in it
        # "fewer skeins than I ordered"; not "never mind, just found it", which takes it all back
        told = not leaving and (bool(cues) or tells_of_shortfall(turn.text))
        describes = mentions_items(turn.text, lines) or told
        if turn.breaks_free_text(describes):
            return {}
        if turn.is_aside and another_matter(turn.text) and not told:
            return {}  # "can I return the 3S lipo? I don't need it": answered, then asked again
        if claim_turn(tracker).corrected:
            return {}  # a change to the items (see _corrections), not the description
        return {"description": turn.text}

    def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if calls_off(text):  # "it was taped to the mat. never mind, don't file anything"
            dispatcher.utter_message(response="utter_claim_not_filed")
            return {"description": None, "stop_reason": "called_off"}
        retried = (tracker.get_slot("failed_attempts") or {}).get("description", 0) > 0
        if len(text) < MIN_DESCRIPTION and not retried:
            return failure(
                dispatcher,
                tracker,
                "description",
                "A few more words would help support picture it, for example: "
                '"The bag was sealed, but only the headphones were inside."',
            )
        if len(text) > MAX_DESCRIPTION:
            text = text[:MAX_DESCRIPTION]
        return {**success(tracker, "description", text), "claim_confirmed": None}

    # --- the summary -----------------------------------------------------------------------

    async def extract_claim_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "claim_confirmed":
            return {}
        turn = latest_turn(tracker)
        if claim_turn(tracker).corrected:
            return {}  # the message changed the claim: the summary comes again
        if turn.says("affirm") or turn.opens_with_yes():
            return {"claim_confirmed": True}  # "yes, 2 pairs": the summary as it stands
        if turn.intent == "deny" and (turn.is_payload or _plain_no(turn, tracker)):
            return {"claim_confirmed": False}  # "no, don't file it, I'll ask the store first"
        if not turn.is_payload and turn.is_aside and OPENS_WITH_NO.match(turn.text):
            # "No, don't. I'd rather return the whole order. How do I send it back?": a no, and
            # the question answered before the claim is dropped
            answer_from_help_center(dispatcher, tracker, [], in_form=True)
            return {"claim_confirmed": False}
        if turn.is_payload or turn.is_aside:
            return {}
        return {"claim_confirmed": turn.text}  # neither yes nor no: explained by the validation

    def validate_claim_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if isinstance(value, bool):
            return success(tracker, "claim_confirmed", value)
        return failure(
            dispatcher,
            tracker,
            "claim_confirmed",
            'Please say "yes" to file the claim or "no" to cancel it. You can also tell me what '
            'to change, for example "the cable is missing too" or "wrong package".',
        )


# --- helpers ----------------------------------------------------------------------------------


PICK_A_PACKAGE = (
    "There are several packages: tap the one items are missing from, or type its number."
)


# A no that opens the message and answers the summary: "No, don't.", "nope, not now"; not
# "no wait" or "no sorry, ..." that lead into a change.
OPENS_WITH_NO = re.compile(
    r"^\s*(?:no+|nope|nah)\b\s*(?:[.!]|,?\s*(?:don'?t|do not|not now|thanks|thank you)\b)",
    re.IGNORECASE,
)
LEAVING = {"stop", "request_human", "goodbye"}  # the form ends, whatever items are named
CLAUSE_BREAKS = re.compile(rf"(?:{FULL_STOP}|[;!?\n,])+|\b(?:but|while|whereas)\b")
NOTHING_ELSE = re.compile(
    r"\b(nothing( else)?|that'?s (all|it)|that (was|is) (all|it)|none|no more|nope)\b", re.I
)


def _restates(corrections: dict[str, Any], tracker: Tracker) -> bool:
    """ "Yes, 3 plates" at the summary names the claim's items as they are: no change."""
    others = {k: v for k, v in corrections.items() if k not in {"missing_items", "failed_attempts"}}
    if "missing_items" not in corrections or any(others.values()):
        return False  # a question still to ask, a package or description changed
    return _units(corrections["missing_items"]) == _units(tracker.get_slot("missing_items"))


def _yes_to_the_claims_items(
    kept: list[dict[str, Any]], unsettled: list[Wanted], claimed: list[dict[str, Any]]
) -> bool:
    """A yes whose items fit the claim's lines as they are, though they fit other lines too
    or lines that cannot be claimed."""
    quantities = {item["line_id"]: item["quantity"] for item in claimed}
    named = {item["line_id"] for item in kept}
    for want in unsettled:
        if not any(line.claimable for line in (want.line, *want.alternatives)):
            continue  # "yes, both subs": no "Sub Enclosure" on its way, which no yes could add
        fits = [line for line in (want.line, *want.alternatives) if line.line_id in quantities]
        if len(fits) != 1 or want.quantity not in (None, quantities[fits[0].line_id]):
            return False
        named.add(fits[0].line_id)
    return named == set(quantities)


def _asks_after_the_order(message: Turn) -> bool:
    """A question that tells of nothing missing and asks no change, about where the order or
    a claim stands, or anything else ("how long until the money is back on my card?" names no
    "Rash Guard, Long Sleeve")."""
    text = message.text
    if not message.is_question or tells_of_shortfall(text):
        return False
    about_the_order = message.is_aside and message.intent in ORDER_QUESTIONS
    changes = asks_to_change(text) or parse_quantity(SIZES.sub(" ", text)) is not None
    return about_the_order or not changes


def _says_nothing_else(text: str, intent: str) -> bool:
    """'No', 'nothing else, that was all': nothing (more) is missing."""
    short = len(text.split()) <= 6
    return short and (intent == "deny" or bool(NOTHING_ELSE.search(text)))


def _users_turn(tracker: Tracker) -> bool:
    """True when the form runs on the customer's message, not again after a digression."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") != "claim_form":
            return event.get("name") in {"action_listen", "action_extract_slots"}
    return True


def _still_claimable(
    turn: ClaimTurn, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """At the items question: stop when another conversation claimed the last units meanwhile."""
    if tracker.get_slot("stop_reason") or tracker.get_slot("missing_items") is not None:
        return {}
    order = turn.order(tracker)
    if order is None or any(line.claimable for line in order_lines(order)):
        return {}
    return _nothing_claimable(order, dispatcher)


NAMING_ONLY_WORDS = 4  # "the laptop", "both lead ropes": item names alone answer


def _names_what_is_missing(text: str, lines: list[Line]) -> bool:
    """Item names alone, or words that say the items are missing: an answer to which items."""
    return len(text.split()) <= NAMING_ONLY_WORDS or bool(read_items(text, lines).missing)


def _remember_mentions(claim: ClaimTurn, tracker: Tracker) -> dict[str, Any]:
    """Keep what the customer says about missing items until the order is known."""
    if tracker.get_slot("missing_items") is not None:
        return {}
    if tracker.get_slot("requested_slot") == "missing_items":
        return {}
    turn = claim.message
    if turn.is_payload or not turn.text or turn.is_clearly(ASIDES - {"greet"}):
        return {}
    if turn.intent in {"stop", "request_human", "goodbye", "thank"}:
        return {}  # "never mind, I'll sort it out": no word about items, the form stops
    if turn.intent not in STORY_INTENTS and not MISSING_CUES.search(turn.text):
        return {}
    if tracker.get_slot("requested_slot") == "description":
        return {}
    names_items = mentions_items(turn.text, claim.lines(tracker))
    if turn.intent == "inform" and not MISSING_CUES.search(turn.text) and not names_items:
        return {}  # an order number or an e-mail, not a word about items
    previous = tracker.get_slot("item_mentions") or ""
    if turn.text in previous:
        return {}
    return {"item_mentions": f"{previous}. {turn.text}".strip(". ")[-MAX_MENTIONS:]}


def _is_item_correction(turn: Turn) -> bool:
    """At the description or the summary: "oh and the cable too" changes the items.

    A short message that starts like a change, or that the NLU is sure is one; a story
    ("counted them at home, 3 towels instead of 4") describes.
    """
    if turn.ends_with_question and turn.is_aside:
        return False  # "also, where's my other package, the one with the bag?": an aside
    sure = turn.intent == "correct" and turn.confidence >= CLEAR_CONFIDENCE
    starts = starts_like_correction(turn.text)
    if (starts and adds_more(turn.text)) or retracts(turn.text):
        # "wait, I checked again, the bowls are missing too"; "I meant the leggings"
        return turn.words <= MAX_ADDITION_WORDS
    return bool(turn.text) and turn.words <= 10 and (sure or starts)


def _names_other_lines_missing(chosen: Any, turn: Turn, lines: list[Line]) -> bool:
    """However long, a message that names another claimable line as missing changes the items:
    - with a claimed line said to have come, a swap ("the foil shaver is actually here … it's
      the blade set that's missing"), unless a count tells what happened ("it had 4 geraniums");
    - with none, one more short ("no palo santo and only one blanket"), confirmed first."""
    if turn.ends_with_question and not CHANGE_REQUESTED.search(turn.text):
        return False  # a question of its own; not "… can you change that?"
    reading = read_items(turn.text, lines)
    claimed = {item["line_id"] for item in chosen}
    others = [
        w
        for w in reading.missing
        if not w.ambiguous and w.line.line_id not in claimed and w.line.claimable
    ]
    if not others:
        return False
    came = {line.line_id for line in reading.received}
    # a count of what came tells what happened ("it had 4 geraniums" of 6); "it's a brake cable
    # that's missing, one of the two" counts the other line, and swaps all the same; "the 50 sq
    # ft filters are both here" counts a claimed line whole: it came, and the claim swaps
    counted = any(
        says_it_came(part) and _counts_part_of_what_came(part, lines)
        for part in parts(turn.text, lines)
    )
    return not came & claimed or not counted


def _counts_part_of_what_came(part: str, lines: list[Line]) -> bool:
    """A part of a message with a count of what came, short of the whole of the line it names."""
    named = [line for line in lines if line.line_id in lines_fitting(part, lines)]
    quantity = parse_quantity(_without_named_numbers(part, named))  # not the "50" of "50 sq ft"
    if quantity is None:
        return False
    return not (len(named) == 1 and quantity >= named[0].ordered)


def _changes_items(chosen: Any, turn: Turn, lines: list[Line]) -> bool:
    """The message reads as a change and would really change the chosen items.

    "The speaker was not there" names a chosen item and changes nothing: a description.
    """
    if not chosen:
        return False
    if not (_is_item_correction(turn) or _names_other_lines_missing(chosen, turn, lines)):
        return False
    changed = apply_changes(chosen, turn.text, lines)
    if changed is None:
        return False
    kept, unsettled = changed
    before = _units(chosen)
    after = _units(kept)
    chosen_ids = {line_id for line_id, _ in before}
    for want in unsettled:
        options = {want.line.line_id, *(line.line_id for line in want.alternatives)}
        if want.ambiguous and options & chosen_ids:
            # "no cables in the box": the cable already claimed, not a new question
            after |= {pair for pair in before if pair[0] in options}
            continue
        if want.quantity is not None:
            after.add((want.line.line_id, want.quantity))
        elif want.line.line_id not in {line_id for line_id, _ in before}:
            return True  # a new line, its quantity still to ask
        else:
            after |= {pair for pair in before if pair[0] == want.line.line_id}
    return after != before


def _units(items: list[dict[str, Any]] | None) -> set[tuple[str, int]]:
    """Each claimed line with its count."""
    return {(item["line_id"], item["quantity"]) for item in items or []}


def _keeps_all(claimed: list[dict[str, Any]], result: dict[str, Any]) -> bool:
    """Every claimed line stays on the claim after the change, as many of each."""
    return _units(claimed) <= _units(result.get("missing_items"))


def _new_lines(claimed: list[dict[str, Any]], result: dict[str, Any]) -> bool:
    """The change puts on the claim a line that was not on it, or asks about one: a line that
    waits for its count or for "which one?" is confirmed once settled, like the others."""
    before = {item["line_id"] for item in claimed}
    after = {item["line_id"] for item in result.get("missing_items") or []}
    for entry in result.get("pending_item") or []:
        options = {option["line_id"] for option in entry.get("choice") or [entry]}
        if not options & before:
            after |= options
    return bool(after - before)


def _plain_no(turn: Any, tracker: Tracker) -> bool:
    """A clear no that names no item and no number: not a change we failed to read."""
    if turn.words <= 4:
        return True
    lines = claim_turn(tracker).lines(tracker)
    named = mentions_items(turn.text, lines) or parse_quantity(turn.text) is not None
    return turn.confidence >= 0.8 and not named


# "… it's the wax that's missing. can you change that?": the question asks for the change told
CHANGE_REQUESTED = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?(?:change|fix|update|correct|"
    r"swap|switch|amend)\s+(?:it|that|this|them)\b[\s\w]*\?*\s*$",
    re.IGNORECASE,
)
# "can you change it to 3?": a question that asks for the change
CHANGE_ASKED = re.compile(
    r"\b(?:change|make|set|put|update|correct)\s+(?:it|that|this|them)\s+to\b", re.I
)


def _new_quantity(
    chosen: Any, text: str, lines: list[Line], said_missing_only: bool = False
) -> list[dict[str, Any]] | None:
    """'No, just one actually' at the summary of a one-line claim: that line's new quantity.

    Only a part of the message that names no item counts: "make that 3, one pack was under
    the hair dryer box" gives 3. `said_missing_only`: only a count said missing ("so it's only
    ONE pair missing"), as a story at the description has counts of other things."""
    asks = text.rstrip().endswith("?") and not CHANGE_ASKED.search(text)
    if not chosen or len(chosen) != 1 or asks:
        return None  # "can I choose which one the refund goes to?" asks, it changes nothing
    unnamed = [part for part in parts(text, lines) if not mentions_items(part, lines)]
    said_missing = [_count_said_missing(part) for part in unnamed]
    told = [part for part in unnamed if not says_it_came(part)]  # not "I found one"
    quantity = next((q for q in said_missing if q is not None), None)
    if quantity is None and not said_missing_only:
        quantity = next((q for s in told if (q := parse_unnamed_count(s)) is not None), None)
    line = next((line for line in lines if line.line_id == chosen[0]["line_id"]), None)
    if quantity is None or line is None or not 1 <= quantity <= line.claimable:
        return None
    if quantity == chosen[0]["quantity"]:
        return None
    return [{**chosen[0], "quantity": quantity}]


def _recounted_by_the_story(
    chosen: Any, text: str, lines: list[Line]
) -> list[dict[str, Any]] | None:
    """A description that counts a claimed line short ("only 2 fenders were in the box" of 4
    ordered, "no 1.0mm rolls at all") gives its count, when the line is plainly named and no
    question asked; the other claimed lines stay as they are."""
    if not chosen or text.rstrip().endswith("?"):
        return None
    told = {w.line.line_id: w for w in read_items(text, lines).missing if not w.ambiguous}
    recounted = [_recount(claimed, told.get(claimed["line_id"])) for claimed in chosen]
    return None if recounted == chosen else recounted


def _recount(claimed: dict[str, Any], want: Wanted | None) -> dict[str, Any]:
    """The claimed line with the count the story gives it, if it gives one that can be."""
    if want is None:
        return claimed
    # "no 1.0mm rolls at all": every unit that can be claimed
    quantity = want.line.claimable if want.everything and want.quantity is None else want.quantity
    if quantity is None or not 1 <= quantity <= want.line.claimable:
        return claimed
    return {**claimed, "quantity": quantity}


def _new_counts(chosen: Any, text: str, lines: list[Line]) -> list[dict[str, Any]] | None:
    """ "Yes - 2 small and 1 medium" at the summary of two dress lines: each claimed line
    named with its own count, read among the claimed lines; None when no count changes."""
    claimed = {item["line_id"]: item for item in chosen or []}
    asked = [line for line in lines if line.line_id in claimed]
    about = _parts_about(text, asked, asked) if len(asked) > 1 else {}
    counts = {
        line.line_id: _quantity_answer(about[line.line_id], line.claimable)
        for line in asked
        if line.line_id in about
    }
    claimable = {line.line_id: line.claimable for line in asked}
    if not counts or any(q is None or not 1 <= q <= claimable[i] for i, q in counts.items()):
        return None
    if all(counts[line_id] == claimed[line_id]["quantity"] for line_id in counts):
        return None
    return [
        {**item, "quantity": counts.get(line_id, item["quantity"])}
        for line_id, item in claimed.items()
    ]


def _names_its_letter(text: str, name: str) -> bool:
    """The text says a name's letter after the word it follows there: "cover A", "size M"."""
    pairs = re.findall(r"([A-Za-z]{2,})\s+([A-Z])\b", name)  # "Cover A"; no "for a"
    return any(re.search(rf"\b{word}\s+{letter}\b", text, re.I) for word, letter in pairs)


def _set_aside(text: str, name: str) -> bool:
    """The text sets the name aside: "not the XL" of "HP 67XL Black", "(NOT the 6%)"."""
    aside = re.findall(r"\bnot\s+(?:the|that)\s+([\w%.-]+)", text, re.I)
    return any(re.search(rf"{re.escape(word.lower())}(?![\w])", name.lower()) for word in aside)


def _without_sizes(text: str, question: dict[str, Any]) -> str:
    """The answer without the numbers of the line's name too big to count it: "just one, the
    other 63 was there" of the 52x63 panels, two ordered."""
    line = Line(question["line_id"], question["name"], question["max"], question["max"], 0)
    return _without_named_numbers(text, [line], above=question["max"])


def _without_named_numbers(text: str, options: list[Line], above: int = -1) -> str:
    """The text without the numbers the options' names hold ("the HP 67 black" counts none),
    or only those greater than `above`."""
    named = {
        number
        for option in options
        for number in re.findall(r"\d+", option.name)
        if int(number) > above
    }
    return re.sub(r"(?<![\w.])\d+(?![\w.])", lambda m: " " if m[0] in named else m[0], text)


def _option_left(text: str, options: list[Line]) -> Line | None:
    """The one option said to be missing, or the one left when the others are said to have
    come: "the circular ones - the straight bamboo pair is here"."""
    reading = read_items(text, options, answering=True)
    alone = len(_options_named(text, options)) <= 1  # "the charger and the pad": both, not one
    if len(reading.missing) == 1 and not reading.missing[0].ambiguous and alone:
        return reading.missing[0].line
    came = {line.line_id for line in reading.received}
    left = [option for option in options if option.line_id not in came]
    return left[0] if came and len(left) == 1 and not reading.missing else None


def _option_named(text: str, options: list[Line]) -> Line | None:
    """The option an answer to "which one?" names: "the cordless one, the robot one came",
    "the 10.5s", "the TV" (a TV's name ends in "TV"; a wall mount's does not)."""
    reading = read_items(text, options, answering=True)
    sure = [w for w in reading.missing if not w.ambiguous]
    if len(sure) == 1:
        return sure[0].line
    by_number = _option_by_number(text, options) or by_measure(text, options)
    if by_number is not None:
        return by_number  # "the 36 in one", "the long one"
    by_letter = [o for o in options if _names_its_letter(text, o.name)]
    if len(by_letter) == 1:
        return by_letter[0]  # "absolute batman cover A", not Cover B
    kept = [o for o in options if not _set_aside(text, o.name)]
    if len(kept) == 1 and len(options) > 1:
        return kept[0]  # "the normal HP 67 black, not the XL"
    heads = [o for o in options if head_word(o.name) in _plain_words(text)]
    if len(heads) == 1:
        return heads[0]
    plain = [o for o in options if not only_describes(text, o.name)]
    return plain[0] if len(plain) == 1 else None


def _same_proposal(choice: ItemChoice, tracker: Tracker) -> bool:
    """The answer, read again, proposes the very lines being confirmed: it leaves them unsure."""
    proposed = {(w.line.line_id, w.quantity) for w in choice.wanted}
    asked = _units(tracker.get_slot("missing_items"))
    return proposed == asked


def _names_again(text: str, lines: list[Line], tracker: Tracker) -> bool:
    """The answer says the very lines being confirmed are missing: that is a yes to them.
    Words that fit another line as well ("the 1 inch one" of two flat irons) say no yes."""
    missing = read_items(text, lines, answering=True).missing
    if any(want.ambiguous for want in missing):
        return False
    named = {want.line.line_id for want in missing}
    return named == {item["line_id"] for item in tracker.get_slot("missing_items") or []}


COUNTED_BY = {"pair", "pairs", "set", "sets", "pack", "packs", "piece", "pieces", "box", "boxes"}
EVERY = re.compile(r"\b(?:all|both|every|each|bothe|boht)\b", re.IGNORECASE)  # every unit


def _counts_said(text: str, options: list[Line]) -> dict[str, int]:
    """How many of each option the answer says are missing, where it says it."""
    missing = read_items(text, options, answering=True).missing
    return {w.line.line_id: w.quantity for w in missing if w.quantity and not w.everything}


def _options_named(text: str, options: list[Line]) -> list[Line]:
    """The options an answer to "which one?" names, when it names several, all of them in
    the plural, or says "both" of two."""
    missing = read_items(text, options, answering=True).missing
    named = [w.line for w in missing if not w.ambiguous]
    if len(named) > 1:  # "the microSD and the SD cards": those of the options, named one by one
        return named
    # "both", but not "both male-male packs were there": what came is no answer of both
    told = [part for part in parts(text, options) if not says_it_came(part)]
    if len(options) == 2 and any(
        _slip_of_both(w) or w == "both" for part in told for w in _plain_words(part)
    ):
        return list(options)
    fitting = {line.line_id for w in missing for line in (w.line, *w.alternatives)}
    if fitting >= {o.line_id for o in options} and _plural_of_all(text, options):
        return list(options)  # "the bodysuit packs": the word all of them share, in the plural
    return []


def _plural_of_all(text: str, options: list[Line]) -> bool:
    """The answer names a word every option has, in the plural ("packs" of "5-pack")."""
    shared = set.intersection(*(set(_plain_words(o.name)) for o in options))
    return any(
        w.endswith("s") and w not in shared and {w[:-1], w[:-2]} & shared  # "dresses"
        for w in _plain_words(text)
    )


def _only_item_words(text: str, lines: list[Line]) -> bool:
    """Every word that tells something is a word of the order's item names."""
    names = {word.rstrip("s") for line in lines for word in _plain_words(line.name)}
    told = [w for w in _plain_words(text) if len(w) > 2 and w not in ENGLISH_STOP_WORDS]
    return bool(told) and all(word.rstrip("s") in names for word in told)


def _plain_words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _other_line_named(text: str, options: list[Line], tracker: Tracker) -> Wanted | None:
    """The line of the order that the answer names best, when it is none of the options."""
    order = order_or_none(tracker)
    ids = {option.line_id for option in options}
    lines = [line for line in (order_lines(order) if order else []) if line.claimable]
    found = match_segment(text, lines) if lines else None
    if found is None or found.ambiguous or found.line.line_id in ids:
        return None
    return found


def _option_by_number(text: str, options: list[Line]) -> Line | None:
    """The one option whose name has a number the text gives (a size, a model); a clause that
    tells what came ("the 18 inch one was there") names the other one."""
    clauses = [c for c in CLAUSE_BREAKS.split(text.lower()) if c.strip()]
    told = [c for c in clauses if not says_it_came(c)]
    measures = {m for c in told for m in measures_named(c)}
    by_measure_said = [o for o in options if measures & measures_named(o.name)]
    if len(by_measure_said) == 1:
        return by_measure_said[0]  # "the 1 inch one", not the 1 1/4 inch that shares its "1"
    pairs = {pair for c in told for pair in NUMBER_PAIR.findall(c)}
    by_pair = [o for o in options if pairs & set(NUMBER_PAIR.findall(o.name.lower()))]
    if len(by_pair) == 1:
        return by_pair[0]  # "the 14/2 Romex", not the 12/2 that shares its "2"
    numbers = {n for c in told for n in NUMBER.findall(c)}
    fits = [o for o in options if numbers & set(NUMBER.findall(o.name.lower()))]
    return fits[0] if len(fits) == 1 else None


NUMBER_PAIR = re.compile(r"\d+(?:[/x×]\d+)+")  # "14/2", "2x4": one spec, not two counts


def _package_by_carrier(text: str, order: dict[str, Any] | None) -> str | None:
    """The one package whose carrier the text names ("the fedex one"), or None.

    A carrier right after a "not" is the other package: "the USPS box, not the UPS one"."""
    words = _plain_words(text)
    denied = {w for n, w in enumerate(words) if _DENIALS & set(words[max(0, n - 3) : n])}
    named_words = set(words) - denied
    shipments = order["shipments"] if order else []
    named = [s for s in shipments if s["carrier"].lower() in named_words]
    return named[0]["tracking_number"] if len(named) == 1 else None


_DENIALS = {"not", "no", "nor", "wasn", "isn", "never"}


def _what_is_missing_too(text: str, tracker: Tracker) -> dict[str, Any]:
    """An answer naming the package by what is missing from it answers which items, too; not
    "my dog ran off with one of the hoof boots", nor over items already chosen."""
    answers = _names_what_is_missing(text, claim_turn(tracker).lines(tracker))
    return {"missing_items": text} if answers and not tracker.get_slot("missing_items") else {}


def _package_by_contents(text: str, order: dict[str, Any] | None, lines: list[Line]) -> str | None:
    """The one package at the store that holds what the words name ("the one with the jars"),
    or None."""
    fitting = lines_fitting(text, lines)
    holding = [
        s["tracking_number"]
        for s in (order["shipments"] if order and fitting else [])
        if s["received_by_store"] and fitting & {i["line_id"] for i in s["items"]}
    ]
    return holding[0] if len(holding) == 1 else None


def offered_package(order: dict[str, Any] | None, tracker: Tracker) -> dict[str, Any] | None:
    """The package to offer with a yes/no: the only one at the store, or the only one at the
    store that holds every item already named ("one bag short on the potting mix")."""
    received = [s for s in (order["shipments"] if order else []) if s["received_by_store"]]
    if len(received) == 1:
        return received[0]
    named = {i["line_id"] for i in tracker.get_slot("missing_items") or []}
    named |= {i.get("line_id") for i in tracker.get_slot("pending_item") or [] if "max" in i}
    holding = [s for s in received if named <= {i["line_id"] for i in s["items"]}]
    return holding[0] if named and len(holding) == 1 else None


AT_THE_STORE = re.compile(
    rf"\b(?:{'|'.join(YES_NO_TYPOS['affirm'])}|it is|that's it|that one|at the store)\b", re.I
)


def _yes_after_no(text: str, order: dict[str, Any] | None, tracker: Tracker) -> dict[str, Any]:
    """ "sorry, I misread - yes, the one that's at the store" after a no to the offered package:
    that package after all, when the message types no number of its own."""
    offered = offered_package(order, tracker)
    if offered is None or any(ch.isdigit() for ch in text) or not AT_THE_STORE.search(text):
        return {}
    return {"tracking_number": offered["tracking_number"]}


def _ships_on(order: dict[str, Any] | None, typed: str) -> bool:
    """The tracking number is one of the order's packages, at the store or on its way."""
    parsed = parse_tracking_number(typed)
    shipments = order["shipments"] if order else []
    return parsed is not None and any(s["tracking_number"] == parsed.number for s in shipments)


def _received_packages(order: dict[str, Any] | None) -> list[str]:
    """The tracking numbers of the order's packages that the store has received."""
    shipments = order["shipments"] if order else []
    return [s["tracking_number"] for s in shipments if s["received_by_store"]]


def _see(tracker: Tracker, values: dict[str, Any]) -> None:
    """Let the next steps of this validation see values set earlier in it.

    rasa-sdk's own idiom (its extraction and validation do the same between slots): unlike
    `Tracker.add_slots`, it adds no event, so the values are not validated again as answers.
    """
    tracker.slots.update(values)


def _slot_events(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [SlotSet(slot, value) for slot, value in values.items()]


def _other_correction(text: str, entities: dict[str, str]) -> dict[str, Any]:
    """At the summary: 'wrong package', 'change the description', 'my e-mail is wrong'."""
    lowered = text.lower()
    if "tracking_number" not in entities and any(
        w in lowered for w in ("package", "tracking", "parcel", "box", "label")
    ):
        return {"tracking_number": None, "tracking_declined": True, "claim_confirmed": None}
    if "description" in lowered or "what happened" in lowered:
        return {"description": None, "claim_confirmed": None}
    if "email" not in entities and ("mail" in lowered or "address" in lowered):
        return {"email": None, "claim_confirmed": None}
    return {}


def _part_about(text: str, line_id: str, lines: list[Line], asked: list[Line]) -> str:
    """The part of an answer about one line, when it speaks of several lines:
    "3 of the 4 cough drops, and all 3 bandages" answers for the cough drops with "3"."""
    about = _parts_about(text, lines, asked)
    return about[line_id] if len(about) > 1 and line_id in about else text


def _parts_about(text: str, lines: list[Line], asked: list[Line]) -> dict[str, str]:
    """Each line an answer names, with the first part of the answer that names it; among the
    lines asked about first ("2 of the 4 smalls and 1 of the 3 mediums" of two dresses, where
    the tights "S/M" would fit either part too)."""
    for pool in ([asked] if len(asked) > 1 else []) + [lines]:
        about = {line_id: named[0] for line_id, named in parts_naming(text, pool).items()}
        if len(about) > 1:
            return about
    return {}


def _lines_asked(pending: list[dict[str, Any]], lines: list[Line]) -> list[Line]:
    """The lines of these entries: whose counts are being asked, or were."""
    ids = {question.get("line_id") for question in pending}
    return [line for line in lines if line.line_id in ids]


def _answered_too(
    text: str, rest: list[dict[str, Any]], lines: list[Line], asked: list[Line]
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """How many of each line still to ask about an answer also gives ("all of them: 2 sleeping
    bags, 2 headlamps, 4 canisters"), and the questions it leaves."""
    about = _parts_about(text, lines, asked)
    if len(about) < 2:
        return {}, rest
    settled: dict[str, int] = {}
    left = []
    for question in rest:
        part = None if "choice" in question else about.get(question["line_id"])
        quantity = None if part is None else _quantity_answer(part, question["max"])
        if quantity is not None and 1 <= quantity <= question["max"]:
            settled[question["line_id"]] = quantity
        else:
            left.append(question)
    return settled, left


def _quantity_answer(text: str, maximum: int) -> int | None:
    unremarked = re.sub(r"\([^()]*\)", " ", text)
    if unremarked != text and parse_quantity(unremarked) is not None:
        text = unremarked  # "one set is missing (so 2 chairs)": the remark explains the answer
    both = means_both(text) or any(_slip_of_both(w) for w in _plain_words(text))
    if means_everything(text) or both and maximum == 2:
        return maximum
    of_each = OF_EACH.search(text)  # "one bag of each": that many of this line too
    if of_each and parse_quantity(of_each.group(1)):
        return parse_quantity(of_each.group(1))
    if any(w in text.lower().split() for w in ("all", "every", "each")):
        return maximum
    words = re.findall(r"[a-z0-9]+", text.lower())
    set_off = re.match(r"\s*\w+\s*[,.;:!)-]", text)  # "2, got one out of three"
    if words and parse_quantity(words[0]) and (set_off or not says_it_came(" ".join(words[:3]))):
        return parse_quantity(words[0])  # "2, I only got one of the three": the answer first
    missing = _count_said_missing(text)
    if missing is not None:
        return missing  # "should be 3, only got 1 so 2 missing"
    quantity = parse_quantity(text)
    came = counts_what_came(text) or says_it_came(text)
    if quantity is not None and came and 0 < quantity < maximum:
        return maximum - quantity  # "I only got one of the three": the other two are missing
    return quantity


OF_EACH = re.compile(r"\b(\d+|one|two|three|four|five|a|an)\s+(?:[\w-]+\s+){0,2}?of\s+each\b", re.I)


def _count_said_missing(text: str) -> int | None:
    """The count right before "missing": "so it's 2 missing not 3", "only ONE pair missing"."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    for n, word in enumerate(words):
        if n == 0 or not (word == "missing" or missing_slip(word)):
            continue
        at = n - 1
        while at > 0 and words[at] in BEFORE_MISSING:  # "only 3 are actually missing"
            at -= 1
        before = words[at - 1 : at] if words[at] in COUNTED_BY and at > 0 else words[at : at + 1]
        if before and parse_quantity(before[0]):
            return parse_quantity(before[0])
    return None


BEFORE_MISSING = {"are", "is", "r", "actually", "still", "really", "truly", "now"}


def _slip_of_both(word: str) -> bool:
    """ "bpth", "bothh": a slip of "both" in an answer to "how many?". Another vowel makes
    another word ("bath"), not a slip."""
    vowel_swap = len(word) == 4 and word[0] + word[2:] == "bth" and word[1] in "aeiuy"
    return word[:1] == "b" and DamerauLevenshtein.distance(word, "both") == 1 and not vowel_swap


def _names_a_line(tracker: Tracker) -> bool:
    """At "which one?", the text names an option or another line of the order: an answer."""
    pending = tracker.get_slot("pending_item") or []
    if not pending or "choice" not in pending[0]:
        return False
    options = [Line(o["line_id"], o["name"], o["max"], o["max"], 0) for o in pending[0]["choice"]]
    text = latest_turn(tracker).text
    return mentions_items(text, options) or mentions_items(text, claim_turn(tracker).lines(tracker))


def _entry(line: Line) -> dict[str, Any]:
    return {"line_id": line.line_id, "name": line.name, "max": line.claimable}


def _split_entry(order: dict[str, Any], line: Line) -> dict[str, Any]:
    """How many of a line are missing, when some of its units are still on their way."""
    expected = day(_expected(order, line.line_id), order["pickup_store"]["time_zone"])
    return {**_entry(line), "ordered": line.ordered, "on_its_way": line.in_transit, "by": expected}


# "none", "0", "it's the one on its way", "I'll wait for the other box": none of those that came
NONE_OF_THEM = re.compile(
    r"^\W*(?:none|zero|0|nothing|neither|no(?:ne)?\s+(?:of\s+them|missing))\b|"
    r"\b(?:on\s+(?:its|it's|their|the)\s+way|in\s+transit|still\s+coming|(?:i'?ll|will)\s+wait|"
    r"other\s+(?:box|package|parcel|shipment)|(?:the\s+)?one\s+(?:that'?s\s+)?coming)\b",
    re.IGNORECASE,
)


def _missing_of_the_whole(text: str, question: dict[str, Any]) -> int | None:
    """Missing from what reached the store, when the count is of the whole line: "one of the
    two" (got or missing alike, when the other is on its way), "got 1 of 2", "2 of 3 missing"."""
    counted = count_of_a_whole(text)
    if counted is None or counted[1] != question["ordered"] or counted[0] > counted[1]:
        return None
    part, whole = counted
    said_missing = bool(MISSING_CUES.search(text)) and not says_it_came(text)
    not_here = part if said_missing else whole - part  # bare "one of the two": what came
    return max(0, min(not_here - question["on_its_way"], question["max"]))


def _settled_by_the_story(story: str, order: dict[str, Any], want: Wanted) -> Wanted:
    """A line split between the store and the road, counted whole in the story ("got 2 of the
    3"): that many missing from what reached the store, or none, the rest being on its way."""
    line = want.line
    if not (line.in_transit and line.claimable) or want.quantity is not None:
        return want
    if want.everything or want.ambiguous:
        return want
    quantity = _missing_of_the_whole(story, _split_entry(order, line))
    if quantity is None:
        return want
    return Wanted(line, quantity) if quantity else Wanted(replace(line, claimable=0), None)


def _none_of_those_that_came(text: str) -> bool:
    counted = parse_quantity(text)
    return bool(NONE_OF_THEM.search(text)) and not (counted and counted > 0)


def _the_rest_on_its_way(
    question: dict[str, Any],
    rest: list[dict[str, Any]],
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
) -> dict[str, Any]:
    """None of a split line's units that came is missing: it leaves the claim; with nothing
    else on it, there is nothing to claim yet."""
    chosen = [
        i for i in tracker.get_slot("missing_items") or [] if i["line_id"] != question["line_id"]
    ]
    dispatcher.utter_message(
        text=f"Then {question['name']} isn't missing, just still on its way (expected "
        f"{question['by']})."
    )
    if not chosen and not rest:
        dispatcher.utter_message(response="utter_nothing_to_claim_yet")
        return {"missing_items": None, "pending_item": None, "stop_reason": "in_transit"}
    return {
        **success(tracker, "item_quantity", None if rest else "0"),
        "missing_items": chosen,  # [] with a question still pending: a claim begun
        "pending_item": rest or None,
        "claim_confirmed": None,
    }


def _with_item(chosen: Any, entry: dict[str, Any], quantity: int) -> list[dict[str, Any]]:
    items = [i for i in (chosen or []) if i["line_id"] != entry["line_id"]]
    items.append({"line_id": entry["line_id"], "name": entry["name"], "quantity": quantity})
    return items


def claimed_before(tracker: Tracker) -> list[dict[str, Any]]:
    """The order's lines chosen for this claim that an earlier claim already covers in part."""
    items = tracker.get_slot("missing_items")
    if not isinstance(items, list):
        return []  # nothing chosen yet, or the shopper's words not yet validated
    chosen = {item["line_id"] for item in items}
    order = order_or_none(tracker) if chosen else None
    if order is None:
        return []
    return [
        line
        for line in order["lines"]
        if line["line_id"] in chosen and line.get("claimed_quantity", 0) > 0
    ]


def _already_claimed(
    order: dict[str, Any], dispatcher: CollectingDispatcher, named: set[str] | None = None
) -> dict[str, Any]:
    """Everything the customer named is already part of a claim: nothing new to file, and
    how the claims holding the `named` lines stand (without names, all the order's)."""
    claims = [c["claim_number"] for c in order["claims"]]
    shown = _claims_holding(order["order_number"], named)
    for claim in shown:
        dispatcher.utter_message(text=status_message(claim))
    buttons = [{"title": "Something else is missing", "payload": "/report_missing_item"}]
    if not shown:  # the desk could not say: the shopper may ask again
        buttons.insert(0, {"title": "Status of my claim", "payload": "/check_claim_status"})
    dispatcher.utter_message(
        text="So there's nothing new to file. If something else is missing from the order, "
        "just tell me what." + ("" if shown else " I can also tell you how your claim is going."),
        buttons=buttons,
    )
    return {
        "missing_items": None,
        "stop_reason": "already_claimed",
        "claim_number": shown[-1]["claim_number"] if shown else (claims[-1] if claims else None),
    }


def _claims_holding(order_number: str, named: set[str] | None) -> list[dict[str, Any]]:
    """The order's claims that hold one of the `named` lines (all of them without names);
    none when the support desk cannot say."""
    try:
        claims = client().list_claims(order_number)["claims"]
    except SupportDeskError:
        return []
    holding = [c for c in claims if named and {i["line_id"] for i in c["items"]} & named]
    return holding or claims


def _nothing_claimable(order: dict[str, Any], dispatcher: CollectingDispatcher) -> dict:
    """Stop before any claim question when nothing on the order can be missing yet."""
    if all(not s["received_by_store"] for s in order["shipments"]):
        shipment = order["shipments"][0]
        tz = order["pickup_store"]["time_zone"]
        dispatcher.utter_message(
            text=(
                f"Order {order['order_number']} hasn't reached the store yet: it's on its way "
                f"with {shipment['carrier']} and expected {day(shipment['expected_at'], tz)}. "
                "Nothing can be missing before it arrives, so there's no claim to open. "
                "You'll get a pickup notice when it's at the store."
            )
        )
        return {"stop_reason": "not_at_store"}
    if not any(line.claimable for line in order_lines(order)):
        claims = ", ".join(c["claim_number"] for c in order["claims"]) or "a claim"
        dispatcher.utter_message(
            text=(
                "Everything on this order that has reached the store is already part of "
                f"{claims}. You can ask me for its status at any time."
            ),
            buttons=[{"title": "Status of my claim", "payload": "/check_claim_status"}],
        )
        return {"stop_reason": "nothing_to_claim"}
    return {}


def _only_the_rest_asked(story: str, order: dict[str, Any]) -> bool:
    """The story asks only where the rest of the order is, names no item, and a package is
    still on its way: that package is the rest, told by `_store_facts`."""
    coming = any(not s["received_by_store"] for s in order["shipments"])
    if not coming or not asks_where_the_rest_is(story):
        return False
    return not choose_items(story, order_lines(order), answering=False).wanted


LEADING_COUNT = re.compile(r"\W*(?:\d{1,3}|one|two|three|four|five|both|all|none)\b", re.I)


def _another_matter_answered(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]]:
    """ "… what I really need is to cancel my other order STS-…": that request is answered; the
    claim goes on, unless the message calls it off ("forget the fork, it's like 6 bucks")."""
    slots = answer_another_matter(dispatcher, tracker)
    events = [SlotSet(name, value) for name, value in slots.items()]
    events.append(SlotSet("order_number", tracker.get_slot("verified_order")))
    if calls_off(latest_turn(tracker).text):
        dispatcher.utter_message(response="utter_claim_not_filed")
        events.append(SlotSet("stop_reason", "called_off"))
    return events


def _store_facts(order: dict[str, Any], dispatcher: CollectingDispatcher) -> None:
    """Packages still on their way, and an order not yet picked up, before any question."""
    tz = order["pickup_store"]["time_zone"]
    names = {line["line_id"]: line["name"] for line in order["lines"]}
    for shipment in order["shipments"]:
        if not shipment["received_by_store"]:
            contents = [names.get(i["line_id"], "") for i in shipment["items"]]
            several = len(contents) > 1
            dispatcher.utter_message(
                text=f"First, so nothing is claimed by mistake: {joined(contents)} "
                f"{'are' if several else 'is'} in a separate {shipment['carrier']} package that "
                f"is still on its way to the store, expected {day(shipment['expected_at'], tz)}. "
                f"{'They aren' if several else 'It isn'}'t missing, just not there yet."
            )
    if not order["pickup"]["picked_up_at"]:
        dispatcher.utter_message(
            text=f"Our records show the order waiting at {order['pickup_store']['name']} and "
            "not picked up yet. If you've opened it at the store and something is missing, "
            "I can still report it."
        )


def _not_a_package(order: dict[str, Any], parsed: Any) -> str:
    waiting = [s["tracking_number"] for s in order["shipments"] if not s["received_by_store"]]
    if parsed.number in waiting:
        return (
            f"{parsed.number} is a package that hasn't reached the store yet, so nothing in it "
            "can be missing. Which package that you picked up is it?"
        )
    received = [s["tracking_number"] for s in order["shipments"] if s["received_by_store"]]
    return (
        f"{parsed.number} is a valid {parsed.carrier} number, but it isn't one of this order's "
        f"packages at the store ({', '.join(received)})."
    )


def _tells_where(order: dict[str, Any], text: str, dispatcher: CollectingDispatcher) -> bool:
    """A question about items still on their way is answered with where they are."""
    lines = order_lines(order)
    coming = [w.line for w in choose_items(text, lines, answering=True).wanted]
    coming = [line for line in coming if line.claimable == 0 and line.in_transit]
    for line in coming:
        dispatcher.utter_message(text=_on_its_way(order, line))
    return bool(coming)


def _on_its_way(order: dict[str, Any], line: Line) -> str:
    tz = order["pickup_store"]["time_zone"]
    return (
        f"{line.name} is in a separate package that is still on its way to the store, expected "
        f"{day(_expected(order, line.line_id), tz)}. It isn't missing, just not there yet, so "
        "it can't be claimed."
    )


def _expected(order: dict[str, Any], line_id: str) -> str | None:
    for shipment in order["shipments"]:
        if not shipment["received_by_store"] and any(
            item["line_id"] == line_id for item in shipment["items"]
        ):
            return shipment["expected_at"]
    return None
