"""SQL for the progress report: one row per attempt, with its latest session's results.

An attempt is one learner's go at one lesson, however many sessions it took;
its latest session holds the current statuses and score (the CMI data carries
over between sessions of an attempt), the attempt row holds the total time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from cairn.db.tables import attempts, courses, learners, lessons, packages, sessions, teams

_per_attempt = (select(sessions.c.attempt_id, func.max(sessions.c.id).label("last_id"),
                       func.count().label("session_count"),
                       func.max(sessions.c.updated_us).label("last_us"))
                .group_by(sessions.c.attempt_id).subquery("per_attempt"))
_latest = sessions.alias("latest")

# Column order of the tuples :func:`attempt_rows` yields (service.AttemptRow reads them).
COLUMNS: Sequence[ColumnElement[Any]] = (
    attempts.c.id, attempts.c.learner_id, learners.c.external_id, learners.c.name,
    learners.c.team_id, teams.c.name, packages.c.course_id, courses.c.title, attempts.c.package_id,
    packages.c.version, attempts.c.lesson_id, lessons.c.title, attempts.c.started_us,
    attempts.c.total_time_cs, _per_attempt.c.session_count, _per_attempt.c.last_us,
    _latest.c.completion_status, _latest.c.success_status, _latest.c.score_scaled,
    _latest.c.score_raw, _latest.c.score_min, _latest.c.score_max)

_FROM = (attempts.join(_per_attempt, _per_attempt.c.attempt_id == attempts.c.id)
         .join(_latest, _latest.c.id == _per_attempt.c.last_id)
         .join(learners, learners.c.id == attempts.c.learner_id)
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
