"""SCORM over HTTP: launch URLs, the player page, and the commit endpoint.

``/play/{token}`` and ``/api/v1/runtime/{session_token}/commit`` are called
by a learner's browser, which has no API credentials: the signed token in
the path is the credential (see :mod:`cairn.scorm.tokens`), checked by the
route's policy like any other.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from cairn.accounts.authz import Policy, RequireRole
from cairn.accounts.models import Principal, Role
from cairn.errors import InvalidInput, NotAuthenticated, PayloadTooLarge
from cairn.ids import id32_query
from cairn.responses import JsonResponse
from cairn.scorm import launch, runtime, tokens
from cairn.scorm.suspend_data import suspend_data_limit
from cairn.web import TEMPLATES_DIR

router = APIRouter(tags=["scorm"])
TEMPLATES = Jinja2Templates(directory=TEMPLATES_DIR)
LAUNCHERS = RequireRole(Role.ADMIN, Role.MANAGER, Role.LEARNER)
COMMIT_TYPES = ("application/json", "text/plain")


class PathToken(Policy):
    """A signed token in the URL path is the caller's credential."""

    def __init__(self, parameter: str, what: str) -> None:
        self.parameter = parameter
        self.description = f"{what} token in the path"

    def __call__(self, request: Request) -> Principal | None:
        token = str(request.path_params.get(self.parameter, ""))
        try:
            if self.parameter == "session_token":
                request.state.session_id = tokens.read_session(token, _secret(request))
            else:
                request.state.play_grant = tokens.read_play(token, _secret(request))
        except tokens.BadToken as exc:
            raise NotAuthenticated(str(exc)) from exc
        return None


PLAYER = PathToken("token", "launch")
RUNTIME = PathToken("session_token", "session")


def _secret(request: Request) -> str:
    return str(request.app.state.secret_key)


def _secrets(request: Request) -> launch.Secrets:
    settings = request.app.state.settings
    return launch.Secrets(secret=_secret(request), launch_ttl=settings.launch_token_ttl_seconds,
                          content_ttl=settings.content_token_ttl_seconds,
                          base_url=settings.base_url,
                          suspend_data_limit_12=suspend_data_limit(settings, "1.2"),
                          suspend_data_limit_2004=suspend_data_limit(settings, "2004"))


@router.post("/api/v1/launches", status_code=201)
def create_launch(body: launch.LaunchIn, request: Request,
                  principal: Annotated[Principal, Depends(LAUNCHERS)]) -> dict[str, Any]:
    """A launch URL for a learner and a lesson (or a course's first lesson)."""
    base_url = request.app.state.settings.base_url or str(request.base_url)
    with request.app.state.db.writing() as conn:
        created = launch.create_launch(conn=conn, request=body, principal=principal,
                                       secrets=_secrets(request),
                                       base_url=base_url.rstrip("/"))
    return created.model_dump()


@router.get("/play/{token}", response_class=HTMLResponse,
            dependencies=[Depends(PLAYER)])
def play(token: str, request: Request,
         lesson: Annotated[int | None, id32_query()] = None) -> HTMLResponse:
    """The player page: scorm-again with the learner's state, the content in a frame."""
    with request.app.state.db.writing() as conn:
        page = launch.start_play(conn=conn, token=token, lesson_id=lesson,
                                 secrets=_secrets(request))
    config = orjson.dumps(page.model_dump()).decode().replace("</", "<\\/")
    return TEMPLATES.TemplateResponse(request, "player.html", {"page": page, "config": config},
                                      headers={"Cache-Control": "no-store"})


@router.post("/api/v1/runtime/{session_token}/commit", dependencies=[Depends(RUNTIME)])
async def commit(session_token: str, request: Request,
                 terminate: Annotated[bool, Query()] = False) -> JsonResponse:
    """scorm-again's commit (JSON, or text/plain from sendBeacon); answers its result shape."""
    del session_token  # read by the policy into request.state.session_id
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in COMMIT_TYPES:
        raise InvalidInput(f"Content-Type must be application/json or text/plain, not "
                           f"{kind or '(none)'!r}")
    body = await _read(request, request.app.state.settings.runtime_max_commit_bytes)
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"the commit is not valid JSON ({exc})") from exc
    if not isinstance(parsed, dict):
        raise InvalidInput("the commit must be a JSON object")
    settings = request.app.state.settings
    job = runtime.Commit(session_id=request.state.session_id, body=parsed, terminate=terminate,
                         base_url=settings.base_url,
                         suspend_data_limit=settings.scorm12_suspend_data_limit)
    done = await run_in_threadpool(_commit, request, job)
    return JsonResponse({"result": True, "errorCode": 0, "session_id": done.session_id,
                         "total_time": done.total_time, "events": done.events})


def _commit(request: Request, job: runtime.Commit) -> runtime.Committed:
    with request.app.state.db.writing() as conn:
        return runtime.commit(conn=conn, request=job)


async def _read(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the commit is larger than {limit} bytes "
                              "(CAIRN_RUNTIME_MAX_COMMIT_BYTES)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"the commit is larger than {limit} bytes "
                                  "(CAIRN_RUNTIME_MAX_COMMIT_BYTES)")
    return bytes(body)
