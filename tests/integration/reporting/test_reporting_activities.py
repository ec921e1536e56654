"""GET /api/v1/activities: the normalized feed, its fields, filters, sync and roles."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reporting_world import Scene, assert_refused

URL = "/api/v1/activities"


def _feed(client: TestClient, scene: Scene, who: str = "admin", **params: Any
          ) -> list[dict[str, Any]]:
    answer = client.get(URL, params=params, headers=scene.headers[who])
    assert answer.status_code == 200, answer.text
    return list(answer.json()["activities"])


def _sessions(scene: Scene, feed: list[dict[str, Any]]) -> list[str]:
    by_attempt = {scene.world.attempt_of(session_id): name
                  for name, session_id in scene.sessions.items()}
    return [by_attempt.get(item["id"], "new") for item in feed]


def test_one_activity_per_attempt_in_the_common_shape(client: TestClient,
                                                      scene: Scene) -> None:
    feed = _feed(client, scene)
    assert _sessions(scene, feed) == ["s1", "s2", "s3", "s4", "s5"]
    assert feed[0] == {
        "id": scene.world.attempt_of(scene.sessions["s1"]), "course_id": scene.safety,
        "student_id": scene.ada, "content_id": scene.safety_lessons[0], "is_completed": True,
        "progress_percentage": 100.0, "duration_minutes": 20.0,
        "started_at": "2026-03-02T09:00:00.000000Z",
        "completed_at": "2026-03-02T09:20:00.000000Z",
        "created_at": "2026-03-02T09:00:00.000000Z",
        "updated_at": "2026-03-02T09:20:00.000000Z"}
    progress = [(item["is_completed"], item["progress_percentage"], item["completed_at"])
                for item in feed[1:]]
    assert progress == [(False, 50.0, None), (True, 100.0, "2026-03-04T09:30:00.000000Z"),
                        (True, 100.0, "2026-03-05T09:12:00.000000Z"), (False, 0.0, None)]


@pytest.mark.parametrize(("params", "expected"), [
    ({"student_id": "EVE"}, ["s4", "s5"]), ({"course_id": "SAFETY"}, ["s1", "s2", "s3", "s5"]),
    ({"content_id": "L1"}, ["s1", "s3", "s5"]), ({"query": "ethics"}, ["s4"]),
    ({"query": "ADA"}, ["s1", "s2"]), ({"query": "lesson 2"}, ["s2"]),
    ({"query": "example.org"}, ["s1", "s2"]), ({"query": "%"}, []), ({"query": "_"}, []),
    ({"limit": "2", "offset": "2"}, ["s3", "s4"]), ({"offset": "5"}, []),
])
def test_filters_search_and_pages(client: TestClient, scene: Scene, params: dict[str, str],
                                  expected: list[str]) -> None:
    names = {"EVE": scene.eve, "SAFETY": scene.safety, "L1": scene.safety_lessons[0]}
    resolved = {key: names.get(value, value) for key, value in params.items()}
    assert _sessions(scene, _feed(client, scene, **resolved)) == expected


@pytest.mark.parametrize(("who", "params"), [
    ("admin", {}), ("admin", {"course_id": "SAFETY"}), ("admin", {"query": "a"}),
    ("manager", {}), ("admin", {"updated_gte": "2026-03-03T00:00:00Z"}),
])
def test_offset_pages_add_up_to_the_whole_feed(client: TestClient, scene: Scene, who: str,
                                               params: dict[str, str]) -> None:
    """Pages pick their ids first and join afterwards: together they are the feed,
    in its order, with each filter (and the caller's reach) applied to the ids."""
    for _ in range(7):  # attempts that changed at the same moment: id breaks the tie
        scene.world.session(scene.ada, scene.safety_lessons[1], scene.safety_package,
                            start=9, minutes=1, updated=9.5)
    resolved = {key: scene.safety if value == "SAFETY" else value
                for key, value in params.items()}
    whole = [item["id"] for item in _feed(client, scene, who, limit=1000, **resolved)]
    paged: list[int] = []
    for offset in range(0, len(whole) + 3, 3):
        paged += [item["id"] for item in _feed(client, scene, who, limit=3, offset=offset,
                                               **resolved)]
    assert paged == whole and len(whole) >= 2



def test_incremental_sync_sees_what_changed_since(client: TestClient, scene: Scene) -> None:
    feed = _feed(client, scene)
    since = feed[2]["updated_at"]
    assert _sessions(scene, _feed(client, scene, updated_gte=since)) == ["s3", "s4", "s5"]
    scene.world.session(scene.ada, scene.safety_lessons[1], scene.safety_package, start=8,
                        completion="completed",
                        attempt_id=scene.world.attempt_of(scene.sessions["s2"]))
    changed = _feed(client, scene, updated_gte=since)
    assert _sessions(scene, changed) == ["s3", "s4", "s5", "s2"]
    assert (changed[-1]["is_completed"], changed[-1]["duration_minutes"]) == (True, 15.0)


def test_fields_choose_the_columns(client: TestClient, scene: Scene) -> None:
    feed = _feed(client, scene, fields="id,student_external_id,content_title,is_completed")
    assert list(feed[0]) == ["id", "student_external_id", "content_title", "is_completed"]
    assert feed[0]["student_external_id"] == "ada"
    assert feed[0]["content_title"] == "Safety lesson 1"


def test_no_field_names_means_the_default_fields(client: TestClient, scene: Scene) -> None:
    assert list(_feed(client, scene, fields=" , ")[0]) == list(_feed(client, scene)[0])


def test_csv_streams_every_row_with_the_chosen_fields(client: TestClient,
                                                      scene: Scene) -> None:
    evil = scene.world.learner("@SUM(1+1)*cmd|' /C calc'!A0", "Mallory")
    scene.world.session(evil, scene.safety_lessons[0], scene.safety_package, start=9)
    answer = client.get(URL, params={"format": "csv"}, headers=scene.headers["admin"])
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == 6 and list(rows[0])[:3] == ["id", "course_id", "student_id"]
    assert rows[0]["is_completed"] == "true" and rows[1]["completed_at"] == ""
    answer = client.get(URL, params={"fields": "student_external_id", "student_id": evil},
                        headers={**scene.headers["admin"], "Accept": "text/csv"})
    assert answer.text.splitlines()[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.parametrize(("params", "named"), [
    ({"fields": "id,colour"}, "fields"), ({"offset": "-1"}, "offset"), ({"limit": "0"}, "limit"),
    ({"updated_gte": "recently"}, "updated_gte"), ({"student_id": "ada"}, "student_id"),
    ({"query": "x" * 201}, "query"), ({"format": "xls"}, "format"),
    ({"student_id": str(10**20)}, "student_id"), ({"course_id": str(2**31)}, "course_id"),
    ({"content_id": "0"}, "content_id"), ({"offset": str(2**63)}, "offset"),
    ({"query": "a\x00b"}, "query"),
])
def test_bad_parameters_are_named(client: TestClient, scene: Scene, params: dict[str, str],
                                  named: str) -> None:
    assert_refused(client, URL, params, scene.headers["admin"], named)


def test_roles(client: TestClient, scene: Scene) -> None:
    assert _sessions(scene, _feed(client, scene, "manager")) == ["s1", "s2", "s3"]
    assert _sessions(scene, _feed(client, scene, "learner")) == ["s1", "s2"]
    assert len(_feed(client, scene, "auditor")) == 5
    assert client.get(URL, headers=scene.headers["author"]).status_code == 403
