"""The one place where errors become HTTP responses.

Services raise :mod:`cairn.errors` exceptions; this table maps each class to a
status code. Every non-xAPI endpoint answers errors with the same JSON body,
``{"error": code, "message": text, "details": any}``, pinned by a test.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from cairn import errors
from cairn.responses import JsonResponse

log = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[errors.CairnError], int] = {
    errors.InvalidInput: 400,
    errors.NotAuthenticated: 401,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.PreconditionFailed: 412,
    errors.PayloadTooLarge: 413,
    errors.PreconditionRequired: 428,
}

HTTP_CODES = {400: "invalid_input", 401: "not_authenticated", 403: "permission_denied",
              404: "not_found", 405: "method_not_allowed", 409: "conflict",
              412: "precondition_failed", 413: "payload_too_large",
              415: "unsupported_media_type"}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": code, "message": message, "details": details}


def status_for(exc: errors.CairnError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def _cairn_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.CairnError)
    status = status_for(exc)
    headers = dict(exc.headers)
    if status == 401:
        headers["WWW-Authenticate"] = _challenge(request)
    return JsonResponse(
        error_body(exc.code, exc.message, exc.details), status_code=status, headers=headers
    )


def _challenge(request: Request) -> str:
    if request.url.path.startswith("/xapi"):
        return 'Basic realm="Cairn LRS"'
    return 'Bearer realm="Cairn API"'


def _validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [_describe(err) for err in exc.errors()]
    return JsonResponse(
        error_body("invalid_input", "; ".join(problems), details=problems), status_code=400
    )


def _describe(err: Any) -> str:
    where = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
    return f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid"))


def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    return JsonResponse(
        error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JsonResponse(
        error_body("internal_error", "Cairn hit an unexpected error; it has been logged."),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.CairnError, _cairn_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
