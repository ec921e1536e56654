"""Activity Profile Resource (xAPI 1.0.3 Communication 2.7, with 2.2 and 3.1 concurrency)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

PROFILE = "/xapi/activities/profile"
ACTIVITY = "http://example.com/activities/course-7"
Headers = dict[str, str]
CREATE = {"If-None-Match": "*"}


def params(profile_id: str | None = "settings", **extra: Any) -> dict[str, str]:
    found = {"activityId": ACTIVITY, **extra}
    if profile_id is not None:
        found["profileId"] = profile_id
    return found


def create(client: TestClient, auth: Headers, value: Any, **extra: Any) -> str:
    """Store a new profile document; return its quoted ETag."""
    answer = client.put(PROFILE, params=params(**extra), headers={**auth, **CREATE}, json=value)
    assert answer.status_code == 204, answer.text
    return client.get(PROFILE, params=params(**extra), headers=auth).headers["etag"]


def stored(client: TestClient, auth: Headers) -> Any:
    return client.get(PROFILE, params=params(), headers=auth).json()


# --- Communication 2.7.s3: single document ------------------------------------------------


def test_2_7_s3_put_with_if_none_match_creates_and_get_returns_it(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"theme": "dark"})
    answer = client.get(PROFILE, params=params(), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == {"theme": "dark"}
    assert answer.headers["content-type"] == "application/json"


def test_3_1_s4_b2_the_etag_is_the_quoted_sha1_hex_of_the_content(
        client: TestClient, lrs_auth: Headers) -> None:
    etag = create(client, lrs_auth, {"theme": "dark"})
    content = client.get(PROFILE, params=params(), headers=lrs_auth).content
    assert etag == f'"{hashlib.sha1(content).hexdigest()}"'


def test_2_7_s3_get_of_a_missing_profile_is_404(client: TestClient, lrs_auth: Headers) -> None:
    assert client.get(PROFILE, params=params("nope"), headers=lrs_auth).status_code == 404


def test_2_7_s3_delete_removes_the_profile(client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"theme": "dark"})
    assert client.delete(PROFILE, params=params(), headers=lrs_auth).status_code == 204
    assert client.get(PROFILE, params=params(), headers=lrs_auth).status_code == 404


def test_2_7_s3_deleting_a_missing_profile_is_204(client: TestClient, lrs_auth: Headers) -> None:
    assert client.delete(PROFILE, params=params("absent"), headers=lrs_auth).status_code == 204


def test_2_2_s7_post_merges_and_creates(client: TestClient, lrs_auth: Headers) -> None:
    assert client.post(PROFILE, params=params(), headers=lrs_auth,
                       json={"car": "Honda"}).status_code == 204
    assert client.post(PROFILE, params=params(), headers=lrs_auth,
                       json={"type": "Civic"}).status_code == 204
    assert stored(client, lrs_auth) == {"car": "Honda", "type": "Civic"}


def test_2_2_s8_post_of_non_json_onto_json_is_400_and_changes_nothing(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"keep": "me"})
    answer = client.post(PROFILE, params=params(), content=b"abc",
                         headers={**lrs_auth, "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400
    assert stored(client, lrs_auth) == {"keep": "me"}


def test_3_2_s3_b6_invalid_json_posted_to_a_new_profile_is_400(
        client: TestClient, lrs_auth: Headers) -> None:
    answer = client.post(PROFILE, params=params(), content=b'{"a": 1}[',
                         headers={**lrs_auth, "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert client.get(PROFILE, params=params(), headers=lrs_auth).status_code == 404


# --- Communication 2.7.s4: multiple document GET ------------------------------------------


def test_2_7_s4_get_without_profile_id_lists_this_activitys_ids(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"n": 1}, profile_id="one")
    create(client, lrs_auth, {"n": 2}, profile_id="two")
    create(client, lrs_auth, {"n": 3}, profile_id="elsewhere",
           activityId="http://example.com/activities/other")
    answer = client.get(PROFILE, params=params(None), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == ["one", "two"]


def test_2_7_s4_since_limits_the_list_to_later_updates(client: TestClient,
                                                       lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"n": 1}, profile_id="before")
    since = datetime.now(UTC).isoformat()
    time.sleep(0.005)
    create(client, lrs_auth, {"n": 2}, profile_id="after")
    answer = client.get(PROFILE, params=params(None, since=since), headers=lrs_auth)
    assert answer.json() == ["after"]


@pytest.mark.parametrize("since", ["true", "yesterday", "2024-13-01T00:00:00Z"])
def test_2_7_s4_since_must_be_a_timestamp(client: TestClient, lrs_auth: Headers,
                                          since: str) -> None:
    answer = client.get(PROFILE, params=params(None, since=since), headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("since:")


# --- parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "missing"), [
    ("PUT", "activityId"), ("PUT", "profileId"), ("POST", "activityId"), ("POST", "profileId"),
    ("GET", "activityId"), ("DELETE", "activityId"), ("DELETE", "profileId"),
])
def test_2_7_s3_a_missing_required_parameter_is_400_naming_it(
        client: TestClient, lrs_auth: Headers, method: str, missing: str) -> None:
    query = params()
    del query[missing]
    answer = client.request(method, PROFILE, params=query, json={"a": 1},
                            headers={**lrs_auth, **CREATE})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(f"{missing}:")


@pytest.mark.parametrize("name", ["agent", "registration", "stateId", "ActivityId"])
def test_3_2_s3_b7_parameters_of_other_resources_are_400(client: TestClient,
                                                          lrs_auth: Headers, name: str) -> None:
    answer = client.get(PROFILE, params={**params(), name: "x"}, headers=lrs_auth)
    assert answer.status_code == 400
    assert name in answer.json()["message"]


def test_2_7_s3_activity_id_must_be_an_iri(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(PROFILE, params=params(activityId="lesson 1"), headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("activityId:")


# --- Communication 3.1: concurrency (required for profile PUTs) ---------------------------


def test_3_1_s3_b1_put_of_a_new_profile_without_either_header_is_400(
        client: TestClient, lrs_auth: Headers) -> None:
    answer = client.put(PROFILE, params=params(), headers=lrs_auth, json={"a": 1})
    assert answer.status_code == 400
    assert "If-None-Match" in answer.json()["message"]
    assert client.get(PROFILE, params=params(), headers=lrs_auth).status_code == 404


def test_3_1_s4_b13_put_over_an_existing_profile_without_either_header_is_409(
        client: TestClient, lrs_auth: Headers) -> None:
    etag = create(client, lrs_auth, {"v": 1})
    answer = client.put(PROFILE, params=params(), headers=lrs_auth, json={"v": 2})
    assert answer.status_code == 409
    message = answer.json()["message"]
    assert "If-Match" in message
    assert etag in message
    assert stored(client, lrs_auth) == {"v": 1}


def test_3_1_s4_b5_put_with_the_current_if_match_replaces(client: TestClient,
                                                         lrs_auth: Headers) -> None:
    etag = create(client, lrs_auth, {"v": 1})
    answer = client.put(PROFILE, params=params(), headers={**lrs_auth, "If-Match": etag},
                        json={"v": 2})
    assert answer.status_code == 204
    assert stored(client, lrs_auth) == {"v": 2}


def test_3_1_s4_b5_if_match_may_list_several_etags(client: TestClient,
                                                  lrs_auth: Headers) -> None:
    etag = create(client, lrs_auth, {"v": 1})
    tags = f'"{"1" * 40}", {etag}'
    answer = client.put(PROFILE, params=params(), headers={**lrs_auth, "If-Match": tags},
                        json={"v": 2})
    assert answer.status_code == 204


@pytest.mark.parametrize("tag", ['"1111111111111111111111111111111111111111"', "W/{etag}"])
def test_3_1_s4_b9_put_with_a_failing_if_match_is_412_and_changes_nothing(
        client: TestClient, lrs_auth: Headers, tag: str) -> None:
    etag = create(client, lrs_auth, {"v": 1})
    answer = client.put(PROFILE, params=params(), json={"v": 2},
                        headers={**lrs_auth, "If-Match": tag.format(etag=etag)})
    assert answer.status_code == 412
    assert stored(client, lrs_auth) == {"v": 1}


def test_3_1_s4_b9_if_match_on_a_missing_profile_is_412(client: TestClient,
                                                        lrs_auth: Headers) -> None:
    answer = client.put(PROFILE, params=params(), json={"v": 1},
                        headers={**lrs_auth, "If-Match": "*"})
    assert answer.status_code == 412
    assert client.get(PROFILE, params=params(), headers=lrs_auth).status_code == 404


def test_3_1_s4_b6_if_none_match_star_over_an_existing_profile_is_412(
        client: TestClient, lrs_auth: Headers) -> None:
    create(client, lrs_auth, {"v": 1})
    answer = client.put(PROFILE, params=params(), headers={**lrs_auth, **CREATE}, json={"v": 2})
    assert answer.status_code == 412
    assert stored(client, lrs_auth) == {"v": 1}


def test_3_1_s4_b8_post_honours_if_none_match_and_if_match(client: TestClient,
                                                           lrs_auth: Headers) -> None:
    etag = create(client, lrs_auth, {"v": 1})
    refused = client.post(PROFILE, params=params(), headers={**lrs_auth, **CREATE},
                          json={"w": 2})
    assert refused.status_code == 412
    stale = client.post(PROFILE, params=params(), json={"w": 2},
                        headers={**lrs_auth, "If-Match": '"' + "2" * 40 + '"'})
    assert stale.status_code == 412
    fresh = client.post(PROFILE, params=params(), headers={**lrs_auth, "If-Match": etag},
                        json={"w": 2})
    assert fresh.status_code == 204
    assert stored(client, lrs_auth) == {"v": 1, "w": 2}


def test_3_1_s4_b7_delete_honours_if_match(client: TestClient, lrs_auth: Headers) -> None:
    etag = create(client, lrs_auth, {"v": 1})
    stale = {**lrs_auth, "If-Match": '"' + "3" * 40 + '"'}
    assert client.delete(PROFILE, params=params(), headers=stale).status_code == 412
    assert stored(client, lrs_auth) == {"v": 1}
    fresh = {**lrs_auth, "If-Match": etag}
    assert client.delete(PROFILE, params=params(), headers=fresh).status_code == 204


def test_3_1_an_empty_if_match_header_is_400(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.put(PROFILE, params=params(), json={"v": 1},
                        headers={**lrs_auth, "If-Match": " , "})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("If-Match:")


# --- access --------------------------------------------------------------------------------


def test_4_2_profiles_need_the_profile_scope(
        client: TestClient, make_credential: Callable[[list[str]], Headers]) -> None:
    writer = make_credential(["profile"])
    create(client, writer, {"v": 1})
    assert client.get(PROFILE, params=params(), headers=make_credential(["all/read"])
                      ).status_code == 200
    state_only = make_credential(["state"])
    assert client.get(PROFILE, params=params(), headers=state_only).status_code == 403
    assert client.delete(PROFILE, params=params(),
                         headers=make_credential(["all/read"])).status_code == 403
