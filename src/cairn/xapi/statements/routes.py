"""HTTP for /xapi/statements: parse, authorize, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from cairn.accounts.authz import RequireScope, principal_has_scope
from cairn.accounts.models import Principal, Scope
from cairn.clock import now_us
from cairn.errors import CairnError, Conflict, InvalidInput
from cairn.responses import JsonResponse
from cairn.xapi.attachments import AttachmentPart, build_multipart, parse_multipart
from cairn.xapi.http import (
    authority_for,
    media_type,
    parse_json,
    query_params,
    read_body,
    time_headers,
    xapi_version,
)
from cairn.xapi.statements import query as statement_query
from cairn.xapi.statements import reader, service

router = APIRouter(prefix="/xapi", tags=["xAPI statements"])
WRITE = RequireScope(Scope.STATEMENTS_WRITE)
READ = RequireScope(Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE)
Writer = Annotated[Principal, Depends(WRITE)]
ReaderPrincipal = Annotated[Principal, Depends(READ)]


@router.put("/statements", status_code=204, response_class=Response)
async def put_statement(request: Request, principal: Writer) -> Response:
    params = query_params(request)
    statement_id = params.pop("statementId", None)
    if statement_id is None:
        raise InvalidInput("statementId: PUT /xapi/statements needs the statementId parameter")
    if params:
        raise InvalidInput(f"unknown query parameter(s): {', '.join(sorted(params))}")
    statements, parts = await _statements_from(request)
    if not isinstance(statements, dict):
        raise InvalidInput("statement: PUT takes a single statement object")
    given = statements.get("id")
    if given is not None and str(given).lower() != statement_id.lower():
        raise Conflict(f"statementId {statement_id} does not match the statement's id {given}")
    statement = {**statements, "id": statement_id}
    await run_in_threadpool(_store, request, principal, [statement], parts)
    return Response(status_code=204)


@router.post("/statements")
async def post_statements(request: Request, principal: Writer) -> JsonResponse:
    params = query_params(request)
    if params:
        raise InvalidInput(f"unknown query parameter(s) for POST: {', '.join(sorted(params))}")
    statements, parts = await _statements_from(request)
    batch = statements if isinstance(statements, list) else [statements]
    ids = await run_in_threadpool(_store, request, principal, batch, parts)
    return JsonResponse(ids)


@router.api_route("/statements", methods=["GET", "HEAD"])
def get_statements(request: Request, principal: ReaderPrincipal) -> Response:
    mine = None if principal_has_scope(principal, Scope.STATEMENTS_READ) else principal.id
    settings = request.app.state.settings
    who = reader.Reader(credential_id=mine, max_limit=settings.xapi_max_limit,
                        accept_language=request.headers.get("accept-language"),
                        version=xapi_version(request),
                        root_path=request.scope.get("root_path", ""))
    with request.app.state.db.reading() as conn:
        try:
            query = statement_query.parse(query_params(request))
            answer = reader.read(conn=conn, query=query, reader=who)
        except CairnError as exc:
            # Communication 2.1.3: the header comes with every answer, errors included.
            exc.headers.update(time_headers(last_modified_us=now_us(),
                                            consistent_through_us=reader.consistent_through(conn)))
            raise
    headers = time_headers(last_modified_us=answer.last_modified_us,
                           consistent_through_us=answer.consistent_through_us)
    if getattr(query, "attachments", False):
        body, content_type = build_multipart(answer.body, answer.parts)
        return Response(body, media_type=content_type, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)


async def _statements_from(request: Request) -> tuple[Any, dict[str, AttachmentPart]]:
    body = await read_body(request)
    kind = media_type(request)
    if kind == "multipart/mixed":
        parsed = parse_multipart(body, request.headers.get("content-type", ""))
        return parsed.statements, parsed.parts
    if kind != "application/json":
        raise InvalidInput("Content-Type must be application/json or multipart/mixed "
                           f"for statements, not {kind or '(none)'!r}")
    return parse_json(body, "statements"), {}


def _store(request: Request, principal: Principal, batch: list[Any],
           parts: dict[str, AttachmentPart]) -> list[str]:
    settings = request.app.state.settings
    base_url = settings.base_url or str(request.base_url)
    writer = service.Writer(authority=authority_for(principal, base_url),
                            credential_id=principal.id if principal.kind == "credential" else None)
    checked = service.check_statements(statements=batch, version=xapi_version(request),
                                       parts=parts)
    with request.app.state.db.writing() as conn:
        return service.store_checked(conn=conn, batch=checked, writer=writer)
