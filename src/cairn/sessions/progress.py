"""Applying ProgressEvents: session and attempt state, the webhook outbox, the xAPI mirror.

Called in the transaction that wrote the change the events describe, so a
session is terminated, its attempt ended, its ``session.*`` webhooks queued
and its statements stored exactly when the commit that caused them is
stored -- or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping

from cairn.outbound.events import EventType, enqueue
from cairn.sessions import attempts, statements, store
from cairn.sessions.events import ProgressEvent, ProgressKind
from cairn.sessions.models import SessionContext

WEBHOOKS: dict[ProgressKind, tuple[EventType, ...]] = {
    ProgressKind.LAUNCHED: (EventType.SESSION_LAUNCHED,),
    ProgressKind.COMPLETED: (EventType.SESSION_COMPLETED,),
    ProgressKind.PASSED: (EventType.SESSION_PASSED,),
    ProgressKind.FAILED: (EventType.SESSION_FAILED,),
    ProgressKind.SCORE_UPDATED: (EventType.SESSION_SCORE_UPDATED,),
    ProgressKind.TERMINATED: (EventType.SESSION_CLOSED,),
    ProgressKind.ABANDONED: (EventType.SESSION_ABANDONED, EventType.SESSION_CLOSED),
}


def apply_events(*, conn: Connection, events: Sequence[ProgressEvent], base_url: str,
                 known: Sequence[SessionContext] = ()) -> None:
    """Change session/attempt state for each event, queue its webhooks, mirror it in xAPI.

    ``base_url`` is ``CAIRN_BASE_URL``: the mirrored statements' IRIs hang off it.
    ``known`` saves reading again the context of sessions the caller already has.
    """
    contexts = {context.session_id: context for context in known}
    for event in events:
        if event.session_id not in contexts:
            contexts[event.session_id] = SessionContext.from_row(
                store.context(conn, event.session_id))
        context = contexts[event.session_id]
        _apply(conn, event, context.standard)
        kinds = WEBHOOKS.get(event.kind, ())
        if kinds:
            _notify(conn, event, context, kinds)
    for session_id, context in contexts.items():
        mirror = statements.Mirror(context=context, base_url=statements.mirror_base(base_url))
        statements.store(conn, mirror, statements.for_events(
            mirror, [event for event in events if event.session_id == session_id]))


def _apply(conn: Connection, event: ProgressEvent, standard: str) -> None:
    if event.kind is ProgressKind.INITIALIZED:
        store.update_session(conn, event.session_id, initialized=True)
    elif event.kind is ProgressKind.TERMINATED:
        _terminate(conn, event, standard)
    elif event.kind is ProgressKind.ABANDONED:
        store.close_session(conn, event.session_id, ended_us=event.occurred_us,
                            closed_by=event.data.closed_by or "cairn",
                            closed_reason=event.data.reason)


def _terminate(conn: Connection, event: ProgressEvent, standard: str) -> None:
    row = store.session_by_id(conn, event.session_id)
    if row is None or row["state"] != "open":
        return
    store.update_session(conn, event.session_id, state="terminated",
                         ended_us=event.occurred_us, updated_us=event.occurred_us)
    outcome = outcome_of(row, state="terminated", standard=standard)
    if row["mode"] == "normal" and attempts.ends_attempt(outcome):
        store.end_attempt(conn, row["attempt_id"], event.occurred_us,
                          attempts.ended_reason(outcome))


def outcome_of(row: RowMapping, *, state: str | None = None, standard: str
               ) -> attempts.SessionOutcome:
    """Read a session row into what the attempt rules look at."""
    return attempts.SessionOutcome(
        standard=standard, state=state or row["state"], exit=row["exit"] or "",
        nav_request=row["nav_request"] or "", completion_status=row["completion_status"],
        success_status=row["success_status"], committed=row["commit_count"] > 0,
        entry=row["entry"])


def _notify(conn: Connection, event: ProgressEvent, context: SessionContext,
            kinds: tuple[EventType, ...]) -> None:
    payload = _payload(event, context)
    filters = {"course": context.course_id, "package": context.package_id,
               "team": context.team_id}
    for kind in kinds:
        enqueue(conn=conn, event_type=kind, payload=payload,
                session_key=f"session:{event.session_id}", occurred_us=event.occurred_us,
                filters=filters)


def _payload(event: ProgressEvent, context: SessionContext) -> dict[str, Any]:
    return {
        "event": event.kind.value,
        "session_id": event.session_id,
        "attempt": {"id": context.attempt_id, "number": context.attempt_number},
        "learner": {"id": context.learner_id, "external_id": context.learner_external_id,
                    "name": context.learner_name},
        "lesson": {"id": context.lesson_id, "identifier": context.lesson_identifier,
                   "title": context.lesson_title},
        "course_id": context.course_id,
        "package": {"id": context.package_id, "version": context.package_version},
        "data": event.data.model_dump(exclude_none=True),
    }
