"""GET /api/v1/xapi/statements: the LRS for REST tokens — filters, cursors, CSV, roles."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reporting_world import EVIL_NAME, Scene, assert_refused

URL = "/api/v1/xapi/statements"
HOME = "http://testserver"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
REGISTRATION = "6e4c4c3a-8f43-4f6c-9e2b-2f4f5b6a7c8d"


def _statement(actor: dict[str, Any], verb: str, activity: str, **extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "actor": actor,
            "verb": {"id": verb, "display": {"de-DE": "erledigt", "en-US": verb.rsplit("/")[-1]}},
            "object": {"id": activity, "definition": {
                "name": {"en-US": activity.rsplit("/")[-1]},
                "type": "http://adlnet.gov/expapi/activities/lesson"}}, **extra}


def _learner(name: str, display: str = "") -> dict[str, Any]:
    return {"objectType": "Agent", "name": display or name,
            "account": {"homePage": HOME, "name": name}}


@pytest.fixture()
def stored(client: TestClient, scene: Scene, lrs_auth: dict[str, str]) -> dict[str, str]:
    """Statements s0..s4 stored through the real LRS endpoint, in this order."""
    made = {
        "s0": _statement(_learner("ada", "Ada"), COMPLETED, "http://ex.org/safety",
                         result={"completion": True, "success": True,
                                 "score": {"scaled": 0.9, "raw": 90}, "duration": "PT20M"},
                         context={"registration": REGISTRATION}),
        "s1": _statement(_learner("bob"), ANSWERED, "http://ex.org/safety/q1",
                         result={"success": False}),
        "s2": _statement(_learner("eve", EVIL_NAME), COMPLETED, "http://ex.org/ethics"),
        "s3": _statement({"mbox": "mailto:Zed@Example.org", "name": "Zed"}, ANSWERED,
                         "http://ex.org/ethics/q1",
                         context={"contextActivities": {"parent": [
                             {"id": "http://ex.org/ethics"}]}}),
        "s4": _statement(_learner("ada", "Ada"), ANSWERED, "http://ex.org/safety/q2"),
    }
    for statement in made.values():
        answer = client.post("/xapi/statements", json=statement, headers=lrs_auth)
        assert answer.status_code == 200, answer.text
    return {name: statement["id"] for name, statement in made.items()}


def _names(stored: dict[str, str], client: TestClient, scene: Scene, who: str = "admin",
           **params: Any) -> list[str]:
    answer = client.get(URL, params=params, headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    by_id = {value: key for key, value in stored.items()}
    return [by_id[item["id"]] for item in answer.json()["statements"]]


def test_newest_first_with_flat_fields(client: TestClient, scene: Scene,
                                       stored: dict[str, str]) -> None:
    body = client.get(URL, headers=scene.headers["admin"]).json()
    assert [item["id"] for item in body["statements"]] == \
        [stored[name] for name in ("s4", "s3", "s2", "s1", "s0")]
    first = body["statements"][-1]
    assert first["actor"] == {"name": "Ada", "ifi": f"{HOME}|ada", "object_type": "Agent"}
    assert first["verb"] == {"id": COMPLETED, "display": "completed"}
    assert first["object"] == {"id": "http://ex.org/safety", "name": "safety",
                               "type": "http://adlnet.gov/expapi/activities/lesson"}
    assert first["result"] == {"completion": True, "success": True, "score_scaled": 0.9,
                               "score_raw": 90, "duration": "PT20M"}
    assert first["context"] == {"registration": REGISTRATION}
    assert first["stored"].endswith("Z") and first["statement"]["id"] == stored["s0"]
    assert body["next_cursor"] is None


@pytest.mark.parametrize(("params", "expected"), [
    ({"verb": ANSWERED}, ["s4", "s3", "s1"]),
    ({"activity": "http://ex.org/ethics"}, ["s2"]),
    ({"activity": "http://ex.org/ethics", "related_activities": "true"}, ["s3", "s2"]),
    ({"registration": REGISTRATION.upper()}, ["s0"]),
    ({"agent": "Zed@example.org"}, ["s3"]),  # the local part keeps its case
    ({"agent": "mailto:Zed@EXAMPLE.org"}, ["s3"]),
    ({"agent": f"{HOME}|ada"}, ["s4", "s0"]),
    ({"agent": '{"account": {"homePage": "http://testserver", "name": "bob"}}'}, ["s1"]),
    ({"learner": "ADA", "verb": ANSWERED}, ["s4"]),
    ({"sort": "stored", "verb": COMPLETED}, ["s0", "s2"]),
])
def test_filters(client: TestClient, scene: Scene, stored: dict[str, str],
                 params: dict[str, str], expected: list[str]) -> None:
    params = {key: str(scene.ada) if value == "ADA" else value for key, value in params.items()}
    assert _names(stored, client, scene, **params) == expected


def test_time_bounds(client: TestClient, scene: Scene, stored: dict[str, str]) -> None:
    everything = client.get(URL, params={"sort": "stored"}, headers=scene.headers["admin"])
    times = [item["stored"] for item in everything.json()["statements"]]
    # as in xAPI: since is exclusive, until inclusive
    assert _names(stored, client, scene, since=times[1], sort="stored") == ["s2", "s3", "s4"]
    assert _names(stored, client, scene, until=times[1], sort="stored") == ["s0", "s1"]


def test_cursor_pages_are_stable_while_statements_arrive(
        client: TestClient, scene: Scene, stored: dict[str, str],
        lrs_auth: dict[str, str]) -> None:
    admin = scene.headers["admin"]
    first = client.get(URL, params={"limit": 2}, headers=admin).json()
    client.post("/xapi/statements", json=_statement(_learner("bob"), COMPLETED,
                                                    "http://ex.org/late"), headers=lrs_auth)
    second = client.get(URL, params={"limit": 2, "cursor": first["next_cursor"]},
                        headers=admin).json()
    third = client.get(URL, params={"limit": 2, "cursor": second["next_cursor"]},
                       headers=admin).json()
    by_id = {value: key for key, value in stored.items()}
    pages = [[by_id[item["id"]] for item in page["statements"]] for page in (first, second,
                                                                             third)]
    assert pages == [["s4", "s3"], ["s2", "s1"], ["s0"]]
    refused = client.get(URL, params={"cursor": first["next_cursor"], "sort": "stored"},
                         headers=admin)
    assert refused.status_code == 400 and "sort=-stored" in refused.json()["message"]


def test_voided_statements_are_left_out(client: TestClient, scene: Scene,
                                        stored: dict[str, str], lrs_auth: dict[str, str]) -> None:
    voiding = {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:admin@example.org"},
               "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
               "object": {"objectType": "StatementRef", "id": stored["s1"]}}
    assert client.post("/xapi/statements", json=voiding, headers=lrs_auth).status_code == 200
    # s1 is gone; the voiding statement refers to it, so (as in the LRS) it matches s1's verb
    names = _names({**stored, "void": voiding["id"]}, client, scene, verb=ANSWERED)
    assert names == ["void", "s4", "s3"]


def test_csv_one_row_per_statement(client: TestClient, scene: Scene,
                                   stored: dict[str, str]) -> None:
    answer = client.get(URL, params={"format": "csv", "sort": "stored"},
                        headers=scene.headers["admin"])
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["id"] for row in rows] == [stored[f"s{index}"] for index in range(5)]
    assert (rows[0]["actor_ifi"], rows[0]["verb_display"], rows[0]["result_success"],
            rows[0]["result_score_scaled"], rows[0]["registration"]) == (
        f"{HOME}|ada", "completed", "true", "0.9", REGISTRATION)
    assert rows[2]["actor_name"] == "'" + EVIL_NAME
    limited = client.get(URL, params={"limit": 2},
                         headers={**scene.headers["admin"], "Accept": "text/csv"})
    assert len(list(csv.DictReader(io.StringIO(limited.text)))) == 2


@pytest.mark.parametrize(("params", "named"), [
    ({"verb": "not an iri"}, "verb"), ({"activity": "::"}, "activity"),
    ({"registration": "nope"}, "registration"), ({"agent": "{not json"}, "agent"),
    ({"agent": "somebody"}, "agent"), ({"since": "later"}, "since"),
    ({"sort": "verb"}, "sort"), ({"limit": "5000"}, "limit"), ({"cursor": "@@"}, "cursor"),
    ({"related_agents": "maybe"}, "related_agents"), ({"format": "xml"}, "format"),
])
def test_bad_parameters_are_named(client: TestClient, scene: Scene, params: dict[str, str],
                                  named: str) -> None:
    assert_refused(client, URL, params, scene.headers["admin"], named)


def test_roles(client: TestClient, scene: Scene, stored: dict[str, str],
               lrs_auth: dict[str, str]) -> None:
    assert _names(stored, client, scene, "auditor") == ["s4", "s3", "s2", "s1", "s0"]
    assert _names(stored, client, scene, "manager") == ["s4", "s1", "s0"]
    assert _names(stored, client, scene, "learner") == ["s4", "s0"]
    assert _names(stored, client, scene, "learner", agent="bob@example.org") == []
    assert _names(stored, client, scene, "idle_manager") == []
    assert client.get(URL, headers=scene.headers["author"]).status_code == 403
    assert client.get(URL, headers=lrs_auth).status_code == 403  # LRS keys are not REST tokens
    assert client.get(URL, params={"learner": 999},
                      headers=scene.headers["admin"]).status_code == 404
