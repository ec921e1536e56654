"""The SCORM runtime over real HTTP: launch, player page, commits, sessions, statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cairn.accounts.models import Role

Launch = Callable[..., dict[str, Any]]
Play = Callable[..., dict[str, Any]]


def _commit(client: TestClient, config: dict[str, Any], body: dict[str, Any], *,
            terminate: bool = False, beacon: bool = False) -> Any:
    url = config["commit_url"] + ("?terminate=true" if terminate else "")
    if beacon:
        import orjson
        return client.post(url, content=orjson.dumps(body),
                           headers={"Content-Type": "text/plain;charset=UTF-8"})
    return client.post(url, json=body)


def _session(client: TestClient, admin: dict[str, str], session_id: int) -> dict[str, Any]:
    answer = client.get(f"/api/v1/sessions/{session_id}", headers=admin)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


CORE_12 = {"student_id": "learner-1", "student_name": "Ada", "credit": "credit",
           "entry": "ab-initio", "lesson_mode": "normal", "total_time": "00:00:00"}


def test_a_scorm_12_lesson_from_launch_to_resume(
        client: TestClient, admin: dict[str, str], package_12: dict[str, Any], launch: Launch,
        play: Play, lrs_auth: dict[str, str]) -> None:
    launched = launch(course=package_12["course_id"], learner_name="Ada")
    assert launched["launch_url"].startswith("http://testserver/play/")
    config = play(launched["launch_url"])
    assert config["version"] == "1.2" and config["entry"] == "ab-initio"
    assert config["initial_state"]["cmi.core.student_id"] == "learner-1"
    assert config["initial_state"]["cmi.core.student_name"] == "Ada"
    assert "cmi.core.lesson_status" not in config["initial_state"]  # scorm-again's own default
    assert config["content_url"].startswith(f"/content/{package_12['id']}/index.html?token=")
    assert client.get(config["content_url"]).status_code == 200

    body = {"cmi": {"core": {**CORE_12, "lesson_location": "page-2", "lesson_status": "incomplete",
                             "session_time": "00:01:30", "exit": "suspend",
                             "score": {"raw": "40", "min": "", "max": "100"}},
                    "suspend_data": "x" * 5000,
                    "interactions": {"0": {"id": "q1", "type": "choice", "student_response": "a",
                                           "result": "wrong", "latency": "00:00:05",
                                           "correct_responses": {"0": {"pattern": "b"}}}}},
            "journal": []}
    answer = _commit(client, config, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] is True and answer.json()["errorCode"] == 0
    assert answer.json()["total_time"] == "0000:01:30.00"
    assert set(answer.json()["events"]) >= {"initialized", "progressed", "score_updated"}
    final = _commit(client, config, body, terminate=True, beacon=True)
    assert final.status_code == 200, final.text
    assert final.json()["events"] == ["suspended", "terminated"]

    session = _session(client, admin, config["session_id"])
    assert (session["state"], session["location"], session["exit"]) == ("terminated", "page-2",
                                                                         "suspend")
    assert session["score"]["raw"] == 40 and session["total_time_seconds"] == 90
    assert session["suspend_data"] == "x" * 5000
    assert session["interactions"][0]["id"] == "q1"
    assert session["interactions"][0]["correct_responses"] == ["b"]

    again = play(launched["launch_url"])
    assert again["entry"] == "resume" and again["session_id"] != config["session_id"]
    assert again["initial_state"]["cmi.core.lesson_location"] == "page-2"
    assert again["initial_state"]["cmi.core.total_time"] == "0000:01:30.00"
    assert again["initial_state"]["cmi.suspend_data"] == "x" * 5000
    assert "cmi.interactions.0.id" not in again["initial_state"]  # write-only in 1.2
    assert "cmi.core.exit" not in again["initial_state"]

    statements = client.get("/xapi/statements", headers=lrs_auth).json()["statements"]
    verbs = [statement["verb"]["display"]["en-US"] for statement in statements]
    assert {"launched", "initialized", "scored", "answered", "suspended", "terminated"} <= \
        set(verbs)
    answered = next(item for item in statements if item["verb"]["display"]["en-US"] ==
                    "answered")
    assert answered["result"] == {"response": "a", "success": False, "duration": "PT5S"}
    assert answered["actor"]["account"] == {"homePage": "http://testserver",
                                            "name": "learner-1"}


def test_a_bad_commit_is_refused_naming_the_element_and_stores_nothing(
        client: TestClient, admin: dict[str, str], package_12: dict[str, Any], launch: Launch,
        play: Play) -> None:
    config = play(launch(course=package_12["course_id"])["launch_url"])
    answer = _commit(client, config, {"cmi": {"core": {"lesson_status": "done",
                                                       "score": {"raw": "150"},
                                                       "student_id": "someone-else"}}})
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["error"] == "invalid_cmi"
    assert {item["element"] for item in problem["details"]} == {
        "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.student_id"}
    session = _session(client, admin, config["session_id"])
    assert session["commit_count"] == 0 and session["cmi"] == {}


@pytest.mark.parametrize(("body", "content_type", "status", "message"), [
    (b"not json", "application/json", 400, "not valid JSON"),
    (b"[1, 2]", "application/json", 400, "JSON object"),
    (b"{}", "application/xml", 400, "Content-Type"),
    (b'{"cmi": {}, "surprise": 1}', "application/json", 400, "unknown keys: surprise"),
    (b'{"cmi": {}, "journal": [{"call": "SetValue"}]}', "application/json", 400, "journal[0]"),
    (b'{"cmi": {}, "journal": [{"seq": 0, "call": "Eval", "error": 0, "at": 1}]}',
     "application/json", 400, "not a SCORM API function"),
])
def test_malformed_commits_are_4xx(client: TestClient, package_12: dict[str, Any],
                                   launch: Launch, play: Play, body: bytes, content_type: str,
                                   status: int, message: str, admin: dict[str, str]) -> None:
    config = play(launch(course=package_12["course_id"])["launch_url"])
    client.patch("/api/v1/journal/tracing", headers=admin, json={"trace_everyone": True})
    answer = client.post(config["commit_url"], content=body,
                         headers={"Content-Type": content_type})
    assert answer.status_code == status, answer.text
    assert message in answer.json()["message"]


def test_tokens_are_checked(client: TestClient, package_12: dict[str, Any], launch: Launch,
                            play: Play) -> None:
    config = play(launch(course=package_12["course_id"])["launch_url"])
    forged = config["commit_url"].replace("/commit", "x/commit")
    assert client.post(forged, json={"cmi": {}}).status_code == 401
    assert client.get("/play/not-a-token").status_code == 401
    # A launch token is not a session token, and the other way round.
    token = config["commit_url"].split("/")[4]
    assert client.get(f"/play/{token}").status_code == 401


def test_a_terminated_or_closed_session_takes_no_more_commits(
        client: TestClient, admin: dict[str, str], package_12: dict[str, Any], launch: Launch,
        play: Play) -> None:
    config = play(launch(course=package_12["course_id"])["launch_url"])
    assert _commit(client, config, {"cmi": {}}, terminate=True).status_code == 200
    late = _commit(client, config, {"cmi": {}})
    assert late.status_code == 409 and "terminated" in late.json()["message"]


def test_sessions_api_lists_and_closes_open_sessions(
        client: TestClient, admin: dict[str, str], package_12: dict[str, Any], launch: Launch,
        play: Play, make_token: Callable[[Role], dict[str, str]]) -> None:
    config = play(launch(course=package_12["course_id"])["launch_url"])
    _commit(client, config, {"cmi": {"core": {"lesson_location": "p7"}}})
    listed = client.get("/api/v1/sessions?state=open", headers=admin).json()["sessions"]
    assert [session["id"] for session in listed] == [config["session_id"]]
    auditor = make_token(Role.AUDITOR)
    assert client.post(f"/api/v1/sessions/{config['session_id']}/close", headers=auditor,
                       json={"reason": "x"}).status_code == 403
    closed = client.post(f"/api/v1/sessions/{config['session_id']}/close", headers=admin,
                         json={"reason": "left for the day"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "closed" and closed.json()["location"] == "p7"
    assert closed.json()["closed_reason"] == "left for the day"
    assert closed.json()["closed_by"].startswith("token:")
    assert client.get("/api/v1/sessions?state=open", headers=admin).json()["sessions"] == []
    again = client.post(f"/api/v1/sessions/{config['session_id']}/close", headers=admin,
                        json={"reason": "again"})
    assert again.status_code == 409
    assert client.get("/api/v1/sessions?state=sleeping", headers=admin).status_code == 400


def test_the_journal_of_a_traced_learner(client: TestClient, admin: dict[str, str],
                                         package_2004: dict[str, Any], launch: Launch,
                                         play: Play) -> None:
    launched = launch(course=package_2004["course_id"])
    tracing = client.patch("/api/v1/journal/tracing", headers=admin,
                           json={"add": [launched["learner_id"]]})
    assert tracing.status_code == 200 and tracing.json()["learners"][0]["learner_id"] == \
        launched["learner_id"]
    config = play(launched["launch_url"])
    assert config["journal"] is True
    lines = [{"seq": 0, "call": "Initialize", "value": "", "result": "true", "error": 0,
              "at": 1_760_000_000_000},
             {"seq": 1, "call": "SetValue", "element": "cmi.location", "value": "p1",
              "result": "true", "error": 0, "at": 1_760_000_000_500},
             {"seq": 2, "call": "GetValue", "element": "cmi.bogus", "result": "",
              "error": 401, "at": 1_760_000_001_000}]
    body = {"cmi": {"location": "p1"}, "journal": lines}
    assert _commit(client, config, body).status_code == 200
    assert _commit(client, config, body).status_code == 200  # resent: stored once
    session = _session(client, admin, config["session_id"])
    assert [(line["seq"], line["call"], line["error_code"]) for line in session["journal"]] == [
        (0, "Initialize", 0), (1, "SetValue", 0), (2, "GetValue", 401)]
    found = client.get("/api/v1/journal?call=GetValue&since=2025-10-09T00:00:00Z",
                       headers=admin).json()["lines"]
    assert [(line["seq"], line["element"]) for line in found] == [(2, "cmi.bogus")]
    by_course = client.get(f"/api/v1/journal?course={package_2004['course_id']}",
                           headers=admin).json()["lines"]
    assert len(by_course) == 3
    assert client.get("/api/v1/journal?since=yesterday", headers=admin).status_code == 400


def test_a_2004_package_with_two_lessons(client: TestClient, admin: dict[str, str],
                                         package_2004: dict[str, Any], launch: Launch,
                                         play: Play) -> None:
    launched = launch(course=package_2004["course_id"], learner_name="Ada")
    first = play(launched["launch_url"])
    assert first["version"] == "2004" and first["previous_url"] is None
    assert first["initial_state"]["cmi.objectives.0.id"] == "obj-one"
    assert first["initial_state"]["cmi.learner_name"] == "Ada"
    assert [entry["title"] for entry in first["toc"]] == ["One", "Two"]
    assert first["next_url"] == first["lessons_by_identifier"]["two"]
    second = play(first["next_url"])
    assert second["lesson_title"] == "Two" and second["previous_url"] is not None
    body = {"cmi": {"completion_status": "completed", "success_status": "passed",
                    "score": {"scaled": "0.9", "raw": "9", "min": "0", "max": "10"},
                    "session_time": "PT2M", "exit": "normal"}}
    answer = _commit(client, second, body, terminate=True, beacon=True)
    assert answer.status_code == 200, answer.text
    assert answer.json()["total_time"] == "PT2M"
    assert {"completed", "passed", "terminated"} <= set(answer.json()["events"])
    again = play(first["next_url"])  # the attempt ended: a new one, from scratch
    assert again["entry"] == "ab-initio" and "cmi.score.scaled" not in again["initial_state"]


def test_launch_requests_are_checked(client: TestClient, package_12: dict[str, Any],
                                     make_token: Callable[[Role], dict[str, str]],
                                     admin: dict[str, str]) -> None:
    def post(body: dict[str, Any], headers: dict[str, str] = admin) -> Any:
        return client.post("/api/v1/launches", headers=headers, json=body)

    lesson = package_12["lessons"][0]["id"]
    assert post({"learner": "x", "lesson": lesson, "course": 1}).status_code == 400
    assert post({"learner": "x"}).status_code == 400
    assert post({"learner": "x", "lesson": lesson, "mode": "practice"}).status_code == 400
    assert post({"learner": 424242, "lesson": lesson}).status_code == 404
    assert post({"learner": "x", "lesson": 999_999}).status_code == 404
    manager = make_token(Role.MANAGER)
    refused = post({"learner": "newcomer", "lesson": lesson}, manager)
    assert refused.status_code == 404 and "only admins" in refused.json()["message"]


def test_a_resumed_2004_session_gets_the_rows_it_carries(
        client: TestClient, admin: dict[str, str], package_2004: dict[str, Any], launch: Launch,
        play: Play) -> None:
    url = launch(course=package_2004["course_id"])["launch_url"]
    first = play(url)
    body = {"cmi": {"exit": "suspend", "location": "p3", "interactions": {"0": {
        "id": "q1", "type": "true-false", "learner_response": "true", "result": "correct"}}}}
    assert _commit(client, first, body, terminate=True).status_code == 200
    second = play(url)
    assert second["initial_state"]["cmi.interactions.0.id"] == "q1"
    carried = {"cmi": {"location": "p3", "interactions": {"0": {
        "id": "q1", "type": "true-false", "learner_response": "true", "result": "correct"}}}}
    assert _commit(client, second, carried).status_code == 200
    assert _commit(client, second, carried).status_code == 200  # unchanged: rows kept
    rows = _session(client, admin, second["session_id"])["interactions"]
    assert [(row["id"], row["learner_response"]) for row in rows] == [("q1", "true")]


def test_2004_suspend_data_beyond_64000_characters_is_stored_whole(
        client: TestClient, admin: dict[str, str], package_2004: dict[str, Any], launch: Launch,
        play: Play) -> None:
    url = launch(course=package_2004["course_id"])["launch_url"]
    config = play(url)
    long = "".join(chr(0x41 + n % 26) for n in range(150_000))
    body = {"cmi": {"suspend_data": long, "exit": "suspend"}}
    assert _commit(client, config, body, terminate=True, beacon=True).status_code == 200
    assert _session(client, admin, config["session_id"])["suspend_data"] == long
    assert play(url)["initial_state"]["cmi.suspend_data"] == long


@pytest.mark.parametrize(("limit", "status"), [("strict", 400), ("lenient", 200)])
def test_scorm12_suspend_data_follows_the_setting(
        client: TestClient, package_12: dict[str, Any], launch: Launch, play: Play,
        settings: Any, limit: str, status: int) -> None:
    settings.scorm12_suspend_data_limit = limit
    config = play(launch(course=package_12["course_id"])["launch_url"])
    answer = _commit(client, config, {"cmi": {"suspend_data": "s" * 5000}})
    assert answer.status_code == status, answer.text
    if status == 400:
        assert answer.json()["details"][0]["element"] == "cmi.suspend_data"
        assert "CAIRN_SCORM12_SUSPEND_DATA_LIMIT=strict" in answer.json()["message"]
