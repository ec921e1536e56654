"""GET /xapi/activities (Communication 2.5): the full Activity object for an id.

Definitions are kept in ``xapi_activities`` by the statement service as
statements arrive. An id the LRS has never seen a definition for still gets
an Activity object holding just its id: Communication 2.5.s2.b1 asks for
that, and the conformance suite looks up activities that were only ever sent
without a definition and expects 200.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Connection

from cairn.errors import InvalidInput
from cairn.xapi.documents.routes import READ_ANYTHING, json_response
from cairn.xapi.http import query_params
from cairn.xapi.statements.store import activity_definition
from cairn.xapi.validation import validate_iri

router = APIRouter(prefix="/xapi", tags=["xAPI activities"])


@router.api_route("/activities", methods=["GET", "HEAD"],
                  dependencies=[Depends(READ_ANYTHING)])
def get_activity(request: Request) -> Response:
    params = query_params(request)
    unknown = sorted(set(params) - {"activityId"})
    if unknown:
        raise InvalidInput(f"unknown parameter(s): {', '.join(unknown)} "
                           "(only activityId is allowed)")
    if "activityId" not in params:
        raise InvalidInput("activityId: is required")
    validate_iri(params["activityId"], "activityId")
    with request.app.state.db.reading() as conn:
        return json_response(activity_object(conn=conn, activity_id=params["activityId"]))


def activity_object(*, conn: Connection, activity_id: str) -> dict[str, Any]:
    """The stored definition wrapped as an Activity, or the bare Activity if none."""
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    definition = activity_definition(conn, activity_id)
    if definition is not None:
        activity["definition"] = orjson.loads(definition)
    return activity
