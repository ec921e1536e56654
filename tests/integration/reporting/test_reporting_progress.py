"""GET /api/v1/reports/learner-progress: figures on known data, groupings, roles, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reporting_world import Scene, assert_refused

URL = "/api/v1/reports/learner-progress"


def _report(client: TestClient, scene: Scene, who: str = "admin", **params: Any
            ) -> dict[str, Any]:
    answer = client.get(URL, params=params, headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_by_course_on_known_attempts(client: TestClient, scene: Scene) -> None:
    body = _report(client, scene)
    assert body["group_by"] == ["course"] and body["period"] is None
    ethics, safety = body["groups"]
    assert ethics["key"] == {"course_id": scene.ethics, "course_title": "Ethics"}
    assert (ethics["attempts"], ethics["completion_rate"], ethics["pass_rate"],
            ethics["average_score"]) == (1, 1.0, 1.0, 0.8)  # raw 80 of 0..100
    assert safety["key"]["course_title"] == "Safety"
    assert {name: safety[name] for name in (
        "learners", "attempts", "sessions", "completed", "completion_rate", "passed", "failed",
        "pass_rate", "scored")} == {
        "learners": 3, "attempts": 4, "sessions": 4, "completed": 2, "completion_rate": 0.5,
        "passed": 1, "failed": 1, "pass_rate": 0.5, "scored": 2}
    assert safety["average_score"] == pytest.approx(0.65)
    assert safety["median_score"] == pytest.approx(0.65)
    assert safety["time_on_task_seconds"] == {
        "total": 3360.0, "mean": 840.0, "min": 60.0, "p25": 240.0, "median": 750.0,
        "p75": 1350.0, "p90": pytest.approx(1620.0), "max": 1800.0,
        "buckets": {"under_5m": 1, "5m_15m": 1, "15m_30m": 1, "30m_1h": 1, "1h_2h": 0,
                    "over_2h": 0}}
    assert safety["first_activity"] == "2026-03-02T09:00:00.000000Z"
    assert safety["last_activity"] == "2026-03-07T09:00:00.000000Z"
    totals = body["totals"]
    assert (totals["learners"], totals["attempts"], totals["completed"], totals["passed"],
            totals["failed"]) == (3, 5, 3, 2, 1)
    assert totals["pass_rate"] == pytest.approx(2 / 3)
    assert (totals["average_score"], totals["median_score"]) == (pytest.approx(0.7), 0.8)


def test_sessions_of_one_attempt_count_once(client: TestClient, scene: Scene) -> None:
    first = scene.sessions["s2"]
    scene.world.session(scene.ada, scene.safety_lessons[1], scene.safety_package, start=6,
                        minutes=5, completion="completed",
                        attempt_id=scene.world.attempt_of(first))
    [safety] = _report(client, scene, course=scene.safety, learner=scene.ada)["groups"]
    assert (safety["attempts"], safety["sessions"], safety["completed"]) == (2, 3, 2)
    assert safety["time_on_task_seconds"]["total"] == 1200 + 600


@pytest.mark.parametrize(("params", "keys"), [
    ({"group_by": "team"}, [{"team_name": "North"}, {"team_name": "South"}]),
    ({"group_by": "learner"}, [{"learner_external_id": "eve"}, {"learner_external_id": "ada"},
                               {"learner_external_id": "bob"}]),
    ({"group_by": "period", "period": "week"}, [{"period": "2026-W10"}]),
    ({"group_by": "period"}, [{"period": "2026-03"}]),
    ({"group_by": "course,period", "period": "day"}, [
        {"course_title": "Ethics", "period": "2026-03-05"},
        {"course_title": "Safety", "period": "2026-03-02"},
        {"course_title": "Safety", "period": "2026-03-03"},
        {"course_title": "Safety", "period": "2026-03-04"},
        {"course_title": "Safety", "period": "2026-03-07"}]),
    ({"group_by": "lesson", "course": "SAFETY"}, [{"lesson_title": "Safety lesson 1"},
                                                  {"lesson_title": "Safety lesson 2"}]),
    ({"group_by": "package"}, [{"package_version": 1, "course_title": "Ethics"},
                               {"package_version": 1, "course_title": "Safety"}]),
])
def test_groupings(client: TestClient, scene: Scene, params: dict[str, str],
                   keys: list[dict[str, Any]]) -> None:
    params = {key: scene.safety if value == "SAFETY" else value for key, value in params.items()}
    groups = _report(client, scene, **params)["groups"]
    assert [{name: group["key"][name] for name in expected}
            for group, expected in zip(groups, keys, strict=False)] == keys
    assert len(groups) == len(keys)


def test_learners_without_a_team_make_a_group_of_their_own(client: TestClient,
                                                          scene: Scene) -> None:
    loner = scene.world.learner("zed", "Zed", team_id=None)
    scene.world.session(loner, scene.safety_lessons[0], scene.safety_package, start=3,
                        minutes=10, completion="completed")
    groups = _report(client, scene, group_by="team,course")["groups"]
    assert groups[0]["key"] == {"team_id": None, "team_name": None,
                                "course_id": scene.safety, "course_title": "Safety"}
    assert (groups[0]["learners"], groups[0]["completed"]) == (1, 1)
    pairs = [(group["key"]["team_name"], group["key"]["course_title"]) for group in groups[1:]]
    assert pairs == [("North", "Safety"), ("South", "Ethics"), ("South", "Safety")]


@pytest.mark.parametrize(("params", "attempts"), [
    ({"course": "SAFETY", "team": "NORTH"}, 3), ({"since": "2026-03-04"}, 3),
    ({"until": "2026-03-03"}, 2), ({"learner": "EVE"}, 2), ({"lesson": "L1"}, 3),
])
def test_filters(client: TestClient, scene: Scene, params: dict[str, str],
                 attempts: int) -> None:
    names = {"SAFETY": scene.safety, "NORTH": scene.north, "EVE": scene.eve,
             "L1": scene.safety_lessons[0]}
    resolved = {key: names.get(value, value) for key, value in params.items()}
    assert _report(client, scene, **resolved)["totals"]["attempts"] == attempts


def test_roles_narrow_the_figures(client: TestClient, scene: Scene) -> None:
    assert _report(client, scene, "auditor")["totals"]["attempts"] == 5
    manager = _report(client, scene, "manager", group_by="learner")
    assert [group["key"]["learner_external_id"] for group in manager["groups"]] == ["ada", "bob"]
    assert _report(client, scene, "learner")["totals"]["attempts"] == 2
    empty = _report(client, scene, "idle_manager")
    assert empty["groups"] == [] and empty["totals"]["completion_rate"] is None
    assert client.get(URL, headers=scene.headers["author"]).status_code == 403


@pytest.mark.parametrize(("params", "named"), [
    ({"group_by": "colour"}, "group_by"), ({"group_by": "course,course"}, "group_by"),
    ({"group_by": "course,team,learner"}, "group_by"), ({"period": "year"}, "period"),
    ({"since": "tomorrow"}, "since"), ({"team": "north"}, "team"), ({"format": "xml"}, "format"),
    ({"course": str(10**20)}, "course"), ({"learner": "0"}, "learner"),
])
def test_bad_parameters_are_named(client: TestClient, scene: Scene, params: dict[str, str],
                                  named: str) -> None:
    assert_refused(client, URL, params, scene.headers["admin"], named)


def test_csv_one_row_per_group(client: TestClient, scene: Scene) -> None:
    answer = client.get(URL, params={"group_by": "learner", "format": "csv"},
                        headers=scene.headers["admin"])
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0])[:6] == ["learner_id", "learner_external_id", "learner_name",
                                 "learners", "attempts", "sessions"]
    assert rows[0]["learner_name"] == "'=cmd|' /C calc'!A0"
    assert rows[1]["time_15m_30m"] == "1" and rows[1]["first_activity"].endswith("Z")
