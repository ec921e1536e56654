"""The learner-progress report over HTTP, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cairn.accounts.models import Principal
from cairn.ids import ID32_MAX
from cairn.reporting.audience import audience_for
from cairn.reporting.gc_pause import collector_paused
from cairn.reporting.params import moment
from cairn.reporting.policies import REPORT_READERS
from cairn.reporting.progress import service
from cairn.reporting.progress.models import ProgressReport
from cairn.reporting.tabular import CSV_OPENAPI, csv_response, wants_csv
from cairn.responses import JsonResponse

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Id = Annotated[int | None, Query(ge=1, le=ID32_MAX)]


@router.get("/learner-progress",
            responses={200: {"model": ProgressReport, **CSV_OPENAPI[200]}})
def learner_progress(
    request: Request, principal: Annotated[Principal, Depends(REPORT_READERS)],
    group_by: Annotated[str | None, Query(
        description="one or two of course, package, lesson, team, learner, period "
                    "(comma-separated; default course)")] = None,
    period: Annotated[str | None, Query(description="day, week or month (default)")] = None,
    course: Id = None, package: Id = None, lesson: Id = None, team: Id = None,
    learner: Id = None,
    since: Annotated[str | None, Query(description="attempts started at or after")] = None,
    until: Annotated[str | None, Query(description="attempts started before")] = None,
    format: Annotated[str | None, Query(description="json or csv")] = None,
) -> Response:
    """Completion rate, pass rate, average and median score, time-on-task, per group.

    Counted per attempt (one learner's go at one lesson, over its sessions).
    """
    csv_wanted = wants_csv(request, format)
    dimensions, size = service.parse_group_by(group_by, period)
    filters = {name: value for name, value in (("course", course), ("package", package),
                                               ("lesson", lesson), ("team", team),
                                               ("learner", learner)) if value is not None}
    query = service.ProgressQuery(group_by=dimensions, period=size, filters=filters,
                                  since_us=moment(since, "since"),
                                  until_us=moment(until, "until", end_of_day=True))
    with collector_paused(), request.app.state.db.reading() as conn:
        result = service.report(conn=conn, audience=audience_for(conn, principal),
                                query=query)
    if csv_wanted:
        return csv_response("learner-progress.csv", service.csv_header(dimensions),
                            service.csv_rows(result))
    return JsonResponse(result)
