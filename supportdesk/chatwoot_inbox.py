"""Chatwoot as the agent inbox (HANDOFF_INBOX=chatwoot).

On handoff: a contact and a conversation in Chatwoot's API inbox (`pending`, the agent bot's),
a private note with the reason, the collected details and the transcript, then `open` for the
agents. The local handoff is kept, `active` and held by no local agent, and linked to the
conversation in `chatwoot_links`; `sync` pauses the bot for it.

While it is open, `sync` posts the customer's new messages to the conversation (each once, also
across restarts and processes); a human agent's reply (webhook `message_created`) is said to
the customer. Resolving the conversation closes the handoff and putting it back to `pending`
hands it back; both resume the bot with a short message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import requests
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from supportdesk import handoffs
from supportdesk.chatwoot import ChatwootClient, ChatwootError, ChatwootNotFound
from supportdesk.db import Database
from supportdesk.errors import DomainError
from supportdesk.models import ChatwootLink, ChatwootMessage, Handoff, HandoffMessage, utcnow
from supportdesk.rasa_bridge import Bridge
from supportdesk.relay import CLOSED, HANDED_BACK, ConversationUnreachable

logger = logging.getLogger(__name__)
TO_CHATWOOT, FROM_CHATWOOT = "to_chatwoot", "from_chatwoot"
POLL_SECONDS = 0.5
STALE_CLAIM = timedelta(seconds=60)  # a claim this old was left by a process that stopped
MAX_NOTE = 90_000
UNREACHABLE = (
    "Chatwoot could not be reached, so this handoff waits in the support desk's own queue "
    "(/agent) instead; nothing was lost."
)
UNDELIVERED = (
    "This reply could not be delivered to the customer: the assistant's server did not "
    "answer. Please send it again in a moment."
)
FINISHED = {"resolved": handoffs.CLOSED, "pending": handoffs.RETURNED}
RESUME_MESSAGES = {handoffs.CLOSED: CLOSED, handoffs.RETURNED: HANDED_BACK}


class BadEvent(DomainError):
    status = 400
    code = "bad_request"


@dataclass(frozen=True)
class Link:
    id: int
    handoff_id: int
    conversation_id: str
    source_id: str
    chatwoot_conversation_id: int
    status: str
    paused: bool


@dataclass
class ChatwootInbox:
    client: ChatwootClient
    bridge: Bridge
    name: str = "chatwoot"
    poll_seconds: float = POLL_SECONDS
    _pausing: set[int] = field(default_factory=set, repr=False)  # links paused by a thread now

    @property
    def webhook_secret(self) -> str:
        return self.client.config.webhook_secret

    # --- a new handoff ---

    def handoff_created(self, db: Database, handoff: dict[str, Any]) -> dict[str, Any]:
        """Open a Chatwoot conversation for it; when Chatwoot fails, it stays in our queue."""
        if handoff.get("existing"):
            return self._handed_over_again(db, handoff)
        try:
            source_id, conversation = self._open_conversation(db, handoff)
        except ChatwootError as error:
            logger.error(
                "chatwoot: handoff %s stays in the built-in queue (%s)",
                handoff["handoff_id"],
                error,
            )
            inbox = {"name": self.name, "status": "unreachable", "message": UNREACHABLE}
            return {**handoff, "inbox": inbox}
        link = _link(db, handoff, source_id, conversation)
        self._pause_soon(db, link)
        logger.info("chatwoot: handoff %s is conversation %s", handoff["handoff_id"], conversation)
        inbox = {"name": self.name, "status": "open", "chatwoot_conversation_id": conversation}
        return {
            **handoff,
            "status": handoffs.ACTIVE,
            "availability": _chatwoot_availability(handoff.get("availability")),
            "inbox": inbox,
        }

    def _handed_over_again(self, db: Database, handoff: dict[str, Any]) -> dict[str, Any]:
        """The conversation's open handoff: never a second Chatwoot conversation.

        When Chatwoot has it, the new reason goes there as a private note (best effort: the
        support desk's handoff has it anyway). When it has none (Chatwoot failed when the
        handoff was made, or that request is still opening one), nothing more is done here.
        """
        link = _link_of(db, handoff["handoff_id"])
        if link is None:
            return {**handoff, "inbox": {"name": self.name, "status": "queued"}}
        if handoff.get("note"):
            try:
                self.client.post_note(link.chatwoot_conversation_id, handoff["note"])
            except ChatwootError as error:
                logger.warning(
                    "chatwoot: the new reason for handoff %s is not in Chatwoot (%s)",
                    handoff["handoff_id"],
                    error,
                )
        inbox = {
            "name": self.name,
            "status": "open",
            "chatwoot_conversation_id": link.chatwoot_conversation_id,
        }
        return {
            **handoff,
            "availability": _chatwoot_availability(handoff.get("availability")),
            "inbox": inbox,
        }

    def _open_conversation(self, db: Database, handoff: dict[str, Any]) -> tuple[str, int]:
        """Contact (reused for the same customer conversation), conversation, note, `open`."""
        details = handoff.get("details") or {}
        attributes = {
            "handoff_reference": f"H-{handoff['handoff_id']}",
            "customer_channel": handoff["channel"],
            **{k: details[k] for k in ("verified_order", "claim_number") if details.get(k)},
        }
        source_id = _known_contact(db, handoff["conversation_id"])
        conversation = None
        if source_id:
            with contextlib.suppress(ChatwootNotFound):  # the contact was deleted in Chatwoot
                conversation = self.client.create_conversation(source_id, attributes)
        if conversation is None:
            identifier = f"rasa:{handoff['conversation_id']}"
            source_id = self.client.create_contact(identifier, details.get("email"), {})
            conversation = self.client.create_conversation(source_id, attributes)
        self.client.post_note(conversation, handoff_note(handoff))
        self.client.set_status(conversation, "open")
        return source_id, conversation

    # --- the regular sync: bot state and the customer's messages ---

    def sync(self, db: Database) -> None:
        """Pause the bot and relay the customer for open handoffs; resume it for finished ones."""
        for link in _links(db, [handoffs.ACTIVE]):
            if not link.paused and link.id not in self._pausing:
                self._pause(db, link)
            self._relay_customer_messages(db, link)
        for link in _links(db, list(RESUME_MESSAGES), not_resumed=True):
            self._resume(db, link)

    def _pause_soon(self, db: Database, link: Link) -> None:
        """Pause now, but off this request, which Rasa's handoff action is waiting for."""
        # Rasa holds the conversation's lock while the action runs: the pause waits for the
        # turn to end, and Rasa's lock tickets put it before the customer's next message.
        self._pausing.add(link.id)

        def pause() -> None:
            try:
                self._pause(db, link)
            finally:
                self._pausing.discard(link.id)

        threading.Thread(target=pause, daemon=True).start()

    def _pause(self, db: Database, link: Link) -> None:
        """Pause the bot while the handoff is active; recorded once done (twice does no harm).

        The pause waits for the conversation's lock in Rasa, and the agent may hand the
        conversation back meanwhile: a pause that lands after that resume would leave the
        bot silent for good. So the handoff is checked again once paused, and a late pause
        is undone.
        """
        if not _is_active(db, link.handoff_id):
            return
        try:
            self.bridge.pause(link.conversation_id)
        except requests.RequestException:
            logger.warning("chatwoot: could not pause handoff %s yet", link.handoff_id)
            return
        with db.write() as session:
            session.get(ChatwootLink, link.id).paused_at = utcnow()
        if not _is_active(db, link.handoff_id):
            self._undo_late_pause(db, link)

    def _undo_late_pause(self, db: Database, link: Link) -> None:
        try:
            self.bridge.resume(link.conversation_id)
        except requests.RequestException:
            # The sync resumes it, with the hand-back message again: better twice than silent.
            _release_resume(db, link.id)
            logger.warning("chatwoot: could not undo a late pause of handoff %s", link.handoff_id)

    def _relay_customer_messages(self, db: Database, link: Link) -> None:
        try:
            written = self.bridge.customer_messages(link.conversation_id)
        except requests.RequestException:
            return  # the next round tries again
        handoffs.store_customer_messages(db, link.handoff_id, written)
        for message_id, text in _unrelayed(db, link.handoff_id):
            claim = _claim_outgoing(db, link.id, message_id)
            if claim is None:
                continue
            try:
                posted = self.client.post_incoming(
                    link.source_id, link.chatwoot_conversation_id, text, f"sts-{message_id}"
                )
            except ChatwootError as error:
                _release(db, claim)
                logger.warning("chatwoot: relay for handoff %s failed (%s)", link.handoff_id, error)
                return
            _done(db, claim, posted)

    def _resume(self, db: Database, link: Link) -> bool:
        """Resume the bot with the closing or hand-back message, once; False if Rasa failed."""
        if not _claim_resume(db, link.id):
            return False
        try:
            self.bridge.resume(link.conversation_id, RESUME_MESSAGES[link.status])
        except requests.RequestException:
            _release_resume(db, link.id)
            logger.warning("chatwoot: could not resume the bot for handoff %s", link.handoff_id)
            return False
        return True

    # --- webhooks from Chatwoot ---

    def handle_event(self, db: Database, event: dict[str, Any]) -> dict[str, Any]:
        """An agent bot or account webhook: agent replies, resolve and back to pending."""
        kind = event.get("event")
        if not isinstance(kind, str):
            raise BadEvent("The webhook body has no 'event' name.", field="event")
        account = event.get("account")
        account_id = account.get("id") if isinstance(account, dict) else None
        if account_id is not None and str(account_id) != str(self.client.config.account_id):
            return _ignored("another Chatwoot account")
        if kind == "message_created":
            return self._agent_message(db, event)
        if kind in ("conversation_resolved", "conversation_status_changed"):
            status = "resolved" if kind == "conversation_resolved" else event.get("status")
            return self._status_changed(db, _integer(event.get("id"), "id"), status)
        return _ignored(f"{kind} events are not used")

    def _agent_message(self, db: Database, event: dict[str, Any]) -> dict[str, Any]:
        sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
        if event.get("message_type") != "outgoing" or event.get("private") is True:
            return _ignored("not a reply to the customer")
        if sender.get("type") != "user":
            return _ignored("not written by a person")  # e.g. the agent bot's own note
        conversation = event.get("conversation")
        if not isinstance(conversation, dict):
            raise BadEvent("message_created needs a 'conversation' object.", field="conversation")
        link = _link_for(db, _integer(conversation.get("id"), "conversation.id"))
        message_id = _integer(event.get("id"), "id")
        text = event.get("content")
        if link is None:
            return _ignored("not a handoff's conversation")
        if not isinstance(text, str) or not text.strip():
            return _ignored("no text to send")
        if link.status != handoffs.ACTIVE:
            return _ignored(f"the handoff is {link.status}")
        return self._deliver(db, link, message_id, f"{sender.get('name') or 'Support'}: {text}")

    def _deliver(self, db: Database, link: Link, message_id: int, said: str) -> dict[str, Any]:
        """Deliver first, then store: what the handoff shows has reached the customer."""
        claim = _claim_incoming(db, link.id, message_id)
        if claim is None:
            return _ignored("already delivered")
        try:
            self.bridge.say(link.conversation_id, said.strip())
        except requests.RequestException:
            _release(db, claim)
            with contextlib.suppress(ChatwootError):  # tell the agent, where they look
                self.client.post_note(link.chatwoot_conversation_id, UNDELIVERED)
            raise ConversationUnreachable(
                "The customer's conversation could not be reached; the agent was told."
            ) from None
        _record_agent_message(db, link, claim, said.strip())
        return {"status": "delivered", "handoff_id": link.handoff_id}

    def _status_changed(self, db: Database, conversation: int, status: Any) -> dict[str, Any]:
        if status not in FINISHED:
            return _ignored(f"status {status} needs nothing")
        link = _link_for(db, conversation)
        if link is None:
            return _ignored("not a handoff's conversation")
        finished = FINISHED[status]
        if not _finish(db, link.handoff_id, finished):
            return _ignored(f"the handoff is already {link.status}")
        resumed = self._resume(db, _replace_status(link, finished))
        return {"status": finished, "handoff_id": link.handoff_id, "bot_resumed": resumed}


# --- the note agents read first ---


def handoff_note(handoff: dict[str, Any]) -> str:
    """Reason, channel, collected details and as much of the transcript as fits (newest)."""
    head = [
        f"Handoff H-{handoff['handoff_id']} from the Ship to Store assistant",
        f"Reason: {handoff['reason']}",
        f"Customer's channel: {handoff['channel']}",
    ]
    details = handoff.get("details") or {}
    if details:
        head += ["", "What the assistant collected:"]
        head += [f"- {k.replace('_', ' ')}: {_plain(v)}" for k, v in details.items()]
    head += ["", "Transcript:"]
    lines: list[str] = []
    budget = MAX_NOTE - sum(len(line) + 1 for line in head)
    for entry in reversed(handoff.get("transcript") or []):
        line = f"{str(entry.get('sender', '')).capitalize()}: {entry.get('text', '')}"
        budget -= len(line) + 1
        if budget < 0:
            lines.insert(0, "(earlier messages left out)")
            break
        lines.insert(0, line)
    return "\n".join(head + (lines or ["(no messages)"]))


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _chatwoot_availability(availability: dict[str, Any] | None) -> dict[str, Any] | None:
    """Chatwoot's agents sign in there, not here: within business hours someone can answer."""
    if availability is None:
        return None
    return {**availability, "agents_available": availability["within_business_hours"]}


def _ignored(reason: str) -> dict[str, Any]:
    return {"status": "ignored", "reason": reason}


def _integer(value: Any, name: str) -> int:
    """Chatwoot ids are integers; the documented samples sometimes write them as strings."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadEvent(f"'{name}' must be an integer.", field=name)
    return value


# --- the tables ---


def _link(db: Database, handoff: dict[str, Any], source_id: str, conversation: int) -> Link:
    """Link the handoff to its conversation and mark it active, in one transaction."""
    with db.write() as session:
        row = session.get(Handoff, handoff["handoff_id"])
        row.status, row.agent_id = handoffs.ACTIVE, None
        link = ChatwootLink(
            handoff_id=row.id,
            conversation_id=row.conversation_id,
            contact_source_id=source_id,
            chatwoot_conversation_id=conversation,
        )
        session.add(link)
        session.flush()
        return _as_link(link, handoffs.ACTIVE)


def _link_of(db: Database, handoff_id: int) -> Link | None:
    with db.read() as session:
        found = session.execute(
            select(ChatwootLink, Handoff.status)
            .join(Handoff, Handoff.id == ChatwootLink.handoff_id)
            .where(ChatwootLink.handoff_id == handoff_id)
        ).first()
    return _as_link(*found) if found else None


def _known_contact(db: Database, conversation_id: str) -> str | None:
    with db.read() as session:
        return session.execute(
            select(ChatwootLink.contact_source_id)
            .where(ChatwootLink.conversation_id == conversation_id)
            .order_by(ChatwootLink.id.desc())
            .limit(1)
        ).scalar_one_or_none()


def _as_link(row: ChatwootLink, status: str) -> Link:
    return Link(
        id=row.id,
        handoff_id=row.handoff_id,
        conversation_id=row.conversation_id,
        source_id=row.contact_source_id,
        chatwoot_conversation_id=row.chatwoot_conversation_id,
        status=status,
        paused=row.paused_at is not None,
    )


def _replace_status(link: Link, status: str) -> Link:
    return Link(**{**link.__dict__, "status": status})


def _links(db: Database, statuses: list[str], not_resumed: bool = False) -> list[Link]:
    query = (
        select(ChatwootLink, Handoff.status)
        .join(Handoff, Handoff.id == ChatwootLink.handoff_id)
        .where(Handoff.status.in_(statuses))
        .order_by(ChatwootLink.id)
    )
    if not_resumed:
        query = query.where(ChatwootLink.resumed_at.is_(None))
    with db.read() as session:
        return [_as_link(row, status) for row, status in session.execute(query).all()]


def _link_for(db: Database, chatwoot_conversation: int) -> Link | None:
    """The newest link to this conversation (ids start again in a new Chatwoot account)."""
    with db.read() as session:
        found = session.execute(
            select(ChatwootLink, Handoff.status)
            .join(Handoff, Handoff.id == ChatwootLink.handoff_id)
            .where(ChatwootLink.chatwoot_conversation_id == chatwoot_conversation)
            .order_by(ChatwootLink.id.desc())
            .limit(1)
        ).first()
    return _as_link(*found) if found else None


def _is_active(db: Database, handoff_id: int) -> bool:
    with db.read() as session:
        return session.get(Handoff, handoff_id).status == handoffs.ACTIVE


def _finish(db: Database, handoff_id: int, status: str) -> bool:
    """Active → closed or returned_to_bot; False when it was no longer active."""
    with db.write() as session:
        changed = session.execute(
            update(Handoff)
            .where(Handoff.id == handoff_id, Handoff.status == handoffs.ACTIVE)
            .values(status=status)
        ).rowcount
    return changed == 1


def _claim_resume(db: Database, link_id: int) -> bool:
    with db.write() as session:
        claimed = session.execute(
            update(ChatwootLink)
            .where(ChatwootLink.id == link_id, ChatwootLink.resumed_at.is_(None))
            .values(resumed_at=utcnow())
        ).rowcount
    return claimed == 1


def _release_resume(db: Database, link_id: int) -> None:
    with db.write() as session:
        session.execute(
            update(ChatwootLink).where(ChatwootLink.id == link_id).values(resumed_at=None)
        )


def _unrelayed(db: Database, handoff_id: int) -> list[tuple[int, str]]:
    """The customer's messages not posted to Chatwoot, and not being posted by anyone now."""
    stale = utcnow() - STALE_CLAIM
    with db.read() as session:
        rows = session.execute(
            select(HandoffMessage.id, HandoffMessage.text)
            .outerjoin(ChatwootMessage, ChatwootMessage.handoff_message_id == HandoffMessage.id)
            .where(HandoffMessage.handoff_id == handoff_id, HandoffMessage.sender == "customer")
            .where(
                (ChatwootMessage.id.is_(None))
                | (ChatwootMessage.done_at.is_(None) & (ChatwootMessage.claimed_at < stale))
            )
            .order_by(HandoffMessage.at, HandoffMessage.id)
        ).all()
    return [(row.id, row.text) for row in rows]


def _claim_outgoing(db: Database, link_id: int, message_id: int) -> int | None:
    """Take the customer's message for posting; None when another process has it or did it."""
    now = utcnow()
    try:
        with db.write() as session:
            row = session.execute(
                select(ChatwootMessage).where(ChatwootMessage.handoff_message_id == message_id)
            ).scalar_one_or_none()
            if row is None:
                claim = ChatwootMessage(
                    link_id=link_id,
                    direction=TO_CHATWOOT,
                    handoff_message_id=message_id,
                    claimed_at=now,
                )
                session.add(claim)
                session.flush()
                return claim.id
            taken = session.execute(
                update(ChatwootMessage)
                .where(ChatwootMessage.id == row.id, ChatwootMessage.done_at.is_(None))
                .where(ChatwootMessage.claimed_at < now - STALE_CLAIM)
                .values(claimed_at=now)
            ).rowcount
            return row.id if taken == 1 else None
    except IntegrityError:  # another process inserted the same claim first
        return None


def _claim_incoming(db: Database, link_id: int, chatwoot_message_id: int) -> int | None:
    """Take the agent's Chatwoot message for delivery; None when it was taken already."""
    try:
        with db.write() as session:
            known = session.execute(
                select(ChatwootMessage.id).where(
                    ChatwootMessage.link_id == link_id,
                    ChatwootMessage.chatwoot_message_id == chatwoot_message_id,
                )
            ).first()
            if known:
                return None
            claim = ChatwootMessage(
                link_id=link_id,
                direction=FROM_CHATWOOT,
                chatwoot_message_id=chatwoot_message_id,
                claimed_at=utcnow(),
            )
            session.add(claim)
            session.flush()
            return claim.id
    except IntegrityError:  # the same webhook, delivered twice at once
        return None


def _release(db: Database, claim_id: int) -> None:
    """Give the claim up, so that the message is tried again."""
    with db.write() as session:
        row = session.get(ChatwootMessage, claim_id)
        if row is not None and row.done_at is None:
            session.delete(row)


def _done(db: Database, claim_id: int, chatwoot_message_id: int) -> None:
    with db.write() as session:
        row = session.get(ChatwootMessage, claim_id)
        row.chatwoot_message_id, row.done_at = chatwoot_message_id, utcnow()


def _record_agent_message(db: Database, link: Link, claim_id: int, text: str) -> None:
    """The reply joins the handoff's messages, as the agent's (no local agent holds it)."""
    now = utcnow()
    with db.write() as session:
        message = HandoffMessage(handoff_id=link.handoff_id, sender="agent", text=text, at=now)
        session.add(message)
        session.flush()
        claim = session.get(ChatwootMessage, claim_id)
        claim.handoff_message_id, claim.done_at = message.id, now
