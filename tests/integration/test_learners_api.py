"""Learners and teams: admins manage them, managers see their teams, learners themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cairn.accounts.models import Role
from cairn.catalog.learners import service
from cairn.db.engine import Database

TokenFactory = Callable[[Role], dict[str, str]]


def _create(client: TestClient, admin: dict[str, str], **body: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/learners", headers=admin, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_create_read_and_patch_a_learner(client: TestClient, make_token: TokenFactory) -> None:
    admin = make_token(Role.ADMIN)
    created = _create(client, admin, external_id="hr-0042", email="Ada@Example.org",
                      employee_id="E42", name="Ada Lovelace", team="Engines", manager="C. Babbage")
    assert created["email"] == "ada@example.org"
    assert created["team"]["name"] == "Engines"
    assert client.get(f"/api/v1/learners/{created['id']}", headers=admin).json() == created
    changed = client.patch(f"/api/v1/learners/{created['id']}", headers=admin,
                           json={"name": "Augusta Ada King", "email": None, "team": "Analytics"})
    assert changed.status_code == 200
    body = changed.json()
    assert (body["name"], body["email"], body["team"]["name"]) == (
        "Augusta Ada King", None, "Analytics")
    assert (body["employee_id"], body["manager"], body["external_id"]) == (
        "E42", "C. Babbage", "hr-0042")


@pytest.mark.parametrize(("field", "value"), [("external_id", "same"), ("employee_id", "E1")])
def test_identifiers_are_unique(client: TestClient, make_token: TokenFactory, field: str,
                                value: str) -> None:
    admin = make_token(Role.ADMIN)
    _create(client, admin, external_id="same", employee_id="E1")
    body = {"external_id": "other", "employee_id": "E2", field: value}
    answer = client.post("/api/v1/learners", headers=admin, json=body)
    assert answer.status_code == 409
    assert answer.json()["message"].startswith(field)


def test_patch_conflicts_and_bad_input(client: TestClient, make_token: TokenFactory) -> None:
    admin = make_token(Role.ADMIN)
    _create(client, admin, external_id="a", employee_id="E1")
    second = _create(client, admin, external_id="b")
    url = f"/api/v1/learners/{second['id']}"
    assert client.patch(url, headers=admin, json={"employee_id": "E1"}).status_code == 409
    assert client.patch(url, headers=admin, json={"email": "nope"}).status_code == 400
    assert client.patch(url, headers=admin, json={"user_id": 999}).status_code == 400
    assert client.patch(url, headers=admin, json={"external_id": "x"}).status_code == 400
    assert client.patch("/api/v1/learners/999", headers=admin, json={}).status_code == 404


def test_managers_see_only_their_teams(client: TestClient, make_token: TokenFactory,
                                       person: Callable[[str, Role],
                                                        tuple[int, dict[str, str]]]) -> None:
    admin = make_token(Role.ADMIN)
    manager_id, manager = person("boss@example.org", Role.MANAGER)
    team = client.post("/api/v1/teams", headers=admin,
                       json={"name": "Sales", "manager_user_id": manager_id}).json()
    mine = _create(client, admin, external_id="mine", team="Sales")
    other = _create(client, admin, external_id="other", team="Support")
    listed = client.get("/api/v1/learners", headers=manager).json()["learners"]
    assert [learner["id"] for learner in listed] == [mine["id"]]
    assert client.get(f"/api/v1/learners/{mine['id']}", headers=manager).status_code == 200
    assert client.get(f"/api/v1/learners/{other['id']}", headers=manager).status_code == 404
    teams = client.get("/api/v1/teams", headers=manager).json()["teams"]
    assert [entry["id"] for entry in teams] == [team["id"]]
    # a manager token that belongs to nobody sees nobody
    assert client.get("/api/v1/learners", headers=make_token(Role.MANAGER)).json() == {
        "learners": [], "next_after": None}


def test_learners_see_only_themselves(client: TestClient, make_token: TokenFactory,
                                      person: Callable[[str, Role],
                                                       tuple[int, dict[str, str]]]) -> None:
    admin = make_token(Role.ADMIN)
    user_id, learner = person("ada@example.org", Role.LEARNER)
    me = _create(client, admin, external_id="ada", user_id=user_id)
    someone = _create(client, admin, external_id="bob")
    assert client.get(f"/api/v1/learners/{me['id']}", headers=learner).json()["user_id"] == \
        user_id
    assert client.get(f"/api/v1/learners/{someone['id']}", headers=learner).status_code == 404
    listed = client.get("/api/v1/learners", headers=learner).json()["learners"]
    assert [entry["id"] for entry in listed] == [me["id"]]
    assert client.post("/api/v1/learners", headers=learner,
                       json={"external_id": "x"}).status_code == 403
    # an account can be linked to one learner only
    answer = client.post("/api/v1/learners", headers=admin,
                         json={"external_id": "ada-2", "user_id": user_id})
    assert answer.status_code == 409 and answer.json()["message"].startswith("user_id")


def test_listing_pages_by_id_and_filters_by_team(client: TestClient,
                                                 make_token: TokenFactory) -> None:
    admin = make_token(Role.ADMIN)
    ids = [_create(client, admin, external_id=f"p{n}", team="Odd" if n % 2 else "Even")["id"]
           for n in range(5)]
    page = client.get("/api/v1/learners", headers=admin, params={"limit": 2}).json()
    assert [entry["id"] for entry in page["learners"]] == ids[:2]
    rest = client.get("/api/v1/learners", headers=admin,
                      params={"after": page["next_after"], "limit": 10}).json()
    assert [entry["id"] for entry in rest["learners"]] == ids[2:]
    assert rest["next_after"] is None
    odd = client.get("/api/v1/learners", headers=make_token(Role.AUDITOR), params={
        "team_id": page["learners"][1]["team"]["id"]}).json()["learners"]
    assert [entry["external_id"] for entry in odd] == ["p1", "p3"]


def test_teams_are_created_renamed_and_unique(client: TestClient,
                                              make_token: TokenFactory) -> None:
    admin = make_token(Role.ADMIN)
    team = client.post("/api/v1/teams", headers=admin, json={"name": "Ops"}).json()
    assert client.post("/api/v1/teams", headers=admin, json={"name": "Ops"}).status_code == 409
    renamed = client.patch(f"/api/v1/teams/{team['id']}", headers=admin, json={"name": "SRE"})
    assert renamed.json()["name"] == "SRE"
    assert client.patch(f"/api/v1/teams/{team['id']}", headers=admin,
                        json={"manager_user_id": 999}).status_code == 400
    assert client.patch("/api/v1/teams/999", headers=admin, json={}).status_code == 404


def test_ensure_learner_for_launches(database: Database) -> None:
    with database.writing() as conn:
        first = service.ensure_learner(conn=conn, external_id="lti-7", name="Grace")
        again = service.ensure_learner(conn=conn, external_id="lti-7", name="ignored")
        found = service.find_learner(conn=conn, external_id="lti-7")
    assert first == again == found
    assert first.name == "Grace"
