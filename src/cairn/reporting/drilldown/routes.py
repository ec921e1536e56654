"""The drill-down over HTTP, each level as JSON or CSV."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import Connection
from starlette.responses import Response

from cairn.accounts.models import Principal
from cairn.ids import Id32, Id64
from cairn.reporting.audience import Audience, audience_for
from cairn.reporting.drilldown import service
from cairn.reporting.drilldown.models import (
    LearnerCourse,
    LearnerInteraction,
    LearnerLesson,
    LearnerSession,
    csv_values,
    header,
)
from cairn.reporting.policies import REPORT_READERS
from cairn.reporting.tabular import CSV_OPENAPI, csv_response, wants_csv
from cairn.responses import JsonResponse

router = APIRouter(prefix="/api/v1/learners/{learner_id}", tags=["reports"])
Reader = Annotated[Principal, Depends(REPORT_READERS)]
Format = Annotated[str | None, Query(description="json or csv")]


def _answer(request: Request, principal: Principal, format_param: str | None, key: str,
            model: type[BaseModel],
            read: Callable[[Connection, Audience], Sequence[BaseModel]]) -> Response:
    csv_wanted = wants_csv(request, format_param)
    with request.app.state.db.reading() as conn:
        items = read(conn, audience_for(conn, principal))
    if csv_wanted:
        return csv_response(f"{key}.csv", header(model), (csv_values(item) for item in items))
    return JsonResponse({key: [item.model_dump() for item in items]})


@router.get("/courses", responses=CSV_OPENAPI)
def learner_courses(learner_id: Id32, request: Request, principal: Reader,
                    format: Format = None) -> Response:
    """The learner's courses: status, status date, lessons done / total, time spent."""
    return _answer(request, principal, format, "courses", LearnerCourse,
                   lambda conn, audience: service.courses(
                       conn=conn, audience=audience, learner_id=learner_id))


@router.get("/courses/{course_id}/lessons", responses=CSV_OPENAPI)
def learner_lessons(learner_id: Id32, course_id: Id32, request: Request,
                    principal: Reader, format: Format = None) -> Response:
    """Every lesson of the course for the learner: status, date, score, time, attempts."""
    return _answer(request, principal, format, "lessons", LearnerLesson,
                   lambda conn, audience: service.lessons(
                       conn=conn, audience=audience, learner_id=learner_id,
                       course_id=course_id))


@router.get("/lessons/{lesson_id}/sessions", responses=CSV_OPENAPI)
def learner_lesson_sessions(learner_id: Id32, lesson_id: Id32, request: Request,
                            principal: Reader, format: Format = None) -> Response:
    """The learner's sessions of one lesson: date, status, score, time."""
    return _answer(request, principal, format, "sessions", LearnerSession,
                   lambda conn, audience: service.lesson_sessions(
                       conn=conn, audience=audience, learner_id=learner_id,
                       lesson_id=lesson_id))


@router.get("/sessions/{session_id}/interactions", responses=CSV_OPENAPI)
def learner_session_interactions(learner_id: Id32, session_id: Id64, request: Request,
                                 principal: Reader, format: Format = None) -> Response:
    """One session's interactions: result, score / weight, type, duration, responses."""
    return _answer(request, principal, format, "interactions", LearnerInteraction,
                   lambda conn, audience: service.interactions(
                       conn=conn, audience=audience, learner_id=learner_id,
                       session_id=session_id))
