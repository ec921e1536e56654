"""GET /api/v1/xapi/statements: the LRS read with a REST token, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cairn.accounts.models import Principal
from cairn.ids import ID32_MAX
from cairn.reporting.audience import audience_for
from cairn.reporting.paging import DEFAULT_LIMIT
from cairn.reporting.params import moment
from cairn.reporting.policies import REPORT_READERS
from cairn.reporting.statements import service
from cairn.reporting.statements.fields import CSV_HEADER, CSV_TEXT_COLUMNS
from cairn.reporting.statements.models import StatementFilters, StatementPage, VoidedChoice
from cairn.reporting.tabular import CSV_OPENAPI, csv_stream, text_cells, wants_csv
from cairn.responses import JsonResponse
from cairn.sessions.statements import mirror_base

router = APIRouter(prefix="/api/v1/xapi", tags=["reports"])
RESPONSES: dict[int | str, dict[str, Any]] = {200: {**CSV_OPENAPI[200], "model": StatementPage}}


@router.get("/statements", responses=RESPONSES)
def statements(
    request: Request, principal: Annotated[Principal, Depends(REPORT_READERS)],
    agent: Annotated[str | None, Query(description=service.AGENT_FORMS)] = None,
    learner: Annotated[int | None, Query(ge=1, le=ID32_MAX,
                                         description="a Cairn learner id")] = None,
    verb: Annotated[str | None, Query(description="verb IRI")] = None,
    activity: Annotated[str | None, Query(description="activity IRI")] = None,
    registration: Annotated[str | None, Query(description="registration UUID")] = None,
    related_agents: Annotated[bool, Query(description="agent/learner anywhere in the "
                                                      "statement, as in xAPI")] = False,
    related_activities: Annotated[bool, Query(description="activity also as a context "
                                                          "activity, as in xAPI")] = False,
    since: Annotated[str | None, Query(description="stored after (ISO 8601)")] = None,
    until: Annotated[str | None, Query(description="stored at or before (ISO 8601; a bare "
                                                   "date includes that day)")] = None,
    voided: Annotated[VoidedChoice, Query(description="exclude (default, as the LRS), "
                                                      "include, or only")] = "exclude",
    sort: Annotated[str | None, Query(description="-stored (newest first, default) or "
                                                  "stored")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int | None, Query(description="page size, 1..1000 (default 100; CSV: "
                                                   "every row unless given)")] = None,
    format: Annotated[str | None, Query(description="json or csv")] = None,
) -> Response:
    """Statements the caller may see, filtered like the LRS's; flat fields, JSON or CSV.

    A manager sees statements about their teams' learners, a learner their own.
    """
    csv_wanted = wants_csv(request, format)
    wanted = StatementFilters(
        agent=agent, learner_id=learner, verb=verb, activity=activity,
        registration=registration, related_agents=related_agents,
        related_activities=related_activities, since_us=moment(since, "since"),
        until_us=moment(until, "until", end_of_day=True), voided=voided)
    order = service.sort_for(sort)
    db = request.app.state.db
    base_url = mirror_base(request.app.state.settings.base_url)
    with db.reading() as conn:
        selection = service.build(conn=conn, audience=audience_for(conn, principal),
                                  wanted=wanted, sort=order, base_url=base_url, cursor=cursor)
        if csv_wanted:
            produce = service.csv_producer(selection, limit)
        else:
            found, following = service.page(conn=conn, selection=selection, sort=order,
                                            limit=DEFAULT_LIMIT if limit is None else limit)
    if csv_wanted:
        return csv_stream(db, "statements.csv", CSV_HEADER, produce,
                          text_cells(CSV_HEADER, CSV_TEXT_COLUMNS), text_rows=True)
    return JsonResponse({"statements": found, "next_cursor": following})
