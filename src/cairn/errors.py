"""Domain errors raised by services.

Services never know about HTTP; they raise one of these and the single
handler in :mod:`cairn.http_errors` turns it into a status code and the JSON
body ``{"error": code, "message": ..., "details": ...}``.
"""

from __future__ import annotations

from typing import Any


class CairnError(Exception):
    """Base of every error a service may raise on purpose."""

    code = "error"

    def __init__(self, message: str, *, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}


class InvalidInput(CairnError):
    """The request is malformed or breaks a rule; nothing was written."""

    code = "invalid_input"


class NotAuthenticated(CairnError):
    """No credentials, or credentials that match nobody."""

    code = "not_authenticated"


class PermissionDenied(CairnError):
    """Authenticated, but the role or scope does not allow this."""

    code = "permission_denied"


class NotFound(CairnError):
    """The addressed resource does not exist (or is hidden from the caller)."""

    code = "not_found"


class Conflict(CairnError):
    """The write contradicts what is stored (same id, different content)."""

    code = "conflict"


class PreconditionFailed(CairnError):
    """An If-Match / If-None-Match header does not hold."""

    code = "precondition_failed"


class PreconditionRequired(CairnError):
    """A concurrency header is needed to change this resource safely."""

    code = "precondition_required"


class PayloadTooLarge(CairnError):
    """The request body or an uploaded file exceeds a configured limit."""

    code = "payload_too_large"
