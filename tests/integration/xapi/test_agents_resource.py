"""Agents Resource (xAPI 1.0.3 Communication 2.4): the Person object."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

AGENTS = "/xapi/agents"
Headers = dict[str, str]
ACCOUNT = {"homePage": "http://www.example.com", "name": "xAPI account name"}


def lookup(client: TestClient, auth: Headers, agent: Any) -> Any:
    answer = client.get(AGENTS, params={"agent": json.dumps(agent)}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(("key", "value"), [
    ("mbox", "mailto:xapi@adlnet.gov"),
    ("mbox_sha1sum", "cd9b00a5611f94eaa7b1661edab976068e364975"),
    ("openid", "http://openid.example.org/12345"),
    ("account", ACCOUNT),
])
def test_2_4_s5_each_agent_property_becomes_an_array_of_the_person(
        client: TestClient, lrs_auth: Headers, key: str, value: Any) -> None:
    person = lookup(client, lrs_auth, {"objectType": "Agent", "name": "Pat", key: value})
    assert person == {"objectType": "Person", "name": ["Pat"], key: [value]}


def test_2_4_s3_b3_an_unknown_agent_still_gets_a_person_with_what_was_sent(
        client: TestClient, lrs_auth: Headers) -> None:
    person = lookup(client, lrs_auth, {"mbox": "mailto:nobody-knows@example.com"})
    assert person == {"objectType": "Person", "mbox": ["mailto:nobody-knows@example.com"]}


def test_2_4_s2_the_agent_of_a_stored_statement_is_found(client: TestClient,
                                                        lrs_auth: Headers) -> None:
    actor = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
    statement = {"actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
                 "object": {"id": "http://www.example.com/meetings/occurances/34534"}}
    assert client.post("/xapi/statements", json=statement, headers=lrs_auth).status_code == 200
    person = lookup(client, lrs_auth, actor)
    assert person["objectType"] == "Person"
    assert person["mbox"] == ["mailto:xapi@adlnet.gov"]


def test_1_1_head_answers_without_a_body(client: TestClient, lrs_auth: Headers) -> None:
    query = {"agent": json.dumps({"mbox": "mailto:a@example.com"})}
    answer = client.head(AGENTS, params=query, headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.content == b""
    assert answer.headers["content-type"] == "application/json"


def test_2_4_s2_the_agent_parameter_is_required(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(AGENTS, headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("agent:")


@pytest.mark.parametrize("agent", [
    {"objectType": "Agent", "name": "Rick James"},
    {"objectType": "Group", "mbox": "mailto:team@example.com"},
    {"mbox": "mailto:a@example.com", "openid": "http://openid.example.org/1"},
    {"account": {"homePage": "http://www.example.com"}},
])
def test_2_4_s2_an_agent_that_is_not_a_valid_agent_is_400(client: TestClient,
                                                          lrs_auth: Headers, agent: Any) -> None:
    answer = client.get(AGENTS, params={"agent": json.dumps(agent)}, headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("agent")


def test_2_4_s2_agent_must_be_json(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(AGENTS, params={"agent": "mailto:a@example.com"}, headers=lrs_auth)
    assert answer.status_code == 400
    assert "JSON" in answer.json()["message"]


def test_3_2_s3_b7_unknown_parameters_are_400(client: TestClient, lrs_auth: Headers) -> None:
    query = {"agent": json.dumps({"mbox": "mailto:a@example.com"}), "Agent": "x"}
    answer = client.get(AGENTS, params=query, headers=lrs_auth)
    assert answer.status_code == 400
    assert "Agent" in answer.json()["message"]


@pytest.mark.parametrize(("scope", "status"), [
    ("statements/read", 200), ("all/read", 200), ("state", 200), ("profile", 200),
    ("define", 200), ("statements/write", 403), ("statements/read/mine", 403),
])
def test_4_2_any_reading_scope_may_look_up_agents(
        client: TestClient, make_credential: Callable[[list[str]], Headers],
        scope: str, status: int) -> None:
    query = {"agent": json.dumps({"mbox": "mailto:a@example.com"})}
    answer = client.get(AGENTS, params=query, headers=make_credential([scope]))
    assert answer.status_code == status
