"""SQLAlchemy Core table definitions, one module per bounded context.

Importing this package registers every table on :data:`metadata`, which is
what Alembic compares against when a migration is generated.
"""

from cairn.db.tables.accounts import api_tokens, lrs_credentials, users
from cairn.db.tables.base import metadata
from cairn.db.tables.catalog import courses, learners, lessons, packages, teams
from cairn.db.tables.outbound import (
    forwarding_rules,
    outbound_attempts,
    outbound_deliveries,
    webhook_subscription_events,
    webhook_subscriptions,
)
from cairn.db.tables.sessions import (
    attempts,
    journal_lines,
    session_interactions,
    session_objectives,
    sessions,
    trace_settings,
    traced_learners,
)
from cairn.db.tables.worker import worker_heartbeats
from cairn.db.tables.xapi import (
    xapi_activities,
    xapi_attachments,
    xapi_documents,
    xapi_statement_filters,
    xapi_statements,
)

__all__ = [
    "api_tokens",
    "attempts",
    "courses",
    "forwarding_rules",
    "journal_lines",
    "learners",
    "lessons",
    "lrs_credentials",
    "metadata",
    "outbound_attempts",
    "outbound_deliveries",
    "packages",
    "session_interactions",
    "session_objectives",
    "sessions",
    "teams",
    "trace_settings",
    "traced_learners",
    "users",
    "webhook_subscription_events",
    "webhook_subscriptions",
    "worker_heartbeats",
    "xapi_activities",
    "xapi_attachments",
    "xapi_documents",
    "xapi_statement_filters",
    "xapi_statements",
]
