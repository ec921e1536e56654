"""Accounts: users, tokens and credentials through the service and the REST API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from cairn.accounts import service, store
from cairn.accounts.models import Role
from cairn.db.engine import Database
from cairn.errors import Conflict, InvalidInput, NotAuthenticated

TokenFactory = Callable[[Role], dict[str, str]]


def test_passwords_are_stored_as_argon2_hashes(database: Database) -> None:
    with database.writing() as conn:
        user_id = service.create_user(conn=conn, email="Ada@Example.org",
                                      password="correct horse", role=Role.AUTHOR)
        row = store.user_by_id(conn, user_id)
    assert row is not None
    assert row["email"] == "ada@example.org"
    assert row["password_hash"].startswith("$argon2id$")
    assert "correct horse" not in row["password_hash"]


def test_duplicate_email_is_a_conflict(database: Database) -> None:
    with database.writing() as conn:
        service.create_user(conn=conn, email="a@b.co", password="0123456789", role=Role.ADMIN)
    with pytest.raises(Conflict), database.writing() as conn:
        service.create_user(conn=conn, email="A@B.co", password="0123456789", role=Role.ADMIN)


@pytest.mark.parametrize(("email", "password"), [("not-an-email", "0123456789"),
                                                 ("a@b.co", "short")])
def test_bad_user_input_names_the_field(database: Database, email: str, password: str) -> None:
    with pytest.raises(InvalidInput) as caught, database.writing() as conn:
        service.create_user(conn=conn, email=email, password=password, role=Role.LEARNER)
    assert caught.value.message.split(":")[0] in ("email", "password")


def test_first_admin_is_created_once(database: Database) -> None:
    with database.writing() as conn:
        first = service.ensure_first_admin(conn=conn, email="admin@cairn.local")
        second = service.ensure_first_admin(conn=conn, email="admin@cairn.local")
    assert first is not None and len(first.secret) >= 16
    assert second is None


def test_credentials_authenticate_only_with_the_right_secret(database: Database) -> None:
    with database.writing() as conn:
        issued = service.create_credential(conn=conn, name="tool", scopes="statements/write")
    with database.reading() as conn:
        principal = service.authenticate_basic(conn=conn, key=issued.key, secret=issued.secret)
        with pytest.raises(NotAuthenticated):
            service.authenticate_basic(conn=conn, key=issued.key, secret="wrong")
    assert principal.kind == "credential"
    assert {scope.value for scope in principal.scopes} == {"statements/write"}


def test_tokens_are_stored_only_as_digests(database: Database) -> None:
    with database.writing() as conn:
        issued = service.create_token(conn=conn, name="bi", role=Role.AUDITOR)
    with database.reading() as conn:
        principal = service.authenticate_bearer(conn=conn, token=issued.secret)
        assert store.token_by_digest(conn, issued.secret) is None
    assert principal.role is Role.AUDITOR


def test_me_reports_the_callers_role(client: TestClient, make_token: TokenFactory) -> None:
    answer = client.get("/api/v1/me", headers=make_token(Role.MANAGER))
    assert answer.status_code == 200
    assert answer.json()["role"] == "manager"


def test_admin_creates_a_user_and_never_sees_hashes(client: TestClient,
                                                    make_token: TokenFactory) -> None:
    headers = make_token(Role.ADMIN)
    created = client.post("/api/v1/users", headers=headers, json={
        "email": "lea@example.org", "password": "a long password", "role": "learner"})
    assert created.status_code == 201
    listed = client.get("/api/v1/users", headers=headers).json()["users"]
    assert [user["email"] for user in listed] == ["lea@example.org"]
    assert all("password_hash" not in user for user in listed)


def test_admin_creates_an_lrs_credential_shown_once(client: TestClient,
                                                    make_token: TokenFactory) -> None:
    headers = make_token(Role.ADMIN)
    created = client.post("/api/v1/lrs-credentials", headers=headers,
                          json={"name": "authoring", "scopes": "statements/write state"})
    assert created.status_code == 201
    assert created.json()["secret"]
    listed = client.get("/api/v1/lrs-credentials", headers=headers).json()["credentials"]
    assert listed[0]["scopes"] == ["state", "statements/write"]
    assert "secret" not in listed[0]


def test_unknown_scope_is_a_400_naming_it(client: TestClient, make_token: TokenFactory) -> None:
    answer = client.post("/api/v1/lrs-credentials", headers=make_token(Role.ADMIN),
                         json={"name": "x", "scopes": "statements/delete"})
    assert answer.status_code == 400
    assert "statements/delete" in answer.json()["message"]
