"""The drill-down: learner → courses → lessons → sessions → interactions, by role."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reporting_world import Scene


def _get(client: TestClient, scene: Scene, path: str, who: str = "admin",
         **params: Any) -> Any:
    answer = client.get(f"/api/v1/learners/{path}", params=params, headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_learners_courses_with_status_progress_and_time(client: TestClient,
                                                          scene: Scene) -> None:
    [safety] = _get(client, scene, f"{scene.ada}/courses")["courses"]
    assert safety == {
        "course_id": scene.safety, "course_title": "Safety",
        "package_id": scene.safety_package, "package_version": 1, "status": "incomplete",
        "status_date": "2026-03-03T09:00:00.000000Z", "lessons_done": 1, "lessons_total": 2,
        "time_spent_seconds": 1500.0}
    eve = _get(client, scene, f"{scene.eve}/courses")["courses"]
    assert [(item["course_title"], item["status"], item["lessons_done"], item["lessons_total"],
             item["time_spent_seconds"]) for item in eve] == [
        ("Ethics", "passed", 1, 1, 720.0), ("Safety", "incomplete", 0, 2, 60.0)]
    [bob] = _get(client, scene, f"{scene.bob}/courses")["courses"]
    assert bob["status"] == "failed"


def test_a_course_with_every_lesson_even_unstarted(client: TestClient, scene: Scene) -> None:
    lessons = _get(client, scene, f"{scene.ada}/courses/{scene.safety}/lessons")["lessons"]
    assert [(item["lesson_id"], item["status"], item["score_scaled"], item["attempts"],
             item["sessions"], item["time_spent_seconds"]) for item in lessons] == [
        (scene.safety_lessons[0], "passed", 0.9, 1, 1, 1200.0),
        (scene.safety_lessons[1], "incomplete", None, 1, 1, 300.0)]
    assert lessons[0]["date"] == "2026-03-02T09:20:00.000000Z"
    untouched = _get(client, scene, f"{scene.ada}/courses/{scene.ethics}/lessons")["lessons"]
    assert [(item["status"], item["date"], item["sessions"]) for item in untouched] == [
        ("not_started", None, 0)]


def test_a_lessons_sessions_then_a_sessions_interactions(client: TestClient,
                                                         scene: Scene) -> None:
    first = scene.sessions["s1"]
    again = scene.world.session(scene.ada, scene.safety_lessons[0], scene.safety_package,
                                start=4, minutes=3, completion="completed", success="passed",
                                scaled=1.0, attempt_id=scene.world.attempt_of(first))
    sessions = _get(client, scene, f"{scene.ada}/lessons/{scene.safety_lessons[0]}/sessions")
    assert [(item["session_id"], item["attempt_number"], item["status"], item["score_scaled"],
             item["session_time_seconds"]) for item in sessions["sessions"]] == [
        (first, 1, "passed", 0.9, 1200.0), (again, 1, "passed", 1.0, 180.0)]
    scene.world.interaction(first, 0, "q1", type="choice", learner_response="b",
                            correct_responses_json='["a"]', result="incorrect",
                            weighting=2.0, latency_cs=450, description="Pick one")
    scene.world.interaction(first, 1, "q2", type="numeric", learner_response="42",
                            result="0.75", weighting=1.0)
    found = _get(client, scene, f"{scene.ada}/sessions/{first}/interactions")["interactions"]
    assert found[0] == {"position": 0, "interaction_id": "q1", "type": "choice",
                        "result": "incorrect", "score": None, "weighting": 2.0,
                        "duration_seconds": 4.5, "learner_response": "b",
                        "correct_responses": ["a"], "description": "Pick one",
                        "timestamp": None}
    assert (found[1]["score"], found[1]["result"]) == (0.75, "0.75")


def test_each_level_as_csv(client: TestClient, scene: Scene) -> None:
    answer = client.get(f"/api/v1/learners/{scene.eve}/courses", params={"format": "csv"},
                        headers=scene.headers["admin"])
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [row["course_title"] for row in rows] == ["Ethics", "Safety"]
    scene.world.interaction(scene.sessions["s4"], 0, "=1+2", correct_responses_json='["x","y"]')
    answer = client.get(f"/api/v1/learners/{scene.eve}/sessions/{scene.sessions['s4']}"
                        "/interactions", headers={**scene.headers["admin"], "Accept": "text/csv"})
    [row] = list(csv.DictReader(io.StringIO(answer.text)))
    assert (row["interaction_id"], row["correct_responses"]) == ("'=1+2", "x | y")


def test_missing_things_are_404(client: TestClient, scene: Scene) -> None:
    admin = scene.headers["admin"]
    for path in (f"{scene.ada}/courses/999/lessons", f"{scene.ada}/lessons/999/sessions",
                 f"{scene.ada}/sessions/{scene.sessions['s4']}/interactions",
                 "999/courses"):
        answer = client.get(f"/api/v1/learners/{path}", headers=admin)
        assert answer.status_code == 404, path
        assert set(answer.json()) == {"error", "message", "details"}


def test_managers_drill_into_their_teams_only(client: TestClient, scene: Scene) -> None:
    assert _get(client, scene, f"{scene.bob}/courses", "manager")["courses"]
    for path in (f"{scene.eve}/courses", f"{scene.eve}/courses/{scene.ethics}/lessons",
                 f"{scene.eve}/sessions/{scene.sessions['s4']}/interactions"):
        assert client.get(f"/api/v1/learners/{path}",
                          headers=scene.headers["manager"]).status_code == 404


def test_learners_drill_into_themselves_only(client: TestClient, scene: Scene) -> None:
    assert _get(client, scene, f"{scene.ada}/courses", "learner")["courses"]
    assert client.get(f"/api/v1/learners/{scene.bob}/courses",
                      headers=scene.headers["learner"]).status_code == 404
    assert client.get(f"/api/v1/learners/{scene.ada}/courses",
                      headers=scene.headers["author"]).status_code == 403
    assert _get(client, scene, f"{scene.eve}/courses", "auditor")["courses"]


@pytest.mark.parametrize(("path", "named"), [
    (f"{2**31}/courses", "learner_id"), ("1/courses/0/lessons", "course_id"),
    (f"1/lessons/{10**20}/sessions", "lesson_id"), (f"1/sessions/{2**63}/interactions",
                                                    "session_id")])
def test_impossible_ids_are_400s_naming_them(client: TestClient, scene: Scene, path: str,
                                            named: str) -> None:
    answer = client.get(f"/api/v1/learners/{path}", headers=scene.headers["admin"])
    assert answer.status_code == 400 and named in answer.json()["message"]
