"""Opening, updating, closing and reading sessions.

Every launch opens a session. :func:`open_session` first closes the
learner's open session on the same lesson (a closed tab, a crash): its last
commit is kept and the new session resumes the same attempt from it. Then
the attempt rules (:mod:`cairn.sessions.attempts`) decide between the
active attempt and a new one. Services take the caller's connection and
never commit; events are applied in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, RowMapping

from cairn.clock import now_us
from cairn.errors import Conflict, InvalidInput, NotFound
from cairn.sessions import attempts, journal, store
from cairn.sessions.events import ProgressData, ProgressEvent, ProgressKind
from cairn.sessions.models import (
    MODES,
    InteractionOut,
    Mode,
    ObjectiveOut,
    SessionContext,
    SessionDetail,
    SessionSummary,
    SessionUpdate,
)
from cairn.sessions.progress import apply_events, outcome_of

DAY_US = 86_400 * 1_000_000
MAX_PAGE = 500
# The columns a resumed session starts with, copied from the session it continues.
CARRIED_COLUMNS = ("completion_status", "success_status", "score_scaled", "score_raw",
                   "score_min", "score_max", "progress_measure", "location", "suspend_data")
CarryOver = Callable[[Mapping[str, str]], dict[str, str]]


@dataclass(frozen=True)
class LaunchTarget:
    learner_id: int
    lesson_id: int
    package_id: int
    standard: str


@dataclass(frozen=True)
class Opened:
    """A new session and the state it starts from."""

    session_id: int
    attempt_id: int
    attempt_number: int
    new_attempt: bool
    entry: attempts.Entry
    credit: str
    cmi: dict[str, str]
    prior_total_time_cs: int
    resumed_session_id: int | None


def open_session(*, conn: Connection, target: LaunchTarget, mode: Mode, base_url: str,
                 carry_over: CarryOver = dict, new_attempt: bool = False,
                 now: int | None = None) -> Opened:
    """Open a session for a launch.

    ``carry_over`` picks, from the snapshot of the session being continued,
    what a new session of the same attempt starts with (the runtime adapter
    knows which elements belong to one session only).
    """
    if mode not in MODES:
        raise InvalidInput(f"mode: must be one of {', '.join(MODES)}")
    moment = now if now is not None else now_us()
    resumed = _close_open_session(conn, target, moment, base_url)
    attempt, is_new = _attempt_for(conn, target, mode, new_attempt, moment)
    previous = store.latest_session(conn, attempt["id"])
    outcome = outcome_of(previous, standard=target.standard) if previous else None
    entry: attempts.Entry = "ab-initio" if is_new else attempts.next_entry(outcome)
    cmi = carry_over(json.loads(previous["cmi_json"])) if previous and not is_new else {}
    carried = {name: previous[name] for name in CARRIED_COLUMNS} if previous and not is_new \
        else {}
    credit = "credit" if mode == "normal" else "no-credit"
    session_id = store.insert_session(
        conn, attempt_id=attempt["id"], learner_id=target.learner_id, lesson_id=target.lesson_id,
        state="open", mode=mode, credit=credit, entry=entry, started_us=moment,
        updated_us=moment, prior_total_time_cs=attempt["total_time_cs"],
        total_time_cs=attempt["total_time_cs"], cmi_json=json.dumps(cmi), **carried)
    apply_events(conn=conn, base_url=base_url, events=[ProgressEvent(
        kind=ProgressKind.LAUNCHED, learner_id=target.learner_id, lesson_id=target.lesson_id,
        session_id=session_id, occurred_us=moment)])
    return Opened(session_id=session_id, attempt_id=attempt["id"],
                  attempt_number=attempt["number"], new_attempt=is_new, entry=entry,
                  credit=credit, cmi=cmi, prior_total_time_cs=attempt["total_time_cs"],
                  resumed_session_id=resumed)


def _close_open_session(conn: Connection, target: LaunchTarget, moment: int,
                        base_url: str) -> int | None:
    found = store.open_session_of(conn, target.learner_id, target.lesson_id)
    if found is None:
        return None
    # Closed before the new session is inserted: one open session per learner and lesson.
    apply_events(conn=conn, base_url=base_url, events=[abandoned(
        found, moment, by="cairn", reason="the learner launched the lesson again; the new "
                                          "session resumes from this one's last commit")])
    return int(found["id"])


def _attempt_for(conn: Connection, target: LaunchTarget, mode: Mode, new_attempt: bool,
                 moment: int) -> tuple[RowMapping, bool]:
    """The attempt this launch belongs to, and whether it was just created."""
    active = store.active_attempt(conn, target.learner_id, target.lesson_id)
    if mode != "normal":
        existing = active or store.latest_attempt(conn, target.learner_id, target.lesson_id)
        if existing is not None:
            return existing, False
    elif active is not None and not new_attempt:
        return active, False
    elif active is not None:
        store.end_attempt(conn, active["id"], moment, "a new attempt was requested")
    latest = store.latest_attempt(conn, target.learner_id, target.lesson_id)
    attempt_id = store.insert_attempt(
        conn, learner_id=target.learner_id, lesson_id=target.lesson_id,
        package_id=target.package_id, number=(latest["number"] + 1) if latest else 1,
        state="active", total_time_cs=0, started_us=moment, updated_us=moment)
    return store.attempt_by_id(conn, attempt_id), True


def abandoned(row: RowMapping, moment: int, *, by: str, reason: str) -> ProgressEvent:
    return ProgressEvent(kind=ProgressKind.ABANDONED, learner_id=row["learner_id"],
                         lesson_id=row["lesson_id"], session_id=row["id"], occurred_us=moment,
                         data=ProgressData(reason=reason, closed_by=by))


# --- commits --------------------------------------------------------------------------


def session_for_update(*, conn: Connection, session_id: int) -> RowMapping:
    """The open session a commit writes to, locked until the transaction ends."""
    row = store.session_by_id(conn, session_id, lock=True)
    if row is None:
        raise NotFound(f"there is no session {session_id}")
    if row["state"] != "open":
        raise Conflict(f"session {session_id} is {row['state']}; launch the lesson again to "
                       "continue", details={"state": row["state"]})
    return row


def record_update(*, conn: Connection, session: RowMapping, update: SessionUpdate,
                  now: int | None = None) -> int:
    """Store a validated commit on ``session``; return the attempt's new total time (cs).

    ``total_time`` is the total the attempt had when the session opened plus
    the session's latest ``session_time``: the content never sets it.
    """
    moment = now if now is not None else now_us()
    total = int(session["prior_total_time_cs"]) + update.session_time_cs
    score = update.score
    store.update_session(
        conn, session["id"], updated_us=moment, commit_count=session["commit_count"] + 1,
        cmi_json=json.dumps(dict(update.cmi)), session_time_cs=update.session_time_cs,
        total_time_cs=total, completion_status=update.completion_status,
        success_status=update.success_status, score_scaled=score.scaled if score else None,
        score_raw=score.raw if score else None, score_min=score.min if score else None,
        score_max=score.max if score else None, progress_measure=update.progress_measure,
        location=update.location, suspend_data=update.suspend_data, exit=update.exit,
        nav_request=update.nav_request)
    if session["mode"] == "normal":
        store.set_attempt_progress(
            conn, session["attempt_id"], total_time_cs=total, moment=moment,
            completion_status=update.completion_status, success_status=update.success_status,
            progress_measure=update.progress_measure, score=update.score)
    if update.rows_changed:
        store.replace_interactions(conn, session["id"], update.interactions)
        store.replace_objectives(conn, session["id"], update.objectives)
    return total


# --- closing --------------------------------------------------------------------------


def close_session(*, conn: Connection, session_id: int, closed_by: str, reason: str,
                  base_url: str, now: int | None = None) -> SessionSummary:
    """Close an open session by hand, keeping its last committed data."""
    if not reason.strip():
        raise InvalidInput("reason: say why the session is being closed")
    row = store.session_by_id(conn, session_id, lock=True)
    if row is None:
        raise NotFound(f"there is no session {session_id}")
    if row["state"] != "open":
        raise Conflict(f"session {session_id} is already {row['state']}",
                       details={"state": row["state"]})
    apply_events(conn=conn, base_url=base_url, events=[abandoned(
        row, now if now is not None else now_us(), by=closed_by, reason=reason.strip())])
    return get_session(conn=conn, session_id=session_id)


def close_stale_sessions(*, conn: Connection, older_than_days: float, base_url: str,
                         limit: int = 200, now: int | None = None) -> int:
    """Close sessions with no activity for ``older_than_days`` (the worker's job)."""
    moment = now if now is not None else now_us()
    cutoff = moment - int(older_than_days * DAY_US)
    closed = 0
    for session_id in store.stale_open_sessions(conn, cutoff, limit):
        row = store.session_by_id(conn, session_id, lock=True)
        if row is None or row["state"] != "open":
            continue
        apply_events(conn=conn, base_url=base_url, events=[abandoned(
            row, moment, by="worker",
            reason=f"no Terminate and no commit for {older_than_days:g} days "
                   "(CAIRN_SESSION_AUTO_CLOSE_DAYS)")])
        closed += 1
    return closed


# --- reading --------------------------------------------------------------------------


def get_session(*, conn: Connection, session_id: int) -> SessionSummary:
    row = store.session_by_id(conn, session_id)
    if row is None:
        raise NotFound(f"there is no session {session_id}")
    return SessionSummary.from_row(row)


def session_detail(*, conn: Connection, session_id: int) -> SessionDetail:
    """A session with its CMI data, interactions, objectives and journal."""
    row = store.session_by_id(conn, session_id)
    if row is None:
        raise NotFound(f"there is no session {session_id}")
    return SessionDetail(
        **SessionSummary.from_row(row).model_dump(), suspend_data=row["suspend_data"],
        cmi=json.loads(row["cmi_json"]),
        interactions=[InteractionOut.from_row(item)
                      for item in store.interactions_of(conn, session_id)],
        objectives=[ObjectiveOut.from_row(item) for item in store.objectives_of(conn, session_id)],
        journal=journal.lines_of(conn=conn, session_id=session_id))


def list_sessions(*, conn: Connection, state: str | None = None, learner_id: int | None = None,
                  lesson_id: int | None = None, after_id: int = 0, limit: int = 100
                  ) -> list[SessionSummary]:
    if state is not None and state not in ("open", "terminated", "closed"):
        raise InvalidInput("state: must be open, terminated or closed")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit: must be between 1 and {MAX_PAGE}")
    rows = store.list_sessions(conn, state=state, learner_id=learner_id, lesson_id=lesson_id,
                               after_id=after_id, limit=limit)
    return [SessionSummary.from_row(row) for row in rows]


def set_launch_values(*, conn: Connection, session_id: int, values: Mapping[str, str]) -> None:
    """Record the read-only values handed to the session's player (learner id, entry ...)."""
    store.update_session(conn, session_id, launch_json=json.dumps(dict(values)))


def launch_values(*, conn: Connection, session_id: int) -> dict[str, str]:
    """The read-only values the session's player was handed (for commit validation)."""
    row = store.session_by_id(conn, session_id)
    if row is None:
        raise NotFound(f"there is no session {session_id}")
    return dict(json.loads(row["launch_json"]))


def context(*, conn: Connection, session_id: int) -> SessionContext:
    """Who and what the session is about (learner, lesson, course, attempt)."""
    return SessionContext.from_row(store.context(conn, session_id))


def active_package_of_course(*, conn: Connection, learner_id: int, course_id: int
                             ) -> int | None:
    """The course version a learner is in the middle of: a course launch continues there."""
    return store.active_package_of_course(conn, learner_id, course_id)


def attempt_started_us(*, conn: Connection, learner_id: int, lesson_id: int) -> int | None:
    """When the learner's active attempt on a lesson started (None without one)."""
    active = store.active_attempt(conn, learner_id, lesson_id)
    return int(active["started_us"]) if active is not None else None
