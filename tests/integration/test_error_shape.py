"""The one JSON error shape of every non-xAPI endpoint, pinned."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from cairn.accounts.models import Role

ERROR_KEYS = {"error", "message", "details"}


def test_unauthenticated_error_shape(client: TestClient) -> None:
    answer = client.get("/api/v1/users")
    assert answer.status_code == 401
    assert set(answer.json()) == ERROR_KEYS
    assert answer.json()["error"] == "not_authenticated"
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_validation_error_is_400_and_names_the_field(
        client: TestClient, make_token: Callable[[Role], dict[str, str]]) -> None:
    answer = client.post("/api/v1/users", headers=make_token(Role.ADMIN),
                         json={"email": "a@b.co", "role": "emperor", "password": "0123456789"})
    assert answer.status_code == 400
    body = answer.json()
    assert set(body) == ERROR_KEYS
    assert body["error"] == "invalid_input"
    assert "role" in body["message"]


def test_malformed_json_is_400(client: TestClient,
                               make_token: Callable[[Role], dict[str, str]]) -> None:
    answer = client.post("/api/v1/users", content=b"{not json",
                         headers={**make_token(Role.ADMIN), "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert set(answer.json()) == ERROR_KEYS


def test_unknown_route_is_404_in_the_same_shape(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert set(answer.json()) == ERROR_KEYS
