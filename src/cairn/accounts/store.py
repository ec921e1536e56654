"""SQL for users, API tokens and LRS credentials."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select

from cairn.db.tables import api_tokens, lrs_credentials, users


def insert_user(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(users).values(**values).returning(users.c.id))
    return int(result.scalar_one())


def user_by_email(conn: Connection, email: str) -> RowMapping | None:
    return conn.execute(select(users).where(users.c.email == email)).mappings().first()


def user_by_id(conn: Connection, user_id: int) -> RowMapping | None:
    return conn.execute(select(users).where(users.c.id == user_id)).mappings().first()


def list_users(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(users).order_by(users.c.id)).mappings())


def count_users(conn: Connection) -> int:
    return len(conn.execute(select(users.c.id).limit(1)).all())


def insert_token(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(api_tokens).values(**values).returning(api_tokens.c.id))
    return int(result.scalar_one())


def token_by_digest(conn: Connection, digest: str) -> RowMapping | None:
    query = select(api_tokens).where(api_tokens.c.token_digest == digest)
    return conn.execute(query).mappings().first()


def insert_credential(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(lrs_credentials).values(**values).returning(lrs_credentials.c.id))
    return int(result.scalar_one())


def credential_by_key(conn: Connection, key: str) -> RowMapping | None:
    query = select(lrs_credentials).where(lrs_credentials.c.key == key)
    return conn.execute(query).mappings().first()


def list_credentials(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(lrs_credentials).order_by(lrs_credentials.c.id)).mappings())
