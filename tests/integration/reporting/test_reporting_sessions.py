"""GET /api/v1/sessions and /api/v1/sessions/{id}: filters, sorting, cursors, CSV, roles."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reporting_world import EVIL_NAME, Scene, assert_refused


def _ids(client: TestClient, scene: Scene, who: str = "admin", **params: Any) -> list[int]:
    answer = client.get("/api/v1/sessions", params=params, headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["sessions"]]


def _named(scene: Scene, *names: str) -> list[int]:
    return [scene.sessions[name] for name in names]


def test_a_session_carries_who_what_and_its_cmi_summary(client: TestClient,
                                                        scene: Scene) -> None:
    body = client.get("/api/v1/sessions", headers=scene.headers["admin"]).json()
    assert [item["id"] for item in body["sessions"]] == _named(scene, "s1", "s2", "s3", "s4",
                                                               "s5")
    assert body["next_cursor"] is None
    first = body["sessions"][0]
    assert first["learner"] == {"id": scene.ada, "external_id": "ada", "name": "Ada Lovelace",
                                "email": "ada@example.org", "team_id": scene.north,
                                "team_name": "North"}
    assert first["course"] == {"id": scene.safety, "title": "Safety"}
    assert first["lesson"]["id"] == scene.safety_lessons[0]
    assert first["package"] == {"id": scene.safety_package, "version": 1}
    assert (first["standard"], first["summary_kind"]) == ("scorm2004", "cmi")
    assert (first["completion_status"], first["success_status"]) == ("completed", "passed")
    assert first["score"] == {"scaled": 0.9, "raw": 90.0, "min": 0.0, "max": 100.0}
    assert first["session_time_seconds"] == 1200
    assert first["started_at"] == "2026-03-02T09:00:00.000000Z"
    assert first["ended_at"] == "2026-03-02T09:20:00.000000Z"


@pytest.mark.parametrize(("params", "expected"), [
    ({"course": "COURSE_SAFETY"}, ("s1", "s2", "s3", "s5")),
    ({"package": "PACKAGE_ETHICS"}, ("s4",)),
    ({"lesson": "LESSON_1"}, ("s1", "s3", "s5")),
    ({"learner": "EVE"}, ("s4", "s5")),
    ({"team": "NORTH"}, ("s1", "s2", "s3")),
    ({"since": "2026-03-03", "until": "2026-03-05"}, ("s2", "s3", "s4")),
    ({"since": "2026-03-04T09:00:00Z"}, ("s3", "s4", "s5")),
    ({"completion_status": "completed"}, ("s1", "s3", "s4")),
    ({"success_status": "failed"}, ("s3",)),
    ({"state": "closed"}, ("s4",)),
    ({"open": "true"}, ("s2", "s5")),
    ({"open": "false"}, ("s1", "s3", "s4")),
    ({"standard": "scorm12"}, ("s4",)),
    ({"course": "COURSE_SAFETY", "completion_status": "completed", "team": "NORTH"},
     ("s1", "s3")),
])
def test_filters(client: TestClient, scene: Scene, params: dict[str, str],
                 expected: tuple[str, ...]) -> None:
    names = {"COURSE_SAFETY": scene.safety, "PACKAGE_ETHICS": scene.ethics_package,
             "LESSON_1": scene.safety_lessons[0], "EVE": scene.eve, "NORTH": scene.north}
    resolved = {key: names.get(value, value) for key, value in params.items()}
    assert _ids(client, scene, **resolved) == _named(scene, *expected)


@pytest.mark.parametrize(("sort", "expected"), [
    ("-started_at", ("s5", "s4", "s3", "s2", "s1")),
    ("learner_name,id", ("s4", "s5", "s1", "s2", "s3")),
    ("-score_scaled", ("s1", "s3", "s5", "s4", "s2")),  # ties: id follows the last key
    ("session_time", ("s5", "s2", "s4", "s1", "s3")),
    ("course_title,-started_at", ("s4", "s5", "s3", "s2", "s1")),
    ("-completion_status,state", ("s5", "s2", "s4", "s1", "s3")),
])
def test_sorting(client: TestClient, scene: Scene, sort: str,
                 expected: tuple[str, ...]) -> None:
    assert _ids(client, scene, sort=sort) == _named(scene, *expected)


def test_cursor_pages_neither_skip_nor_repeat_while_sessions_arrive(client: TestClient,
                                                                    scene: Scene) -> None:
    admin = scene.headers["admin"]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"sort": "-started_at", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/sessions", params=params, headers=admin).json()
        seen += [item["id"] for item in body["sessions"]]
        cursor = body["next_cursor"]
        pages += 1
        if pages == 1:  # a new, latest session: it sorts before the cursor, so it's not seen
            scene.world.session(scene.bob, scene.safety_lessons[1], scene.safety_package,
                                start=9)
        if cursor is None:
            break
    assert seen == _named(scene, "s5", "s4", "s3", "s2", "s1")


def test_a_cursor_is_bound_to_its_sort(client: TestClient, scene: Scene) -> None:
    admin = scene.headers["admin"]
    cursor = client.get("/api/v1/sessions", params={"limit": 2, "sort": "learner_name"},
                        headers=admin).json()["next_cursor"]
    answer = client.get("/api/v1/sessions", params={"cursor": cursor, "sort": "-started_at"},
                        headers=admin)
    assert answer.status_code == 400
    assert "sort=learner_name" in answer.json()["message"]


@pytest.mark.parametrize(("params", "named"), [
    ({"state": "ajar"}, "state"), ({"standard": "flash"}, "standard"),
    ({"since": "soon"}, "since"), ({"until": "2026-02-30"}, "until"),
    ({"sort": "shoe_size"}, "sort"), ({"limit": "0"}, "limit"), ({"limit": "1001"}, "limit"),
    ({"course": "safety"}, "course"), ({"open": "perhaps"}, "open"),
    ({"cursor": "!!"}, "cursor"), ({"format": "pdf"}, "format"),
    ({"format": "csv", "state": "ajar"}, "state"),
    ({"learner": str(2**31)}, "learner"), ({"course": "0"}, "course"),
    ({"team": str(10**20)}, "team"),
])
def test_bad_parameters_are_refused_by_name(client: TestClient, scene: Scene,
                                           params: dict[str, str], named: str) -> None:
    assert_refused(client, "/api/v1/sessions", params, scene.headers["admin"], named)


def _csv(client: TestClient, scene: Scene, who: str = "admin", **params: Any
         ) -> list[dict[str, str]]:
    answer = client.get("/api/v1/sessions", params={"format": "csv", **params},
                        headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="sessions.csv"' in answer.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_csv_has_every_session_as_a_flat_row(client: TestClient, scene: Scene) -> None:
    rows = _csv(client, scene)
    assert [int(row["id"]) for row in rows] == _named(scene, "s1", "s2", "s3", "s4", "s5")
    first = rows[0]
    assert first["learner_external_id"] == "ada"
    assert first["course_title"] == "Safety"
    assert first["started_at"] == "2026-03-02T09:00:00.000000Z"
    assert first["ended_at"] == "2026-03-02T09:20:00.000000Z"
    assert (first["score_scaled"], first["session_time_seconds"]) == ("0.9", "1200.0")
    assert rows[1]["ended_at"] == "" and rows[1]["score_scaled"] == ""


def test_csv_cells_match_the_json_item(client: TestClient, scene: Scene) -> None:
    """Every cell is the JSON value as text: a negative score stays a number (not a
    guarded formula), a name with a comma and quotes survives quoting, missing is ""."""
    quoted = scene.world.learner("q", 'Smith, "Jo"', team_id=None)
    scene.world.session(quoted, scene.safety_lessons[0], scene.safety_package, start=8,
                        minutes=2.5, scaled=-0.25, raw=-25, progress=0.5, state="open")
    [row] = _csv(client, scene, learner=quoted)
    [item] = client.get("/api/v1/sessions", params={"learner": quoted},
                        headers=scene.headers["admin"]).json()["sessions"]
    assert (row["learner_name"], row["team_id"], row["team_name"]) == ('Smith, "Jo"', "", "")
    assert (row["score_scaled"], row["score_raw"], row["progress_measure"]) == (
        "-0.25", "-25.0", "0.5")
    assert row["id"] == str(item["id"]) and row["ended_at"] == ""
    assert row["session_time_seconds"] == "150.0"


def test_csv_keeps_a_formula_as_text(client: TestClient, scene: Scene) -> None:
    names = {row["learner_name"] for row in _csv(client, scene, learner=scene.eve)}
    assert names == {"'" + EVIL_NAME}


def test_csv_by_accept_header_with_filters_sort_and_limit(client: TestClient,
                                                          scene: Scene) -> None:
    answer = client.get("/api/v1/sessions", params={"sort": "-started_at", "limit": 2,
                                                    "open": "false"},
                        headers={**scene.headers["admin"], "Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [int(row["id"]) for row in rows] == _named(scene, "s4", "s3")
    json_answer = client.get("/api/v1/sessions", params={"format": "json"},
                             headers={**scene.headers["admin"], "Accept": "text/csv"})
    assert json_answer.headers["content-type"].startswith("application/json")


def test_the_csv_of_many_sessions_is_complete(client: TestClient, scene: Scene) -> None:
    for index in range(1200):
        scene.world.session(scene.bob, scene.safety_lessons[1], scene.safety_package,
                            start=10 + index / 1000, minutes=1, state="open"
                            if index == 1199 else "terminated")
    rows = _csv(client, scene, learner=scene.bob)
    assert len(rows) == 1201
    assert len({row["id"] for row in rows}) == 1201


def test_detail_adds_interactions_objectives_and_journal(client: TestClient,
                                                         scene: Scene) -> None:
    session_id = scene.sessions["s1"]
    scene.world.interaction(session_id, 0, "q1", type="choice", learner_response="a",
                            result="correct", weighting=1.0, latency_cs=1500)
    body = client.get(f"/api/v1/sessions/{session_id}", headers=scene.headers["admin"]).json()
    assert body["learner"]["external_id"] == "ada"
    assert [(item["id"], item["result"], item["latency_seconds"])
            for item in body["interactions"]] == [("q1", "correct", 15.0)]
    assert body["objectives"] == [] and body["journal"] == []
    assert body["cmi"] == {}


def test_auditors_read_everything_and_change_nothing(client: TestClient, scene: Scene) -> None:
    assert len(_ids(client, scene, "auditor")) == 5
    closing = client.post(f"/api/v1/sessions/{scene.sessions['s2']}/close",
                          json={"reason": "tidy"}, headers=scene.headers["auditor"])
    assert closing.status_code == 403


def test_managers_see_their_teams_only(client: TestClient, scene: Scene) -> None:
    assert _ids(client, scene, "manager") == _named(scene, "s1", "s2", "s3")
    assert _ids(client, scene, "manager", learner=scene.eve) == []
    assert [int(row["id"]) for row in _csv(client, scene, "manager")] == \
        _named(scene, "s1", "s2", "s3")
    hidden = client.get(f"/api/v1/sessions/{scene.sessions['s4']}",
                        headers=scene.headers["manager"])
    assert hidden.status_code == 404
    assert client.get(f"/api/v1/sessions/{scene.sessions['s3']}",
                      headers=scene.headers["manager"]).status_code == 200
    assert _ids(client, scene, "idle_manager") == []


def test_learners_see_themselves_only(client: TestClient, scene: Scene) -> None:
    assert _ids(client, scene, "learner") == _named(scene, "s1", "s2")
    assert client.get(f"/api/v1/sessions/{scene.sessions['s3']}",
                      headers=scene.headers["learner"]).status_code == 404
    assert client.post(f"/api/v1/sessions/{scene.sessions['s2']}/close", json={"reason": "x"},
                       headers=scene.headers["learner"]).status_code == 403


def test_authors_and_strangers_are_refused(client: TestClient, scene: Scene) -> None:
    assert client.get("/api/v1/sessions", headers=scene.headers["author"]).status_code == 403
    assert client.get("/api/v1/sessions").status_code == 401


@pytest.mark.parametrize("session_id", [str(2**63), "0", str(10**30)])
def test_an_impossible_session_id_is_a_400_naming_it(client: TestClient, scene: Scene,
                                                     session_id: str) -> None:
    answer = client.get(f"/api/v1/sessions/{session_id}", headers=scene.headers["admin"])
    assert answer.status_code == 400 and "session_id" in answer.json()["message"]
