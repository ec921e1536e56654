"""Authorization policies, declared next to each route as a dependency.

Every route names exactly one policy (``Public``, ``RequireRole`` or
``RequireScope``); tests/integration/test_route_policies.py walks the app's
routes and proves each refuses an anonymous caller and a wrong role or scope.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time
from typing import Any

from fastapi import Request

from cairn.accounts import service
from cairn.accounts.models import Principal, Role, Scope, expand_scopes
from cairn.errors import NotAuthenticated, PermissionDenied

# REST tokens may also read or write the LRS, through their role.
ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset({Scope.ALL}),
    Role.AUDITOR: frozenset({Scope.ALL_READ}),
}


class Policy:
    """Base: resolves the caller, then decides. Subclasses say what is allowed."""

    description = "policy"

    def __call__(self, request: Request) -> Principal | None:
        principal = authenticate(request)
        self.check(principal)
        request.state.principal = principal
        return principal

    def check(self, principal: Principal) -> None:
        raise PermissionDenied("no policy allows this")


class Public(Policy):
    """Anyone, authenticated or not (health checks, the xAPI About resource)."""

    description = "public"

    def __call__(self, request: Request) -> Principal | None:
        return None


class RequireRole(Policy):
    """A person or REST token holding one of ``roles``."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)
        self.description = "role: " + " | ".join(sorted(roles))

    def check(self, principal: Principal) -> None:
        if principal.role is None or principal.role not in self.roles:
            raise PermissionDenied(f"this needs one of the roles: {', '.join(sorted(self.roles))}")


class RequireScope(Policy):
    """An LRS client holding any of ``scopes`` (xAPI Communication 4.1)."""

    def __init__(self, *scopes: Scope) -> None:
        self.scopes = scopes
        self.description = "scope: " + " | ".join(scopes)

    def check(self, principal: Principal) -> None:
        if not any(principal_has_scope(principal, scope) for scope in self.scopes):
            raise PermissionDenied(f"this needs the scope {' or '.join(self.scopes)}")


def principal_has_scope(principal: Principal, scope: Scope) -> bool:
    if principal.role is not None:
        return scope in expand_scopes(ROLE_SCOPES.get(principal.role, frozenset()))
    return principal.has_scope(scope)


class RecentPrincipals:
    """Who presented an Authorization header in the last few seconds.

    LRS clients send the same header on every statement; remembering the
    answer briefly saves a database round trip per request. Keys are SHA-256
    digests of the header, never the credentials themselves; a revoked
    credential stops working within ``ttl_seconds``.
    """

    def __init__(self, ttl_seconds: float = 5.0, capacity: int = 10_000) -> None:
        self._ttl = ttl_seconds
        self._capacity = capacity
        self._seen: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, header: str) -> Principal | None:
        key = hashlib.sha256(header.encode()).hexdigest()
        with self._lock:
            found = self._seen.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def remember(self, header: str, principal: Principal) -> None:
        key = hashlib.sha256(header.encode()).hexdigest()
        with self._lock:
            if len(self._seen) >= self._capacity:
                self._seen.clear()
            self._seen[key] = (time.monotonic() + self._ttl, principal)


def authenticate(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    recent: RecentPrincipals = request.app.state.recent_principals
    known = recent.get(header) if header else None
    if known is not None:
        return known
    principal = _authenticate_header(request, header)
    recent.remember(header, principal)
    return principal


def _authenticate_header(request: Request, header: str) -> Principal:
    scheme, _, value = header.partition(" ")
    db = request.app.state.db
    with db.reading() as conn:
        if scheme.lower() == "bearer" and value.strip():
            return service.authenticate_bearer(conn=conn, token=value.strip())
        if scheme.lower() == "basic" and value.strip():
            key, secret = _decode_basic(value.strip())
            return service.authenticate_basic(conn=conn, key=key, secret=secret)
    raise NotAuthenticated("credentials are required (HTTP Basic for the LRS, Bearer for the API)")


def _decode_basic(value: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise NotAuthenticated("the Basic credentials are not valid base64") from exc
    key, sep, secret = decoded.partition(":")
    if not sep:
        raise NotAuthenticated("the Basic credentials must be 'key:secret'")
    return key, secret


def route_policy(dependencies: list[Any]) -> Policy | None:
    """Find the policy among a route's dependencies (used by the route-walk test)."""
    for dependency in dependencies:
        call = getattr(dependency, "call", None)
        if isinstance(call, Policy):
            return call
    return None
