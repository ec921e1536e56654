"""SQL for the progress report: one row per attempt, with its current results.

An attempt is one learner's go at one lesson, however many sessions it took.
The attempt row keeps its current statuses, score, total time and session
count (written with each commit), so the report reads attempts alone and
never groups the sessions table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, null, select
from sqlalchemy.sql import FromClause

from cairn.db.tables import attempts, courses, learners, lessons, packages, teams

_TABLES = {"learners": learners, "teams": teams, "lessons": lessons, "packages": packages,
           "courses": courses}

# Column order of the tuples :func:`attempt_rows` yields (service reads them by position).
COLUMNS: Sequence[ColumnElement[Any]] = (
    attempts.c.id, attempts.c.learner_id, learners.c.external_id, learners.c.name,
    learners.c.team_id, teams.c.name, packages.c.course_id, courses.c.title, attempts.c.package_id,
    packages.c.version, attempts.c.lesson_id, lessons.c.title, attempts.c.started_us,
    attempts.c.total_time_cs, attempts.c.session_count, attempts.c.updated_us,
    attempts.c.completion_status, attempts.c.success_status, attempts.c.score_scaled,
    attempts.c.score_raw, attempts.c.score_min, attempts.c.score_max)


def _joined(needed: frozenset[str]) -> FromClause:
    joined: FromClause = attempts
    if needed & {"learners", "teams"}:
        joined = joined.join(learners, learners.c.id == attempts.c.learner_id)
    if "teams" in needed:
        joined = joined.outerjoin(teams, teams.c.id == learners.c.team_id)
    if "lessons" in needed:
        joined = joined.join(lessons, lessons.c.id == attempts.c.lesson_id)
    if needed & {"packages", "courses"}:
        joined = joined.join(packages, packages.c.id == attempts.c.package_id)
    if "courses" in needed:
        joined = joined.join(courses, courses.c.id == packages.c.course_id)
    return joined


def _selected(needed: frozenset[str]) -> list[ColumnElement[Any]]:
    """:data:`COLUMNS`, with NULL in place of the columns of tables not joined."""
    names = {name for name, table in _TABLES.items() if name in needed}
    return [column if column.table is attempts or any(
        column.table is _TABLES[name] for name in names) else null().label(column.name)
        for column in COLUMNS]


FILTER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "course": packages.c.course_id, "package": attempts.c.package_id,
    "lesson": attempts.c.lesson_id, "team": learners.c.team_id,
    "learner": attempts.c.learner_id}


def attempt_rows(conn: Connection, where: Sequence[ColumnElement[bool]],
                 needed: frozenset[str]) -> Sequence[Sequence[Any]]:
    """One row per attempt, joined only to the tables in ``needed`` (each join is a lookup
    per attempt); columns of other tables come back as NULL."""
    query = select(*_selected(needed)).select_from(_joined(needed)).where(*where)
    return conn.execute(query).all()  # one fetchall: much cheaper than a fetch per row


def started_between(since_us: int | None, until_us: int | None) -> list[ColumnElement[bool]]:
    where = []
    if since_us is not None:
        where.append(attempts.c.started_us >= since_us)
    if until_us is not None:
        where.append(attempts.c.started_us < until_us)
    return where


LEARNER_COLUMN = attempts.c.learner_id
