"""Creating accounts and checking who is calling.

Passwords and LRS secrets are stored as argon2 hashes; REST tokens are long
random values stored as SHA-256 digests (their entropy makes a slow hash
pointless) and shown to their owner exactly once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping

from cairn.accounts import store
from cairn.accounts.models import Principal, Role, Scope, parse_scopes
from cairn.accounts.passwords import VerifiedSecrets, hash_secret
from cairn.clock import now_us
from cairn.errors import Conflict, InvalidInput, NotAuthenticated

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "cairn_"  # noqa: S105 (a visible prefix, not a secret)
MIN_PASSWORD_LENGTH = 10
_verified = VerifiedSecrets()


@dataclass(frozen=True)
class IssuedSecret:
    """Something shown once: a generated password, token or key/secret pair."""

    id: int
    key: str
    secret: str


def create_user(
    *, conn: Connection, email: str, password: str, role: Role, display_name: str = ""
) -> int:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(f"email: {email!r} is not an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    if store.user_by_email(conn, email) is not None:
        raise Conflict(f"email: a user with {email} already exists")
    return store.insert_user(
        conn, email=email, password_hash=hash_secret(password), role=role.value,
        display_name=display_name, is_active=True, created_us=now_us(),
    )


def ensure_first_admin(*, conn: Connection, email: str) -> IssuedSecret | None:
    """Create the first admin with a generated password, only on an empty database."""
    if store.count_users(conn):
        return None
    password = secrets.token_urlsafe(15)
    user_id = create_user(conn=conn, email=email, password=password, role=Role.ADMIN,
                          display_name="Administrator")
    return IssuedSecret(id=user_id, key=email, secret=password)


def create_token(*, conn: Connection, name: str, role: Role | None = None,
                 user_email: str | None = None) -> IssuedSecret:
    """A bearer token acting with ``role``, or as the person ``user_email`` with their role.

    A manager or learner token must act as a person: what they may see is
    decided by who they are (the teams they manage, their own learner record).
    """
    if not name.strip():
        raise InvalidInput("name: a token needs a name")
    user_id = None
    if user_email is not None:
        user = store.user_by_email(conn, user_email.strip().lower())
        if user is None:
            raise InvalidInput(f"user: there is no user {user_email!r}")
        if role is not None and role.value != user["role"]:
            raise InvalidInput(f"role: {user_email} has the role {user['role']}, not {role.value}")
        role, user_id = Role(user["role"]), int(user["id"])
    if role is None:
        raise InvalidInput("role: give a role, or a user whose role the token takes")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = store.insert_token(
        conn, name=name.strip(), token_digest=_digest(token), role=role.value,
        user_id=user_id, is_active=True, created_us=now_us(),
    )
    return IssuedSecret(id=token_id, key=name.strip(), secret=token)


def create_credential(
    *, conn: Connection, name: str, scopes: str, key: str | None = None,
    secret: str | None = None,
) -> IssuedSecret:
    """Create an LRS client credential; a random key/secret pair when none is given."""
    try:
        parsed = parse_scopes(scopes)
    except ValueError as exc:
        raise InvalidInput(f"scope: {exc}") from exc
    key = key or secrets.token_hex(12)
    secret = secret or secrets.token_urlsafe(24)
    if ":" in key:
        raise InvalidInput("key: must not contain ':' (HTTP Basic uses it as separator)")
    if store.credential_by_key(conn, key) is not None:
        raise Conflict(f"key: a credential with key {key!r} already exists")
    credential_id = store.insert_credential(
        conn, name=name.strip() or key, key=key, secret_hash=hash_secret(secret),
        scopes=" ".join(sorted(scope.value for scope in parsed)), is_active=True,
        created_us=now_us(),
    )
    return IssuedSecret(id=credential_id, key=key, secret=secret)


def authenticate_bearer(*, conn: Connection, token: str) -> Principal:
    row = store.token_by_digest(conn, _digest(token))
    if row is None or not row["is_active"]:
        raise NotAuthenticated("the bearer token is unknown or revoked")
    return Principal(kind="token", id=row["id"], name=row["name"], role=Role(row["role"]))


def authenticate_basic(*, conn: Connection, key: str, secret: str) -> Principal:
    row = store.credential_by_key(conn, key)
    if row is None or not row["is_active"] or not _verified.verify(row["secret_hash"], secret):
        raise NotAuthenticated("the LRS key or secret is wrong")
    return credential_principal(row)


def credential_principal(row: RowMapping) -> Principal:
    scopes = frozenset(Scope(name) for name in row["scopes"].split())
    return Principal(kind="credential", id=row["id"], name=row["name"], scopes=scopes)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
