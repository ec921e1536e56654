"""The one JSON error shape of every non-xAPI endpoint, pinned."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.app_routes import api_routes

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


def _get_routes(app: FastAPI) -> list[APIRoute]:
    """Every GET route of the REST API (the xAPI resources keep the spec's own shape)."""
    return [route for route in api_routes(app.routes)
            if "GET" in route.methods and route.path.startswith("/api/v1/")]


def _query_names(route: APIRoute) -> set[str]:
    return {param.alias for param in route.dependant.query_params}


def test_every_missing_thing_is_404_in_the_same_shape(
        app: FastAPI, client: TestClient, make_token: Callable[[Role], dict[str, str]]) -> None:
    headers = make_token(Role.ADMIN)
    checked = []
    for route in _get_routes(app):
        if "{" not in route.path:
            continue
        url = re.sub(r"\{[^}]+\}", "987654321", route.path)
        answer = client.get(url, headers=headers)
        assert answer.status_code == 404, (route.path, answer.status_code, answer.text)
        assert set(answer.json()) == ERROR_KEYS, route.path
        checked.append(route.path)
    assert len(checked) >= 5


@pytest.mark.parametrize(("param", "value"), [
    ("limit", "0"), ("limit", "many"), ("format", "xlsx"), ("since", "last tuesday"),
    ("sort", "no_such_column"), ("cursor", "not-a-cursor")])
def test_every_list_refuses_a_bad_parameter_by_name_in_the_same_shape(
        app: FastAPI, client: TestClient, make_token: Callable[[Role], dict[str, str]],
        param: str, value: str) -> None:
    headers = make_token(Role.ADMIN)
    checked = []
    for route in _get_routes(app):
        if "{" in route.path or param not in _query_names(route):
            continue
        answer = client.get(route.path, params={param: value}, headers=headers)
        assert answer.status_code == 400, (route.path, param, answer.status_code, answer.text)
        body = answer.json()
        assert set(body) == ERROR_KEYS, route.path
        assert param in body["message"], (route.path, body["message"])
        checked.append(route.path)
    if param in ("limit", "format"):
        assert checked, f"no list takes {param}"
