"""SQL for the activity feed: attempts with their course, lesson and learner."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, or_, select

from cairn.db.tables import attempts, courses, learners, lessons, packages

# The order of models.ID ... models.STANDARD.
COLUMNS: Sequence[ColumnElement[Any]] = (
    attempts.c.id, packages.c.course_id, attempts.c.learner_id, attempts.c.lesson_id,
    attempts.c.completion_status, attempts.c.success_status, attempts.c.progress_measure,
    attempts.c.total_time_cs, attempts.c.started_us, attempts.c.completed_us,
    attempts.c.updated_us, learners.c.external_id, courses.c.title, lessons.c.title,
    attempts.c.number, packages.c.standard)

_FROM = (attempts.join(packages, packages.c.id == attempts.c.package_id)
         .join(courses, courses.c.id == packages.c.course_id)
         .join(lessons, lessons.c.id == attempts.c.lesson_id)
         .join(learners, learners.c.id == attempts.c.learner_id))

LEARNER_COLUMN = attempts.c.learner_id


def conditions(*, student_id: int | None, course_id: int | None, content_id: int | None,
               updated_gte: int | None, text: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if student_id is not None:
        where.append(attempts.c.learner_id == student_id)
    if course_id is not None:  # on attempts' own column, so a page's ids need no join
        where.append(attempts.c.package_id.in_(
            select(packages.c.id).where(packages.c.course_id == course_id)))
    if content_id is not None:
        where.append(attempts.c.lesson_id == content_id)
    if updated_gte is not None:
        where.append(attempts.c.updated_us >= updated_gte)
    if text:
        where.append(_mentions(text))
    return where


def _mentions(text: str) -> ColumnElement[bool]:
    """Attempts whose course, lesson or learner mentions ``text`` (case-insensitive).

    The small tables are searched, and attempts kept by id: a text that
    matches nothing then costs a scan of learners, lessons and courses plus
    one id lookup per attempt, not five LIKEs on every attempt's joined row.
    """
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%") \
        .replace("_", "\\_") + "%"

    def like(*columns: ColumnElement[Any]) -> ColumnElement[bool]:
        return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))

    return or_(
        attempts.c.learner_id.in_(select(learners.c.id).where(like(
            learners.c.name, learners.c.external_id, func.coalesce(learners.c.email, "")))),
        attempts.c.lesson_id.in_(select(lessons.c.id).where(like(lessons.c.title))),
        attempts.c.package_id.in_(select(packages.c.id).join(
            courses, courses.c.id == packages.c.course_id).where(like(courses.c.title))))


def feed_query(where: Sequence[ColumnElement[bool]], offset: int, limit: int | None
               ) -> Select[Any]:
    """Oldest change first (then id), so an incremental sync can page without gaps.

    A page first picks its attempt ids from attempts alone (every condition is on
    attempts' columns), skipping ``offset`` entries of the (updated_us, id) index
    without reading a row, and only then joins the page's few rows to their course,
    lesson and learner: deep offsets cost an index walk, not four lookups per
    skipped attempt.
    """
    order = (attempts.c.updated_us, attempts.c.id)
    if limit is None:
        return select(*COLUMNS).select_from(_FROM).where(*where).order_by(*order).offset(offset)
    page = select(attempts.c.id).where(*where).order_by(*order).offset(offset).limit(limit)
    return select(*COLUMNS).select_from(_FROM).where(attempts.c.id.in_(page)).order_by(*order)


def rows(conn: Connection, query: Select[Any]) -> Iterator[Sequence[Any]]:
    yield from conn.execute(query)
