"""SQL for the runtime journal and the list of traced learners."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite

from cairn.db.tables import journal_lines, lessons, packages, trace_settings, traced_learners


def _insert(conn: Connection, table: Any) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_lines(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert journal lines; a line already stored (a resent commit) is skipped."""
    if rows:
        conn.execute(_insert(conn, journal_lines)
                     .on_conflict_do_nothing(index_elements=["session_id", "seq"]), list(rows))


def lines_of_session(conn: Connection, session_id: int) -> list[RowMapping]:
    return list(conn.execute(select(journal_lines).where(journal_lines.c.session_id == session_id)
                             .order_by(journal_lines.c.seq)).mappings())


@dataclass(frozen=True)
class LineFilter:
    course_id: int | None = None
    lesson_id: int | None = None
    learner_id: int | None = None
    session_id: int | None = None
    call: str | None = None
    since_us: int | None = None
    until_us: int | None = None


def search(conn: Connection, wanted: LineFilter, *, after_id: int, limit: int
           ) -> list[RowMapping]:
    query = select(journal_lines).where(journal_lines.c.id > after_id)
    if wanted.course_id is not None:
        in_course = (select(lessons.c.id).join(packages, packages.c.id == lessons.c.package_id)
                     .where(packages.c.course_id == wanted.course_id))
        query = query.where(journal_lines.c.lesson_id.in_(in_course))
    simple = {"lesson_id": wanted.lesson_id, "learner_id": wanted.learner_id,
              "session_id": wanted.session_id, "call": wanted.call}
    for column, value in simple.items():
        if value is not None:
            query = query.where(journal_lines.c[column] == value)
    if wanted.since_us is not None:
        query = query.where(journal_lines.c.occurred_us >= wanted.since_us)
    if wanted.until_us is not None:
        query = query.where(journal_lines.c.occurred_us < wanted.until_us)
    return list(conn.execute(query.order_by(journal_lines.c.id).limit(limit)).mappings())


def delete_recorded_before(conn: Connection, before_us: int, limit: int) -> int:
    """Delete up to ``limit`` lines recorded before ``before_us``; return how many."""
    doomed = (select(journal_lines.c.id).where(journal_lines.c.recorded_us < before_us)
              .order_by(journal_lines.c.id).limit(limit))
    ids = list(conn.execute(doomed).scalars())
    if ids:
        conn.execute(delete(journal_lines).where(journal_lines.c.id.in_(ids)))
    return len(ids)


# --- who is traced --------------------------------------------------------------------


def is_traced(conn: Connection, learner_id: int) -> bool:
    everyone = exists().where(trace_settings.c.id == 1, trace_settings.c.trace_everyone)
    listed = exists().where(traced_learners.c.learner_id == learner_id)
    return bool(conn.execute(select(everyone | listed)).scalar_one())


def trace_everyone(conn: Connection) -> bool:
    found = conn.execute(select(trace_settings.c.trace_everyone)
                         .where(trace_settings.c.id == 1)).scalar_one_or_none()
    return bool(found)


def set_trace_everyone(conn: Connection, everyone: bool, by: str, now: int) -> None:
    query = _insert(conn, trace_settings).values(id=1, trace_everyone=everyone, updated_by=by,
                                                 updated_us=now)
    conn.execute(query.on_conflict_do_update(
        index_elements=["id"], set_={"trace_everyone": everyone, "updated_by": by,
                                     "updated_us": now}))


def add_traced(conn: Connection, learner_ids: Sequence[int], by: str, now: int) -> None:
    if learner_ids:
        conn.execute(_insert(conn, traced_learners).on_conflict_do_nothing(),
                     [{"learner_id": learner_id, "added_by": by, "added_us": now}
                      for learner_id in learner_ids])


def remove_traced(conn: Connection, learner_ids: Sequence[int]) -> None:
    if learner_ids:
        conn.execute(delete(traced_learners)
                     .where(traced_learners.c.learner_id.in_(list(learner_ids))))


def traced(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(traced_learners)
                             .order_by(traced_learners.c.learner_id)).mappings())
