"""Argon2id hashing for passwords and LRS secrets.

Machine secrets are checked on every xAPI request, and argon2 is slow on
purpose, so successful checks are remembered for a short time keyed by a
SHA-256 of the presented secret (never the secret itself).
"""

from __future__ import annotations

import hashlib
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
VERIFIED_TTL_SECONDS = 300.0


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


class VerifiedSecrets:
    """A small cache of recently verified (hash, secret digest) pairs."""

    def __init__(self, ttl_seconds: float = VERIFIED_TTL_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def verify(self, stored_hash: str, secret: str) -> bool:
        key = (stored_hash, hashlib.sha256(secret.encode()).hexdigest())
        now = time.monotonic()
        with self._lock:
            expires = self._seen.get(key)
            if expires is not None and expires > now:
                return True
        if not verify_secret(stored_hash, secret):
            return False
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[key] = now + self._ttl
        return True
