"""Tables of the support desk. Money is stored as integer cents."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import relationship

from supportdesk.db import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, as the API writes times."""
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


class UTCDateTime(TypeDecorator):
    """Stores UTC and always returns time-zone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    email = Column(String(254), nullable=False, unique=True)
    orders = relationship("Order", back_populates="customer")


class Store(Base):
    __tablename__ = "stores"
    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    address = Column(String(300), nullable=False)
    opening_hours = Column(String(200), nullable=False)
    time_zone = Column(String(64), nullable=False)
    pickup_window_days = Column(Integer, nullable=False)


class Order(Base):
    __tablename__ = "orders"
    id = Column(Integer, primary_key=True)
    order_number = Column(String(20), nullable=False, unique=True)
    customer_id = Column(ForeignKey("customers.id"), nullable=False)
    store_id = Column(ForeignKey("stores.id"), nullable=False)
    placed_at = Column(UTCDateTime(), nullable=False)
    ready_at = Column(UTCDateTime())
    picked_up_at = Column(UTCDateTime())
    currency = Column(String(3), nullable=False, default="USD")
    customer = relationship("Customer", back_populates="orders")
    store = relationship("Store")
    lines = relationship("OrderLine", back_populates="order", order_by="OrderLine.id")
    shipments = relationship("Shipment", back_populates="order", order_by="Shipment.id")


class OrderLine(Base):
    __tablename__ = "order_lines"
    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    line_id = Column(String(40), nullable=False, unique=True)
    sku = Column(String(40), nullable=False)
    name = Column(String(200), nullable=False)
    unit_price_cents = Column(Integer, nullable=False)
    quantity = Column(Integer, nullable=False)
    tax_cents = Column(Integer, nullable=False, default=0)  # tax on the whole line
    order = relationship("Order", back_populates="lines")


class Shipment(Base):
    __tablename__ = "shipments"
    id = Column(Integer, primary_key=True)
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    carrier = Column(String(20), nullable=False)
    tracking_number = Column(String(40), nullable=False, unique=True)
    status = Column(String(30), nullable=False)  # label_created | in_transit | delivered_to_store
    expected_at = Column(UTCDateTime())
    store_received_at = Column(UTCDateTime())
    order = relationship("Order", back_populates="shipments")
    items = relationship("ShipmentItem", back_populates="shipment")
    events = relationship("TrackingEvent", back_populates="shipment", order_by="TrackingEvent.at")


class ShipmentItem(Base):
    __tablename__ = "shipment_items"
    id = Column(Integer, primary_key=True)
    shipment_id = Column(ForeignKey("shipments.id"), nullable=False, index=True)
    line_id = Column(ForeignKey("order_lines.id"), nullable=False)
    quantity = Column(Integer, nullable=False)
    shipment = relationship("Shipment", back_populates="items")
    line = relationship("OrderLine")


class TrackingEvent(Base):
    __tablename__ = "tracking_events"
    id = Column(Integer, primary_key=True)
    shipment_id = Column(ForeignKey("shipments.id"), nullable=False, index=True)
    at = Column(UTCDateTime(), nullable=False)
    status = Column(String(30), nullable=False)
    description = Column(String(300), nullable=False)
    location = Column(String(120), nullable=False)
    shipment = relationship("Shipment", back_populates="events")


class Claim(Base):
    __tablename__ = "claims"
    id = Column(Integer, primary_key=True)
    claim_number = Column(String(20), unique=True)
    order_id = Column(ForeignKey("orders.id"), nullable=False, index=True)
    customer_id = Column(ForeignKey("customers.id"), nullable=False, index=True)
    idempotency_key = Column(String(200), unique=True)
    request_fingerprint = Column(String(64))
    tracking_number = Column(String(40))
    description = Column(Text, nullable=False)
    channel = Column(String(40))
    conversation_id = Column(String(200), index=True)
    refund_cents = Column(Integer, nullable=False)
    status = Column(String(20), nullable=False)
    decision = Column(String(20), nullable=False)
    decision_reason = Column(String(300), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    order = relationship("Order")
    items = relationship("ClaimItem", back_populates="claim", order_by="ClaimItem.id")
    history = relationship("ClaimEvent", back_populates="claim", order_by="ClaimEvent.id")
    evidence = relationship("Evidence", back_populates="claim", order_by="Evidence.id")


class ClaimItem(Base):
    __tablename__ = "claim_items"
    id = Column(Integer, primary_key=True)
    claim_id = Column(ForeignKey("claims.id"), nullable=False, index=True)
    line_id = Column(ForeignKey("order_lines.id"), nullable=False, index=True)
    quantity = Column(Integer, nullable=False)
    refund_cents = Column(Integer, nullable=False)
    claim = relationship("Claim", back_populates="items")
    line = relationship("OrderLine")


class ClaimEvent(Base):
    """One step of a claim's status history: who moved it where, and why."""

    __tablename__ = "claim_events"
    id = Column(Integer, primary_key=True)
    claim_id = Column(ForeignKey("claims.id"), nullable=False, index=True)
    at = Column(UTCDateTime(), nullable=False, default=utcnow)
    status = Column(String(20), nullable=False)
    actor = Column(String(80), nullable=False)
    note = Column(String(1000), nullable=False, default="")
    claim = relationship("Claim", back_populates="history")


class Evidence(Base):
    __tablename__ = "evidence"
    id = Column(Integer, primary_key=True)
    claim_id = Column(ForeignKey("claims.id"), nullable=False, index=True)
    stored_name = Column(String(80), nullable=False, unique=True)
    content_type = Column(String(40), nullable=False)
    size_bytes = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    claim = relationship("Claim", back_populates="evidence")


# A handoff is open while it waits for an agent or one has it; closed or returned_to_bot ends it.
OPEN_HANDOFF_STATUSES = ("waiting", "active")
_OPEN_HANDOFF = text("status IN ('waiting', 'active')")


class Handoff(Base):
    """A conversation handed to a person; at most one open (waiting or active) per conversation."""

    __tablename__ = "handoffs"
    __table_args__ = (
        # A partial unique index (SQLite and PostgreSQL): two requests that race to open a
        # handoff for the same conversation cannot both insert one.
        Index(
            "uq_handoffs_open_conversation",
            "conversation_id",
            unique=True,
            sqlite_where=_OPEN_HANDOFF,
            postgresql_where=_OPEN_HANDOFF,
        ),
    )
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    reason = Column(String(300), nullable=False)
    transcript = Column(JSON, nullable=False)
    details = Column(JSON, nullable=False)
    status = Column(String(20), nullable=False, default="waiting")
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    agent_id = Column(ForeignKey("agents.id"), nullable=True, index=True)
    agent = relationship("Agent")
    messages = relationship("HandoffMessage", order_by="HandoffMessage.at")


class HandoffMessage(Base):
    """A message of a handed-off conversation after the bot: an agent's or the customer's, or
    the assistant's note that it handed the conversation over again (with the new reason)."""

    __tablename__ = "handoff_messages"
    id = Column(Integer, primary_key=True)
    handoff_id = Column(ForeignKey("handoffs.id"), nullable=False, index=True)
    sender = Column(String(20), nullable=False)  # agent | customer | assistant (a note)
    text = Column(Text, nullable=False)
    at = Column(UTCDateTime(), nullable=False, default=utcnow)
    agent_id = Column(ForeignKey("agents.id"), nullable=True)
    agent = relationship("Agent")


class Agent(Base):
    """A support agent who signs in to the inbox."""

    __tablename__ = "agents"
    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    password_hash = Column(String(200), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)


class AgentSession(Base):
    """A signed-in agent's session; only the token's SHA-256 is stored."""

    __tablename__ = "agent_sessions"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    agent_id = Column(ForeignKey("agents.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime(), nullable=False, index=True)
    agent = relationship("Agent")


class LookupFailure(Base):
    """A failed order lookup, kept to rate-limit guessing across processes.

    `source` is who asked (see supportdesk.lookup_limits); rows written before it existed
    have none and count only for their order.
    """

    __tablename__ = "lookup_failures"
    id = Column(Integer, primary_key=True)
    order_number = Column(String(40), nullable=False, index=True)
    conversation_id = Column(String(200), index=True)
    source = Column(String(220), index=True)
    at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)


class LookupVerification(Base):
    """A source that gave an order's right e-mail address: the limit per order spares it."""

    __tablename__ = "lookup_verifications"
    id = Column(Integer, primary_key=True)
    order_number = Column(String(40), nullable=False, index=True)
    source = Column(String(220), nullable=False)
    at = Column(UTCDateTime(), nullable=False, index=True)


class SignInFailure(Base):
    """A failed agent sign-in, kept to slow down password guessing across processes."""

    __tablename__ = "sign_in_failures"
    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, index=True)
    address = Column(String(64), nullable=False, index=True)
    at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)


class ChatwootLink(Base):
    """A handoff carried in a Chatwoot conversation (HANDOFF_INBOX=chatwoot).

    `paused_at`: when the bot was paused for it (pausing twice does no harm); `resumed_at` is
    claimed before the bot is resumed after it, so that one process says the message once.
    """

    __tablename__ = "chatwoot_links"
    id = Column(Integer, primary_key=True)
    handoff_id = Column(ForeignKey("handoffs.id"), nullable=False, unique=True)
    conversation_id = Column(String(200), nullable=False, index=True)  # Rasa's sender id
    contact_source_id = Column(String(200), nullable=False)
    chatwoot_conversation_id = Column(Integer, nullable=False, index=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    paused_at = Column(UTCDateTime(), nullable=True)
    resumed_at = Column(UTCDateTime(), nullable=True)
    handoff = relationship("Handoff")


class ChatwootMessage(Base):
    """A message carried between Chatwoot and the customer, claimed first so it goes once.

    `to_chatwoot`: a customer's message (`handoff_message_id`) posted to Chatwoot;
    `from_chatwoot`: an agent's Chatwoot message (`chatwoot_message_id`) said to the customer.
    """

    __tablename__ = "chatwoot_messages"
    __table_args__ = (UniqueConstraint("link_id", "chatwoot_message_id"),)
    id = Column(Integer, primary_key=True)
    link_id = Column(ForeignKey("chatwoot_links.id"), nullable=False, index=True)
    direction = Column(String(20), nullable=False)
    handoff_message_id = Column(ForeignKey("handoff_messages.id"), nullable=True, unique=True)
    chatwoot_message_id = Column(Integer, nullable=True)
    claimed_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    done_at = Column(UTCDateTime(), nullable=True)


class HelpAnswer(Base):
    """A question put to the help center in a conversation, what it answered, and whether the
    shopper said it helped (None: not asked, or not rated yet)."""

    __tablename__ = "help_answers"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    question = Column(Text, nullable=False)  # identifiers masked
    article_slug = Column(String(120), nullable=True, index=True)  # None: no answer found
    score = Column(Integer, nullable=False)  # the best BM25 score, in thousandths
    asked_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    helpful = Column(Integer, nullable=True)  # 1 yes, 0 no
    rated_at = Column(UTCDateTime(), nullable=True)
