"""Shared fixtures: a real database per test (SQLite file or PostgreSQL), the app, clients.

The backend is chosen by ``CAIRN_TEST_DATABASE_URL``: unset means a fresh
SQLite file per test; a PostgreSQL URL means one migrated database for the
run, truncated between tests (``make test`` runs the suite both ways).
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text, update

from cairn.accounts import service as accounts
from cairn.accounts.models import Role
from cairn.app import create_app
from cairn.config import Settings
from cairn.db import migrate
from cairn.db.engine import Database
from cairn.db.tables import api_tokens, metadata

POSTGRES_URL = os.environ.get("CAIRN_TEST_DATABASE_URL", "")
XAPI_VERSION = "1.0.3"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "cairn.db"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database | None]:
    if not POSTGRES_URL:
        yield None
        return
    database = Database(POSTGRES_URL)
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture()
def database(tmp_path: Path, sqlite_template: Path,
             postgres_database: Database | None) -> Iterator[Database]:
    if postgres_database is not None:
        _truncate(postgres_database)
        yield postgres_database
        return
    path = tmp_path / "cairn.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def _truncate(database: Database) -> None:
    names = ", ".join(table.name for table in metadata.sorted_tables)
    with database.writing() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture()
def settings(tmp_path: Path, database: Database) -> Settings:
    return Settings(database_url=database.url, data_dir=tmp_path / "data",
                    secret_key="test-secret-key-that-is-long-enough-0123456789",
                    base_url="http://testserver")


@pytest.fixture()
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database=database)


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


@pytest.fixture()
def make_credential(database: Database) -> Callable[[list[str]], dict[str, str]]:
    """Create an LRS credential with the given scopes; return request headers for it."""
    counter = iter(range(1_000_000))

    def make(scopes: list[str]) -> dict[str, str]:
        key = f"client-{next(counter)}"
        with database.writing() as conn:
            accounts.create_credential(conn=conn, name=key, scopes=" ".join(scopes), key=key,
                                       secret="s3cret-value")
        return {"Authorization": basic(key, "s3cret-value"),
                "X-Experience-API-Version": XAPI_VERSION}

    return make


@pytest.fixture()
def lrs_auth(make_credential: Callable[[list[str]], dict[str, str]]) -> dict[str, str]:
    return make_credential(["all"])


@pytest.fixture()
def make_token(database: Database) -> Callable[[Role], dict[str, str]]:
    """Create a REST API token with a role; return the Authorization header for it."""

    def make(role: Role) -> dict[str, str]:
        with database.writing() as conn:
            issued = accounts.create_token(conn=conn, name=f"{role.value} token", role=role)
        return {"Authorization": f"Bearer {issued.secret}"}

    return make


@pytest.fixture()
def person(database: Database) -> Callable[[str, Role], tuple[int, dict[str, str]]]:
    """A signed-up person with a role, and a bearer token that acts as them."""
    def make(email: str, role: Role) -> tuple[int, dict[str, str]]:
        with database.writing() as conn:
            user_id = accounts.create_user(conn=conn, email=email, password="long enough pw",
                                           role=role)
            issued = accounts.create_token(conn=conn, name=email, role=role)
            conn.execute(update(api_tokens).where(api_tokens.c.id == issued.id)
                         .values(user_id=user_id))
        return user_id, {"Authorization": f"Bearer {issued.secret}"}
    return make
