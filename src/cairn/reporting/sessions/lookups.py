"""Names for session rows, looked up per batch instead of joined per row.

A CSV export reads every session; joining learners, teams, lessons, packages
and courses to each one costs more than the session row itself. The export
reads sessions (with their attempt) alone and fills in who and what from
these small tables, fetching the ids a batch of rows needs in one query per
table and keeping what it fetched. The caches are bounded, so memory stays
flat however many rows stream by.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, select

from cairn.db.tables import courses, learners, lessons, packages, teams

MAX_CACHED = 50_000  # per table; past it the cache starts over
IDS_PER_QUERY = 500  # stays under every database's bound-parameter limit


class Lookup:
    """id -> a tuple of values from one table (or join), fetched a batch at a time."""

    def __init__(self, table: Any, key: ColumnElement[Any],
                 values: Sequence[ColumnElement[Any]], missing: tuple[Any, ...]) -> None:
        self.table, self.key, self.values, self.missing = table, key, values, missing
        self.found: dict[int, tuple[Any, ...]] = {}

    def load(self, conn: Connection, ids: Iterable[int]) -> None:
        wanted = sorted({key for key in ids if key not in self.found})
        if len(self.found) + len(wanted) > MAX_CACHED:
            self.found.clear()
        for start in range(0, len(wanted), IDS_PER_QUERY):
            chunk = wanted[start:start + IDS_PER_QUERY]
            query = select(self.key, *self.values).select_from(self.table) \
                .where(self.key.in_(chunk))
            for row in conn.execute(query):
                self.found[row[0]] = tuple(row[1:])

    def __getitem__(self, key: int) -> tuple[Any, ...]:
        return self.found.get(key, self.missing)


def learner_lookup() -> Lookup:
    """learner id -> (external_id, name, email, team_id, team_name)."""
    return Lookup(learners.outerjoin(teams, teams.c.id == learners.c.team_id), learners.c.id,
                  (learners.c.external_id, learners.c.name, learners.c.email,
                   learners.c.team_id, teams.c.name), (None,) * 5)


def lesson_lookup() -> Lookup:
    """lesson id -> (title,)."""
    return Lookup(lessons, lessons.c.id, (lessons.c.title,), (None,))


def package_lookup() -> Lookup:
    """package id -> (standard, course_id, course_title, version)."""
    joined: Table | Any = packages.join(courses, courses.c.id == packages.c.course_id)
    return Lookup(joined, packages.c.id, (packages.c.standard, courses.c.id, courses.c.title,
                                          packages.c.version), (None,) * 4)
