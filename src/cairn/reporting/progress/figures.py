"""The figures of one group of attempts, computed over columns rather than rows.

The report turns the attempt rows into columns once (a C-level transpose) and
hands each group a *picker*: a function that takes a column and returns that
group's values of it. Every figure is then a built-in over a tuple (``sum``,
``sorted``, ``count``, ``bisect``), so 10,000 groups of 60,000 attempts cost
tens of milliseconds instead of a Python call per attempt and figure. Medians
and percentiles stay exact and identical on SQLite and PostgreSQL (SQLite has
no percentile functions).
"""

from __future__ import annotations

import bisect
import functools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cairn.clock import us_to_iso
from cairn.reporting.progress.models import BUCKET_BOUNDS_MINUTES, BUCKET_NAMES

Columns = Mapping[str, Sequence[Any]]
Picker = Callable[[Sequence[Any]], Sequence[Any]]

BUCKET_BOUNDS_SECONDS = tuple(minutes * 60 for minutes in BUCKET_BOUNDS_MINUTES)


def picker(positions: Sequence[int]) -> Picker:
    """A function returning the values at ``positions`` of a column, as a tuple."""
    if len(positions) == 1:
        only = positions[0]
        return lambda column: (column[only],)
    return operator.itemgetter(*positions)


def whole(column: Sequence[Any]) -> Sequence[Any]:
    """The picker of the totals: every value."""
    return column


def percentile(ordered: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (what spreadsheets call PERCENTILE.INC)."""
    if not ordered:
        return None
    below, above, weight = _ranks(len(ordered), fraction)
    return ordered[below] + (ordered[above] - ordered[below]) * weight


@functools.lru_cache(maxsize=4096)
def _ranks(count: int, fraction: float) -> tuple[int, int, float]:
    """The two ranks a percentile lies between and its weight (groups share sizes)."""
    position = (count - 1) * fraction
    below = math.floor(position)
    return below, min(below + 1, count - 1), position - below


def figures(columns: Columns, pick: Picker) -> dict[str, Any]:
    """Counts, rates, score average and median, time-on-task distribution and first /
    last activity of the attempts ``pick`` selects."""
    verdicts = pick(columns["verdict"])
    attempts = len(verdicts)
    completed = sum(pick(columns["completed"]))
    passed, failed = verdicts.count(1), verdicts.count(-1)
    scores = sorted(score for score in pick(columns["score"]) if score is not None)
    return {
        "learners": len(set(pick(columns["learner_id"]))), "attempts": attempts,
        "sessions": sum(pick(columns["session_count"])), "completed": completed,
        "completion_rate": completed / attempts if attempts else None,
        "passed": passed, "failed": failed,
        "pass_rate": passed / (passed + failed) if passed or failed else None,
        "scored": len(scores), "average_score": sum(scores) / len(scores) if scores else None,
        "median_score": percentile(scores, 0.5),
        "time_on_task_seconds": time_on_task(pick(columns["total_time_cs"])),
        "first_activity": us_to_iso(min(pick(columns["started_us"]))) if attempts else None,
        "last_activity": us_to_iso(max(pick(columns["updated_us"]))) if attempts else None}


def group_figures(columns: Columns, positions: Sequence[int]) -> dict[str, Any]:
    """:func:`figures` of the attempts at ``positions`` (a group of one the short way)."""
    if len(positions) == 1:
        return one_attempt(columns, positions[0])
    return figures(columns, picker(positions))


def one_attempt(columns: Columns, at: int) -> dict[str, Any]:
    """:func:`figures` of a group of one attempt (equal to them, value for value),
    without sorting or counting anything: a grouping by learner and day, say, is
    mostly such groups, and there the per-group work is the whole cost."""
    verdict, completed = columns["verdict"][at], columns["completed"][at]
    score, centiseconds = columns["score"][at], columns["total_time_cs"][at]
    seconds = centiseconds / 100
    buckets = dict.fromkeys(BUCKET_NAMES, 0)
    buckets[BUCKET_NAMES[bisect.bisect_right(_BUCKET_STARTS_CS, centiseconds)]] = 1
    return {
        "learners": 1, "attempts": 1, "sessions": columns["session_count"][at],
        "completed": completed, "completion_rate": float(completed),
        "passed": int(verdict == 1), "failed": int(verdict == -1),
        "pass_rate": float(verdict == 1) if verdict else None,
        "scored": int(score is not None),
        "average_score": None if score is None else float(score),
        "median_score": None if score is None else float(score),
        "time_on_task_seconds": {
            "total": seconds, "mean": seconds, "min": seconds, "p25": seconds,
            "median": seconds, "p75": seconds, "p90": seconds, "max": seconds,
            "buckets": buckets},
        "first_activity": us_to_iso(columns["started_us"][at]),
        "last_activity": us_to_iso(columns["updated_us"][at])}


_QUANTILES = {"p25": 0.25, "median": 0.5, "p75": 0.75, "p90": 0.9}


def time_on_task(centiseconds: Sequence[int]) -> dict[str, Any]:
    """Total, mean, min, quartiles, p90, max (seconds) and the histogram buckets.

    Worked in centiseconds (the stored unit, exact integers) and divided once at the end.
    """
    ordered = sorted(centiseconds)
    count = len(ordered)
    if not count:
        return {"total": 0.0, "mean": None, "min": None, "p25": None, "median": None,
                "p75": None, "p90": None, "max": None,
                "buckets": dict.fromkeys(BUCKET_NAMES, 0)}
    ends = [bisect.bisect_left(ordered, bound) for bound in _BUCKET_STARTS_CS]
    total = sum(ordered)
    answer: dict[str, Any] = {"total": total / 100, "mean": total / count / 100,
                              "min": ordered[0] / 100}
    for name, fraction in _QUANTILES.items():
        below, above, weight = _ranks(count, fraction)
        low = ordered[below]
        answer[name] = (low + (ordered[above] - low) * weight) / 100
    answer["max"] = ordered[-1] / 100
    answer["buckets"] = dict(zip(BUCKET_NAMES, map(operator.sub, [*ends, count], [0, *ends]),
                                 strict=True))
    return answer


# A bucket holds times from its lower bound up to, not including, its upper one (exactly
# 5:00 is in ``5m_15m``).
_BUCKET_STARTS_CS = tuple(seconds * 100 for seconds in BUCKET_BOUNDS_SECONDS)
