"""GET /xapi/agents (Communication 2.4): the Person object for an Agent.

Cairn has no directory service to combine personas from, so the Person holds
what the request's Agent says, each value wrapped in an array as the Person
object's shape demands. Communication 2.4.s3.b3 requires exactly this when
the LRS knows nothing more about the Agent.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from cairn.errors import InvalidInput
from cairn.xapi.documents.routes import READ_ANYTHING, json_response, parse_agent
from cairn.xapi.http import query_params

router = APIRouter(prefix="/xapi", tags=["xAPI agents"])
PERSON_KEYS = ("name", "mbox", "mbox_sha1sum", "openid", "account")


@router.api_route("/agents", methods=["GET", "HEAD"], dependencies=[Depends(READ_ANYTHING)])
def get_person(request: Request) -> Response:
    params = query_params(request)
    unknown = sorted(set(params) - {"agent"})
    if unknown:
        raise InvalidInput(f"unknown parameter(s): {', '.join(unknown)} (only agent is allowed)")
    if "agent" not in params:
        raise InvalidInput("agent: is required")
    # Communication 2.4.s2: the parameter is an Agent, "not a Person Object, nor a Group".
    return json_response(person_of(parse_agent(params["agent"], allow_group=False)))


def person_of(agent: dict[str, Any]) -> dict[str, Any]:
    """Communication 2.4.s5: every Agent property becomes a one-element array."""
    person: dict[str, Any] = {"objectType": "Person"}
    for key in PERSON_KEYS:
        if key in agent:
            person[key] = [agent[key]]
    return person
