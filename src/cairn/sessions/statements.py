"""Mirroring progress as xAPI statements (the verbs of ADL's SCORM profile).

Each ProgressEvent becomes one statement and each new or changed
interaction an ``answered`` statement, stored through the LRS in the same
transaction as the change, so ``GET /xapi/statements`` shows SCORM learners
alongside native xAPI ones. Activity IRIs are built from the course's
manifest identifier and the item identifier, so every version of a course
reports to the same activities; the attempt is the ``registration``; the
learner is an account on ``CAIRN_BASE_URL``.

The statements are built to always pass the LRS's validation: scores keep
min/max only when they are consistent, and every text is a language map.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection

from cairn.clock import us_to_iso
from cairn.scorm import time
from cairn.sessions.events import ProgressEvent, ProgressKind, Score
from cairn.sessions.models import InteractionRow, SessionContext
from cairn.xapi.statements.service import Writer, store_statements
from cairn.xapi.version import V1_0_3

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: dict[ProgressKind, tuple[str, str]] = {
    ProgressKind.LAUNCHED: (ADL + "launched", "launched"),
    ProgressKind.INITIALIZED: (ADL + "initialized", "initialized"),
    ProgressKind.PROGRESSED: (ADL + "progressed", "progressed"),
    ProgressKind.SCORE_UPDATED: (ADL + "scored", "scored"),
    ProgressKind.COMPLETED: (ADL + "completed", "completed"),
    ProgressKind.PASSED: (ADL + "passed", "passed"),
    ProgressKind.FAILED: (ADL + "failed", "failed"),
    ProgressKind.SUSPENDED: (ADL + "suspended", "suspended"),
    ProgressKind.TERMINATED: (ADL + "terminated", "terminated"),
    ProgressKind.ABANDONED: ("https://w3id.org/xapi/adl/verbs/abandoned", "abandoned"),
}
ANSWERED = (ADL + "answered", "answered")
SCORM_PROFILE = "https://w3id.org/xapi/scorm"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
PROFILE_TYPE = "http://adlnet.gov/expapi/activities/profile"
PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"
UNCONFIGURED_BASE = "http://cairn.invalid"
REGISTRATIONS = uuid.UUID("6f1b5bd6-4c8e-4d7e-9a57-3a1c2f0e8d41")
XAPI_INTERACTION_TYPES = frozenset({"true-false", "choice", "fill-in", "long-fill-in", "matching",
                                    "performance", "sequencing", "likert", "numeric", "other"})


@dataclass(frozen=True)
class Mirror:
    """What every statement of one session shares."""

    context: SessionContext
    base_url: str

    @property
    def course_iri(self) -> str:
        identifier = quote(self.context.course_identifier, safe="")
        return f"{self.base_url}/xapi/activities/courses/{identifier}"

    @property
    def lesson_iri(self) -> str:
        return f"{self.course_iri}/lessons/{quote(self.context.lesson_identifier, safe='')}"

    def actor(self) -> dict[str, Any]:
        context = self.context
        return {"objectType": "Agent", "name": context.learner_name or context.learner_external_id,
                "account": {"homePage": self.base_url, "name": context.learner_external_id}}

    def authority(self) -> dict[str, Any]:
        return {"objectType": "Agent", "name": "Cairn SCORM runtime",
                "account": {"homePage": self.base_url, "name": "cairn-scorm-runtime"}}

    def registration(self) -> str:
        return str(uuid.uuid5(REGISTRATIONS, f"{self.base_url}/attempts/{self.context.attempt_id}"))

    def xapi_context(self, parent: list[dict[str, Any]]) -> dict[str, Any]:
        return {"registration": self.registration(),
                "contextActivities": {
                    "parent": parent,
                    "category": [{"id": SCORM_PROFILE, "objectType": "Activity",
                                  "definition": {"type": PROFILE_TYPE}}]},
                "extensions": {f"{self.base_url}/xapi/extensions/session-id":
                               self.context.session_id}}

    def course(self) -> dict[str, Any]:
        return {"id": self.course_iri, "objectType": "Activity", "definition": {
            "type": COURSE_TYPE, "name": {"und": self.context.course_title or "course"}}}

    def lesson(self) -> dict[str, Any]:
        return {"id": self.lesson_iri, "objectType": "Activity", "definition": {
            "type": LESSON_TYPE, "name": {"und": self.context.lesson_title or "lesson"}}}


def _verb(pair: tuple[str, str]) -> dict[str, Any]:
    return {"id": pair[0], "display": {"en-US": pair[1]}}


def xapi_score(score: Score | None) -> dict[str, float] | None:
    """A SCORM score as an xAPI score that passes Data 2.4.5.1 (min < max, raw within)."""
    if score is None:
        return None
    result: dict[str, float] = {}
    if score.scaled is not None:
        result["scaled"] = score.scaled
    bounded = score.min is not None and score.max is not None and score.min < score.max
    if score.raw is not None:
        result["raw"] = score.raw
        if bounded and not (score.min <= score.raw <= score.max):  # type: ignore[operator]
            bounded = False
    if bounded:
        result["min"], result["max"] = score.min, score.max  # type: ignore[assignment]
    return result or None


def _result(event: ProgressEvent) -> dict[str, Any] | None:
    data = event.data
    result: dict[str, Any] = {}
    score = xapi_score(data.score)
    if score is not None and event.kind in (ProgressKind.SCORE_UPDATED, ProgressKind.PASSED,
                                            ProgressKind.FAILED):
        result["score"] = score
    if event.kind is ProgressKind.COMPLETED:
        result["completion"] = True
    if event.kind in (ProgressKind.PASSED, ProgressKind.FAILED):
        result["success"] = event.kind is ProgressKind.PASSED
    if event.kind in (ProgressKind.TERMINATED, ProgressKind.SUSPENDED) and \
            data.session_time_cs is not None:
        result["duration"] = time.format_duration(data.session_time_cs)
    if event.kind is ProgressKind.PROGRESSED and data.progress_measure is not None:
        result["extensions"] = {PROGRESS_EXTENSION: round(data.progress_measure * 100)}
    return result or None


def for_events(mirror: Mirror, events: Sequence[ProgressEvent]) -> list[dict[str, Any]]:
    statements = []
    for event in events:
        statement: dict[str, Any] = {
            "id": str(uuid.uuid4()), "actor": mirror.actor(), "verb": _verb(VERBS[event.kind]),
            "object": mirror.lesson(), "timestamp": us_to_iso(event.occurred_us),
            "context": mirror.xapi_context([mirror.course()])}
        if (result := _result(event)) is not None:
            statement["result"] = result
        statements.append(statement)
    return statements


def for_interactions(mirror: Mirror, rows: Sequence[InteractionRow], occurred_us: int
                     ) -> list[dict[str, Any]]:
    """One ``answered`` statement per interaction that is new or changed in this commit."""
    return [{"id": str(uuid.uuid4()), "actor": mirror.actor(), "verb": _verb(ANSWERED),
             "object": _interaction(mirror, row), "timestamp": us_to_iso(occurred_us),
             "context": mirror.xapi_context([mirror.lesson(), mirror.course()]),
             **({"result": result} if (result := _answer(row)) else {})}
            for row in rows if row.identifier]


def _interaction(mirror: Mirror, row: InteractionRow) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": INTERACTION_TYPE}
    if row.type in XAPI_INTERACTION_TYPES:
        definition["interactionType"] = row.type
        if row.correct_responses:
            definition["correctResponsesPattern"] = list(row.correct_responses)
    if row.description:
        definition["description"] = {"und": row.description}
    return {"id": f"{mirror.lesson_iri}/interactions/{quote(row.identifier, safe='')}",
            "objectType": "Activity", "definition": definition}


def _answer(row: InteractionRow) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if row.learner_response is not None:
        result["response"] = row.learner_response
    if row.result in ("correct", "incorrect", "wrong"):
        result["success"] = row.result == "correct"
    if row.latency_cs is not None:
        result["duration"] = time.format_duration(row.latency_cs)
    return result


def store(conn: Connection, mirror: Mirror, batch: list[dict[str, Any]]) -> None:
    """Store mirrored statements through the LRS, in the caller's transaction."""
    if batch:
        store_statements(conn=conn, statements=batch, version=V1_0_3,
                         writer=Writer(authority=mirror.authority(), credential_id=None))


def mirror_base(base_url: str) -> str:
    """The stable base of mirrored IRIs: ``CAIRN_BASE_URL``, or a reserved placeholder."""
    return base_url.rstrip("/") or UNCONFIGURED_BASE
