"""People and machine accounts over HTTP (admins manage them, anyone sees themself)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from cairn.accounts import service, store
from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Principal, Role

router = APIRouter(prefix="/api/v1", tags=["accounts"])
ANY_ROLE = RequireRole(*Role)
ADMIN = RequireRole(Role.ADMIN)


class UserIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(min_length=1, max_length=1000)
    role: Role
    display_name: str = Field(default="", max_length=200)


class CredentialIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: str = Field(default="all", max_length=500)
    key: str | None = Field(default=None, max_length=200)
    secret: str | None = Field(default=None, max_length=500)


@router.get("/me")
def me(principal: Annotated[Principal, Depends(ANY_ROLE)]) -> dict[str, Any]:
    """The caller as Cairn sees them: kind, name, role or scopes."""
    return {"kind": principal.kind, "id": principal.id, "name": principal.name,
            "role": principal.role}


@router.get("/users", dependencies=[Depends(ADMIN)])
def list_users(request: Request) -> dict[str, Any]:
    """Every person who can sign in, with role and whether the account is active."""
    with request.app.state.db.reading() as conn:
        rows = store.list_users(conn)
    return {"users": [_public_user(row) for row in rows]}


@router.post("/users", status_code=201, dependencies=[Depends(ADMIN)])
def create_user(body: UserIn, request: Request) -> dict[str, Any]:
    """Add a person with a role; the password is stored as an argon2 hash only."""
    with request.app.state.db.writing() as conn:
        user_id = service.create_user(conn=conn, email=body.email, password=body.password,
                                      role=body.role, display_name=body.display_name)
        row = store.user_by_id(conn, user_id)
    assert row is not None
    return _public_user(row)


@router.get("/lrs-credentials", dependencies=[Depends(ADMIN)])
def list_credentials(request: Request) -> dict[str, Any]:
    """LRS credentials (key, scopes, active); secrets are never shown again."""
    with request.app.state.db.reading() as conn:
        rows = store.list_credentials(conn)
    return {"credentials": [
        {"id": row["id"], "name": row["name"], "key": row["key"], "scopes": row["scopes"].split(),
         "active": row["is_active"]} for row in rows]}


@router.post("/lrs-credentials", status_code=201, dependencies=[Depends(ADMIN)])
def create_credential(body: CredentialIn, request: Request) -> dict[str, Any]:
    """Create an LRS key/secret pair; the secret is in this response and nowhere else."""
    with request.app.state.db.writing() as conn:
        issued = service.create_credential(conn=conn, name=body.name, scopes=body.scopes,
                                           key=body.key, secret=body.secret)
    return {"id": issued.id, "key": issued.key, "secret": issued.secret}


def _public_user(row: Any) -> dict[str, Any]:
    return {"id": row["id"], "email": row["email"], "display_name": row["display_name"],
            "role": row["role"], "active": row["is_active"]}
