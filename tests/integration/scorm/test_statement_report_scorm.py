"""SCORM runs mirrored as xAPI statements, read back through GET /api/v1/xapi/statements.

The mirror names each learner as an account on CAIRN_BASE_URL; the report's
``learner`` filter and its role scoping both rely on that, so they are checked
here against statements the runtime really wrote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.reporting_world import World

from cairn.accounts.models import Role
from cairn.db.engine import Database
from cairn.db.tables import learners

URL = "/api/v1/xapi/statements"
CORE_12 = {"credit": "credit", "entry": "ab-initio", "lesson_mode": "normal",
           "total_time": "00:00:00", "exit": "", "session_time": "00:05:00"}


def _run(client: TestClient, launch: Callable[..., dict[str, Any]],
         play: Callable[..., dict[str, Any]], course: int, learner: str, status: str) -> None:
    config = play(launch(course=course, learner=learner, learner_name=learner.title())
                  ["launch_url"])
    core = {**CORE_12, "student_id": learner, "student_name": learner.title(),
            "lesson_status": status, "score": {"raw": "70", "min": "0", "max": "100"}}
    body = {"cmi": {"core": core, "interactions": {"0": {
        "id": "q1", "type": "choice", "student_response": "a", "result": "wrong"}}},
        "journal": []}
    answer = client.post(config["commit_url"] + "?terminate=true", json=body)
    assert answer.status_code == 200, answer.text


def _learner_id(database: Database, external_id: str) -> int:
    with database.reading() as conn:
        return int(conn.execute(select(learners.c.id)
                                .where(learners.c.external_id == external_id)).scalar_one())


def test_mirrored_statements_by_learner_and_role(
        client: TestClient, database: Database, admin: dict[str, str],
        package_12: dict[str, Any], launch: Callable[..., dict[str, Any]],
        play: Callable[..., dict[str, Any]],
        person: Callable[[str, Role], tuple[int, dict[str, str]]]) -> None:
    _run(client, launch, play, package_12["course_id"], "learner-1", "passed")
    _run(client, launch, play, package_12["course_id"], "learner-2", "failed")
    manager_user, manager = person("boss@example.org", Role.MANAGER)
    learner_user, learner_two = person("two@example.org", Role.LEARNER)
    team = World(database).team("North", manager_user_id=manager_user)
    one, two = _learner_id(database, "learner-1"), _learner_id(database, "learner-2")
    with database.writing() as conn:
        conn.execute(update(learners).where(learners.c.id == one).values(team_id=team))
        conn.execute(update(learners).where(learners.c.id == two).values(user_id=learner_user))

    def actors(headers: dict[str, str], **params: Any) -> list[str]:
        answer = client.get(URL, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [item["actor"]["ifi"] for item in answer.json()["statements"]]

    everyone = actors(admin)
    assert set(everyone) == {"http://testserver|learner-1", "http://testserver|learner-2"}
    assert actors(manager) == [ifi for ifi in everyone if ifi.endswith("|learner-1")]
    assert actors(learner_two) == [ifi for ifi in everyone if ifi.endswith("|learner-2")]
    assert actors(admin, learner=one) == actors(manager)
    assert actors(admin, agent="account=http://testserver|learner-2") == actors(learner_two)
    assert client.get(URL, params={"learner": two}, headers=manager).status_code == 404

    answer = client.get(URL, params={"learner": one, "format": "csv", "sort": "stored"},
                        headers=manager)
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    verbs = [row["verb_display"] for row in rows]
    assert verbs[0] == "launched" and {"passed", "answered", "terminated"} <= set(verbs)
    passed = next(row for row in rows if row["verb_display"] == "passed")
    assert (passed["actor_name"], passed["result_success"], passed["result_score_raw"],
            passed["authority_name"]) == ("Learner-1", "true", "70.0", "Cairn SCORM runtime")
    assert len({row["registration"] for row in rows}) == 1 and rows[0]["registration"]
    answered = next(row for row in rows if row["verb_display"] == "answered")
    assert answered["object_type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
