"""GET /api/v1/xapi/statements: the LRS for REST tokens — filters, cursors, voided, CSV, roles."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reporting_world import EVIL_NAME, Scene, assert_refused

from cairn.reporting.statements import export
from cairn.reporting.statements.fields import CSV_HEADER
from cairn.reporting.statements.models import StatementPage

URL = "/api/v1/xapi/statements"
HOME = "http://testserver"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
REGISTRATION = "6e4c4c3a-8f43-4f6c-9e2b-2f4f5b6a7c8d"
ZED_SHA1 = hashlib.sha1(b"mailto:zed.sha@example.org").hexdigest()


def _statement(actor: dict[str, Any], verb: str, activity: str, *, display: str = "",
               name: str = "", **extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "actor": actor,
            "verb": {"id": verb, "display": {"de-DE": "erledigt",
                                             "en-US": display or verb.rsplit("/")[-1]}},
            "object": {"id": activity, "definition": {
                "name": {"en-US": name or activity.rsplit("/")[-1]},
                "type": "http://adlnet.gov/expapi/activities/lesson"}}, **extra}


def _learner(name: str, display: str = "") -> dict[str, Any]:
    """The actor Cairn's runtimes write for learner ``name`` (an account on the base URL)."""
    return {"objectType": "Agent", "name": display or name,
            "account": {"homePage": HOME, "name": name}}


@pytest.fixture()
def stored(client: TestClient, scene: Scene, lrs_auth: dict[str, str]) -> dict[str, str]:
    """Statements s0..s6 stored through the real LRS endpoint, in this order."""
    made = {
        "s0": _statement(_learner("ada", "Ada"), COMPLETED, "http://ex.org/safety",
                         result={"completion": True, "success": True,
                                 "score": {"scaled": 0.9, "raw": 90}, "duration": "PT20M"},
                         context={"registration": REGISTRATION}),
        "s1": _statement(_learner("bob"), ANSWERED, "http://ex.org/safety/q1",
                         result={"success": False}),
        "s2": _statement(_learner("eve", EVIL_NAME), COMPLETED, "http://ex.org/ethics",
                         display="+SUM(A1)", name="@evil"),
        "s3": _statement({"mbox": "mailto:Zed@Example.org", "name": "Zed"}, ANSWERED,
                         "http://ex.org/ethics/q1",
                         context={"contextActivities": {"parent": [
                             {"id": "http://ex.org/ethics"}]}}),
        "s4": _statement(_learner("ada", "Ada"), ANSWERED, "http://ex.org/safety/q2"),
        # an instructor's statement whose context names bob (related_agents only)
        "s5": _statement({"openid": "https://id.example.org/teacher"}, COMPLETED,
                         "http://ex.org/review",
                         context={"instructor": _learner("bob")}),
        "s6": _statement({"mbox_sha1sum": ZED_SHA1}, ANSWERED, "http://ex.org/other"),
    }
    for statement in made.values():
        answer = client.post("/xapi/statements", json=statement, headers=lrs_auth)
        assert answer.status_code == 200, answer.text
    return {name: statement["id"] for name, statement in made.items()}


def _get(client: TestClient, scene: Scene, who: str = "admin", **params: Any) -> Any:
    answer = client.get(URL, params=params, headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    StatementPage.model_validate(answer.json())  # every answer has the documented shape
    return answer.json()


def _names(stored: dict[str, str], client: TestClient, scene: Scene, who: str = "admin",
           **params: Any) -> list[str]:
    by_id = {value: key for key, value in stored.items()}
    return [by_id[item["id"]] for item in _get(client, scene, who, **params)["statements"]]


def _void(client: TestClient, lrs_auth: dict[str, str], target: str) -> str:
    voiding = {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:admin@example.org"},
               "verb": {"id": VOIDED},
               "object": {"objectType": "StatementRef", "id": target}}
    assert client.post("/xapi/statements", json=voiding, headers=lrs_auth).status_code == 200
    return str(voiding["id"])


def test_newest_first_with_flat_fields(client: TestClient, scene: Scene,
                                       stored: dict[str, str]) -> None:
    body = _get(client, scene)
    assert [item["id"] for item in body["statements"]] == \
        [stored[f"s{index}"] for index in range(6, -1, -1)]
    first = body["statements"][-1]
    assert first["actor"] == {"name": "Ada", "ifi_kind": "account", "ifi": f"{HOME}|ada",
                              "object_type": "Agent"}
    assert first["verb"] == {"id": COMPLETED, "display": "completed"}  # en-US before de-DE
    assert first["object"] == {"id": "http://ex.org/safety", "name": "safety",
                               "type": "http://adlnet.gov/expapi/activities/lesson"}
    assert first["result"] == {"completion": True, "success": True, "score_scaled": 0.9,
                               "score_raw": 90, "duration": "PT20M"}
    assert first["context"] == {"registration": REGISTRATION}
    assert first["voided"] is False and first["authority_name"] is not None
    assert first["stored"].endswith("Z") and first["statement"]["stored"] == first["stored"]
    assert first["statement"]["id"] == stored["s0"] and first["version"].startswith("1.0")
    assert body["next_cursor"] is None
    actors = {item["id"]: item["actor"] for item in body["statements"]}
    assert actors[stored["s3"]]["ifi_kind"] == "mbox"
    assert actors[stored["s3"]]["ifi"] == "mailto:Zed@Example.org"  # as stored
    assert (actors[stored["s5"]]["ifi_kind"], actors[stored["s6"]]["ifi"]) == ("openid",
                                                                               ZED_SHA1)


@pytest.mark.parametrize(("params", "expected"), [
    ({"verb": ANSWERED}, ["s6", "s4", "s3", "s1"]),
    ({"activity": "http://ex.org/ethics"}, ["s2"]),
    ({"activity": "http://ex.org/ethics", "related_activities": "true"}, ["s3", "s2"]),
    ({"registration": REGISTRATION.upper()}, ["s0"]),
    ({"sort": "stored", "verb": COMPLETED}, ["s0", "s2", "s5"]),
    ({"verb": ANSWERED, "activity": "http://ex.org/safety/q2"}, ["s4"]),
])
def test_filters(client: TestClient, scene: Scene, stored: dict[str, str],
                 params: dict[str, str], expected: list[str]) -> None:
    assert _names(stored, client, scene, **params) == expected


@pytest.mark.parametrize(("agent", "expected"), [
    ("Zed@example.org", ["s3"]),  # a bare email; the domain's case does not matter
    ("mailto:Zed@EXAMPLE.org", ["s3"]),
    ("mbox=mailto:Zed@example.org", ["s3"]),
    ("mbox=Zed@example.org", ["s3"]),
    ("zed@example.org", []),  # the local part keeps its case, as in xAPI
    (f"{HOME}|ada", ["s4", "s0"]),
    (f"account={HOME}|ada", ["s4", "s0"]),
    ('{"account": {"homePage": "http://testserver", "name": "bob"}}', ["s1"]),
    ("openid=https://id.example.org/teacher", ["s5"]),
    (f"mbox_sha1sum={ZED_SHA1.upper()}", ["s6"]),
])
def test_agent_forms(client: TestClient, scene: Scene, stored: dict[str, str], agent: str,
                     expected: list[str]) -> None:
    assert _names(stored, client, scene, agent=agent) == expected


def test_learner_and_related_agents(client: TestClient, scene: Scene,
                                    stored: dict[str, str]) -> None:
    assert _names(stored, client, scene, learner=scene.ada) == ["s4", "s0"]
    assert _names(stored, client, scene, learner=scene.ada, verb=ANSWERED) == ["s4"]
    assert _names(stored, client, scene, learner=scene.bob) == ["s1"]
    # bob as the instructor of s5 counts only with related_agents, as in xAPI
    assert _names(stored, client, scene, learner=scene.bob, related_agents="true") == \
        ["s5", "s1"]
    assert _names(stored, client, scene, agent=f"{HOME}|bob", related_agents="true") == \
        ["s5", "s1"]


def test_time_bounds(client: TestClient, scene: Scene, stored: dict[str, str]) -> None:
    times = [item["stored"] for item in _get(client, scene, sort="stored")["statements"]]
    # as in xAPI: since is exclusive, until inclusive
    assert _names(stored, client, scene, since=times[4], sort="stored") == ["s5", "s6"]
    assert _names(stored, client, scene, until=times[1], sort="stored") == ["s0", "s1"]
    assert _names(stored, client, scene, since=times[0], until=times[2]) == ["s2", "s1"]
    assert _names(stored, client, scene, until="2000-01-01") == []
    assert len(_names(stored, client, scene, since=times[0][:10])) == 7  # a bare date


@pytest.mark.parametrize("sort", ["-stored", "stored"])
def test_cursor_pages_are_stable_while_statements_arrive(
        client: TestClient, scene: Scene, stored: dict[str, str],
        lrs_auth: dict[str, str], sort: str) -> None:
    by_id = {value: key for key, value in stored.items()}
    pages: list[list[str]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        body = _get(client, scene, "admin", **params)
        pages.append([item["id"] for item in body["statements"]])
        late = _statement(_learner("bob"), COMPLETED, "http://ex.org/late")
        assert client.post("/xapi/statements", json=late, headers=lrs_auth).status_code == 200
        cursor = body["next_cursor"]
        if cursor is None:
            break
    seen = [statement_id for page in pages for statement_id in page]
    assert len(seen) == len(set(seen))  # nothing twice
    names = [by_id.get(statement_id, "late") for statement_id in seen]
    if sort == "-stored":  # statements newer than the first page are never shown
        assert names == ["s6", "s5", "s4", "s3", "s2", "s1", "s0"]
    else:  # the older ones come in order; those that arrived meanwhile follow them
        assert names[:7] == ["s0", "s1", "s2", "s3", "s4", "s5", "s6"]
        assert set(names[7:]) == {"late"}


def test_a_full_last_page_has_no_cursor(client: TestClient, scene: Scene,
                                        stored: dict[str, str]) -> None:
    first = _get(client, scene, limit=4)
    second = _get(client, scene, limit=3, cursor=first["next_cursor"])
    assert len(second["statements"]) == 3 and second["next_cursor"] is None
    refused = client.get(URL, params={"cursor": first["next_cursor"], "sort": "stored"},
                         headers=scene.headers["admin"])
    assert refused.status_code == 400 and "sort=-stored" in refused.json()["message"]


def test_voided_statements_only_on_request(client: TestClient, scene: Scene,
                                           stored: dict[str, str],
                                           lrs_auth: dict[str, str]) -> None:
    voiding = _void(client, lrs_auth, stored["s1"])
    names = {**stored, "void": voiding}
    # s1 is gone; the voiding statement refers to it, so (as in the LRS) it matches s1's verb
    assert _names(names, client, scene, verb=ANSWERED) == ["void", "s6", "s4", "s3"]
    assert _names(names, client, scene, verb=ANSWERED, voided="include") == \
        ["void", "s6", "s4", "s3", "s1"]
    only = _get(client, scene, voided="only")["statements"]
    assert [(item["id"], item["voided"]) for item in only] == [(stored["s1"], True)]
    assert _names(names, client, scene, learner=scene.bob, voided="only") == ["s1"]


def _csv(client: TestClient, scene: Scene, headers: dict[str, str] | None = None,
         **params: Any) -> tuple[Any, list[dict[str, str]]]:
    answer = client.get(URL, params=params, headers={**scene.headers["admin"],
                                                     **(headers or {})})
    assert answer.status_code == 200, answer.text
    return answer, list(csv.DictReader(io.StringIO(answer.text)))


def test_csv_one_row_per_statement(client: TestClient, scene: Scene, stored: dict[str, str],
                                   lrs_auth: dict[str, str]) -> None:
    _void(client, lrs_auth, stored["s6"])
    answer, rows = _csv(client, scene, format="csv", sort="stored", voided="include")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "statements.csv" in answer.headers["content-disposition"]
    assert answer.text.split("\r\n")[0] == ",".join(CSV_HEADER)
    assert [row["id"] for row in rows[:7]] == [stored[f"s{index}"] for index in range(7)]
    ada = rows[0]
    assert ada == {**ada, "actor_name": "Ada", "actor_ifi": f"{HOME}|ada", "verb_id": COMPLETED,
                   "verb_display": "completed", "object_id": "http://ex.org/safety",
                   "object_type": "http://adlnet.gov/expapi/activities/lesson",
                   "object_name": "safety", "result_completion": "true",
                   "result_success": "true", "result_score_scaled": "0.9",
                   "result_score_raw": "90", "result_duration": "PT20M",
                   "registration": REGISTRATION, "voided": "false"}
    assert ada["stored"].endswith("Z") and ada["timestamp"].endswith("Z")
    assert (rows[1]["result_success"], rows[1]["result_completion"],
            rows[1]["result_score_raw"]) == ("false", "", "")
    evil = rows[2]  # text that a spreadsheet would run as a formula stays text
    assert (evil["actor_name"], evil["verb_display"], evil["object_name"]) == (
        "'" + EVIL_NAME, "'+SUM(A1)", "'@evil")
    assert (rows[6]["voided"], rows[7]["verb_id"]) == ("true", VOIDED)


@pytest.mark.parametrize("bounds", ["none", "since", "until", "both", "cursor", "voided"])
def test_newest_first_csv_read_in_blocks_matches_the_json_order(
        client: TestClient, scene: Scene, stored: dict[str, str], lrs_auth: dict[str, str],
        monkeypatch: pytest.MonkeyPatch, bounds: str) -> None:
    """The whole-table newest-first export reads blocks of seqs forwards; with blocks of
    two statements every boundary case (a block split by since/until/cursor, a voided
    statement left out) must still give exactly the JSON list's statements, in order."""
    monkeypatch.setattr(export, "SEQS_PER_BLOCK", 2)
    _void(client, lrs_auth, stored["s3"])
    times = [item["stored"] for item in _get(client, scene, sort="stored")["statements"]]
    params: dict[str, Any] = {
        "none": {}, "since": {"since": times[1]}, "until": {"until": times[4]},
        "both": {"since": times[0], "until": times[5]}, "voided": {"voided": "include"},
        "cursor": {"cursor": _get(client, scene, limit=3)["next_cursor"]}}[bounds]
    listed = [item["id"] for item in _get(client, scene, limit=1000, **params)["statements"]]
    _, rows = _csv(client, scene, format="csv", **params)
    assert [row["id"] for row in rows] == listed and len(listed) >= 2
    _, first_two = _csv(client, scene, format="csv", limit=2, **params)
    assert [row["id"] for row in first_two] == listed[:2]


def test_accept_and_format(client: TestClient, scene: Scene, stored: dict[str, str]) -> None:
    wants_csv = {"Accept": "text/csv"}
    answer, rows = _csv(client, scene, wants_csv, limit=2)
    assert answer.headers["content-type"].startswith("text/csv") and len(rows) == 2
    assert [row["id"] for row in rows] == [stored["s6"], stored["s5"]]
    # format wins over Accept, both ways
    answer = client.get(URL, params={"format": "json"},
                        headers={**scene.headers["admin"], **wants_csv})
    assert answer.headers["content-type"].startswith("application/json")
    answer, rows = _csv(client, scene, {"Accept": "application/json"}, format="csv",
                        verb=COMPLETED)
    assert [row["id"] for row in rows] == [stored["s5"], stored["s2"], stored["s0"]]


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(("params", "named"), [
    ({"verb": "not an iri"}, "verb"), ({"activity": "::"}, "activity"),
    ({"registration": "nope"}, "registration"), ({"agent": "{not json"}, "agent"),
    ({"agent": "somebody"}, "agent"), ({"agent": "mbox=nobody"}, "agent"),
    ({"agent": "account=https://hr.example.org"}, "agent"), ({"agent": "|bob"}, "agent"),
    ({"agent": "openid=not an iri"}, "agent"), ({"agent": "mbox_sha1sum=xyz"}, "agent"),
    ({"agent": '{"objectType": "Group", "member": []}'}, "agent"),
    ({"learner": "ada"}, "learner"), ({"learner": str(2**40)}, "learner"),
    ({"learner": "0"}, "learner"),
    ({"since": "later"}, "since"), ({"until": "2026-13-01"}, "until"),
    ({"sort": "verb"}, "sort"), ({"sort": "stored,-stored"}, "sort"),
    ({"limit": "5000"}, "limit"), ({"limit": "0"}, "limit"), ({"limit": "x"}, "limit"),
    ({"cursor": "@@"}, "cursor"),
    ({"cursor": _cursor('{"sort":"-stored","after":[99999999999999999999999]}')}, "cursor"),
    ({"cursor": _cursor('{"sort":"-stored","after":["x"]}')}, "cursor"),
    ({"related_agents": "maybe"}, "related_agents"), ({"format": "xml"}, "format"),
    ({"voided": "yes"}, "voided"),
    ({"format": "csv", "limit": "1001"}, "limit"),
])
def test_bad_parameters_are_named(client: TestClient, scene: Scene, params: dict[str, str],
                                  named: str) -> None:
    assert_refused(client, URL, params, scene.headers["admin"], named)


def test_roles(client: TestClient, scene: Scene, stored: dict[str, str],
               lrs_auth: dict[str, str]) -> None:
    everything = ["s6", "s5", "s4", "s3", "s2", "s1", "s0"]
    assert _names(stored, client, scene) == everything
    assert _names(stored, client, scene, "auditor") == everything
    # the manager's teams: ada and bob (as actor; s5 names bob only as instructor)
    assert _names(stored, client, scene, "manager") == ["s4", "s1", "s0"]
    assert _names(stored, client, scene, "manager", verb=ANSWERED) == ["s4", "s1"]
    assert _names(stored, client, scene, "manager", learner=scene.bob) == ["s1"]
    assert _names(stored, client, scene, "manager", agent="Zed@example.org") == []
    assert _names(stored, client, scene, "learner") == ["s4", "s0"]
    assert _names(stored, client, scene, "learner", agent=f"{HOME}|bob") == []
    assert _names(stored, client, scene, "idle_manager") == []
    _, rows = _csv(client, scene, scene.headers["manager"], format="csv")
    assert [row["id"] for row in rows] == [stored[name] for name in ("s4", "s1", "s0")]
    # a learner the caller may not see is not found, the same as one that does not exist
    for who, learner in (("manager", scene.eve), ("learner", scene.bob), ("admin", 999_999)):
        answer = client.get(URL, params={"learner": learner}, headers=scene.headers[who])
        assert answer.status_code == 404, (who, answer.text)
    assert client.get(URL, headers=scene.headers["author"]).status_code == 403


def test_lrs_credentials_and_strangers_are_not_signed_in(
        client: TestClient, scene: Scene, lrs_auth: dict[str, str]) -> None:
    answer = client.get(URL, headers=lrs_auth)  # an LRS key is not a REST token
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json()["error"] == "not_authenticated" and "Bearer" in answer.json()["message"]
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers={"Authorization": "Bearer nope"}).status_code == 401
