"""The rows of each drill-down level; flat, so JSON and CSV carry the same columns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class LearnerCourse(BaseModel):
    course_id: int
    course_title: str
    package_id: int
    package_version: int
    status: str
    status_date: str
    lessons_done: int
    lessons_total: int
    time_spent_seconds: float


class LearnerLesson(BaseModel):
    lesson_id: int
    lesson_title: str
    position: int
    status: str
    date: str | None
    score_scaled: float | None
    score_raw: float | None
    time_spent_seconds: float
    attempts: int
    sessions: int


class LearnerSession(BaseModel):
    session_id: int
    attempt_number: int
    state: str
    started_at: str
    ended_at: str | None
    status: str
    completion_status: str
    success_status: str
    score_scaled: float | None
    score_raw: float | None
    session_time_seconds: float


class LearnerInteraction(BaseModel):
    position: int
    interaction_id: str
    type: str | None
    result: str | None
    score: float | None
    weighting: float | None
    duration_seconds: float | None
    learner_response: str | None
    correct_responses: list[str]
    description: str | None
    timestamp: str | None


def header(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def csv_values(item: BaseModel) -> list[Any]:
    """A row's cells; a list (correct responses) becomes one cell joined by `` | ``."""
    return [" | ".join(value) if isinstance(value, list) else value
            for value in item.model_dump().values()]
