"""No id a client sends can reach the database as a number its column cannot hold.

Every integer in a path or query string of every route, and the ids of the JSON
bodies, is tried with numbers beyond 32 and 64 bits: the answer is a 4xx in the
one error shape (a driver's "integer out of range" would be a 500). Run on both
backends, since only PostgreSQL has 32-bit id columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.app_routes import api_routes

from cairn.accounts.models import Role

ERROR_KEYS = {"error", "message", "details"}
TOO_BIG = (str(2**31), str(2**63), str(10**30))


def _int_params(route: APIRoute) -> Iterator[tuple[str, str]]:
    for kind, params in (("path", route.dependant.path_params),
                         ("query", route.dependant.query_params)):
        for param in params:
            if "int" in str(param.field_info.annotation):
                yield kind, param.alias


def _calls(app: FastAPI) -> Iterator[tuple[str, str, dict[str, str], str]]:
    """(method, url, query, parameter) for each integer parameter of each route (other
    path parameters are 1, or ``x`` for text)."""
    for route in api_routes(app.routes):
        for kind, name in _int_params(route):
            for method in sorted(route.methods - {"HEAD"}):
                for value in TOO_BIG:
                    def filled(match: re.Match[str], name: str = name, value: str = value,
                               kind: str = kind) -> str:
                        key = match.group(1).split(":")[0]
                        if kind == "path" and key == name:
                            return value
                        return "1" if "id" in key else "x"
                    url = re.sub(r"\{([^}]+)\}", filled, route.path)
                    query = {name: value} if kind == "query" else {}
                    yield method, url, query, name


def test_every_integer_parameter_refuses_numbers_no_column_holds(
        app: FastAPI, client: TestClient, make_token: Callable[[Role], dict[str, str]]) -> None:
    headers = make_token(Role.ADMIN)
    tried = 0
    for method, url, query, name in _calls(app):
        body: Any = {} if method in ("POST", "PATCH", "PUT") else None
        answer = client.request(method, url, params=query, headers=headers, json=body)
        value = query.get(name) or next(part for part in url.split("/") if part.isdigit()
                                        and int(part) > 1)
        if int(value) < 2**63:  # fits a 64-bit column: it may name nothing, or be fine
            assert answer.status_code < 500, (method, url, query, answer.text)
            continue
        assert 400 <= answer.status_code < 500, (method, url, query, answer.text)
        if url.startswith("/api/v1/"):
            assert set(answer.json()) == ERROR_KEYS, (method, url)
        tried += 1
    assert tried >= 100


@pytest.mark.parametrize(("method", "url", "body", "named"), [
    ("POST", "/api/v1/learners", {"external_id": "x", "user_id": 2**31}, "user_id"),
    ("POST", "/api/v1/teams", {"name": "T", "manager_user_id": 2**63}, "manager_user_id"),
    ("PATCH", "/api/v1/journal/tracing", {"add": [2**40]}, "add"),
    ("POST", "/api/v1/launches", {"learner": 2**31}, "learner"),
    ("POST", "/api/v1/launches", {"learner": "ext-1", "course": 2**31}, "course"),
    ("POST", "/api/v1/launches", {"learner": "ext-1", "lesson": 10**30}, "lesson"),
])
def test_ids_in_bodies_are_bounded_too(client: TestClient,
                                       make_token: Callable[[Role], dict[str, str]],
                                       method: str, url: str, body: dict[str, Any],
                                       named: str) -> None:
    answer = client.request(method, url, json=body, headers=make_token(Role.ADMIN))
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["message"]
