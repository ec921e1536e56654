"""Outbound: webhook subscriptions, forwarding rules, and the durable outbox.

``outbound_deliveries`` is the outbox: one row per (event, target) written in
the same transaction as the change that caused it, then claimed, delivered and
retried by the worker. Rows sharing an ``order_key`` are delivered strictly in
id order. ``outbound_attempts`` keeps every HTTP attempt for operators.
"""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from cairn.db.tables.base import BigId, metadata

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("description", String(200), nullable=False, server_default=""),
    Column("filters", Text, nullable=False, server_default="{}"),
    Column("secret_encrypted", Text, nullable=False),
    # After a rotation the old secret also signs until this moment (receivers switch over).
    Column("previous_secret_encrypted", Text, nullable=True),
    Column("previous_secret_until_us", BigId, nullable=True),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("disabled_reason", Text, nullable=True),
    Column("disabled_us", BigId, nullable=True),
    Column("created_us", BigId, nullable=False),
    Column("updated_us", BigId, nullable=False),
)

# Which event types each subscription wants; the primary key is the index the
# enqueue path walks ("who wants statement.stored?") on every matching change.
webhook_subscription_events = Table(
    "webhook_subscription_events",
    metadata,
    Column("event_type", String(40), nullable=False),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    PrimaryKeyConstraint("event_type", "subscription_id"),
    Index("ix_webhook_subscription_events_subscription_id", "subscription_id"),
)

forwarding_rules = Table(
    "forwarding_rules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("endpoint", Text, nullable=False),
    Column("username", String(200), nullable=False),
    Column("password_encrypted", Text, nullable=False),
    Column("xapi_version", String(10), nullable=False),
    Column("verbs", Text, nullable=False, server_default="[]"),
    Column("activities", Text, nullable=False, server_default="[]"),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("disabled_reason", Text, nullable=True),
    Column("disabled_us", BigId, nullable=True),
    Column("created_us", BigId, nullable=False),
    Column("updated_us", BigId, nullable=False),
    Index("ix_forwarding_rules_is_active", "is_active"),
)

PENDING_ONLY = text("status = 'pending'")

outbound_deliveries = Table(
    "outbound_deliveries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False),
    Column(
        "subscription_id",
        Integer,
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Column(
        "rule_id",
        Integer,
        ForeignKey("forwarding_rules.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Column("event_type", String(40), nullable=False),
    Column("order_key", String(300), nullable=True),
    Column("payload", Text, nullable=False),
    Column("occurred_us", BigId, nullable=False),
    Column("created_us", BigId, nullable=False),
    Column("window_start_us", BigId, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_us", BigId, nullable=False),
    Column("claimed_by", String(100), nullable=True),
    Column("claimed_until_us", BigId, nullable=True),
    Column("finished_us", BigId, nullable=True),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    # One row per event and target: enqueueing twice cannot deliver twice.
    UniqueConstraint("subscription_id", "event_id", name="uq_outbound_deliveries_subscription"),
    UniqueConstraint("rule_id", "event_id", name="uq_outbound_deliveries_rule"),
    # Partial indexes: delivered rows pile up, the worker only ever looks at pending ones.
    Index("ix_outbound_deliveries_due", "next_attempt_us",
          sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY),
    Index("ix_outbound_deliveries_order", "order_key", "id",
          sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY),
    Index("ix_outbound_deliveries_subscription_status", "subscription_id", "status", "id"),
    Index("ix_outbound_deliveries_rule_status", "rule_id", "status", "id"),
    # The retention job walks finished deliveries oldest first.
    Index("ix_outbound_deliveries_finished", "finished_us"),
)

outbound_attempts = Table(
    "outbound_attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "delivery_id",
        BigId,
        ForeignKey("outbound_deliveries.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("attempted_us", BigId, nullable=False),
    Column("worker_id", String(100), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("latency_ms", Integer, nullable=False),
    Column("response_excerpt", Text, nullable=False, server_default=""),
    Column("error", Text, nullable=True),
    Index("ix_outbound_attempts_delivery_id", "delivery_id", "id"),
)
