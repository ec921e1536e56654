"""Signed, expiring tokens that let a player iframe load one package's files.

Content pages load their images and scripts by relative URL, so they cannot
send a bearer token; the launch instead gives the browser a short-lived token
for one package, as the ``cairn_content`` cookie scoped to
``/content/{package_id}/`` (or once as ``?token=``, which the content route
turns into that cookie). A token is ``<package>.<expires>.<signature>``: an
HMAC-SHA256 over the first two parts, with a key derived from the server
secret for this purpose only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

COOKIE_NAME = "cairn_content"
QUERY_PARAMETER = "token"
_PURPOSE = b"cairn content access v1"


def issue(package_id: int, secret: str, ttl: float, *, now: float | None = None) -> str:
    """A token for ``package_id`` valid ``ttl`` seconds from ``now``."""
    expires = int((time.time() if now is None else now) + ttl)
    payload = f"{package_id}.{expires}"
    return f"{payload}.{_signature(payload, secret)}"


def verify(token: str, package_id: int, secret: str, *, now: float | None = None) -> bool:
    """True when ``token`` was issued with ``secret`` for ``package_id`` and has not expired."""
    parts = token.split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts[:2]):
        return False
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _signature(payload, secret)):
        return False
    current = time.time() if now is None else now
    return int(parts[0]) == package_id and int(parts[1]) > current


def seconds_left(token: str, *, now: float | None = None) -> int:
    """How long a (verified) token stays valid; the cookie made from it lives as long."""
    expires = token.split(".")[1]
    return max(0, int(expires) - int(time.time() if now is None else now))


def cookie_path(package_id: int) -> str:
    return f"/content/{package_id}/"


def cookie_options(package_id: int, token: str, ttl: float, *, secure: bool) -> dict[str, Any]:
    """Keyword arguments for ``Response.set_cookie`` that hand ``token`` to the player."""
    return {"key": COOKIE_NAME, "value": token, "max_age": int(ttl),
            "path": cookie_path(package_id), "httponly": True, "secure": secure,
            "samesite": "lax"}


def _signature(payload: str, secret: str) -> str:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    mac = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
