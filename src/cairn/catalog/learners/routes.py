"""Learners and teams over HTTP: admins manage them; others read whom they may see."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Principal, Role
from cairn.catalog.learners import service
from cairn.catalog.learners.models import LearnerChanges, LearnerIn, TeamChanges, TeamIn
from cairn.ids import ID32_MAX, Id32, id32_query
from cairn.responses import JsonResponse

router = APIRouter(prefix="/api/v1", tags=["learners"])
ADMIN = RequireRole(Role.ADMIN)
VIEWERS = RequireRole(Role.ADMIN, Role.AUDITOR, Role.MANAGER, Role.LEARNER)
TEAM_VIEWERS = RequireRole(Role.ADMIN, Role.AUDITOR, Role.MANAGER)
Viewing = Annotated[Principal, Depends(VIEWERS)]


@router.post("/learners", status_code=201, dependencies=[Depends(ADMIN)])
def create_learner(body: LearnerIn, request: Request) -> JsonResponse:
    """Add a learner; external id is stable, email and employee id optional for HR joins."""
    with request.app.state.db.writing() as conn:
        learner = service.create_learner(conn=conn, data=body)
    return JsonResponse(learner.model_dump(), status_code=201,
                        headers={"Location": f"/api/v1/learners/{learner.id}"})


@router.get("/learners")
def list_learners(
    request: Request, principal: Viewing,
    team_id: Annotated[int | None, id32_query("only this team")] = None,
    after: Annotated[int, Query(ge=0, le=ID32_MAX,
                                 description="continue after this learner id")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Learners the caller may see, by id; page with ``after`` = the last id seen."""
    with request.app.state.db.reading() as conn:
        viewer = service.viewer_for(conn=conn, principal=principal)
        found = service.list_learners(conn=conn, viewer=viewer, team_id=team_id, after=after,
                                      limit=limit)
    return {"learners": [learner.model_dump() for learner in found],
            "next_after": found[-1].id if len(found) == limit else None}


@router.get("/learners/{learner_id}")
def get_learner(learner_id: Id32, request: Request, principal: Viewing) -> dict[str, Any]:
    """One learner, if the caller may see them (otherwise 404)."""
    with request.app.state.db.reading() as conn:
        viewer = service.viewer_for(conn=conn, principal=principal)
        return service.get_learner(conn=conn, learner_id=learner_id, viewer=viewer).model_dump()


@router.patch("/learners/{learner_id}", dependencies=[Depends(ADMIN)])
def update_learner(learner_id: Id32, body: LearnerChanges, request: Request) -> dict[str, Any]:
    """Change the given fields of a learner; the external id never changes."""
    with request.app.state.db.writing() as conn:
        return service.update_learner(conn=conn, learner_id=learner_id,
                                      changes=body).model_dump()


@router.get("/teams")
def list_teams(request: Request,
               principal: Annotated[Principal, Depends(TEAM_VIEWERS)]) -> dict[str, Any]:
    """Teams the caller may see (a manager: the teams they manage)."""
    with request.app.state.db.reading() as conn:
        viewer = service.viewer_for(conn=conn, principal=principal)
        return {"teams": [team.model_dump() for team in
                          service.list_teams(conn=conn, viewer=viewer)]}


@router.post("/teams", status_code=201, dependencies=[Depends(ADMIN)])
def create_team(body: TeamIn, request: Request) -> JsonResponse:
    """Add a team, optionally with the user who manages it."""
    with request.app.state.db.writing() as conn:
        team = service.create_team(conn=conn, data=body)
    return JsonResponse(team.model_dump(), status_code=201,
                        headers={"Location": f"/api/v1/teams/{team.id}"})


@router.patch("/teams/{team_id}", dependencies=[Depends(ADMIN)])
def update_team(team_id: Id32, body: TeamChanges, request: Request) -> dict[str, Any]:
    """Rename a team or change its manager."""
    with request.app.state.db.writing() as conn:
        return service.update_team(conn=conn, team_id=team_id, data=body).model_dump()
