"""Sessions over HTTP: closing by hand and the journal (lists live in reporting)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Principal, Role
from cairn.clock import datetime_to_us
from cairn.errors import InvalidInput
from cairn.ids import ID64_MAX, Id32Field, Id64, id32_query, id64_query
from cairn.sessions import journal, service
from cairn.sessions.journal_store import LineFilter

router = APIRouter(prefix="/api/v1", tags=["sessions"])
READERS = RequireRole(Role.ADMIN, Role.AUDITOR)
ADMINS = RequireRole(Role.ADMIN)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class TracingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trace_everyone: bool | None = None
    add: list[Id32Field] = Field(default_factory=list, max_length=1000)
    remove: list[Id32Field] = Field(default_factory=list, max_length=1000)


def _who(principal: Principal) -> str:
    return f"{principal.kind}:{principal.id} ({principal.name})"


@router.post("/sessions/{session_id}/close")
def close_session(session_id: Id64, body: CloseIn, request: Request,
                  principal: Annotated[Principal, Depends(ADMINS)]) -> dict[str, Any]:
    """Close a session that never terminated, keeping its data; records who and why."""
    with request.app.state.db.writing() as conn:
        closed = service.close_session(conn=conn, session_id=session_id,
                                       closed_by=_who(principal), reason=body.reason,
                                       base_url=request.app.state.settings.base_url)
    return closed.model_dump()


def _moment(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return datetime_to_us(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError as exc:
        raise InvalidInput(f"{name}: {value!r} is not an ISO 8601 date or time") from exc


@router.get("/journal", dependencies=[Depends(READERS)])
def search_journal(request: Request, course: Annotated[int | None, id32_query()] = None,
                   lesson: Annotated[int | None, id32_query()] = None,
                   learner: Annotated[int | None, id32_query()] = None,
                   session: Annotated[int | None, id64_query()] = None,
                   call: str | None = None, since: str | None = None, until: str | None = None,
                   after: Annotated[int, Query(ge=0, le=ID64_MAX)] = 0,
                   limit: int = 200) -> dict[str, Any]:
    """Runtime calls of traced learners, by course, lesson, learner, session, call, time."""
    wanted = LineFilter(course_id=course, lesson_id=lesson, learner_id=learner,
                        session_id=session, call=call, since_us=_moment(since, "since"),
                        until_us=_moment(until, "until"))
    with request.app.state.db.reading() as conn:
        lines = journal.search(conn=conn, wanted=wanted, after_id=after, limit=limit)
    return {"lines": [line.model_dump() for line in lines]}


@router.get("/journal/tracing", dependencies=[Depends(READERS)])
def get_tracing(request: Request) -> dict[str, Any]:
    """Whose calls are journaled: the traced learners and the "trace everyone" switch."""
    with request.app.state.db.reading() as conn:
        return journal.tracing(conn=conn).model_dump()


@router.patch("/journal/tracing")
def change_tracing(body: TracingIn, request: Request,
                   principal: Annotated[Principal, Depends(ADMINS)]) -> dict[str, Any]:
    """Add or remove traced learners, or switch "trace everyone"."""
    with request.app.state.db.writing() as conn:
        return journal.change_tracing(conn=conn, by=_who(principal),
                                      trace_everyone=body.trace_everyone, add=body.add,
                                      remove=body.remove).model_dump()
