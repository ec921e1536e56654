"""SQL for the progress report: one row per attempt, with its current results.

An attempt is one learner's go at one lesson, however many sessions it took.
The attempt row keeps its current statuses, score, total time and session
count (written with each commit), so the report reads attempts alone and
never groups the sessions table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from cairn.db.tables import attempts, courses, learners, lessons, packages, teams

# Column order of the tuples :func:`attempt_rows` yields (service reads them by position).
COLUMNS: Sequence[ColumnElement[Any]] = (
    attempts.c.id, attempts.c.learner_id, learners.c.external_id, learners.c.name,
    learners.c.team_id, teams.c.name, packages.c.course_id, courses.c.title, attempts.c.package_id,
    packages.c.version, attempts.c.lesson_id, lessons.c.title, attempts.c.started_us,
    attempts.c.total_time_cs, attempts.c.session_count, attempts.c.updated_us,
    attempts.c.completion_status, attempts.c.success_status, attempts.c.score_scaled,
    attempts.c.score_raw, attempts.c.score_min, attempts.c.score_max)

_FROM = (attempts.join(learners, learners.c.id == attempts.c.learner_id)
         .outerjoin(teams, teams.c.id == learners.c.team_id)
         .join(lessons, lessons.c.id == attempts.c.lesson_id)
         .join(packages, packages.c.id == attempts.c.package_id)
         .join(courses, courses.c.id == packages.c.course_id))

FILTER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "course": packages.c.course_id, "package": attempts.c.package_id,
    "lesson": attempts.c.lesson_id, "team": learners.c.team_id,
    "learner": attempts.c.learner_id}


def attempt_rows(conn: Connection, where: Sequence[ColumnElement[bool]]
                 ) -> Iterator[Sequence[Any]]:
    yield from conn.execute(select(*COLUMNS).select_from(_FROM).where(*where))


def started_between(since_us: int | None, until_us: int | None) -> list[ColumnElement[bool]]:
    where = []
    if since_us is not None:
        where.append(attempts.c.started_us >= since_us)
    if until_us is not None:
        where.append(attempts.c.started_us < until_us)
    return where


LEARNER_COLUMN = attempts.c.learner_id
