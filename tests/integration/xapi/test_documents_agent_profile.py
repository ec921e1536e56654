"""Agent Profile Resource (xAPI 1.0.3 Communication 2.6, with 2.2 and 3.1 concurrency)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

PROFILE = "/xapi/agents/profile"
AGENT = {"objectType": "Agent",
         "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"}}
Headers = dict[str, str]
CREATE = {"If-None-Match": "*"}


def params(profile_id: str | None = "preferences", agent: Any = None,
           **extra: Any) -> dict[str, str]:
    found = {"agent": json.dumps(agent or AGENT), **extra}
    if profile_id is not None:
        found["profileId"] = profile_id
    return found


def create(client: TestClient, auth: Headers, value: Any, **extra: Any) -> None:
    answer = client.put(PROFILE, params=params(**extra), headers={**auth, **CREATE}, json=value)
    assert answer.status_code == 204, answer.text


# --- Communication 2.6.s3: single document ------------------------------------------------


def test_2_6_s3_put_get_and_delete_a_profile(client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"language": "fr"})
    answer = client.get(PROFILE, params=params(), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == {"language": "fr"}
    assert len(answer.headers["etag"]) == 42
    assert client.delete(PROFILE, params=params(), headers=lrs_auth).status_code == 204
    assert client.get(PROFILE, params=params(), headers=lrs_auth).status_code == 404


def test_2_6_s3_the_agent_is_matched_by_its_identifier_not_its_name(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"language": "fr"})
    renamed = {**AGENT, "name": "Rick"}
    answer = client.get(PROFILE, params=params(agent=renamed), headers=lrs_auth)
    assert answer.json() == {"language": "fr"}


def test_2_6_s3_note_the_agent_may_not_be_a_group(client: TestClient, lrs_auth: Headers) -> None:
    group = {"objectType": "Group", "mbox": "mailto:team@example.com"}
    answer = client.put(PROFILE, params=params(agent=group), headers={**lrs_auth, **CREATE},
                        json={"a": 1})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("agent:")


def test_2_2_s7_post_merges_into_an_agent_profile(client: TestClient, lrs_auth: Headers) -> None:
    client.post(PROFILE, params=params(), headers=lrs_auth, json={"car": "Honda"})
    client.post(PROFILE, params=params(), headers=lrs_auth, json={"type": "Civic"})
    answer = client.get(PROFILE, params=params(), headers=lrs_auth)
    assert answer.json() == {"car": "Honda", "type": "Civic"}


def test_2_2_s8_posting_json_onto_a_non_json_profile_is_400_and_changes_nothing(
        client: TestClient, lrs_auth: Headers) -> None:
    answer = client.put(PROFILE, params=params(), content=b"/ asdf / undefined",
                        headers={**lrs_auth, **CREATE, "Content-Type": "application/octet-stream"})
    assert answer.status_code == 204
    refused = client.post(PROFILE, params=params(), headers=lrs_auth, json={"a": 1})
    assert refused.status_code == 400
    assert client.get(PROFILE, params=params(), headers=lrs_auth).text == "/ asdf / undefined"


def test_2_6_s3_profiles_of_different_resources_do_not_collide(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"from": "agent profile"}, profile_id="shared-id")
    state = {"activityId": "http://example.com/a", "agent": json.dumps(AGENT),
             "stateId": "shared-id"}
    client.put("/xapi/activities/state", params=state, headers=lrs_auth, json={"from": "state"})
    answer = client.get(PROFILE, params=params("shared-id"), headers=lrs_auth)
    assert answer.json() == {"from": "agent profile"}


# --- Communication 2.6.s4: multiple document GET ------------------------------------------


def test_2_6_s4_get_without_profile_id_lists_this_agents_ids(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"n": 1}, profile_id="p1")
    create(client, lrs_auth, {"n": 2}, profile_id="p2")
    create(client, lrs_auth, {"n": 3}, profile_id="theirs",
           agent={"mbox": "mailto:other@example.com"})
    answer = client.get(PROFILE, params=params(None), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == ["p1", "p2"]


def test_2_6_s4_since_limits_the_list_to_later_updates(client: TestClient,
                                                       lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"n": 1}, profile_id="before")
    since = datetime.now(UTC).isoformat()
    time.sleep(0.005)
    create(client, lrs_auth, {"n": 2}, profile_id="after")
    answer = client.get(PROFILE, params=params(None, since=since), headers=lrs_auth)
    assert answer.json() == ["after"]


def test_1_1_head_of_the_id_list_has_no_body(client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"n": 1})
    answer = client.head(PROFILE, params=params(None), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.content == b""
    assert answer.headers["etag"]


# --- parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "missing"), [
    ("PUT", "agent"), ("PUT", "profileId"), ("POST", "agent"), ("POST", "profileId"),
    ("GET", "agent"), ("DELETE", "agent"), ("DELETE", "profileId"),
])
def test_2_6_s3_a_missing_required_parameter_is_400_naming_it(
        client: TestClient, lrs_auth: Headers, method: str, missing: str) -> None:
    query = params()
    del query[missing]
    answer = client.request(method, PROFILE, params=query, json={"a": 1},
                            headers={**lrs_auth, **CREATE})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(f"{missing}:")


@pytest.mark.parametrize("raw", ["true", "not JSON", '{"objectType": "Agent"}',
                                 '{"mbox": "learner@example.com"}'])
@pytest.mark.parametrize("method", ["PUT", "POST", "GET", "DELETE"])
def test_2_6_s3_an_agent_that_is_not_an_agent_object_is_400(
        client: TestClient, lrs_auth: Headers, method: str, raw: str) -> None:
    answer = client.request(method, PROFILE, params={**params(), "agent": raw}, json={"a": 1},
                            headers={**lrs_auth, **CREATE})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("agent")


def test_3_2_s3_b7_activity_id_is_unknown_here(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(PROFILE, params=params(activityId="http://example.com/a"),
                        headers=lrs_auth)
    assert answer.status_code == 400
    assert "activityId" in answer.json()["message"]


# --- Communication 3.1: concurrency -------------------------------------------------------


def test_3_1_put_without_headers_is_400_when_new_and_409_when_existing(
        client: TestClient, lrs_auth: Headers) -> None:
    fresh = client.put(PROFILE, params=params(), headers=lrs_auth, json={"v": 1})
    assert fresh.status_code == 400
    create(client, lrs_auth, {"v": 1})
    existing = client.put(PROFILE, params=params(), headers=lrs_auth, json={"v": 2})
    assert existing.status_code == 409
    assert client.get(PROFILE, params=params(), headers=lrs_auth).json() == {"v": 1}


def test_3_1_s4_b5_if_match_with_the_etag_from_get_replaces(client: TestClient,
                                                           lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"v": 1})
    etag = client.get(PROFILE, params=params(), headers=lrs_auth).headers["etag"]
    answer = client.put(PROFILE, params=params(), headers={**lrs_auth, "If-Match": etag},
                        json={"v": 2})
    assert answer.status_code == 204
    again = client.put(PROFILE, params=params(), headers={**lrs_auth, "If-Match": etag},
                       json={"v": 3})
    assert again.status_code == 412
    assert client.get(PROFILE, params=params(), headers=lrs_auth).json() == {"v": 2}
