"""A real SCORM 1.2 run, then every report reads it: sessions, drill-down, progress,
activity feed and the mirrored statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

CORE_12 = {"student_id": "learner-1", "student_name": "Ada", "credit": "credit",
           "entry": "ab-initio", "lesson_mode": "normal", "total_time": "00:00:00"}


def test_every_report_reads_a_finished_scorm_12_lesson(
        client: TestClient, admin: dict[str, str], package_12: dict[str, Any],
        launch: Callable[..., dict[str, Any]], play: Callable[..., dict[str, Any]]) -> None:
    config = play(launch(course=package_12["course_id"], learner_name="Ada")["launch_url"])
    body = {"cmi": {"core": {**CORE_12, "lesson_status": "passed", "session_time": "00:12:00",
                             "exit": "", "score": {"raw": "85", "min": "0", "max": "100"}},
                    "interactions": {"0": {"id": "q1", "type": "choice",
                                           "student_response": "b", "result": "correct",
                                           "latency": "00:00:07"}}},
            "journal": []}
    answer = client.post(config["commit_url"] + "?terminate=true", json=body)
    assert answer.status_code == 200, answer.text

    [session] = client.get("/api/v1/sessions", headers=admin).json()["sessions"]
    assert (session["state"], session["success_status"], session["standard"],
            session["learner"]["external_id"]) == ("terminated", "passed", "scorm12",
                                                   "learner-1")
    learner = session["learner"]["id"]
    [course] = client.get(f"/api/v1/learners/{learner}/courses",
                          headers=admin).json()["courses"]
    assert (course["status"], course["lessons_done"], course["time_spent_seconds"]) == (
        "passed", 1, 720.0)
    interactions = client.get(f"/api/v1/learners/{learner}/sessions/{session['id']}"
                              "/interactions", headers=admin).json()["interactions"]
    assert [(item["interaction_id"], item["result"], item["duration_seconds"])
            for item in interactions] == [("q1", "correct", 7.0)]

    totals = client.get("/api/v1/reports/learner-progress", headers=admin).json()["totals"]
    assert (totals["attempts"], totals["pass_rate"], totals["average_score"]) == (1, 1.0, 0.85)
    [activity] = client.get("/api/v1/activities", headers=admin).json()["activities"]
    assert (activity["is_completed"], activity["progress_percentage"],
            activity["duration_minutes"], activity["student_id"]) == (True, 100.0, 12.0,
                                                                      learner)
    assert activity["completed_at"] == activity["updated_at"]

    mirrored = client.get("/api/v1/xapi/statements", params={"learner": learner},
                          headers=admin).json()["statements"]
    verbs = {item["verb"]["display"] for item in mirrored}
    assert {"launched", "passed", "answered", "terminated"} <= verbs
    passed = next(item for item in mirrored if item["verb"]["display"] == "passed")
    assert passed["actor"]["ifi"] == "http://testserver|learner-1"
