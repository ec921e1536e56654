"""ProgressEvent: the one shape every runtime speaks into the progress pipeline.

SCORM commits, AICC HACP posts, cmi5 and plain xAPI statements are turned
by their runtime adapter into these events (ARCHITECTURE.md, "the one
idea"). ``sessions`` applies them to the session and attempt rows, and the
same transaction mirrors each one as an xAPI statement and a webhook. An
event says *what happened to the learner's progress*, never how a protocol
spelled it: "passed with a scaled score of 0.85", not "cmi.core.lesson_status
= passed".
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ProgressKind(StrEnum):
    LAUNCHED = "launched"            # the learner opened the lesson (a session started)
    INITIALIZED = "initialized"      # the content found the API and began (Initialize)
    PROGRESSED = "progressed"        # location or progress measure moved
    SCORE_UPDATED = "score_updated"  # the score changed
    COMPLETED = "completed"          # completion status became completed
    PASSED = "passed"                # success status became passed
    FAILED = "failed"                # success status became failed
    SUSPENDED = "suspended"          # the learner left intending to come back
    TERMINATED = "terminated"        # the content ended the session (Terminate / LMSFinish)
    ABANDONED = "abandoned"          # the session was closed without the content ending it


class Score(BaseModel):
    """A score as SCORM 2004 and xAPI express it; 1.2 has raw/min/max only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scaled: float | None = Field(default=None, ge=-1, le=1)
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _something_known(self) -> Score:
        if all(value is None for value in (self.scaled, self.raw, self.min, self.max)):
            raise ValueError("a score needs at least one of scaled, raw, min, max")
        return self


class ProgressData(BaseModel):
    """What an event carries; each kind fills the fields that describe it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: Score | None = None
    progress_measure: float | None = Field(default=None, ge=0, le=1)
    location: str | None = None
    completion_status: str | None = None
    success_status: str | None = None
    session_time_cs: int | None = Field(default=None, ge=0)
    total_time_cs: int | None = Field(default=None, ge=0)
    exit: str | None = None
    reason: str | None = None
    closed_by: str | None = None


REQUIRED: dict[ProgressKind, tuple[str, ...]] = {
    ProgressKind.SCORE_UPDATED: ("score",),
    ProgressKind.ABANDONED: ("reason",),
}


class ProgressEvent(BaseModel):
    """Something that happened to one learner's progress in one session."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ProgressKind
    learner_id: int = Field(gt=0)
    lesson_id: int = Field(gt=0)
    session_id: int = Field(gt=0)
    occurred_us: int = Field(ge=0)
    data: ProgressData = ProgressData()

    @model_validator(mode="after")
    def _kind_has_its_data(self) -> ProgressEvent:
        missing = [name for name in REQUIRED.get(self.kind, ())
                   if getattr(self.data, name) is None]
        if missing:
            raise ValueError(f"a {self.kind.value} event needs data.{', data.'.join(missing)}")
        if self.kind is ProgressKind.PROGRESSED and (
                self.data.progress_measure is None and self.data.location is None):
            raise ValueError("a progressed event needs data.progress_measure or data.location")
        return self
