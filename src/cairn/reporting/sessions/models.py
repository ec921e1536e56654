"""A session as the reporting API shows it, and the filters a list takes.

The summary fields (statuses, score, progress, time) are the same whatever
the content spoke: ``summary_kind`` says where they came from — ``cmi`` for
SCORM (and AICC) data models, ``xapi`` for cmi5/xAPI results — so one
report covers every standard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import RowMapping

from cairn.clock import us_to_iso
from cairn.reporting.tabular import text_cell
from cairn.sessions.models import (
    InteractionOut,
    JournalLineOut,
    ObjectiveOut,
    SessionState,
    SessionSummary,
)

STATES: tuple[SessionState, ...] = ("open", "terminated", "closed")
STANDARDS = ("scorm12", "scorm2004")
SUMMARY_KIND_BY_STANDARD = {"scorm12": "cmi", "scorm2004": "cmi"}


@dataclass(frozen=True)
class SessionFilters:
    """What a session list is narrowed to; None means "any"."""

    course_id: int | None = None
    package_id: int | None = None
    lesson_id: int | None = None
    learner_id: int | None = None
    team_id: int | None = None
    since_us: int | None = None
    until_us: int | None = None
    completion_status: str | None = None
    success_status: str | None = None
    state: str | None = None
    open: bool | None = None
    standard: str | None = None


class LearnerRef(BaseModel):
    id: int
    external_id: str
    name: str
    email: str | None
    team_id: int | None
    team_name: str | None


class Named(BaseModel):
    id: int
    title: str


class PackageRef(BaseModel):
    id: int
    version: int


class SessionReport(SessionSummary):
    """One session: who, what, when, and its progress summary."""

    standard: str
    summary_kind: Literal["cmi", "xapi"]
    learner: LearnerRef
    course: Named
    package: PackageRef
    lesson: Named

    @classmethod
    def from_row(cls, row: RowMapping) -> SessionReport:
        return cls(
            **SessionSummary.from_row(row).model_dump(), standard=row["standard"],
            summary_kind=SUMMARY_KIND_BY_STANDARD.get(row["standard"], "xapi"),
            learner=LearnerRef(id=row["learner_id"], external_id=row["external_id"],
                               name=row["learner_name"], email=row["learner_email"],
                               team_id=row["team_id"], team_name=row["team_name"]),
            course=Named(id=row["course_id"], title=row["course_title"]),
            package=PackageRef(id=row["package_id"], version=row["package_version"]),
            lesson=Named(id=row["lesson_id"], title=row["lesson_title"]))


class SessionReportDetail(SessionReport):
    """A session with everything it recorded: the drill-down's last level."""

    suspend_data: str | None
    cmi: dict[str, Any]
    interactions: list[InteractionOut]
    objectives: list[ObjectiveOut]
    journal: list[JournalLineOut]


# One CSV row per session; the columns in order, then how a SQL row becomes them.
CSV_HEADER: Sequence[str] = (
    "id", "attempt_id", "attempt_number", "state", "mode", "standard", "learner_id",
    "learner_external_id", "learner_name", "learner_email", "team_id", "team_name", "course_id",
    "course_title", "package_id", "package_version", "lesson_id", "lesson_title", "started_at",
    "updated_at", "ended_at", "completion_status", "success_status", "score_scaled", "score_raw",
    "score_min", "score_max", "progress_measure", "session_time_seconds", "total_time_seconds",
    "commit_count", "closed_by", "closed_reason")


# The columns that hold text (the others are numbers, times rendered here, or empty).
CSV_TEXT_COLUMNS = frozenset({
    "state", "mode", "standard", "learner_external_id", "learner_name", "learner_email",
    "team_name", "course_title", "lesson_title", "completion_status", "success_status",
    "closed_by", "closed_reason"})


def csv_row(row: Sequence[Any], learner: Sequence[Any], lesson: Sequence[Any],
            package: Sequence[Any]) -> tuple[str, ...]:
    """A row of ``store.CSV_COLUMNS`` and its looked-up names, as the CSV_HEADER cells, all
    text (the stream's fast path for rows of text)."""
    (session_id, attempt_id, attempt_number, state, mode, package_id, learner_id, lesson_id,
     started_us, updated_us, ended_us, completion, success, scaled, raw, low, high, progress,
     session_cs, total_cs, commits, closed_by, closed_reason) = row
    external_id, name, email, team_id, team_name = learner
    standard, course_id, course_title, package_version = package
    return (str(session_id), str(attempt_id), str(attempt_number), state, mode, standard,
            str(learner_id), external_id, name, text_cell(email), text_cell(team_id),
            text_cell(team_name), str(course_id), course_title, str(package_id),
            str(package_version), str(lesson_id), lesson[0], us_to_iso(started_us),
            us_to_iso(updated_us), "" if ended_us is None else us_to_iso(ended_us),
            completion, success, text_cell(scaled), text_cell(raw), text_cell(low),
            text_cell(high), text_cell(progress), str(session_cs / 100), str(total_cs / 100),
            str(commits), text_cell(closed_by), text_cell(closed_reason))
