"""The runtime journal: every API call a traced learner's content made.

The player records each call (Initialize, GetValue, SetValue, Commit,
GetLastError, Terminate, and the SCORM 1.2 ``LMS*`` names) and sends the
lines with its next commit; they are stored with that commit, in its
transaction, for learners on the traced list or when "trace everyone" is
on. Lines are numbered per session, so a resent commit stores nothing
twice. The worker deletes lines older than ``CAIRN_JOURNAL_RETENTION_DAYS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import Connection, RowMapping

from cairn.catalog.learners import service as learners
from cairn.clock import now_us, us_to_iso
from cairn.errors import InvalidInput
from cairn.sessions import journal_store
from cairn.sessions.journal_store import LineFilter
from cairn.sessions.models import JournalLineOut

DAY_US = 86_400 * 1_000_000
MAX_PAGE = 1000
CALLS_2004 = ("Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
              "GetErrorString", "GetDiagnostic")
CALLS_12 = ("LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
            "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic")
CALLS = frozenset(CALLS_2004 + CALLS_12)


@dataclass(frozen=True)
class JournalEntry:
    """One API call as the player saw it."""

    seq: int
    call: str
    element: str | None
    value: str | None
    result: str | None
    error_code: int
    occurred_us: int

    def problem(self) -> str | None:
        if self.call not in CALLS:
            return f"call {self.call!r} is not a SCORM API function"
        if self.seq < 0 or self.error_code < 0:
            return "seq and error_code must not be negative"
        return None


def check_entries(entries: Sequence[JournalEntry]) -> None:
    """Refuse a batch with a line that is not a SCORM call, naming the line."""
    for index, entry in enumerate(entries):
        problem = entry.problem()
        if problem is not None:
            raise InvalidInput(f"journal[{index}]: {problem}", details={"line": index})


def record(*, conn: Connection, session: RowMapping, entries: Sequence[JournalEntry],
           now: int | None = None) -> int:
    """Store ``entries`` for ``session`` if its learner is traced; return how many were kept."""
    check_entries(entries)
    if not entries or not journal_store.is_traced(conn, session["learner_id"]):
        return 0
    recorded = now if now is not None else now_us()
    journal_store.insert_lines(conn, [
        {"session_id": session["id"], "learner_id": session["learner_id"],
         "lesson_id": session["lesson_id"], "seq": entry.seq, "call": entry.call,
         "element": entry.element, "value": entry.value, "result": entry.result,
         "error_code": entry.error_code, "occurred_us": entry.occurred_us,
         "recorded_us": recorded} for entry in entries])
    return len(entries)


def is_traced(*, conn: Connection, learner_id: int) -> bool:
    return journal_store.is_traced(conn, learner_id)


def lines_of(*, conn: Connection, session_id: int) -> list[JournalLineOut]:
    return [JournalLineOut.from_row(row)
            for row in journal_store.lines_of_session(conn, session_id)]


def search(*, conn: Connection, wanted: LineFilter, after_id: int = 0, limit: int = 200
           ) -> list[JournalLineOut]:
    """Journal lines by course, lesson, learner, session, call and time, oldest first."""
    if wanted.call is not None and wanted.call not in CALLS:
        raise InvalidInput(f"call: {wanted.call!r} is not a SCORM API function; use one of "
                           f"{', '.join(CALLS_2004 + CALLS_12)}")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit: must be between 1 and {MAX_PAGE}")
    return [JournalLineOut.from_row(row)
            for row in journal_store.search(conn, wanted, after_id=after_id, limit=limit)]


def purge(*, conn: Connection, older_than_days: float, limit: int = 5000,
          now: int | None = None) -> int:
    """Delete journal lines recorded more than ``older_than_days`` ago (the worker's job)."""
    moment = now if now is not None else now_us()
    return journal_store.delete_recorded_before(conn, moment - int(older_than_days * DAY_US),
                                                limit)


# --- tracing --------------------------------------------------------------------------


class TracedLearner(BaseModel):
    learner_id: int
    added_by: str
    added_at: str


class Tracing(BaseModel):
    """Whose runtime calls are journaled."""

    trace_everyone: bool
    learners: list[TracedLearner]


def tracing(*, conn: Connection) -> Tracing:
    return Tracing(trace_everyone=journal_store.trace_everyone(conn),
                   learners=[TracedLearner(learner_id=row["learner_id"], added_by=row["added_by"],
                                           added_at=us_to_iso(row["added_us"]))
                             for row in journal_store.traced(conn)])


def change_tracing(*, conn: Connection, by: str, trace_everyone: bool | None = None,
                   add: Sequence[int] = (), remove: Sequence[int] = ()) -> Tracing:
    """Edit the traced list and the "trace everyone" switch; unknown learners are refused."""
    moment = now_us()
    for learner_id in add:
        learners.get_learner(conn=conn, learner_id=learner_id)
    if trace_everyone is not None:
        journal_store.set_trace_everyone(conn, trace_everyone, by, moment)
    journal_store.add_traced(conn, list(dict.fromkeys(add)), by, moment)
    journal_store.remove_traced(conn, list(remove))
    return tracing(conn=conn)
