"""Turning a SCORM commit into ProgressEvents, by comparing it with the session before.

Only changes become events: a commit that repeats the previous one (an
autocommit, a resent beacon) produces none, so neither webhooks nor xAPI
statements repeat. The first commit of a session stands for Initialize,
which scorm-again does not report to the server on its own.
"""

from __future__ import annotations

from sqlalchemy import RowMapping

from cairn.sessions.events import ProgressData, ProgressEvent, ProgressKind, Score
from cairn.sessions.models import SessionUpdate


def _score_before(session: RowMapping) -> Score | None:
    parts = {name: session[f"score_{name}"] for name in ("scaled", "raw", "min", "max")}
    return Score(**parts) if any(value is not None for value in parts.values()) else None


def derive(*, session: RowMapping, update: SessionUpdate, terminating: bool, total_time_cs: int,
           now: int) -> list[ProgressEvent]:
    """The events one commit on ``session`` (its row before the commit) amounts to."""
    found: list[tuple[ProgressKind, ProgressData]] = []
    if session["commit_count"] == 0:
        found.append((ProgressKind.INITIALIZED, ProgressData()))
    moved = (update.location != session["location"]
             or update.progress_measure != session["progress_measure"])
    if moved and (update.location is not None or update.progress_measure is not None):
        found.append((ProgressKind.PROGRESSED, ProgressData(
            location=update.location, progress_measure=update.progress_measure)))
    if update.score is not None and update.score != _score_before(session):
        found.append((ProgressKind.SCORE_UPDATED, ProgressData(score=update.score)))
    found.extend(_status_changes(session, update))
    if terminating:
        found.extend(_ending(update, total_time_cs))
    return [ProgressEvent(kind=kind, learner_id=session["learner_id"],
                          lesson_id=session["lesson_id"], session_id=session["id"],
                          occurred_us=now, data=data) for kind, data in found]


def _status_changes(session: RowMapping, update: SessionUpdate
                    ) -> list[tuple[ProgressKind, ProgressData]]:
    changes: list[tuple[ProgressKind, ProgressData]] = []
    if update.completion_status == "completed" and session["completion_status"] != "completed":
        changes.append((ProgressKind.COMPLETED, ProgressData(completion_status="completed")))
    if update.success_status != session["success_status"] and update.success_status in (
            "passed", "failed"):
        kind = ProgressKind.PASSED if update.success_status == "passed" else ProgressKind.FAILED
        changes.append((kind, ProgressData(success_status=update.success_status,
                                           score=update.score)))
    return changes


def _ending(update: SessionUpdate, total_time_cs: int) -> list[tuple[ProgressKind, ProgressData]]:
    data = ProgressData(exit=update.exit or None, session_time_cs=update.session_time_cs,
                        total_time_cs=total_time_cs, location=update.location,
                        completion_status=update.completion_status,
                        success_status=update.success_status)
    suspended = update.exit == "suspend" or update.nav_request == "suspendAll"
    ending = [(ProgressKind.SUSPENDED, data)] if suspended else []
    return [*ending, (ProgressKind.TERMINATED, data)]
