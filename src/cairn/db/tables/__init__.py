"""SQLAlchemy Core table definitions, one module per bounded context.

Importing this package registers every table on :data:`metadata`, which is
what Alembic compares against when a migration is generated.
"""

from cairn.db.tables.accounts import api_tokens, lrs_credentials, users
from cairn.db.tables.base import metadata
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
    "lrs_credentials",
    "metadata",
    "users",
    "worker_heartbeats",
    "xapi_activities",
    "xapi_attachments",
    "xapi_documents",
    "xapi_statement_filters",
    "xapi_statements",
]
