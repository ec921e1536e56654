"""Activities Resource (xAPI 1.0.3 Communication 2.5): the full Activity object."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ACTIVITIES = "/xapi/activities"
Headers = dict[str, str]
MEETING: dict[str, Any] = {
    "objectType": "Activity",
    "id": "http://www.example.com/verify/complete/34534",
    "definition": {
        "type": "http://adlnet.gov/expapi/activities/meeting",
        "name": {"en-GB": "example meeting", "en-US": "example meeting"},
        "description": {"en-US": "An example meeting."},
        "moreInfo": "http://virtualmeeting.example.com/345256",
        "extensions": {"http://example.com/profiles/meetings/extension/reporter":
                       {"name": "Thomas", "id": "http://openid.com/342"}},
    },
}


def statement_about(activity: dict[str, Any]) -> dict[str, Any]:
    return {"actor": {"mbox": "mailto:xapi@adlnet.gov"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"}, "object": activity}


def store(client: TestClient, auth: Headers, *activities: dict[str, Any]) -> None:
    batch = [statement_about(activity) for activity in activities]
    answer = client.post("/xapi/statements", json=batch, headers=auth)
    assert answer.status_code == 200, answer.text


def lookup(client: TestClient, auth: Headers, activity_id: str) -> Any:
    answer = client.get(ACTIVITIES, params={"activityId": activity_id}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_2_5_s1_returns_the_complete_activity_object(client: TestClient,
                                                    lrs_auth: Headers) -> None:
    store(client, lrs_auth, MEETING)
    assert lookup(client, lrs_auth, MEETING["id"]) == MEETING


def test_2_5_s2_b1_an_activity_never_defined_is_still_an_activity_object(
        client: TestClient, lrs_auth: Headers) -> None:
    activity_id = "http://www.example.com/meetings/occurances/34534"
    store(client, lrs_auth, {"objectType": "Activity", "id": activity_id})
    assert lookup(client, lrs_auth, activity_id) == {"objectType": "Activity", "id": activity_id}


def test_2_5_s2_b1_an_unknown_activity_is_an_activity_object_not_a_404(
        client: TestClient, lrs_auth: Headers) -> None:
    activity_id = "http://example.com/never/seen"
    assert lookup(client, lrs_auth, activity_id) == {"objectType": "Activity", "id": activity_id}


def test_2_5_s1_the_activity_combines_definitions_from_every_statement(
        client: TestClient, lrs_auth: Headers) -> None:
    french = copy.deepcopy(MEETING)
    french["definition"]["name"] = {"fr-FR": "réunion"}
    store(client, lrs_auth, MEETING, french)
    name = lookup(client, lrs_auth, MEETING["id"])["definition"]["name"]
    assert name["en-US"] == "example meeting"
    assert name["fr-FR"] == "réunion"


def test_1_1_head_answers_without_a_body(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.head(ACTIVITIES, params={"activityId": MEETING["id"]}, headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.content == b""


def test_2_5_s1_activity_id_is_required(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(ACTIVITIES, headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("activityId:")


@pytest.mark.parametrize("value", ["true", "not an iri", ""])
def test_2_5_s1_activity_id_must_be_an_iri(client: TestClient, lrs_auth: Headers,
                                           value: str) -> None:
    answer = client.get(ACTIVITIES, params={"activityId": value}, headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("activityId:")


def test_3_2_s3_b7_unknown_parameters_are_400(client: TestClient, lrs_auth: Headers) -> None:
    query = {"activityId": MEETING["id"], "agent": "{}"}
    answer = client.get(ACTIVITIES, params=query, headers=lrs_auth)
    assert answer.status_code == 400
    assert "agent" in answer.json()["message"]


@pytest.mark.parametrize(("scope", "status"), [
    ("define", 200), ("all/read", 200), ("statements/read", 200), ("statements/write", 403),
])
def test_4_2_reading_scopes_may_look_up_activities(
        client: TestClient, make_credential: Callable[[list[str]], Headers],
        scope: str, status: int) -> None:
    answer = client.get(ACTIVITIES, params={"activityId": MEETING["id"]},
                        headers=make_credential([scope]))
    assert answer.status_code == status
