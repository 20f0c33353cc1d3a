"""Verifying the customer: the order number and the order's e-mail, before any detail is shown."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    StoppableFormValidation,
    client,
    explain_error,
    failure,
    forget_failures,
    success,
)
from actions.identifiers import normalize_order_number, parse_email
from actions.supportdesk_client import NotFound, SupportDeskError

ORDER_FORMAT = (
    "Order numbers look like STS-1234-5678; you'll find yours in the order confirmation e-mail."
)


def verified_order(tracker: Tracker) -> dict[str, Any] | None:
    """The verified order, fetched again (None when the conversation has not verified one)."""
    number, email = tracker.get_slot("verified_order"), tracker.get_slot("email")
    if not number or not email:
        return None
    return client().lookup_order(number, email, conversation_id=tracker.sender_id)


def reask_email(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    return failure(
        dispatcher,
        tracker,
        "email",
        "That doesn't look like an e-mail address. Please type the one you used for the order, "
        "like name@example.com.",
    )


class VerificationSlots:
    """Validation of `order_number` and `email`, shared by the forms that need a verified order."""

    def on_verified(
        self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Hook for forms that check more once the order is known."""
        return {}

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        number = normalize_order_number(str(value or ""))
        if number is None:
            return failure(
                dispatcher,
                tracker,
                "order_number",
                f'Sorry, "{str(value)[:40]}" doesn\'t look like an order number. {ORDER_FORMAT}',
            )
        result = success(tracker, "order_number", number)
        if number == tracker.get_slot("verified_order"):
            return result
        result["verified_order"] = None
        email = tracker.get_slot("email")
        # An e-mail given in the same message is verified by validate_email, which runs next.
        if email and parse_email(email) and "email" not in tracker.slots_to_validate():
            result.update(self._verify(number, email, dispatcher, tracker))
        return result

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        email = parse_email(str(value or ""))
        if email is None:
            return reask_email(dispatcher, tracker)
        number = tracker.get_slot("order_number")
        if number and number == tracker.get_slot("verified_order"):
            return success(tracker, "email", email)  # just verified with this address
        if not number:
            return success(tracker, "email", email)
        return self._verify(number, email, dispatcher, tracker)

    def _verify(
        self, number: str, email: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        try:
            order = client().lookup_order(number, email, conversation_id=tracker.sender_id)
        except NotFound:
            result = failure(
                dispatcher,
                tracker,
                "verification",
                f"I couldn't find order {number} with that e-mail address. Please check both "
                "and let's try again.",
            )
            del result["verification"]  # a failure counter, not a slot
            result.update({"order_number": None, "email": None, "verified_order": None})
            return result
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return {"stop_reason": "support_desk"}
        result = forget_failures(tracker, "verification")
        result.update({"order_number": number, "email": email, "verified_order": number})
        result.update(self.on_verified(order, dispatcher, tracker))
        return result


class ValidateVerifyForm(VerificationSlots, StoppableFormValidation):
    """Step 1 starts here: verify the customer before showing the tracking."""

    def form_name(self) -> str:
        return "verify_form"
