"""SQL for the progress report: one small row per attempt, then the groups' names.

An attempt is one learner's go at one lesson, however many sessions it took.
The attempt row keeps its current statuses, score, total time and session
count (written with each commit), so the report reads attempts alone and
never groups the sessions table. The database reduces each attempt to the
few numbers the figures need (completed 0/1, verdict, one 0..1 score) and the
ids it is grouped by; titles and names are read once per group afterwards
rather than joined to every attempt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, case, func, null, or_, select
from sqlalchemy.sql import FromClause

from cairn.db.tables import attempts, courses, learners, lessons, packages, teams
from cairn.reporting.statuses import COMPLETED, FAILED, PASSED

_BOTTOM = func.coalesce(attempts.c.score_min, 0.0)
# Without a scaled score: the raw score placed between min and max (SCORM 1.2's 80 of
# 0..100 is 0.8); no score when there is no max above the min.
SCORE = func.coalesce(attempts.c.score_scaled, case(
    (attempts.c.score_raw.is_not(None) & (attempts.c.score_max > _BOTTOM),
     (attempts.c.score_raw - _BOTTOM) / (attempts.c.score_max - _BOTTOM)),
    else_=null()))
COMPLETED_FLAG = case((or_(attempts.c.completion_status == COMPLETED,
                           attempts.c.success_status == PASSED), 1), else_=0)
VERDICT = case((attempts.c.success_status == PASSED, 1),
               (attempts.c.success_status == FAILED, -1), else_=0)

# The columns of each row, by name (the service reads them by these names). Group ids
# of tables that are not joined come back as NULL.
COLUMNS: dict[str, ColumnElement[Any]] = {
    "learner_id": attempts.c.learner_id, "team_id": learners.c.team_id,
    "course_id": packages.c.course_id, "package_id": attempts.c.package_id,
    "lesson_id": attempts.c.lesson_id, "started_us": attempts.c.started_us,
    "updated_us": attempts.c.updated_us, "total_time_cs": attempts.c.total_time_cs,
    "session_count": attempts.c.session_count, "completed": COMPLETED_FLAG,
    "verdict": VERDICT, "score": SCORE,
}
NAMES = tuple(COLUMNS)
_JOIN_OF = {"team_id": "learners", "course_id": "packages"}  # the rest are attempts'

FILTER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "course": packages.c.course_id, "package": attempts.c.package_id,
    "lesson": attempts.c.lesson_id, "team": learners.c.team_id,
    "learner": attempts.c.learner_id}


def attempt_rows(conn: Connection, where: Sequence[ColumnElement[bool]],
                 joined: frozenset[str]) -> Sequence[Sequence[Any]]:
    """One row per attempt in the order of :data:`NAMES`; ``joined`` names the tables
    (``learners``, ``packages``) whose ids a grouping or filter needs."""
    source: FromClause = attempts
    if "learners" in joined:
        source = source.join(learners, learners.c.id == attempts.c.learner_id)
    if "packages" in joined:
        source = source.join(packages, packages.c.id == attempts.c.package_id)
    chosen = [column.label(name) if _JOIN_OF.get(name, "attempts") in {"attempts", *joined}
              else null().label(name) for name, column in COLUMNS.items()]
    # One fetchall: much cheaper than a fetch per row.
    return conn.execute(select(*chosen).select_from(source).where(*where)).all()


def started_between(since_us: int | None, until_us: int | None) -> list[ColumnElement[bool]]:
    where = []
    if since_us is not None:
        where.append(attempts.c.started_us >= since_us)
    if until_us is not None:
        where.append(attempts.c.started_us < until_us)
    return where


LEARNER_COLUMN = attempts.c.learner_id

# How a group of each dimension is named: its key fields, and the query reading them
# (first column: the group's id).
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "course": ("course_id", "course_title"),
    "package": ("package_id", "course_id", "course_title", "package_version"),
    "lesson": ("lesson_id", "lesson_title", "course_id", "course_title"),
    "team": ("team_id", "team_name"),
    "learner": ("learner_id", "learner_external_id", "learner_name"),
}
_LABELS: dict[str, Select[Any]] = {
    "course": select(courses.c.id, courses.c.title),
    "package": select(packages.c.id, packages.c.course_id, courses.c.title, packages.c.version)
    .join_from(packages, courses, courses.c.id == packages.c.course_id),
    "lesson": select(lessons.c.id, lessons.c.title, packages.c.course_id, courses.c.title)
    .join_from(lessons, packages, packages.c.id == lessons.c.package_id)
    .join(courses, courses.c.id == packages.c.course_id),
    "team": select(teams.c.id, teams.c.name),
    "learner": select(learners.c.id, learners.c.external_id, learners.c.name),
}
_ID_CHUNK = 1000  # ids per IN list: far below every backend's bound-parameter limit


def labels(conn: Connection, dimension: str, ids: Iterable[int | None]
           ) -> dict[int | None, dict[str, Any]]:
    """The key fields of each group id of ``dimension`` (a learner without a team: None)."""
    fields = LABEL_FIELDS[dimension]
    found: dict[int | None, dict[str, Any]] = {None: dict.fromkeys(fields)}
    wanted = sorted(ident for ident in set(ids) if ident is not None)
    query = _LABELS[dimension]
    id_column = query.selected_columns[0]
    for start in range(0, len(wanted), _ID_CHUNK):
        chunk = wanted[start:start + _ID_CHUNK]
        for row in conn.execute(query.where(id_column.in_(chunk))):
            found[row[0]] = dict(zip(fields, row, strict=True))
    return found
