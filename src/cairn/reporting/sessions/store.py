"""SQL for session reports: one joined select, the filters, the sort keys."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, Select, func, literal, select
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.util import find_tables

from cairn.db.tables import attempts, courses, learners, lessons, packages, sessions, teams
from cairn.reporting.paging import Sort, SortKey
from cairn.reporting.sessions.models import SessionFilters

_FROM = (sessions.join(attempts, attempts.c.id == sessions.c.attempt_id)
         .join(learners, learners.c.id == sessions.c.learner_id)
         .outerjoin(teams, teams.c.id == learners.c.team_id)
         .join(lessons, lessons.c.id == sessions.c.lesson_id)
         .join(packages, packages.c.id == attempts.c.package_id)
         .join(courses, courses.c.id == packages.c.course_id))

SUMMARY_COLUMNS: Sequence[ColumnElement[Any]] = (
    sessions.c.id, sessions.c.attempt_id, attempts.c.number.label("attempt_number"),
    attempts.c.state.label("attempt_state"), packages.c.standard, sessions.c.learner_id,
    learners.c.external_id, learners.c.name.label("learner_name"),
    learners.c.email.label("learner_email"), learners.c.team_id,
    teams.c.name.label("team_name"), courses.c.id.label("course_id"),
    courses.c.title.label("course_title"), packages.c.id.label("package_id"),
    packages.c.version.label("package_version"), sessions.c.lesson_id,
    lessons.c.title.label("lesson_title"), sessions.c.state, sessions.c.mode,
    sessions.c.credit, sessions.c.entry, sessions.c.started_us, sessions.c.updated_us,
    sessions.c.ended_us, sessions.c.closed_by, sessions.c.closed_reason,
    sessions.c.commit_count, sessions.c.completion_status, sessions.c.success_status,
    sessions.c.score_scaled, sessions.c.score_raw, sessions.c.score_min, sessions.c.score_max,
    sessions.c.progress_measure, sessions.c.location, sessions.c.exit,
    sessions.c.session_time_cs, sessions.c.total_time_cs)

# What a CSV row reads from sessions and attempts; names come from lookups.Lookup.
CSV_COLUMNS: Sequence[ColumnElement[Any]] = (
    sessions.c.id, sessions.c.attempt_id, attempts.c.number, sessions.c.state, sessions.c.mode,
    attempts.c.package_id, sessions.c.learner_id, sessions.c.lesson_id, sessions.c.started_us,
    sessions.c.updated_us, sessions.c.ended_us, sessions.c.completion_status,
    sessions.c.success_status, sessions.c.score_scaled, sessions.c.score_raw,
    sessions.c.score_min, sessions.c.score_max, sessions.c.progress_measure,
    sessions.c.session_time_cs, sessions.c.total_time_cs, sessions.c.commit_count,
    sessions.c.closed_by, sessions.c.closed_reason)

NO_SCORE = literal(-1.0e300)
TIE_BREAKER = SortKey("id", sessions.c.id)
SORT_KEYS: dict[str, SortKey] = {key.name: key for key in (
    TIE_BREAKER,
    SortKey("started_at", sessions.c.started_us),
    SortKey("updated_at", sessions.c.updated_us),
    SortKey("ended_at", func.coalesce(sessions.c.ended_us, 0)),
    SortKey("learner_id", sessions.c.learner_id),
    SortKey("learner_name", learners.c.name),
    SortKey("learner_external_id", learners.c.external_id),
    SortKey("team_name", func.coalesce(teams.c.name, "")),
    SortKey("course_id", courses.c.id),
    SortKey("course_title", courses.c.title),
    SortKey("lesson_id", sessions.c.lesson_id),
    SortKey("lesson_title", lessons.c.title),
    SortKey("package_id", packages.c.id),
    SortKey("attempt_number", attempts.c.number),
    SortKey("state", sessions.c.state),
    SortKey("standard", packages.c.standard),
    SortKey("completion_status", sessions.c.completion_status),
    SortKey("success_status", sessions.c.success_status),
    SortKey("score_scaled", func.coalesce(sessions.c.score_scaled, NO_SCORE)),
    SortKey("score_raw", func.coalesce(sessions.c.score_raw, NO_SCORE)),
    SortKey("progress_measure", func.coalesce(sessions.c.progress_measure, NO_SCORE)),
    SortKey("session_time", sessions.c.session_time_cs),
    SortKey("total_time", sessions.c.total_time_cs),
    SortKey("commit_count", sessions.c.commit_count),
)}


def conditions(filters: SessionFilters) -> list[ColumnElement[bool]]:
    """The SQL conditions of ``filters`` (the caller's audience is added by the service)."""
    wanted: list[ColumnElement[bool]] = []
    equal: list[tuple[Any, Any]] = [
        (packages.c.course_id, filters.course_id), (attempts.c.package_id, filters.package_id),
        (sessions.c.lesson_id, filters.lesson_id), (sessions.c.learner_id, filters.learner_id),
        (learners.c.team_id, filters.team_id),
        (sessions.c.completion_status, filters.completion_status),
        (sessions.c.success_status, filters.success_status), (sessions.c.state, filters.state),
        (packages.c.standard, filters.standard)]
    wanted.extend(column == value for column, value in equal if value is not None)
    if filters.since_us is not None:
        wanted.append(sessions.c.started_us >= filters.since_us)
    if filters.until_us is not None:
        wanted.append(sessions.c.started_us < filters.until_us)
    if filters.open is not None:
        wanted.append(sessions.c.state == "open" if filters.open else sessions.c.state != "open")
    return wanted


def _joins_for(clauses: Sequence[ColumnElement[Any]]) -> FromClause:
    """Sessions joined to only the tables ``clauses`` name (each join costs a lookup per row)."""
    used: set[Any] = set()
    for clause in clauses:
        used |= set(find_tables(clause, check_columns=True))
    joined: FromClause = sessions
    if used & {attempts, packages, courses}:
        joined = joined.join(attempts, attempts.c.id == sessions.c.attempt_id)
    if used & {packages, courses}:
        joined = joined.join(packages, packages.c.id == attempts.c.package_id)
    if courses in used:
        joined = joined.join(courses, courses.c.id == packages.c.course_id)
    if used & {learners, teams}:
        joined = joined.join(learners, learners.c.id == sessions.c.learner_id)
    if teams in used:
        joined = joined.outerjoin(teams, teams.c.id == learners.c.team_id)
    if lessons in used:
        joined = joined.join(lessons, lessons.c.id == sessions.c.lesson_id)
    return joined


def page(conn: Connection, where: Sequence[ColumnElement[bool]],
         visible: ColumnElement[bool] | None, sort: Sort, after: Sequence[Any] | None,
         limit: int) -> list[RowMapping]:
    """One page in two steps: the ids, sorted over only the joins the filters and sort
    need (narrow rows to sort), then the full rows of just those ids."""
    conditions = [*where] if after is None else [*where, sort.after(after)]
    ids = select(sessions.c.id).select_from(_joins_for([*conditions, *sort.order_by()]))
    ids = ids.where(*conditions, *([] if visible is None else [visible]))
    chosen = ids.order_by(*sort.order_by()).limit(limit).subquery("chosen")
    query = (select(*SUMMARY_COLUMNS, *sort.columns())
             .select_from(_FROM.join(chosen, chosen.c.id == sessions.c.id))
             .order_by(*sort.order_by()))
    return list(conn.execute(query).mappings())


def one(conn: Connection, where: Sequence[ColumnElement[bool]]) -> RowMapping | None:
    return conn.execute(select(*SUMMARY_COLUMNS).select_from(_FROM).where(*where)).mappings() \
        .first()


def csv_query(where: Sequence[ColumnElement[bool]], sort: Sort, limit: int | None
              ) -> Select[Any]:
    """Sessions with their attempt, joined further only where filters or sort need it."""
    order = sort.order_by()
    joined = _joins_for([*where, *order, attempts.c.id == sessions.c.attempt_id])
    query = select(*CSV_COLUMNS).select_from(joined).where(*where).order_by(*order)
    return query if limit is None else query.limit(limit)


def batches(conn: Connection, query: Select[Any], size: int) -> Iterator[Sequence[Any]]:
    """Plain tuples straight off the cursor, ``size`` at a time."""
    yield from conn.execute(query).partitions(size)
