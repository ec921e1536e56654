"""The learner-progress report: attempts grouped by one or two dimensions.

The database hands over one small row per attempt; the rows become columns
and each group a list of positions, and :mod:`figures` computes every figure
with built-ins over those columns. That keeps medians and percentiles exact
and identical on SQLite and PostgreSQL (SQLite has no percentile functions).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection

from cairn.clock import DAY_US, EPOCH
from cairn.errors import InvalidInput
from cairn.reporting.audience import Audience
from cairn.reporting.params import one_of
from cairn.reporting.progress import store
from cairn.reporting.progress.figures import Columns, figures, group_figures, whole
from cairn.reporting.progress.models import BUCKET_NAMES, DIMENSIONS, PERIODS

MAX_DIMENSIONS = 2


@dataclass(frozen=True)
class ProgressQuery:
    group_by: tuple[str, ...]
    period: str
    filters: dict[str, int]
    since_us: int | None
    until_us: int | None


def parse_group_by(text: str | None, period: str | None) -> tuple[tuple[str, ...], str]:
    """``group_by=course,period``: one or two dimensions; ``period`` sizes the period."""
    names = tuple(part.strip() for part in (text or "course").split(",") if part.strip())
    for name in names:
        one_of(name, "group_by", DIMENSIONS)
    if not names or len(names) > MAX_DIMENSIONS or len(set(names)) != len(names):
        raise InvalidInput(f"group_by: give one or two different dimensions of "
                           f"{', '.join(DIMENSIONS)}")
    one_of(period, "period", PERIODS)
    return names, period or "month"


def period_of(started_us: int, period: str) -> str:
    """``2026-03-02`` (day), ``2026-W10`` (ISO week) or ``2026-03`` (month), in UTC."""
    return _period_of_day(started_us // DAY_US, period)


@functools.lru_cache(maxsize=8192)
def _period_of_day(day: int, period: str) -> str:
    moment = EPOCH + timedelta(days=day)
    if period == "day":
        return moment.strftime("%Y-%m-%d")
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return moment.strftime("%Y-%m")


# Each dimension's key fields; the first identifies the group (its id, or the period).
KEY_FIELDS: dict[str, tuple[str, ...]] = {**store.LABEL_FIELDS, "period": ("period",)}
# How groups sort.
SORT_FIELDS: dict[str, tuple[str, ...]] = {
    "course": ("course_title", "course_id"),
    "package": ("course_title", "package_version", "package_id"),
    "lesson": ("course_title", "lesson_title", "lesson_id"),
    "team": ("team_name", "team_id"),
    "learner": ("learner_name", "learner_external_id", "learner_id"),
    "period": ("period",),
}


def key_columns(group_by: Sequence[str]) -> list[str]:
    """The key fields of a grouping, in order and each once, for CSV headers."""
    names: list[str] = []
    for dimension in group_by:
        names += [name for name in KEY_FIELDS[dimension] if name not in names]
    return names


# The tables joined to attempts for a grouping's or a filter's id (nothing else is joined:
# each join is a lookup per attempt).
JOINS: dict[str, frozenset[str]] = {"course": frozenset({"packages"}),
                                    "team": frozenset({"learners"})}


def report(*, conn: Connection, audience: Audience, query: ProgressQuery) -> dict[str, Any]:
    """The figures per group and in total, as the JSON answer (plain dicts: for 10,000
    groups, building models would cost more than computing the figures)."""
    where: list[ColumnElement[bool]] = [store.FILTER_COLUMNS[name] == value
                                        for name, value in query.filters.items()]
    where += store.started_between(query.since_us, query.until_us)
    visible = audience.learner_filter(store.LEARNER_COLUMN)
    if visible is not None:
        where.append(visible)
    joined = frozenset().union(*(JOINS.get(name, frozenset())
                                 for name in (*query.group_by, *query.filters)))
    rows = store.attempt_rows(conn, where, joined)
    columns: dict[str, Sequence[Any]] = dict(
        zip(store.NAMES, zip(*rows, strict=True) if rows else [()] * len(store.NAMES),
            strict=True))
    del rows  # the columns hold the values now
    if "period" in query.group_by:
        columns["period"] = [period_of(started, query.period)
                             for started in columns["started_us"]]
    groups = [{"key": key, **group_figures(columns, positions)}
              for key, positions in _groups(conn, columns, query.group_by)]
    return {"group_by": list(query.group_by),
            "period": query.period if "period" in query.group_by else None,
            "groups": groups, "totals": figures(columns, whole)}


def _groups(conn: Connection, columns: Columns, group_by: Sequence[str]
            ) -> list[tuple[dict[str, Any], list[int]]]:
    """Each group's key fields and the positions of its attempts, in report order."""
    ids = [columns[KEY_FIELDS[dimension][0]] for dimension in group_by]
    members: dict[Any, list[int]] = {}
    for position, group in enumerate(ids[0] if len(ids) == 1 else zip(*ids, strict=True)):
        found = members.get(group)
        if found is None:
            members[group] = [position]
        else:
            found.append(position)
    names = [{ident: {"period": ident} for ident in set(column)} if dimension == "period"
             else store.labels(conn, dimension, column)
             for dimension, column in zip(group_by, ids, strict=True)]
    # Each dimension's ids ranked by their names once, then groups sorted by ranks: the
    # names of 10,000 learners are compared once, not once per group they are in.
    ranks = [_ranks(named, SORT_FIELDS[dimension])
             for dimension, named in zip(group_by, names, strict=True)]
    if len(group_by) == 1:
        rank = ranks[0]
        ordered = sorted(members.items(), key=lambda item: rank[item[0]])
        return [(names[0][group], positions) for group, positions in ordered]
    first_rank, second_rank = ranks
    ordered = sorted(members.items(),
                     key=lambda item: (first_rank[item[0][0]], second_rank[item[0][1]]))
    return [(names[0][first] | names[1][second], positions)
            for (first, second), positions in ordered]


def _ranks(named: dict[Any, dict[str, Any]], fields: Sequence[str]) -> dict[Any, int]:
    """Each id's place when its names are sorted by ``fields``; a missing value (a
    learner without a team) sorts first."""
    def label(ident: Any) -> tuple[Any, ...]:
        key = named[ident]
        return tuple(("", 0) if key[name] is None else (key[name], 1) for name in fields)

    return {ident: place for place, ident in enumerate(sorted(named, key=label))}


def csv_header(group_by: Sequence[str]) -> list[str]:
    return [*key_columns(group_by), *FIGURE_COLUMNS]


FIGURE_COLUMNS = (
    "learners", "attempts", "sessions", "completed", "completion_rate", "passed", "failed",
    "pass_rate", "scored", "average_score", "median_score", "time_total_seconds",
    "time_mean_seconds", "time_min_seconds", "time_p25_seconds", "time_median_seconds",
    "time_p75_seconds", "time_p90_seconds", "time_max_seconds",
    *(f"time_{name}" for name in BUCKET_NAMES), "first_activity", "last_activity")


def csv_rows(result: dict[str, Any]) -> Iterable[list[Any]]:
    columns = key_columns(result["group_by"])
    for group in result["groups"]:
        time = group["time_on_task_seconds"]
        yield [*(group["key"].get(name) for name in columns),
               *(group[name] for name in FIGURE_COLUMNS[:11]),
               *(time[name] for name in ("total", "mean", "min", "p25", "median", "p75", "p90",
                                         "max")),
               *time["buckets"].values(), group["first_activity"], group["last_activity"]]

