"""Forwarding rules over HTTP (administrators only); passwords go in, never out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Role
from cairn.ids import Id32, id64_query
from cairn.outbound.forwarding import service
from cairn.outbound.forwarding.models import RuleIn, RulePatch
from cairn.outbound.request_context import allow_private_targets, request_box

router = APIRouter(prefix="/api/v1/forwarding", tags=["forwarding"],
                   dependencies=[Depends(RequireRole(Role.ADMIN))])


@router.post("", status_code=201)
def create_rule(body: RuleIn, request: Request) -> dict[str, Any]:
    """Forward statements (optionally filtered) to another LRS."""
    with request.app.state.db.writing() as conn:
        rule = service.create_rule(
            conn=conn, box=request_box(request), name=body.name, endpoint=body.endpoint,
            username=body.username, password=body.password, xapi_version=body.xapi_version,
            verbs=body.verbs, activities=body.activities, active=body.active,
            allow_private=allow_private_targets(request))
    return rule.to_json()


@router.get("")
def list_rules(request: Request) -> dict[str, Any]:
    """Statement forwarding rules to other LRSs."""
    with request.app.state.db.reading() as conn:
        return {"rules": [rule.to_json() for rule in service.list_rules(conn=conn)]}


@router.get("/{rule_id}")
def get_rule(rule_id: Id32, request: Request) -> dict[str, Any]:
    """One forwarding rule."""
    with request.app.state.db.reading() as conn:
        return service.get_rule(conn=conn, rule_id=rule_id).to_json()


@router.patch("/{rule_id}")
def update_rule(rule_id: Id32, body: RulePatch, request: Request) -> dict[str, Any]:
    """Change a forwarding rule's target, credentials, filter or active flag."""
    with request.app.state.db.writing() as conn:
        rule = service.update_rule(conn=conn, box=request_box(request), rule_id=rule_id,
                                   changes=body.model_dump(exclude_unset=True),
                                   allow_private=allow_private_targets(request))
    return rule.to_json()


@router.delete("/{rule_id}", status_code=204)
def delete_rule(rule_id: Id32, request: Request) -> Response:
    """Remove a forwarding rule."""
    with request.app.state.db.writing() as conn:
        service.delete_rule(conn=conn, rule_id=rule_id)
    return Response(status_code=204)


@router.get("/{rule_id}/deliveries")
def list_deliveries(rule_id: Id32, request: Request,
                    status: Annotated[str | None, Query(max_length=20)] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50,
                    before: Annotated[int | None, id64_query()] = None) -> dict[str, Any]:
    """One row per forwarded statement (its ``event_id`` is the statement id), newest first."""
    with request.app.state.db.reading() as conn:
        found = service.list_deliveries(conn=conn, rule_id=rule_id, status=status, limit=limit,
                                        before=before)
    return {"deliveries": found}


@router.post("/{rule_id}/redeliver-failed", status_code=202)
def redeliver_failed(rule_id: Id32, request: Request) -> dict[str, Any]:
    """Queue again every statement forward of this rule that ended as failed."""
    with request.app.state.db.writing() as conn:
        return {"redelivered": service.redeliver_failed(conn=conn, rule_id=rule_id)}
