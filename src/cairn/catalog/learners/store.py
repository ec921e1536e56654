"""SQL for learners and teams."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, false, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import ColumnElement, Select

from cairn.db.tables import api_tokens, learners, teams


def _learners() -> Select[Any]:
    return (select(learners, teams.c.name.label("team_name"))
            .outerjoin(teams, teams.c.id == learners.c.team_id))


def learner_by_id(conn: Connection, learner_id: int) -> RowMapping | None:
    return conn.execute(_learners().where(learners.c.id == learner_id)).mappings().first()


def learner_by(conn: Connection, column: str, value: object) -> RowMapping | None:
    query = _learners().where(learners.c[column] == value)
    return conn.execute(query).mappings().first()


def list_learners(conn: Connection, *, where: list[ColumnElement[bool]], after: int,
                  limit: int) -> list[RowMapping]:
    query = (_learners().where(learners.c.id > after, *where).order_by(learners.c.id)
             .limit(limit))
    return list(conn.execute(query).mappings())


def managed_by(user_id: int | None) -> ColumnElement[bool]:
    """Learners in a team managed by ``user_id`` (nobody when there is no user)."""
    if user_id is None:
        return false()
    managed = select(teams.c.id).where(teams.c.manager_user_id == user_id)
    return learners.c.team_id.in_(managed.scalar_subquery())


def is_user(user_id: int | None) -> ColumnElement[bool]:
    """The learner linked to ``user_id`` (nobody when there is no user: never ``IS NULL``)."""
    return false() if user_id is None else learners.c.user_id == user_id


def in_team(team_id: int) -> ColumnElement[bool]:
    return learners.c.team_id == team_id


def insert_learner(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(learners).values(**values).returning(learners.c.id))
    return int(result.scalar_one())


def update_learner(conn: Connection, learner_id: int, **values: Any) -> None:
    conn.execute(update(learners).where(learners.c.id == learner_id).values(**values))


def ensure_team(conn: Connection, name: str, created_us: int) -> int:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(teams).values(name=name, created_us=created_us)
                 .on_conflict_do_nothing(index_elements=["name"]))
    return int(conn.execute(select(teams.c.id).where(teams.c.name == name)).scalar_one())


def insert_team(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(teams).values(**values).returning(teams.c.id)).scalar_one())


def update_team(conn: Connection, team_id: int, **values: Any) -> None:
    conn.execute(update(teams).where(teams.c.id == team_id).values(**values))


def team_by_id(conn: Connection, team_id: int) -> RowMapping | None:
    return conn.execute(select(teams).where(teams.c.id == team_id)).mappings().first()


def team_by_name(conn: Connection, name: str) -> RowMapping | None:
    return conn.execute(select(teams).where(teams.c.name == name)).mappings().first()


def list_teams(conn: Connection, *, everyone: bool, manager_user_id: int | None
               ) -> list[RowMapping]:
    query = select(teams).order_by(teams.c.id)
    if not everyone:
        query = query.where(false() if manager_user_id is None
                            else teams.c.manager_user_id == manager_user_id)
    return list(conn.execute(query).mappings())


def token_user_id(conn: Connection, token_id: int) -> int | None:
    """The person a REST token belongs to (tokens made for programs belong to nobody).

    Reads the accounts table directly because the authenticated principal does
    not carry the user yet; move this behind the accounts service when it does.
    """
    query = select(api_tokens.c.user_id).where(api_tokens.c.id == token_id)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else int(value)
