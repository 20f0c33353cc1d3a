"""Photos sent in the chat (Telegram) become evidence on the conversation's claim.

The channel sends `/share_photo` with the Telegram file id in the message's metadata; this
action fetches the file through the Bot API and adds it with the support desk's evidence call,
so the checks are the web upload's: images only, by content, metadata stripped, size and count
limits.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import HUMAN_BUTTON, client, explain_error
from actions.supportdesk_client import InvalidRequest, NotFound, SupportDeskError
from actions.telegram_files import NotConfigured, TelegramFileError, TelegramFiles, TooLarge

logger = logging.getLogger(__name__)

PHOTO_METADATA = "telegram_file"  # set by channels/telegram.py
PHOTO_CHANNELS = {"telegram"}  # where customers can send photos in the chat itself
NO_CLAIM = (
    "Thanks for the photo! Photos go with a claim, and there isn't one in this conversation yet. "
    "Tell me what's missing first and I'll ask for photos once the claim is filed; if you "
    "already have a claim, ask me for its status and then send the photo again."
)
BUTTONS = [
    {"title": "Items are missing", "payload": "/report_missing_item"},
    {"title": "Status of my claim", "payload": "/check_claim_status"},
]


def photos_in_chat(tracker: Tracker) -> str:
    """A sentence for channels where photos can be sent right in the conversation."""
    if tracker.get_latest_input_channel() in PHOTO_CHANNELS:
        return " You can also send the photos right here in this chat."
    return ""


def sent_photo(tracker: Tracker) -> dict[str, Any] | None:
    """The photo the latest message carries, if it came from a channel that sends photos."""
    if tracker.get_latest_input_channel() not in PHOTO_CHANNELS:
        return None
    event = tracker.get_last_event_for("user") or {}
    photo = (event.get("metadata") or {}).get(PHOTO_METADATA)
    if isinstance(photo, dict) and isinstance(photo.get("file_id"), str):
        return photo
    return None


class ActionAttachPhoto(Action):
    """Add the photo just sent to the conversation's verified claim, or explain why not."""

    def name(self) -> str:
        return "action_attach_photo"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[dict[str, Any]]:
        photo = sent_photo(tracker)
        if photo is None:
            dispatcher.utter_message(
                text="I didn't receive a photo with that message. Please send it as a photo or "
                "as an image file."
            )
            return []
        if tracker.active_loop_name == "claim_form":
            dispatcher.utter_message(
                text="Thanks for the photo! I can add photos once the claim is filed, so let's "
                "finish it first; then send the photo again."
            )
            return []
        try:
            claim = conversation_claim(tracker)
        except SupportDeskError as error:
            explain_error(dispatcher, error)
            return []
        if claim is None:
            dispatcher.utter_message(text=NO_CLAIM, buttons=BUTTONS)
            return []
        return attach(dispatcher, claim, photo)


def conversation_claim(tracker: Tracker) -> dict[str, Any] | None:
    """The claim this conversation filed or looked up, only if its order was verified here."""
    number, verified = tracker.get_slot("claim_number"), tracker.get_slot("verified_order")
    if not number or not verified:
        return None
    try:
        claim = client().get_claim(number)
    except NotFound:
        return None
    # A claim number typed in passing is not proof: only a claim of the verified order counts.
    return claim if claim["order_number"] == verified else None


def attach(
    dispatcher: CollectingDispatcher, claim: dict[str, Any], photo: dict[str, Any]
) -> list[dict[str, Any]]:
    """Fetch the photo from Telegram and add it to the claim through the support desk."""
    number = claim["claim_number"]
    try:
        file = TelegramFiles.from_env().fetch(photo)
    except TooLarge:
        dispatcher.utter_message(
            text="That image is larger than 10 MB, so I can't add it. Please send it as a photo "
            "(Telegram makes it smaller) rather than as a file."
        )
        return []
    except TelegramFileError as error:
        if isinstance(error, NotConfigured):
            logger.error("%s", error.message)
        else:
            logger.warning("Fetching a photo for %s failed: %s", number, error.message)
        dispatcher.utter_message(
            text="Sorry, I couldn't fetch that photo from Telegram just now. Please send it again "
            f"in a moment, or upload it here: {claim['evidence_upload_url']}"
        )
        return []
    try:
        stored = client().add_evidence(number, [(file.name, file.data, file.content_type)])
    except InvalidRequest as error:
        # The support desk's own words: not an image, or the claim's photo limit is reached.
        dispatcher.utter_message(
            text=f"I couldn't add that to claim {number}: {error.message}", buttons=[HUMAN_BUTTON]
        )
        return []
    except NotFound:
        dispatcher.utter_message(text=NO_CLAIM, buttons=BUTTONS)
        return []
    except SupportDeskError as error:
        explain_error(dispatcher, error)
        return []
    count = claim["evidence_count"] + len(stored.get("evidence", []))
    dispatcher.utter_message(
        text=f"Thank you, I've added the photo to claim {number}; it now has {count} "
        f"photo{'s' if count != 1 else ''}. The support team can see it."
    )
    # Already thanked: the check on the next message must not count this photo as new.
    return [SlotSet("evidence_seen", float(count))]
