"""Learners and teams: creating, changing, and showing each caller only whom they may see.

Admins and auditors see every learner; a manager sees the learners of the
teams they manage; a learner sees only themself (the learner linked to their
sign-in account). Someone hidden from the caller is answered as not found.
Uniqueness (external id, employee id, linked account, team name) is decided
by the database's constraints; the service only explains a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from cairn.accounts import store as accounts_store
from cairn.accounts.models import Principal, Role
from cairn.accounts.service import EMAIL_PATTERN
from cairn.catalog.learners import store
from cairn.catalog.learners.models import (
    Learner,
    LearnerChanges,
    LearnerIn,
    Team,
    TeamChanges,
    TeamIn,
    Viewer,
)
from cairn.clock import now_us
from cairn.errors import Conflict, InvalidInput, NotFound

T = TypeVar("T")
UNIQUE_LEARNER_FIELDS = ("external_id", "employee_id", "user_id")


def viewer_for(*, conn: Connection, principal: Principal) -> Viewer:
    """The caller's role and, when they are a person, their user id."""
    role = principal.role or Role.LEARNER
    if principal.kind == "user":
        return Viewer(role=role, user_id=principal.id)
    if principal.kind == "token":
        return Viewer(role=role, user_id=store.token_user_id(conn, principal.id))
    return Viewer(role=role, user_id=None)


def create_learner(*, conn: Connection, data: LearnerIn) -> Learner:
    now = now_us()
    values = _learner_values(conn, data, data.model_fields_set | {"external_id", "name"})
    learner_id = _explained(conn, None, values, lambda: store.insert_learner(
        conn, **values, created_us=now, updated_us=now))
    return get_learner(conn=conn, learner_id=learner_id)


def update_learner(*, conn: Connection, learner_id: int, changes: LearnerChanges) -> Learner:
    """Change the given fields only; the external id never changes."""
    get_learner(conn=conn, learner_id=learner_id)
    values = _learner_values(conn, changes, changes.model_fields_set)
    _explained(conn, learner_id, values, lambda: store.update_learner(
        conn, learner_id, **values, updated_us=now_us()))
    return get_learner(conn=conn, learner_id=learner_id)


def ensure_learner(*, conn: Connection, external_id: str, name: str = "",
                   email: str | None = None) -> Learner:
    """The learner with this external id, created on first sight (e.g. by a launch)."""
    found = store.learner_by(conn, "external_id", external_id)
    if found is not None:
        return Learner.from_row(found)
    return create_learner(conn=conn, data=LearnerIn(external_id=external_id, name=name,
                                                    email=email))


def get_learner(*, conn: Connection, learner_id: int, viewer: Viewer | None = None) -> Learner:
    """A learner by id; with a ``viewer``, only if that caller may see them."""
    row = store.learner_by_id(conn, learner_id)
    if row is None or (viewer is not None and not _may_see(conn, viewer, row)):
        raise NotFound(f"there is no learner {learner_id}")
    return Learner.from_row(row)


def find_learner(*, conn: Connection, external_id: str) -> Learner | None:
    row = store.learner_by(conn, "external_id", external_id)
    return None if row is None else Learner.from_row(row)


def list_learners(*, conn: Connection, viewer: Viewer, team_id: int | None = None,
                  after: int = 0, limit: int = 100) -> list[Learner]:
    where = [] if viewer.sees_everyone else [_scope(viewer)]
    if team_id is not None:
        where.append(store.in_team(team_id))
    rows = store.list_learners(conn, where=where, after=after, limit=limit)
    return [Learner.from_row(row) for row in rows]


def _scope(viewer: Viewer) -> Any:
    if viewer.role == Role.MANAGER:
        return store.managed_by(viewer.user_id)
    return store.is_user(viewer.user_id)


def _may_see(conn: Connection, viewer: Viewer, row: Any) -> bool:
    if viewer.sees_everyone:
        return True
    if viewer.user_id is None:
        return False
    if viewer.role == Role.MANAGER:
        team = store.team_by_id(conn, row["team_id"]) if row["team_id"] is not None else None
        return team is not None and team["manager_user_id"] == viewer.user_id
    return bool(row["user_id"] == viewer.user_id)


def _learner_values(conn: Connection, data: LearnerChanges, fields: set[str]) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in fields if name != "team"}
    if values.get("email") is not None:
        values["email"] = _email(values["email"])
    if values.get("user_id") is not None:
        _require_user(conn, values["user_id"], "user_id")
    if "team" in fields:
        values["team_id"] = (store.ensure_team(conn, data.team.strip(), now_us())
                             if data.team and data.team.strip() else None)
    return values


def _email(value: str) -> str:
    email = value.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(f"email: {value!r} is not an email address")
    return email


def _require_user(conn: Connection, user_id: int, field: str) -> None:
    if accounts_store.user_by_id(conn, user_id) is None:
        raise InvalidInput(f"{field}: there is no user {user_id}")


def _explained(conn: Connection, learner_id: int | None, values: dict[str, Any],
               write: Callable[[], T]) -> T:
    """Run a write in a savepoint; turn a unique-constraint refusal into a clear Conflict."""
    try:
        with conn.begin_nested():
            return write()
    except IntegrityError as exc:
        for field in UNIQUE_LEARNER_FIELDS:
            if values.get(field) is None:
                continue
            other = store.learner_by(conn, field, values[field])
            if other is not None and other["id"] != learner_id:
                raise Conflict(f"{field}: learner {other['id']} already has "
                               f"{field} {values[field]!r}") from exc
        raise Conflict("the learner conflicts with one already stored") from exc


def create_team(*, conn: Connection, data: TeamIn) -> Team:
    if data.manager_user_id is not None:
        _require_user(conn, data.manager_user_id, "manager_user_id")
    name = data.name.strip()
    if not name:
        raise InvalidInput("name: a team needs a name")
    try:
        with conn.begin_nested():
            team_id = store.insert_team(conn, name=name, manager_user_id=data.manager_user_id,
                                        created_us=now_us())
    except IntegrityError as exc:
        raise Conflict(f"name: a team called {name!r} already exists") from exc
    return get_team(conn=conn, team_id=team_id)


def update_team(*, conn: Connection, team_id: int, data: TeamChanges) -> Team:
    """Rename a team or change its manager; only the given fields change."""
    get_team(conn=conn, team_id=team_id)
    values = {name: getattr(data, name) for name in data.model_fields_set}
    if "name" in values:
        if values["name"] is None or not values["name"].strip():
            raise InvalidInput("name: a team needs a name")
        values["name"] = values["name"].strip()
    if values.get("manager_user_id") is not None:
        _require_user(conn, values["manager_user_id"], "manager_user_id")
    try:
        with conn.begin_nested():
            store.update_team(conn, team_id, **values)
    except IntegrityError as exc:
        raise Conflict(f"name: a team called {values.get('name')!r} already exists") from exc
    return get_team(conn=conn, team_id=team_id)


def get_team(*, conn: Connection, team_id: int) -> Team:
    row = store.team_by_id(conn, team_id)
    if row is None:
        raise NotFound(f"there is no team {team_id}")
    return Team.from_row(row)


def list_teams(*, conn: Connection, viewer: Viewer) -> list[Team]:
    rows = store.list_teams(conn, everyone=viewer.sees_everyone,
                            manager_user_id=viewer.user_id)
    return [Team.from_row(row) for row in rows]
