"""Every route declares one authorization policy and refuses callers it does not allow.

Walks the real app's routes, so a route added without a policy, or with one
that lets the wrong caller in, fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.app_routes import api_routes

from cairn.accounts.authz import Public, RequireRole, RequireScope, route_policy
from cairn.accounts.models import Role, Scope, expand_scopes

PUBLIC_PATHS = {"/api/v1/health", "/xapi/about"}
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}


def _routes(app: FastAPI) -> Iterator[tuple[APIRoute, str]]:
    for route in api_routes(app.routes):
        for method in sorted(route.methods - {"HEAD"}):
            yield route, method


def test_the_walk_finds_the_routes(app: FastAPI) -> None:
    paths = {route.path for route, _ in _routes(app)}
    assert {"/api/v1/users", "/xapi/statements", "/xapi/about"} <= paths


def _url(route: APIRoute) -> str:
    return re.sub(r"\{[^}]+\}", "1", route.path)


def test_every_route_declares_a_policy(app: FastAPI) -> None:
    missing = [f"{method} {route.path}" for route, method in _routes(app)
               if route_policy(route.dependant.dependencies) is None]
    assert missing == []


def test_only_the_intended_routes_are_public(app: FastAPI) -> None:
    public = {route.path for route, _ in _routes(app)
              if isinstance(route_policy(route.dependant.dependencies), Public)}
    assert public == PUBLIC_PATHS


def test_anonymous_callers_are_refused(app: FastAPI, client: TestClient) -> None:
    for route, method in _routes(app):
        if isinstance(route_policy(route.dependant.dependencies), Public):
            continue
        answer = client.request(method, _url(route), headers=XAPI_HEADERS)
        assert answer.status_code == 401, f"{method} {route.path} answered {answer.status_code}"


def _wrong_scope(policy: RequireScope) -> Scope:
    for scope in Scope:
        if not any(wanted in expand_scopes(frozenset({scope})) for wanted in policy.scopes):
            return scope
    raise AssertionError(f"no scope is refused by {policy.description}")


def test_wrong_roles_and_scopes_are_refused(
        app: FastAPI, client: TestClient,
        make_token: Callable[[Role], dict[str, str]],
        make_credential: Callable[[list[str]], dict[str, str]]) -> None:
    checked = 0
    for route, method in _routes(app):
        policy = route_policy(route.dependant.dependencies)
        if isinstance(policy, RequireRole):
            others = [role for role in Role if role not in policy.roles]
            headers = make_token(others[0]) if others else make_credential(["all"])
        elif isinstance(policy, RequireScope):
            headers = make_credential([_wrong_scope(policy).value])
        else:
            continue
        answer = client.request(method, _url(route), headers={**XAPI_HEADERS, **headers})
        assert answer.status_code == 403, f"{method} {route.path} answered {answer.status_code}"
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic " + "a2V5LW9ubHk=",
                                    "Bearer nope", "Digest abc"])
def test_malformed_credentials_are_401(client: TestClient, header: str) -> None:
    answer = client.get("/xapi/statements", headers={**XAPI_HEADERS, "Authorization": header})
    assert answer.status_code == 401
