"""Sessions over HTTP for people and BI tools: lists, CSV, one session in full."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cairn.accounts.models import Principal
from cairn.ids import Id64, id32_query
from cairn.reporting.audience import audience_for
from cairn.reporting.paging import DEFAULT_LIMIT
from cairn.reporting.params import moment
from cairn.reporting.policies import REPORT_READERS
from cairn.reporting.sessions import service
from cairn.reporting.sessions.models import CSV_HEADER, CSV_TEXT_COLUMNS, SessionFilters
from cairn.reporting.tabular import CSV_OPENAPI, csv_stream, text_cells, wants_csv
from cairn.responses import JsonResponse

router = APIRouter(prefix="/api/v1", tags=["reports"])
Reader = Annotated[Principal, Depends(REPORT_READERS)]


@router.get("/sessions", responses=CSV_OPENAPI)
def list_sessions(
    request: Request, principal: Reader,
    course: Annotated[int | None, id32_query("course id")] = None,
    package: Annotated[int | None, id32_query("package (course version) id")] = None,
    lesson: Annotated[int | None, id32_query("lesson id")] = None,
    learner: Annotated[int | None, id32_query("learner id")] = None,
    team: Annotated[int | None, id32_query("team id")] = None,
    since: Annotated[str | None, Query(description="started at or after (ISO 8601)")] = None,
    until: Annotated[str | None, Query(description="started before (ISO 8601; a bare date "
                                                   "includes that day)")] = None,
    completion_status: str | None = None,
    success_status: str | None = None,
    state: Annotated[str | None, Query(description="open, terminated or closed")] = None,
    open: Annotated[bool | None, Query(description="true: state open; false: any other")
                    ] = None,
    standard: Annotated[str | None, Query(description="scorm12 or scorm2004")] = None,
    sort: Annotated[str | None, Query(description="columns, `-` for descending, e.g. "
                                                  "`-started_at,learner_name`")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int | None, Query(description="page size, 1..1000 (default 100; CSV: "
                                                   "every row unless given)")] = None,
    format: Annotated[str | None, Query(description="json or csv")] = None,
) -> Response:
    """Sessions the caller may see, filtered and sorted; JSON pages or the whole list as CSV.

    A manager sees their teams' learners, a learner only themself.
    """
    csv_wanted = wants_csv(request, format)
    filters = SessionFilters(
        course_id=course, package_id=package, lesson_id=lesson, learner_id=learner,
        team_id=team, since_us=moment(since, "since"),
        until_us=moment(until, "until", end_of_day=True),
        completion_status=completion_status, success_status=success_status, state=state,
        open=open, standard=standard)
    order = service.sort_for(sort)
    db = request.app.state.db
    with db.reading() as conn:
        audience = audience_for(conn, principal)
        if csv_wanted:
            produce = service.csv_rows(audience=audience, filters=filters, sort=order,
                                       limit=limit)
        else:
            found, following = service.list_page(
                conn=conn, audience=audience, filters=filters, sort=order, cursor=cursor,
                limit=DEFAULT_LIMIT if limit is None else limit)
    if csv_wanted:
        return csv_stream(db, "sessions.csv", CSV_HEADER, produce,
                          text_cells(CSV_HEADER, CSV_TEXT_COLUMNS), text_rows=True)
    return JsonResponse({"sessions": [item.model_dump() for item in found],
                         "next_cursor": following})


@router.get("/sessions/{session_id}")
def get_session(session_id: Id64, request: Request, principal: Reader) -> dict[str, Any]:
    """One session with its CMI data, interactions, objectives and journal."""
    with request.app.state.db.reading() as conn:
        audience = audience_for(conn, principal)
        return service.detail(conn=conn, audience=audience, session_id=session_id).model_dump()
