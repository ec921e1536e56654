"""Serving a package's files to the player iframe: ``GET /content/{package_id}/{path}``.

The browser reaches this with a launch's content token (the ``cairn_content``
cookie, or ``?token=`` once, which is then turned into that cookie so the
page's relative links work); admins and authors may also use their bearer
token to preview. Files are served with a fixed content-type table and
``nosniff``; paths that try to leave the package are refused.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Principal, Role
from cairn.catalog import content_access, service
from cairn.catalog.media_types import media_type
from cairn.catalog.paths import UnsafePath
from cairn.catalog.storage import ContentStore
from cairn.errors import InvalidInput, NotAuthenticated, NotFound
from cairn.ids import Id32

router = APIRouter(tags=["content"])
CACHE_CONTROL = "private, max-age=300"


class ContentAccess(RequireRole):
    """A valid content token for this package, or else an admin or author bearer token."""

    def __init__(self) -> None:
        super().__init__(Role.ADMIN, Role.AUTHOR)
        self.description = "content token, or " + self.description

    def __call__(self, request: Request) -> Principal | None:
        tokens = presented_tokens(request)
        package_id = str(request.path_params.get("package_id", ""))
        secret = request.app.state.secret_key
        for token in tokens:
            if package_id.isdigit() and content_access.verify(token, int(package_id), secret):
                request.state.content_token = token
                return None
        if tokens and "authorization" not in request.headers:
            raise NotAuthenticated("the content token is invalid, expired or for another "
                                   "package; launch the lesson again")
        return super().__call__(request)


def presented_tokens(request: Request) -> list[str]:
    """The query token first (a fresh launch), then the cookie."""
    given = (request.query_params.get(content_access.QUERY_PARAMETER),
             request.cookies.get(content_access.COOKIE_NAME))
    return [token for token in given if token]


CONTENT = ContentAccess()


@router.api_route("/content/{package_id}/{path:path}", methods=["GET", "HEAD"])
def content_file(package_id: Id32, path: str, request: Request,
                 _caller: Annotated[Principal | None, Depends(CONTENT)]) -> FileResponse:
    """One file of an imported package, with its content type."""
    content = ContentStore.from_settings(request.app.state.settings)
    with request.app.state.db.reading() as conn:
        storage_path = service.package_storage_path(conn=conn, package_id=package_id)
    try:
        found = content.file(storage_path, path)
    except UnsafePath as exc:
        raise InvalidInput(f"path: '{path}' {exc}") from exc
    if found is None:
        raise NotFound(f"package {package_id} has no file '{path}'")
    response = FileResponse(found, media_type=media_type(found.name), headers={
        "X-Content-Type-Options": "nosniff", "Cache-Control": CACHE_CONTROL})
    query_token = request.query_params.get(content_access.QUERY_PARAMETER)
    if query_token is not None and getattr(request.state, "content_token", None) == query_token:
        response.set_cookie(**content_access.cookie_options(
            package_id, query_token, content_access.seconds_left(query_token),
            secure=request.url.scheme == "https"))
    return response
