"""Serving package files to the player: content types, traversal refused, who may load them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.scorm_packages import simple_package, upload

from cairn.accounts.models import Role
from cairn.catalog import content_access

TokenFactory = Callable[[Role], dict[str, str]]
SECRET = "test-secret-key-that-is-long-enough-0123456789"  # the settings fixture's key

MEDIA = {
    "index.html": "text/html", "app/main.js": "text/javascript",
    "app/data.json": "application/json", "img/logo.svg": "image/svg+xml",
    "fonts/body.woff2": "font/woff2", "media/clip.mp4": "video/mp4",
    "media/clip.vtt": "text/vtt", "style/site.css": "text/css", "img/photo.JPG": "image/jpeg",
    "misc/blob.unknownext": "application/octet-stream",
}


@pytest.fixture()
def package(client: TestClient, make_token: TokenFactory, tmp_path: Path) -> dict[str, Any]:
    files: dict[str, bytes | str] = {name: f"content of {name}" for name in MEDIA
                                     if name != "index.html"}
    answer = upload(client, make_token(Role.AUTHOR),
                    simple_package(tmp_path / "media.zip", **files))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _token(package_id: int, ttl: float = 600) -> str:
    return content_access.issue(package_id, SECRET, ttl)


@pytest.mark.parametrize(("name", "expected"), sorted(MEDIA.items()))
def test_files_are_served_with_their_content_type_and_nosniff(
        client: TestClient, package: dict[str, Any], name: str, expected: str) -> None:
    answer = client.get(f"/content/{package['id']}/{name}",
                        params={"token": _token(package["id"])})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == expected
    assert answer.headers["x-content-type-options"] == "nosniff"
    if name != "index.html":
        assert answer.text == f"content of {name}"


def test_a_query_token_becomes_a_package_scoped_cookie(client: TestClient,
                                                       package: dict[str, Any]) -> None:
    first = client.get(f"/content/{package['id']}/index.html",
                       params={"token": _token(package["id"])})
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{content_access.COOKIE_NAME}=")
    assert f"Path=/content/{package['id']}/" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    # the page's relative links now load with the cookie alone
    assert client.get(f"/content/{package['id']}/app/main.js").status_code == 200


def test_the_runtime_can_set_the_cookie_itself(client: TestClient,
                                               package: dict[str, Any]) -> None:
    options = content_access.cookie_options(package["id"], _token(package["id"]), 600,
                                            secure=False)
    assert options["path"] == f"/content/{package['id']}/" and options["httponly"]
    client.cookies.set(content_access.COOKIE_NAME, options["value"])
    assert client.get(f"/content/{package['id']}/index.html").status_code == 200


@pytest.mark.parametrize("token", [
    "not-a-token",
    "TOKEN_FOR_OTHER_PACKAGE",
    "EXPIRED",
])
def test_bad_tokens_are_401(client: TestClient, package: dict[str, Any], token: str) -> None:
    real = {"TOKEN_FOR_OTHER_PACKAGE": _token(package["id"] + 1),
            "EXPIRED": content_access.issue(package["id"], SECRET, 60, now=0)}.get(token, token)
    answer = client.get(f"/content/{package['id']}/index.html", params={"token": real})
    assert answer.status_code == 401
    assert "token" in answer.json()["message"]


def test_a_token_signed_with_another_secret_is_refused(client: TestClient,
                                                       package: dict[str, Any]) -> None:
    forged = content_access.issue(package["id"], "some-other-secret", 600)
    answer = client.get(f"/content/{package['id']}/index.html", params={"token": forged})
    assert answer.status_code == 401


def test_bearer_tokens_admin_and_author_may_preview(client: TestClient, package: dict[str, Any],
                                                    make_token: TokenFactory) -> None:
    url = f"/content/{package['id']}/index.html"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=make_token(Role.ADMIN)).status_code == 200
    assert client.get(url, headers=make_token(Role.AUTHOR)).status_code == 200
    assert client.get(url, headers=make_token(Role.LEARNER)).status_code == 403


@pytest.mark.parametrize("path", ["%2e%2e/%2e%2e/secret_key", "img/%2e%2e/%2e%2e/%2e%2e/x",
                                  "..%5Cindex.html", "%2Fetc/passwd"])
def test_traversal_is_refused(client: TestClient, package: dict[str, Any], path: str) -> None:
    answer = client.get(f"/content/{package['id']}/{path}",
                        params={"token": _token(package["id"])})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("path:")


def test_missing_files_and_packages_are_404(client: TestClient, package: dict[str, Any],
                                            make_token: TokenFactory) -> None:
    token = {"token": _token(package["id"])}
    assert client.get(f"/content/{package['id']}/nope.html", params=token).status_code == 404
    assert client.get(f"/content/{package['id']}/img", params=token).status_code == 404
    answer = client.get("/content/999/index.html", headers=make_token(Role.ADMIN))
    assert answer.status_code == 404


def test_head_and_ranges_work_for_media(client: TestClient, package: dict[str, Any]) -> None:
    url = f"/content/{package['id']}/media/clip.mp4"
    token = {"token": _token(package["id"])}
    assert client.head(url, params=token).status_code == 200
    partial = client.get(url, params=token, headers={"Range": "bytes=0-6"})
    assert partial.status_code == 206 and partial.text == "content"
