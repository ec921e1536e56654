"""Courses, package versions and lessons over HTTP; uploading a package creates a version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Principal, Role
from cairn.catalog import importer, service, upload
from cairn.catalog.storage import ContentStore
from cairn.catalog.zipsafety import ZipLimits
from cairn.ids import Id32
from cairn.responses import JsonResponse

router = APIRouter(prefix="/api/v1", tags=["catalog"])
AUTHORS = RequireRole(Role.ADMIN, Role.AUTHOR)
READERS = RequireRole(Role.ADMIN, Role.AUTHOR, Role.AUDITOR, Role.MANAGER)
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "the package zip"},
        "course_id": {"type": "integer", "description": "add a version to this course"}}}}}}}


@router.post("/packages", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload_package(request: Request,
                         principal: Annotated[Principal, Depends(AUTHORS)]) -> JsonResponse:
    """Import a SCORM 1.2 / 2004 zip as a new version of its course."""
    settings = request.app.state.settings
    limits = ZipLimits.from_settings(settings)
    content = ContentStore.from_settings(settings)
    with content.upload_file() as spool:
        course_id = await upload.receive(request, spool, limits.max_bytes)
        job = importer.ImportRequest(archive=spool, course_id=course_id,
                                     uploaded_by=f"{principal.kind}:{principal.id}")
        package_id = await run_in_threadpool(
            lambda: importer.import_archive(database=request.app.state.db, content=content,
                                            limits=limits, request=job))
    with request.app.state.db.reading() as conn:
        package = service.get_package(conn=conn, package_id=package_id)
    return JsonResponse(package.model_dump(), status_code=201,
                        headers={"Location": f"/api/v1/packages/{package_id}"})


@router.get("/courses", dependencies=[Depends(READERS)])
def list_courses(request: Request) -> dict[str, Any]:
    """Courses with their latest package version."""
    with request.app.state.db.reading() as conn:
        courses = service.list_courses(conn=conn)
    return {"courses": [course.model_dump() for course in courses]}


@router.get("/courses/{course_id}", dependencies=[Depends(READERS)])
def get_course(course_id: Id32, request: Request) -> dict[str, Any]:
    """One course with every package version it has had."""
    with request.app.state.db.reading() as conn:
        return service.get_course(conn=conn, course_id=course_id).model_dump()


@router.get("/packages/{package_id}", dependencies=[Depends(READERS)])
def get_package(package_id: Id32, request: Request) -> dict[str, Any]:
    """One package version: standard, manifest facts, size, and its lessons."""
    with request.app.state.db.reading() as conn:
        return service.get_package(conn=conn, package_id=package_id).model_dump()


@router.get("/lessons/{lesson_id}", dependencies=[Depends(READERS)])
def get_lesson(lesson_id: Id32, request: Request) -> dict[str, Any]:
    """One lesson (SCO or asset) with what its manifest says about launching and mastery."""
    with request.app.state.db.reading() as conn:
        return service.get_lesson(conn=conn, lesson_id=lesson_id).model_dump()
