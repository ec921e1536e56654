"""What the sessions context hands out and takes in.

Readers (the API, reports, the player) get these pydantic types; the
runtime adapters hand a :class:`SessionUpdate` to
:func:`cairn.sessions.service.record_update` after validating a commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import RowMapping

from cairn.clock import us_to_iso
from cairn.sessions.events import Score

Mode = Literal["normal", "browse", "review"]
SessionState = Literal["open", "terminated", "closed"]
MODES: tuple[Mode, ...] = ("normal", "browse", "review")


@dataclass(frozen=True)
class InteractionRow:
    position: int
    identifier: str
    type: str | None = None
    learner_response: str | None = None
    correct_responses: Sequence[str] = ()
    objective_ids: Sequence[str] = ()
    result: str | None = None
    weighting: float | None = None
    latency_cs: int | None = None
    description: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True)
class ObjectiveRow:
    position: int
    identifier: str
    success_status: str | None = None
    completion_status: str | None = None
    score: Score | None = None
    progress_measure: float | None = None
    description: str | None = None


@dataclass(frozen=True)
class SessionUpdate:
    """A validated commit, already read into the columns reports use."""

    cmi: Mapping[str, str]
    session_time_cs: int
    completion_status: str = "unknown"
    success_status: str = "unknown"
    score: Score | None = None
    progress_measure: float | None = None
    location: str | None = None
    suspend_data: str | None = None
    exit: str = ""
    nav_request: str = ""
    interactions: Sequence[InteractionRow] = field(default_factory=tuple)
    objectives: Sequence[ObjectiveRow] = field(default_factory=tuple)
    # False when the adapter knows the rows equal what the session already has.
    rows_changed: bool = True


class ScoreOut(BaseModel):
    scaled: float | None
    raw: float | None
    min: float | None
    max: float | None


class SessionSummary(BaseModel):
    """One session as lists show it."""

    id: int
    attempt_id: int
    attempt_number: int
    attempt_state: str
    learner_id: int
    lesson_id: int
    package_id: int
    state: SessionState
    mode: Mode
    credit: str
    entry: str
    started_at: str
    updated_at: str
    ended_at: str | None
    closed_by: str | None
    closed_reason: str | None
    commit_count: int
    completion_status: str
    success_status: str
    score: ScoreOut
    progress_measure: float | None
    location: str | None
    exit: str | None
    session_time_seconds: float
    total_time_seconds: float

    @classmethod
    def from_row(cls, row: RowMapping) -> SessionSummary:
        ended = row["ended_us"]
        return cls(
            id=row["id"], attempt_id=row["attempt_id"], attempt_number=row["attempt_number"],
            attempt_state=row["attempt_state"], learner_id=row["learner_id"],
            lesson_id=row["lesson_id"], package_id=row["package_id"], state=row["state"],
            mode=row["mode"], credit=row["credit"], entry=row["entry"],
            started_at=us_to_iso(row["started_us"]), updated_at=us_to_iso(row["updated_us"]),
            ended_at=us_to_iso(ended) if ended is not None else None,
            closed_by=row["closed_by"], closed_reason=row["closed_reason"],
            commit_count=row["commit_count"], completion_status=row["completion_status"],
            success_status=row["success_status"],
            score=ScoreOut(scaled=row["score_scaled"], raw=row["score_raw"],
                           min=row["score_min"], max=row["score_max"]),
            progress_measure=row["progress_measure"], location=row["location"],
            exit=row["exit"], session_time_seconds=row["session_time_cs"] / 100,
            total_time_seconds=row["total_time_cs"] / 100)


class InteractionOut(BaseModel):
    position: int
    id: str
    type: str | None
    learner_response: str | None
    correct_responses: list[str]
    objectives: list[str]
    result: str | None
    weighting: float | None
    latency_seconds: float | None
    description: str | None
    timestamp: str | None

    @classmethod
    def from_row(cls, row: RowMapping) -> InteractionOut:
        latency = row["latency_cs"]
        return cls(position=row["position"], id=row["identifier"], type=row["type"],
                   learner_response=row["learner_response"],
                   correct_responses=json.loads(row["correct_responses_json"]),
                   objectives=json.loads(row["objective_ids_json"]), result=row["result"],
                   weighting=row["weighting"],
                   latency_seconds=latency / 100 if latency is not None else None,
                   description=row["description"], timestamp=row["timestamp"])


class ObjectiveOut(BaseModel):
    position: int
    id: str
    success_status: str | None
    completion_status: str | None
    score: ScoreOut
    progress_measure: float | None
    description: str | None

    @classmethod
    def from_row(cls, row: RowMapping) -> ObjectiveOut:
        return cls(position=row["position"], id=row["identifier"],
                   success_status=row["success_status"],
                   completion_status=row["completion_status"],
                   score=ScoreOut(scaled=row["score_scaled"], raw=row["score_raw"],
                                  min=row["score_min"], max=row["score_max"]),
                   progress_measure=row["progress_measure"], description=row["description"])


class JournalLineOut(BaseModel):
    session_id: int
    seq: int
    call: str
    element: str | None
    value: str | None
    result: str | None
    error_code: int
    occurred_at: str

    @classmethod
    def from_row(cls, row: RowMapping) -> JournalLineOut:
        return cls(session_id=row["session_id"], seq=row["seq"], call=row["call"],
                   element=row["element"], value=row["value"], result=row["result"],
                   error_code=row["error_code"], occurred_at=us_to_iso(row["occurred_us"]))


class SessionDetail(SessionSummary):
    """A session with everything it recorded (the drill-down's last level)."""

    suspend_data: str | None
    cmi: dict[str, Any]
    interactions: list[InteractionOut]
    objectives: list[ObjectiveOut]
    journal: list[JournalLineOut]


@dataclass(frozen=True)
class SessionContext:
    """Who and what a session is about: what events and mirrored statements name."""

    session_id: int
    attempt_id: int
    attempt_number: int
    mode: str
    learner_id: int
    learner_external_id: str
    learner_name: str
    learner_email: str | None
    team_id: int | None
    lesson_id: int
    lesson_identifier: str
    lesson_title: str
    package_id: int
    package_version: int
    course_id: int
    course_identifier: str
    course_title: str
    standard: str

    @classmethod
    def from_row(cls, row: RowMapping) -> SessionContext:
        return cls(
            session_id=row["session_id"], attempt_id=row["attempt_id"],
            attempt_number=row["attempt_number"], mode=row["mode"],
            learner_id=row["learner_id"], learner_external_id=row["external_id"],
            learner_name=row["learner_name"], learner_email=row["email"],
            team_id=row["team_id"],
            lesson_id=row["lesson_id"], lesson_identifier=row["lesson_identifier"],
            lesson_title=row["lesson_title"], package_id=row["package_id"],
            package_version=row["package_version"], course_id=row["course_id"],
            course_identifier=row["course_identifier"], course_title=row["course_title"],
            standard=row["standard"])
