"""The activity feed over HTTP."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cairn.accounts.models import Principal
from cairn.ids import ID32_MAX
from cairn.reporting.activities import service
from cairn.reporting.audience import audience_for
from cairn.reporting.paging import DEFAULT_LIMIT
from cairn.reporting.params import ROW_COUNT_MAX, moment
from cairn.reporting.policies import REPORT_READERS
from cairn.reporting.tabular import CSV_OPENAPI, csv_stream, wants_csv
from cairn.responses import JsonResponse

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get("/activities", responses=CSV_OPENAPI)
def activities(
    request: Request, principal: Annotated[Principal, Depends(REPORT_READERS)],
    student_id: Annotated[int | None, Query(ge=1, le=ID32_MAX,
                                            description="learner id")] = None,
    course_id: Annotated[int | None, Query(ge=1, le=ID32_MAX,
                                           description="course id")] = None,
    content_id: Annotated[int | None, Query(ge=1, le=ID32_MAX,
                                            description="lesson id")] = None,
    query: Annotated[str | None, Query(description="text in the course or lesson title or "
                                                   "the learner's name, id or email")] = None,
    updated_gte: Annotated[str | None, Query(description="changed at or after (ISO 8601): "
                                                         "incremental sync")] = None,
    limit: Annotated[int | None, Query(description="1..1000, default 100 (CSV: every row "
                                                   "unless given)")] = None,
    offset: Annotated[int, Query(ge=0, le=ROW_COUNT_MAX, description="rows to skip")] = 0,
    fields: Annotated[str | None, Query(description="comma-separated field names")] = None,
    format: Annotated[str | None, Query(description="json or csv")] = None,
) -> Response:
    """Learner progress per content item (one per attempt), oldest change first.

    For incremental sync: remember the newest `updated_at` you received and
    ask again with `updated_gte` set to it.
    """
    csv_wanted = wants_csv(request, format)
    chosen = service.parse_fields(fields)
    wanted = service.FeedQuery(
        student_id=student_id, course_id=course_id, content_id=content_id, text=query,
        updated_gte=moment(updated_gte, "updated_gte"), offset=offset,
        limit=limit if limit is not None or csv_wanted else DEFAULT_LIMIT)
    db = request.app.state.db
    with db.reading() as conn:
        sql = service.build_query(audience_for(conn, principal), wanted)
        if not csv_wanted:
            items = service.page(conn=conn, query=sql, fields=chosen)
    if csv_wanted:
        return csv_stream(db, "activities.csv", chosen, service.csv_producer(sql, chosen))
    return JsonResponse({"activities": items, "limit": wanted.limit, "offset": offset,
                         "count": len(items)})
