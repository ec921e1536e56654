"""SQL for attempts, sessions and their interaction and objective rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    RowMapping,
    Select,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from cairn.db.tables import (
    attempts,
    courses,
    learners,
    lessons,
    packages,
    session_interactions,
    session_objectives,
    sessions,
)
from cairn.sessions.events import Score
from cairn.sessions.models import InteractionRow, ObjectiveRow


def _sessions_joined() -> Select[Any]:
    return (select(sessions, attempts.c.number.label("attempt_number"),
                   attempts.c.state.label("attempt_state"), attempts.c.package_id)
            .join(attempts, attempts.c.id == sessions.c.attempt_id))


_SESSION = _sessions_joined().where(sessions.c.id == bindparam("session_id"))
_SESSION_LOCKED = _SESSION.with_for_update(of=sessions)


# --- attempts -------------------------------------------------------------------------


def active_attempt(conn: Connection, learner_id: int, lesson_id: int) -> RowMapping | None:
    return conn.execute(select(attempts).where(
        attempts.c.learner_id == learner_id, attempts.c.lesson_id == lesson_id,
        attempts.c.state == "active")).mappings().first()


def latest_attempt(conn: Connection, learner_id: int, lesson_id: int) -> RowMapping | None:
    return conn.execute(select(attempts).where(
        attempts.c.learner_id == learner_id, attempts.c.lesson_id == lesson_id)
        .order_by(attempts.c.number.desc()).limit(1)).mappings().first()


def insert_attempt(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(attempts).values(**values)
                            .returning(attempts.c.id)).scalar_one())


def end_attempt(conn: Connection, attempt_id: int, now: int, reason: str) -> None:
    conn.execute(update(attempts).where(attempts.c.id == attempt_id, attempts.c.state == "active")
                 .values(state="ended", ended_us=now, ended_reason=reason[:200]))


def set_attempt_progress(conn: Connection, attempt_id: int, *, total_time_cs: int,
                         moment: int, completion_status: str, success_status: str,
                         progress_measure: float | None, score: Score | None) -> None:
    """The attempt's current total time, statuses and score; ``completed_us`` is set once."""
    done = completion_status == "completed" or success_status == "passed"
    conn.execute(update(attempts).where(attempts.c.id == attempt_id).values(
        total_time_cs=total_time_cs, updated_us=moment, completion_status=completion_status,
        success_status=success_status, progress_measure=progress_measure,
        score_scaled=score.scaled if score else None, score_raw=score.raw if score else None,
        score_min=score.min if score else None, score_max=score.max if score else None,
        completed_us=func.coalesce(attempts.c.completed_us, moment) if done
        else attempts.c.completed_us))


def attempt_by_id(conn: Connection, attempt_id: int) -> RowMapping:
    return conn.execute(select(attempts).where(attempts.c.id == attempt_id)).mappings().one()


# --- sessions -------------------------------------------------------------------------


def latest_session(conn: Connection, attempt_id: int, *, mode: str = "normal"
                   ) -> RowMapping | None:
    return conn.execute(select(sessions).where(
        sessions.c.attempt_id == attempt_id, sessions.c.mode == mode)
        .order_by(sessions.c.id.desc()).limit(1)).mappings().first()


def open_session_of(conn: Connection, learner_id: int, lesson_id: int) -> RowMapping | None:
    return conn.execute(select(sessions).where(
        sessions.c.learner_id == learner_id, sessions.c.lesson_id == lesson_id,
        sessions.c.state == "open")).mappings().first()


def insert_session(conn: Connection, **values: Any) -> int:
    """A new session; its attempt counts one more session."""
    conn.execute(update(attempts).where(attempts.c.id == values["attempt_id"])
                 .values(session_count=attempts.c.session_count + 1))
    return int(conn.execute(insert(sessions).values(**values)
                            .returning(sessions.c.id)).scalar_one())


def session_by_id(conn: Connection, session_id: int, *, lock: bool = False
                  ) -> RowMapping | None:
    query = _SESSION_LOCKED if lock else _SESSION
    return conn.execute(query, {"session_id": session_id}).mappings().first()


def update_session(conn: Connection, session_id: int, **values: Any) -> None:
    conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values))


def close_session(conn: Connection, session_id: int, **values: Any) -> bool:
    """Close an open session; False when it was no longer open (someone else closed it)."""
    done = conn.execute(update(sessions).where(sessions.c.id == session_id,
                                               sessions.c.state == "open")
                        .values(state="closed", **values))
    return done.rowcount == 1


def list_sessions(conn: Connection, *, state: str | None, learner_id: int | None,
                  lesson_id: int | None, after_id: int, limit: int) -> list[RowMapping]:
    query = _sessions_joined().where(sessions.c.id > after_id)
    if state is not None:
        query = query.where(sessions.c.state == state)
    if learner_id is not None:
        query = query.where(sessions.c.learner_id == learner_id)
    if lesson_id is not None:
        query = query.where(sessions.c.lesson_id == lesson_id)
    return list(conn.execute(query.order_by(sessions.c.id).limit(limit)).mappings())


def stale_open_sessions(conn: Connection, updated_before_us: int, limit: int) -> list[int]:
    return list(conn.execute(select(sessions.c.id).where(
        sessions.c.state == "open", sessions.c.updated_us < updated_before_us)
        .order_by(sessions.c.updated_us).limit(limit)).scalars())


def context(conn: Connection, session_id: int) -> RowMapping:
    """Who and what a session is about, for events and statements."""
    return conn.execute(_CONTEXT, {"session_id": session_id}).mappings().one()


# Built once: every commit reads it, and building a five-way join costs more than running it.
_CONTEXT = (select(sessions.c.id.label("session_id"), sessions.c.attempt_id,
                   sessions.c.mode, attempts.c.number.label("attempt_number"),
                   learners.c.id.label("learner_id"), learners.c.external_id,
                   learners.c.name.label("learner_name"), learners.c.email,
                   learners.c.team_id, lessons.c.id.label("lesson_id"),
                   lessons.c.identifier.label("lesson_identifier"),
                   lessons.c.title.label("lesson_title"), packages.c.id.label("package_id"),
                   packages.c.course_id, packages.c.version.label("package_version"),
                   packages.c.standard, courses.c.identifier.label("course_identifier"),
                   courses.c.title.label("course_title"))
            .join(attempts, attempts.c.id == sessions.c.attempt_id)
            .join(learners, learners.c.id == sessions.c.learner_id)
            .join(lessons, lessons.c.id == sessions.c.lesson_id)
            .join(packages, packages.c.id == lessons.c.package_id)
            .join(courses, courses.c.id == packages.c.course_id)
            .where(sessions.c.id == bindparam("session_id")))


# --- interactions and objectives ------------------------------------------------------


def replace_interactions(conn: Connection, session_id: int,
                         rows: Sequence[InteractionRow]) -> None:
    conn.execute(delete(session_interactions)
                 .where(session_interactions.c.session_id == session_id))
    if rows:
        conn.execute(insert(session_interactions), [_interaction_values(session_id, row)
                                                    for row in rows])


def _interaction_values(session_id: int, row: InteractionRow) -> dict[str, Any]:
    return {"session_id": session_id, "position": row.position, "identifier": row.identifier,
            "type": row.type, "learner_response": row.learner_response,
            "correct_responses_json": json.dumps(list(row.correct_responses)),
            "objective_ids_json": json.dumps(list(row.objective_ids)), "result": row.result,
            "weighting": row.weighting, "latency_cs": row.latency_cs,
            "description": row.description, "timestamp": row.timestamp}


def replace_objectives(conn: Connection, session_id: int, rows: Sequence[ObjectiveRow]) -> None:
    conn.execute(delete(session_objectives).where(session_objectives.c.session_id == session_id))
    if rows:
        conn.execute(insert(session_objectives), [_objective_values(session_id, row)
                                                  for row in rows])


def _objective_values(session_id: int, row: ObjectiveRow) -> dict[str, Any]:
    score = row.score
    return {"session_id": session_id, "position": row.position, "identifier": row.identifier,
            "success_status": row.success_status, "completion_status": row.completion_status,
            "score_scaled": score.scaled if score else None,
            "score_raw": score.raw if score else None,
            "score_min": score.min if score else None, "score_max": score.max if score else None,
            "progress_measure": row.progress_measure, "description": row.description}


def interactions_of(conn: Connection, session_id: int) -> list[RowMapping]:
    return list(conn.execute(select(session_interactions)
                             .where(session_interactions.c.session_id == session_id)
                             .order_by(session_interactions.c.position)).mappings())


def objectives_of(conn: Connection, session_id: int) -> list[RowMapping]:
    return list(conn.execute(select(session_objectives)
                             .where(session_objectives.c.session_id == session_id)
                             .order_by(session_objectives.c.position)).mappings())


def active_package_of_course(conn: Connection, learner_id: int, course_id: int) -> int | None:
    """The package version the learner has an attempt in progress on, if any."""
    query = (select(attempts.c.package_id).join(packages, packages.c.id == attempts.c.package_id)
             .where(attempts.c.learner_id == learner_id, attempts.c.state == "active",
                    packages.c.course_id == course_id)
             .order_by(attempts.c.started_us.desc()).limit(1))
    found = conn.execute(query).scalar_one_or_none()
    return int(found) if found is not None else None
