"""HTTP for the State, Activity Profile and Agent Profile resources (Communication 2.3, 2.6, 2.7).

The three resources differ only in which parameters address a document, so
each is described once as a :class:`Resource` and the handlers share one
parser. Routes parse parameters and headers, authorize (one policy each),
and hand the rules (merge, ETags, preconditions) to :mod:`.service`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from cairn.accounts.authz import RequireScope
from cairn.accounts.models import Scope
from cairn.clock import datetime_to_us
from cairn.errors import InvalidInput
from cairn.xapi.documents import service
from cairn.xapi.documents.models import (
    Document,
    DocumentAddress,
    DocumentIds,
    DocumentKind,
    Preconditions,
)
from cairn.xapi.http import query_params, read_body, time_headers, xapi_version
from cairn.xapi.validation import (
    agent_ifi,
    parse_timestamp,
    validate_agent,
    validate_iri,
    validate_uuid,
)

router = APIRouter(prefix="/xapi", tags=["xAPI documents"])
STATE_WRITE = RequireScope(Scope.STATE)
STATE_READ = RequireScope(Scope.STATE, Scope.ALL_READ)
PROFILE_WRITE = RequireScope(Scope.PROFILE)
PROFILE_READ = RequireScope(Scope.PROFILE, Scope.ALL_READ)
READ_ANYTHING = RequireScope(Scope.ALL_READ, Scope.STATEMENTS_READ, Scope.STATE, Scope.PROFILE,
                             Scope.DEFINE)
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Resource:
    """The parameters of one document resource, as its tables in the spec list them."""

    kind: DocumentKind
    id_param: str
    context: tuple[str, ...]
    optional: tuple[str, ...] = ()
    id_optional_for: frozenset[str] = READ_METHODS


STATE = Resource(DocumentKind.STATE, "stateId", ("activityId", "agent"), ("registration",),
                 id_optional_for=READ_METHODS | {"DELETE"})
ACTIVITY_PROFILE = Resource(DocumentKind.ACTIVITY_PROFILE, "profileId", ("activityId",))
AGENT_PROFILE = Resource(DocumentKind.AGENT_PROFILE, "profileId", ("agent",))


# --- State (Communication 2.3) -----------------------------------------------------


@router.put("/activities/state", status_code=204, response_class=Response,
            dependencies=[Depends(STATE_WRITE)])
async def put_state(request: Request) -> Response:
    return await _write(request, STATE, service.put_document)


@router.post("/activities/state", status_code=204, response_class=Response,
             dependencies=[Depends(STATE_WRITE)])
async def post_state(request: Request) -> Response:
    return await _write(request, STATE, service.post_document)


@router.api_route("/activities/state", methods=["GET", "HEAD"],
                  dependencies=[Depends(STATE_READ)])
def get_state(request: Request) -> Response:
    return _read(request, STATE)


@router.delete("/activities/state", status_code=204, response_class=Response,
               dependencies=[Depends(STATE_WRITE)])
def delete_state(request: Request) -> Response:
    return _delete(request, STATE)


# --- Activity Profile (Communication 2.7) ----------------------------------------------


@router.put("/activities/profile", status_code=204, response_class=Response,
            dependencies=[Depends(PROFILE_WRITE)])
async def put_activity_profile(request: Request) -> Response:
    return await _write(request, ACTIVITY_PROFILE, service.put_document)


@router.post("/activities/profile", status_code=204, response_class=Response,
             dependencies=[Depends(PROFILE_WRITE)])
async def post_activity_profile(request: Request) -> Response:
    return await _write(request, ACTIVITY_PROFILE, service.post_document)


@router.api_route("/activities/profile", methods=["GET", "HEAD"],
                  dependencies=[Depends(PROFILE_READ)])
def get_activity_profile(request: Request) -> Response:
    return _read(request, ACTIVITY_PROFILE)


@router.delete("/activities/profile", status_code=204, response_class=Response,
               dependencies=[Depends(PROFILE_WRITE)])
def delete_activity_profile(request: Request) -> Response:
    return _delete(request, ACTIVITY_PROFILE)


# --- Agent Profile (Communication 2.6) -------------------------------------------------


@router.put("/agents/profile", status_code=204, response_class=Response,
            dependencies=[Depends(PROFILE_WRITE)])
async def put_agent_profile(request: Request) -> Response:
    return await _write(request, AGENT_PROFILE, service.put_document)


@router.post("/agents/profile", status_code=204, response_class=Response,
             dependencies=[Depends(PROFILE_WRITE)])
async def post_agent_profile(request: Request) -> Response:
    return await _write(request, AGENT_PROFILE, service.post_document)


@router.api_route("/agents/profile", methods=["GET", "HEAD"],
                  dependencies=[Depends(PROFILE_READ)])
def get_agent_profile(request: Request) -> Response:
    return _read(request, AGENT_PROFILE)


@router.delete("/agents/profile", status_code=204, response_class=Response,
               dependencies=[Depends(PROFILE_WRITE)])
def delete_agent_profile(request: Request) -> Response:
    return _delete(request, AGENT_PROFILE)


# --- shared handling ---------------------------------------------------------------------


async def _write(request: Request, resource: Resource, action: Callable[..., None]) -> Response:
    """PUT or POST: parameters first, so a bad request never has its body read."""
    address, _ = parse_address(query_params(request), resource, request.method)
    preconditions = parse_preconditions(request)
    content = await read_body(request)
    content_type = request.headers.get("content-type", "")

    def apply() -> None:
        with request.app.state.db.writing() as conn:
            action(conn=conn, address=address, content=content, content_type=content_type,
                   preconditions=preconditions)

    await run_in_threadpool(apply)
    return Response(status_code=204)


def _read(request: Request, resource: Resource) -> Response:
    address, since_us = parse_address(query_params(request), resource, request.method)
    with request.app.state.db.reading() as conn:
        if address.document_id:
            return document_response(service.get_document(conn=conn, address=address))
        found = service.list_document_ids(conn=conn, address=address, since_us=since_us)
    return ids_response(found)


def _delete(request: Request, resource: Resource) -> Response:
    address, _ = parse_address(query_params(request), resource, request.method)
    preconditions = parse_preconditions(request)
    with request.app.state.db.writing() as conn:
        if address.document_id:
            service.delete_document(conn=conn, address=address, preconditions=preconditions)
        else:
            service.delete_documents(conn=conn, address=address, preconditions=preconditions)
    return Response(status_code=204)


def document_response(document: Document) -> Response:
    headers = {"Content-Type": document.content_type, "ETag": f'"{document.etag}"',
               **time_headers(last_modified_us=document.updated_us)}
    return Response(document.content, headers=headers)


def ids_response(found: DocumentIds) -> Response:
    response = json_response(found.ids)
    if found.last_modified_us is not None:
        response.headers.update(time_headers(last_modified_us=found.last_modified_us))
    return response


def json_response(value: Any) -> Response:
    """A JSON answer with the ETag every GET carries (Communication 3.1.s4.b1)."""
    body = orjson.dumps(value)
    return Response(body, media_type="application/json",
                    headers={"ETag": f'"{service.etag_of(body)}"'})


# --- parameters and headers ---------------------------------------------------------------


def parse_address(params: dict[str, str], resource: Resource,
                  method: str) -> tuple[DocumentAddress, int | None]:
    """The document (or set of documents) a request names, and its ``since`` if listing."""
    reading = method in READ_METHODS
    allowed = {*resource.context, *resource.optional, resource.id_param}
    if reading:
        allowed.add("since")
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise InvalidInput(f"unknown parameter(s) for {method} here: {', '.join(unknown)} "
                           f"(allowed: {', '.join(sorted(allowed))}; names are case-sensitive)")
    for name in resource.context:
        if name not in params:
            raise InvalidInput(f"{name}: is required")
    document_id = params.get(resource.id_param)
    if document_id is None and method not in resource.id_optional_for:
        raise InvalidInput(f"{resource.id_param}: is required for {method}")
    if document_id == "":
        raise InvalidInput(f"{resource.id_param}: must not be empty")
    address = DocumentAddress(
        kind=resource.kind,
        activity_id=_activity_id(params) if "activityId" in resource.context else "",
        agent_ifi=_agent_key(params, resource) if "agent" in resource.context else "",
        registration=_registration(params),
        document_id=document_id or "")
    since = params.get("since")
    # "since" only narrows a list; with an id it is accepted and has no effect.
    return address, None if since is None else datetime_to_us(parse_timestamp(since, "since"))


def parse_agent(raw: str, *, allow_group: bool) -> dict[str, Any]:
    """The ``agent`` parameter: JSON of an Agent (or, where allowed, an identified Group)."""
    try:
        agent = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"agent: is not valid JSON ({exc})") from exc
    validate_agent(agent, "agent")
    assert isinstance(agent, dict)
    if not allow_group and agent.get("objectType") == "Group":
        raise InvalidInput("agent: must be an Agent, not a Group")
    return agent


def _activity_id(params: dict[str, str]) -> str:
    validate_iri(params["activityId"], "activityId")
    return params["activityId"]


def _agent_key(params: dict[str, str], resource: Resource) -> str:
    # The State resource keeps what statements allow: an identified Group
    # addresses documents as well as an Agent. Agent Profile says Agent only.
    agent = parse_agent(params["agent"], allow_group=resource.kind is DocumentKind.STATE)
    key = agent_ifi(agent)
    assert key is not None  # validate_agent refuses anonymous Groups
    return key


def _registration(params: dict[str, str]) -> str:
    value = params.get("registration")
    if value is None:
        return ""
    validate_uuid(value, "registration")
    return value.lower()


def parse_preconditions(request: Request) -> Preconditions:
    return Preconditions(if_match=_entity_tags(request, "If-Match"),
                         if_none_match=_entity_tags(request, "If-None-Match"),
                         guard_every_put=xapi_version(request).documents_need_preconditions)


def _entity_tags(request: Request, header: str) -> tuple[str, ...] | None:
    """``*`` or a comma list of (weak or strong, quoted or not) entity tags."""
    raw = request.headers.get(header)
    if raw is None:
        return None
    tags = tuple(_entity_tag(part) for part in raw.split(",") if part.strip())
    if not tags:
        raise InvalidInput(f'{header}: must be * or one or more ETags such as "3f2a..."')
    return tags


def _entity_tag(part: str) -> str:
    text = part.strip().lower()
    weak = text.startswith("w/")
    text = text.removeprefix("w/").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return "w/" + text if weak else text
