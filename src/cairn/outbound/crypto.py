"""Encrypting secrets Cairn must be able to use again (webhook keys, LRS passwords).

They cannot be hashed: signing a payload or logging in to another LRS needs the
plain value. They are sealed with Fernet (AES-128-CBC + HMAC-SHA256) under a
key derived from the server secret with HKDF, so a database dump alone reveals
nothing, and changing ``CAIRN_SECRET_KEY`` makes old values unreadable (the
delivery then fails with a message saying so, rather than sending garbage).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HKDF_SALT = b"cairn outbound"
HKDF_INFO = b"cairn outbound secrets v1"


class SecretUnreadable(Exception):
    """A sealed value does not open with the current server secret."""


class SecretBox:
    """Seal and open short strings with a key derived from the server secret."""

    def __init__(self, server_secret: str) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT,
                       info=HKDF_INFO).derive(server_secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, UnicodeError) as exc:
            raise SecretUnreadable(
                "the stored secret cannot be decrypted with the current CAIRN_SECRET_KEY "
                "(was the server secret changed?); rotate the secret or re-enter the password"
            ) from exc


@lru_cache(maxsize=8)
def secret_box(server_secret: str) -> SecretBox:
    """One box per server secret (derivation is cheap, but routes call this per request)."""
    return SecretBox(server_secret)
