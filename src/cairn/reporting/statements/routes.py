"""GET /api/v1/xapi/statements: the LRS read with a REST token, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cairn.accounts.models import Principal
from cairn.reporting.audience import audience_for
from cairn.reporting.paging import DEFAULT_LIMIT
from cairn.reporting.params import moment
from cairn.reporting.policies import REPORT_READERS
from cairn.reporting.statements import service
from cairn.reporting.statements.models import CSV_HEADER
from cairn.reporting.tabular import CSV_OPENAPI, csv_stream, wants_csv
from cairn.responses import JsonResponse
from cairn.sessions.statements import mirror_base

router = APIRouter(prefix="/api/v1/xapi", tags=["reports"])


@router.get("/statements", responses=CSV_OPENAPI)
def statements(
    request: Request, principal: Annotated[Principal, Depends(REPORT_READERS)],
    agent: Annotated[str | None, Query(description="an email, mailto:…, homePage|name, or an "
                                                   "Agent as JSON")] = None,
    learner: Annotated[int | None, Query(description="a Cairn learner id")] = None,
    verb: Annotated[str | None, Query(description="verb IRI")] = None,
    activity: Annotated[str | None, Query(description="activity IRI")] = None,
    registration: Annotated[str | None, Query(description="registration UUID")] = None,
    related_agents: bool = False,
    related_activities: bool = False,
    since: Annotated[str | None, Query(description="stored after (ISO 8601)")] = None,
    until: Annotated[str | None, Query(description="stored at or before (ISO 8601)")] = None,
    sort: Annotated[str, Query(description="-stored (newest first, default) or stored")
                    ] = "-stored",
    cursor: str | None = None,
    limit: Annotated[int | None, Query(description="1..1000, default 100 (CSV: every row "
                                                   "unless given)")] = None,
    format: Annotated[str | None, Query(description="json or csv")] = None,
) -> Response:
    """Statements the caller may see: filters like the LRS's, flat fields, JSON or CSV.

    Voided statements are left out, as the LRS does.
    """
    csv_wanted = wants_csv(request, format)
    wanted = service.StatementFilters(
        agent=agent, learner_id=learner, verb=verb, activity=activity,
        registration=registration, related_agents=related_agents,
        related_activities=related_activities, since_us=moment(since, "since"),
        until_us=moment(until, "until", end_of_day=True), sort=sort)
    db = request.app.state.db
    base_url = mirror_base(request.app.state.settings.base_url)
    with db.reading() as conn:
        query = service.build(conn=conn, audience=audience_for(conn, principal),
                              wanted=wanted, base_url=base_url, cursor=cursor)
        if csv_wanted:
            produce = service.csv_producer(query, limit)
        else:
            found, following = service.page(conn=conn, query=query, sort=sort,
                                             limit=DEFAULT_LIMIT if limit is None else limit)
    if csv_wanted:
        return csv_stream(db, "statements.csv", CSV_HEADER, produce)
    return JsonResponse({"statements": found, "next_cursor": following})
