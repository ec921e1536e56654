"""The LRS: statements, their filter index, attachments and documents.

Statements keep their full JSON plus a few columns for direct lookups. Every
query filter that can match more than one way (an agent as actor, object,
instructor ...; an activity as object or context; a StatementRef inheriting
its target's properties) lives in ``xapi_statement_filters``: one row per
(kind, value, statement), whose primary key is the index each query walks.
"""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from cairn.db.tables.base import BigId, metadata

xapi_statements = Table(
    "xapi_statements",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("stored_us", BigId, nullable=False),
    Column("timestamp_us", BigId, nullable=False),
    Column("verb_id", Text, nullable=False),
    Column("actor_ifi", Text, nullable=True),
    Column("registration", String(36), nullable=True),
    Column("object_ref", String(36), nullable=True),
    Column("voided", Boolean, nullable=False, server_default="0"),
    Column("credential_id", BigId, nullable=True),
    Column("payload", Text, nullable=False),
    Index("ix_xapi_statements_stored_us", "stored_us"),
    Index("ix_xapi_statements_object_ref", "object_ref"),
)

xapi_statement_filters = Table(
    "xapi_statement_filters",
    metadata,
    Column("kind", String(2), nullable=False),
    Column("value", Text, nullable=False),
    Column(
        "statement_seq",
        BigId,
        ForeignKey("xapi_statements.seq", ondelete="CASCADE"),
        nullable=False,
    ),
    PrimaryKeyConstraint("kind", "value", "statement_seq"),
    Index("ix_xapi_statement_filters_statement_seq", "statement_seq"),
    # The primary key is the whole row: without a rowid SQLite stores it once.
    sqlite_with_rowid=False,
)

xapi_attachments = Table(
    "xapi_attachments",
    metadata,
    Column("sha2", String(128), primary_key=True),
    Column("content_type", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

xapi_documents = Table(
    "xapi_documents",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("activity_id", Text, nullable=False, server_default=""),
    Column("agent_ifi", Text, nullable=False, server_default=""),
    Column("registration", String(36), nullable=False, server_default=""),
    Column("document_id", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("etag", String(64), nullable=False),
    Column("updated_us", BigId, nullable=False),
    UniqueConstraint(
        "kind", "activity_id", "agent_ifi", "registration", "document_id",
        name="uq_xapi_documents_address",
    ),
)

xapi_activities = Table(
    "xapi_activities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("definition", Text, nullable=False),
    Column("updated_us", BigId, nullable=False),
)

