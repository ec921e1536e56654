"""The activity feed: filters, field selection, offset pages, CSV rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select

from cairn.errors import InvalidInput
from cairn.reporting.activities import store
from cairn.reporting.activities.models import DEFAULT_FIELDS, FIELDS
from cairn.reporting.audience import Audience
from cairn.reporting.paging import check_limit

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class FeedQuery:
    student_id: int | None = None
    course_id: int | None = None
    content_id: int | None = None
    text: str | None = None
    updated_gte: int | None = None
    offset: int = 0
    limit: int | None = 100


def parse_fields(text: str | None) -> tuple[str, ...]:
    """``fields=id,is_completed``; unknown names are refused, naming them.

    No names at all (``fields=`` or ``fields=,``) means the default fields.
    """
    names = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    if not names:
        return DEFAULT_FIELDS
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        raise InvalidInput(f"fields: unknown {', '.join(repr(name) for name in unknown)}; "
                           f"choose from {', '.join(FIELDS)}")
    return tuple(dict.fromkeys(names))


def build_query(audience: Audience, wanted: FeedQuery) -> Select[Any]:
    if wanted.offset < 0:
        raise InvalidInput("offset: must be 0 or more")
    if wanted.limit is not None:
        check_limit(wanted.limit)
    if wanted.text is not None and len(wanted.text) > MAX_QUERY_LENGTH:
        raise InvalidInput(f"query: at most {MAX_QUERY_LENGTH} characters")
    if wanted.text is not None and "\x00" in wanted.text:
        # PostgreSQL text cannot hold NUL and SQLite's LIKE stops at it (matching all).
        raise InvalidInput("query: must not contain NUL characters")
    where: list[ColumnElement[bool]] = store.conditions(
        student_id=wanted.student_id, course_id=wanted.course_id,
        content_id=wanted.content_id, updated_gte=wanted.updated_gte,
        text=wanted.text.strip() if wanted.text else None)
    visible = audience.learner_filter(store.LEARNER_COLUMN)
    if visible is not None:
        where.append(visible)
    return store.feed_query(where, wanted.offset, wanted.limit)


def renderers(fields: Sequence[str]) -> list[Callable[[Sequence[Any]], Any]]:
    return [FIELDS[name] for name in fields]


def page(*, conn: Connection, query: Select[Any], fields: Sequence[str]
         ) -> list[dict[str, Any]]:
    render = renderers(fields)
    return [{name: make(row) for name, make in zip(fields, render, strict=True)}
            for row in store.rows(conn, query)]


def csv_producer(query: Select[Any], fields: Sequence[str]
                 ) -> Callable[[Connection], Iterator[list[Any]]]:
    render = renderers(fields)

    def produce(conn: Connection) -> Iterator[list[Any]]:
        for row in store.rows(conn, query):
            yield [make(row) for make in render]

    return produce
