"""Signed tokens of the SCORM runtime: the launch (play) token and the session token.

A *play token* is what ``POST /api/v1/launches`` hands out inside the launch
URL: it names a learner, a package, the lesson to start with and the mode,
and expires. Every page load of ``/play/{token}`` is a launch (a session),
so a reload resumes rather than duplicates. A *session token* is the
capability the player's commit URL carries: it names one session and is
only honoured while that session is open.

Both are ``<base64url payload>.<HMAC-SHA256>`` with a key derived from the
server secret for that purpose alone, so neither can be replayed as the
other or as a content token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass
from typing import Any

PLAY_PURPOSE = b"cairn scorm play v1"
SESSION_PURPOSE = b"cairn scorm session v1"


class BadToken(ValueError):
    """Forged, malformed, expired or for another purpose."""


@dataclass(frozen=True)
class PlayGrant:
    learner_id: int
    package_id: int
    lesson_id: int
    mode: str
    new_attempt: bool
    issued: int
    expires: int


def issue_play(grant: PlayGrant, secret: str) -> str:
    return _sign(asdict(grant), secret, PLAY_PURPOSE)


def read_play(token: str, secret: str, *, now: float | None = None) -> PlayGrant:
    payload = _verify(token, secret, PLAY_PURPOSE)
    try:
        grant = PlayGrant(**payload)
    except TypeError as exc:
        raise BadToken("the launch token is malformed") from exc
    if grant.expires <= (time.time() if now is None else now):
        raise BadToken("the launch link has expired; ask for a new one")
    return grant


def issue_session(session_id: int, secret: str) -> str:
    return _sign({"session": session_id}, secret, SESSION_PURPOSE)


def read_session(token: str, secret: str) -> int:
    payload = _verify(token, secret, SESSION_PURPOSE)
    session_id = payload.get("session")
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        raise BadToken("the session token is malformed")
    return session_id


def _key(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: dict[str, Any], secret: str, purpose: bytes) -> str:
    body = _encode(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(_key(secret, purpose), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_encode(mac)}"


def _verify(token: str, secret: str, purpose: bytes) -> dict[str, Any]:
    body, dot, signature = token.partition(".")
    if not dot or not body or not signature:
        raise BadToken("the token is malformed")
    expected = _encode(hmac.new(_key(secret, purpose), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        raise BadToken("the token is not valid here")
    try:
        payload = json.loads(_decode(body))
    except (binascii.Error, ValueError) as exc:
        raise BadToken("the token is malformed") from exc
    if not isinstance(payload, dict):
        raise BadToken("the token is malformed")
    return payload
