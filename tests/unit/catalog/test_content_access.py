"""Content access tokens: signed for one package, expiring, bound to the server secret."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cairn.catalog import content_access

SECRET = "a-server-secret-of-sufficient-length-000"


def test_a_fresh_token_verifies_for_its_package_only() -> None:
    token = content_access.issue(7, SECRET, 60, now=1_000)
    assert content_access.verify(token, 7, SECRET, now=1_030)
    assert not content_access.verify(token, 8, SECRET, now=1_030)


def test_tokens_expire() -> None:
    token = content_access.issue(7, SECRET, 60, now=1_000)
    assert content_access.verify(token, 7, SECRET, now=1_059)
    assert not content_access.verify(token, 7, SECRET, now=1_060)
    assert content_access.seconds_left(token, now=1_045) == 15


def test_another_secret_does_not_verify() -> None:
    token = content_access.issue(7, SECRET, 60, now=1_000)
    assert not content_access.verify(token, 7, "another-secret", now=1_001)


@pytest.mark.parametrize("mangle", [
    lambda token: token.replace("7.", "8.", 1),          # other package, same signature
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: token.rsplit(".", 1)[0],                # no signature
    lambda token: "",
    lambda token: "x.y.z",
])
def test_tampered_tokens_fail(mangle: Callable[[str], str]) -> None:
    token = content_access.issue(7, SECRET, 60, now=1_000)
    assert not content_access.verify(mangle(token), 7, SECRET, now=1_001)
    assert not content_access.verify(mangle(token), 8, SECRET, now=1_001)


def test_cookie_options_scope_the_cookie_to_the_package() -> None:
    options = content_access.cookie_options(7, "t", 90, secure=True)
    assert options == {"key": "cairn_content", "value": "t", "max_age": 90,
                       "path": "/content/7/", "httponly": True, "secure": True,
                       "samesite": "lax"}
