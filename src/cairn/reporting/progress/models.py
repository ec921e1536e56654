"""The figures of one group of attempts, and how a group is named.

The service builds the answer as plain dicts (fast for 10,000 groups); these
models describe its shape in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

DIMENSIONS = ("course", "package", "lesson", "team", "learner", "period")
PERIODS = ("day", "week", "month")
# Time-on-task histogram: upper bounds in minutes, the last bucket is open-ended.
BUCKET_BOUNDS_MINUTES = (5, 15, 30, 60, 120)
BUCKET_NAMES = ("under_5m", "5m_15m", "15m_30m", "30m_1h", "1h_2h", "over_2h")


class TimeOnTask(BaseModel):
    """Total time per attempt, in seconds."""

    total: float
    mean: float | None
    min: float | None
    p25: float | None
    median: float | None
    p75: float | None
    p90: float | None
    max: float | None
    buckets: dict[str, int]


class Figures(BaseModel):
    learners: int
    attempts: int
    sessions: int
    completed: int
    completion_rate: float | None
    passed: int
    failed: int
    pass_rate: float | None
    scored: int
    average_score: float | None
    median_score: float | None
    time_on_task_seconds: TimeOnTask
    first_activity: str | None
    last_activity: str | None


class Group(Figures):
    key: dict[str, Any]


class ProgressReport(BaseModel):
    group_by: list[str]
    period: str | None
    groups: list[Group]
    totals: Figures
