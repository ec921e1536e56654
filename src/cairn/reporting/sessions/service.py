"""Session reports: the caller's audience joined to the filters, then paged or streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection

from cairn.db.tables import sessions
from cairn.errors import NotFound
from cairn.reporting.audience import Audience
from cairn.reporting.paging import Sort, check_limit, parse_sort
from cairn.reporting.params import one_of
from cairn.reporting.sessions import store
from cairn.reporting.sessions.lookups import learner_lookup, lesson_lookup, package_lookup
from cairn.reporting.sessions.models import (
    STANDARDS,
    STATES,
    SessionFilters,
    SessionReport,
    SessionReportDetail,
    csv_row,
)
from cairn.sessions import journal
from cairn.sessions import store as sessions_store
from cairn.sessions.models import InteractionOut, ObjectiveOut

DEFAULT_SORT = "id"
BATCH = 2000
PACKAGE, LEARNER, LESSON = 5, 6, 7  # positions in store.CSV_COLUMNS


def sort_for(text: str | None) -> Sort:
    return parse_sort(text, store.SORT_KEYS, DEFAULT_SORT, store.TIE_BREAKER)


def _conditions(filters: SessionFilters) -> list[ColumnElement[bool]]:
    one_of(filters.state, "state", STATES)
    one_of(filters.standard, "standard", STANDARDS)
    return store.conditions(filters)


def _where(audience: Audience, filters: SessionFilters) -> list[ColumnElement[bool]]:
    where = _conditions(filters)
    visible = audience.learner_filter(sessions.c.learner_id)
    return where if visible is None else [*where, visible]


def list_page(*, conn: Connection, audience: Audience, filters: SessionFilters, sort: Sort,
              cursor: str | None, limit: int) -> tuple[list[SessionReport], str | None]:
    """One page and the cursor of the next (None on the last page)."""
    check_limit(limit)
    after = sort.read_cursor(cursor) if cursor else None
    rows = store.page(conn, _conditions(filters), audience.learner_filter(sessions.c.learner_id),
                      sort, after, limit)
    following = sort.cursor_for(rows[-1]) if len(rows) == limit else None
    return [SessionReport.from_row(row) for row in rows], following


def csv_rows(*, audience: Audience, filters: SessionFilters, sort: Sort, limit: int | None
             ) -> Any:
    """A producer of CSV rows for :func:`cairn.reporting.tabular.csv_stream`.

    The filters are checked now, before the answer starts, so a bad value is
    a 400 and not a truncated download.
    """
    if limit is not None:
        check_limit(limit)
    query = store.csv_query(_where(audience, filters), sort, limit)

    def produce(conn: Connection) -> Iterator[Sequence[Any]]:
        people, lessons, packages = learner_lookup(), lesson_lookup(), package_lookup()
        for batch in store.batches(conn, query, BATCH):
            people.load(conn, (row[LEARNER] for row in batch))
            lessons.load(conn, (row[LESSON] for row in batch))
            packages.load(conn, (row[PACKAGE] for row in batch))
            for row in batch:
                yield csv_row(row, people[row[LEARNER]], lessons[row[LESSON]],
                              packages[row[PACKAGE]])

    return produce


def detail(*, conn: Connection, audience: Audience, session_id: int) -> SessionReportDetail:
    """A session with its CMI data, interactions, objectives and journal, if visible."""
    where = [sessions.c.id == session_id]
    visible = audience.learner_filter(sessions.c.learner_id)
    row = store.one(conn, where if visible is None else [*where, visible])
    if row is None:
        raise NotFound(f"there is no session {session_id}")
    raw = sessions_store.session_by_id(conn, session_id)
    assert raw is not None
    return SessionReportDetail(
        **SessionReport.from_row(row).model_dump(), suspend_data=raw["suspend_data"],
        cmi=json.loads(raw["cmi_json"]),
        interactions=[InteractionOut.from_row(item)
                      for item in sessions_store.interactions_of(conn, session_id)],
        objectives=[ObjectiveOut.from_row(item)
                    for item in sessions_store.objectives_of(conn, session_id)],
        journal=journal.lines_of(conn=conn, session_id=session_id))
