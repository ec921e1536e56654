"""Sealed secrets open only with the server secret they were sealed with."""

from __future__ import annotations

import pytest

from cairn.outbound.crypto import SecretBox, SecretUnreadable


def test_seal_and_open() -> None:
    box = SecretBox("server-secret-one-0123456789abcdef")
    sealed = box.seal("whsec_abc")
    assert "whsec_abc" not in sealed
    assert sealed != box.seal("whsec_abc"), "each sealing is randomized"
    assert box.open(sealed) == "whsec_abc"


def test_another_server_secret_cannot_open_it() -> None:
    sealed = SecretBox("server-secret-one-0123456789abcdef").seal("whsec_abc")
    with pytest.raises(SecretUnreadable, match="CAIRN_SECRET_KEY"):
        SecretBox("server-secret-two-0123456789abcdef").open(sealed)
    with pytest.raises(SecretUnreadable):
        SecretBox("server-secret-one-0123456789abcdef").open("garbage")
