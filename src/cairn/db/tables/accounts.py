"""People (users), REST API tokens and LRS credentials."""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from cairn.db.tables.base import BigId, metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, server_default=""),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_us", BigId, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_us", BigId, nullable=False),
)

lrs_credentials = Table(
    "lrs_credentials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("key", String(200), nullable=False, unique=True),
    Column("secret_hash", Text, nullable=False),
    Column("scopes", String(500), nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_us", BigId, nullable=False),
)
