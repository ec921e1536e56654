"""State Resource (xAPI 1.0.3 Communication 2.3, with 2.2 documents and 3.1 concurrency).

Real HTTP through the app on a real database; each test names the rule it checks.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cairn.app import create_app
from cairn.config import Settings
from cairn.db.engine import Database

STATE = "/xapi/activities/state"
ACTIVITY = "http://example.com/activities/lesson-1"
AGENT = {"objectType": "Agent", "mbox": "mailto:learner@example.com"}
Headers = dict[str, str]


def params(state_id: str | None = "bookmark", **extra: Any) -> dict[str, str]:
    found = {"activityId": ACTIVITY, "agent": json.dumps(AGENT), **extra}
    if state_id is not None:
        found["stateId"] = state_id
    return found


def put_json(client: TestClient, auth: Headers, value: Any, **extra: Any) -> None:
    answer = client.put(STATE, params=params(**extra), headers=auth, json=value)
    assert answer.status_code == 204, answer.text


def etag_of(client: TestClient, auth: Headers, **extra: Any) -> str:
    answer = client.get(STATE, params=params(**extra), headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"]


def now_iso() -> str:
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.005)
    return moment


# --- Communication 2.3.s3: single document ------------------------------------------------


def test_2_3_s3_put_then_get_returns_the_document_with_etag_and_last_modified(
        client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"page": 3})
    answer = client.get(STATE, params=params(), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == {"page": 3}
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["etag"] == f'"{hashlib.sha1(answer.content).hexdigest()}"'
    assert answer.headers["last-modified"].endswith(" GMT")


def test_2_2_s2_documents_are_arbitrary_bytes_returned_with_their_content_type(
        client: TestClient, lrs_auth: Headers) -> None:
    content = bytes(range(256))
    answer = client.put(STATE, params=params(), content=content,
                        headers={**lrs_auth, "Content-Type": "application/octet-stream"})
    assert answer.status_code == 204
    answer = client.get(STATE, params=params(), headers=lrs_auth)
    assert answer.content == content
    assert answer.headers["content-type"] == "application/octet-stream"


def test_2_3_s3_put_replaces_the_whole_document(client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"a": 1, "b": 2})
    put_json(client, lrs_auth, {"c": 3})
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"c": 3}


def test_2_3_s3_get_of_a_missing_document_is_404(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(STATE, params=params("never-stored"), headers=lrs_auth)
    assert answer.status_code == 404
    assert "never-stored" in answer.json()["message"]


def test_1_1_head_answers_like_get_without_a_body(client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"page": 3})
    got = client.get(STATE, params=params(), headers=lrs_auth)
    head = client.head(STATE, params=params(), headers=lrs_auth)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["last-modified"] == got.headers["last-modified"]


def test_2_3_s3_registration_is_part_of_the_address(client: TestClient,
                                                   lrs_auth: Headers) -> None:
    registration = str(uuid.uuid4())
    put_json(client, lrs_auth, {"in": "registration"}, registration=registration)
    put_json(client, lrs_auth, {"in": "none"})
    upper = registration.upper()
    answer = client.get(STATE, params=params(registration=upper), headers=lrs_auth)
    assert answer.json() == {"in": "registration"}
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"in": "none"}


def test_2_3_s3_equivalent_mboxes_address_the_same_document(
        client: TestClient, lrs_auth: Headers) -> None:
    shouting = {"mbox": "mailto:learner@EXAMPLE.com"}
    answer = client.put(STATE, params={**params(), "agent": json.dumps(shouting)},
                        headers=lrs_auth, json={"same": True})
    assert answer.status_code == 204
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"same": True}


def test_2_3_s3_an_identified_group_may_own_state(client: TestClient,
                                                 lrs_auth: Headers) -> None:
    group = {"objectType": "Group", "account": {"homePage": "http://example.com", "name": "t1"}}
    query = {**params(), "agent": json.dumps(group)}
    assert client.put(STATE, params=query, headers=lrs_auth, json={"g": 1}).status_code == 204
    assert client.get(STATE, params=query, headers=lrs_auth).json() == {"g": 1}


def test_2_3_s3_delete_one_document(client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"page": 3})
    assert client.delete(STATE, params=params(), headers=lrs_auth).status_code == 204
    assert client.get(STATE, params=params(), headers=lrs_auth).status_code == 404


def test_2_3_s3_deleting_a_missing_document_is_not_an_error(
        client: TestClient, lrs_auth: Headers) -> None:
    assert client.delete(STATE, params=params("absent"), headers=lrs_auth).status_code == 204


# --- Communication 2.2.s7 / s8: POST merges JSON objects ----------------------------------


def test_2_2_s7_post_merges_top_level_properties(client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"x": "foo", "y": "bar"})
    answer = client.post(STATE, params=params(), headers=lrs_auth, json={"x": "bash", "z": "faz"})
    assert answer.status_code == 204
    merged = client.get(STATE, params=params(), headers=lrs_auth)
    assert merged.json() == {"x": "bash", "y": "bar", "z": "faz"}
    assert merged.headers["content-type"] == "application/json"


def test_2_2_s7_merge_replaces_nested_objects_whole(client: TestClient,
                                                    lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale"})
    client.post(STATE, params=params(), headers=lrs_auth, json={"car": {"make": "Dodge"}})
    answer = client.get(STATE, params=params(), headers=lrs_auth)
    assert answer.json() == {"car": {"make": "Dodge"}, "driver": "Dale"}


def test_2_2_s7_post_to_a_missing_document_stores_it_as_put_would(
        client: TestClient, lrs_auth: Headers) -> None:
    answer = client.post(STATE, params=params(), headers=lrs_auth, json={"first": True})
    assert answer.status_code == 204
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"first": True}


def test_2_2_s8_posting_non_json_onto_json_is_400_and_changes_nothing(
        client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"keep": "me"})
    answer = client.post(STATE, params=params(), content=b"abcdefg",
                         headers={**lrs_auth, "Content-Type": "not/json"})
    assert answer.status_code == 400
    assert "application/json" in answer.json()["message"]
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"keep": "me"}


def test_2_2_s8_posting_json_onto_a_non_json_document_is_400_and_changes_nothing(
        client: TestClient, lrs_auth: Headers) -> None:
    client.put(STATE, params=params(), content=b"/ asdf / undefined",
               headers={**lrs_auth, "Content-Type": "application/octet-stream"})
    answer = client.post(STATE, params=params(), headers=lrs_auth, json={"a": 1})
    assert answer.status_code == 400
    assert client.get(STATE, params=params(), headers=lrs_auth).content == b"/ asdf / undefined"


@pytest.mark.parametrize("body", [b'{"a": 1}{', b"[1, 2]"])
def test_2_2_s8_posted_json_that_is_not_an_object_is_400_and_changes_nothing(
        client: TestClient, lrs_auth: Headers, body: bytes) -> None:
    put_json(client, lrs_auth, {"keep": "me"})
    answer = client.post(STATE, params=params(), content=body,
                         headers={**lrs_auth, "Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("document:")
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"keep": "me"}


def test_3_2_s3_b6_a_body_declared_json_must_be_json(client: TestClient,
                                                      lrs_auth: Headers) -> None:
    for method in ("PUT", "POST"):
        answer = client.request(method, STATE, params=params(), content=b"{broken",
                                headers={**lrs_auth, "Content-Type": "application/json"})
        assert answer.status_code == 400, method
    assert client.get(STATE, params=params(), headers=lrs_auth).status_code == 404


# --- Communication 2.3.s4: multiple document GET ------------------------------------------


def test_2_3_s4_get_without_state_id_lists_the_ids(client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"n": 1}, state_id="b")
    put_json(client, lrs_auth, {"n": 2}, state_id="a")
    put_json(client, lrs_auth, {"n": 3}, state_id="other",
             activityId="http://example.com/activities/other")
    answer = client.get(STATE, params=params(None), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == ["a", "b"]
    assert answer.headers["etag"].startswith('"')
    assert answer.headers["last-modified"].endswith(" GMT")


def test_2_3_s4_the_list_is_empty_when_nothing_is_stored(client: TestClient,
                                                         lrs_auth: Headers) -> None:
    answer = client.get(STATE, params=params(None), headers=lrs_auth)
    assert answer.status_code == 200
    assert answer.json() == []


def test_2_3_s4_since_lists_only_documents_stored_after_it(
        client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"n": 1}, state_id="old")
    since = now_iso()
    put_json(client, lrs_auth, {"n": 2}, state_id="new")
    answer = client.get(STATE, params=params(None, since=since), headers=lrs_auth)
    assert answer.json() == ["new"]
    later = client.get(STATE, params=params(None, since=now_iso()), headers=lrs_auth)
    assert later.json() == []


def test_2_3_s4_an_update_counts_as_stored_since(client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"n": 1}, state_id="touched")
    since = now_iso()
    client.post(STATE, params=params("touched"), headers=lrs_auth, json={"m": 2})
    answer = client.get(STATE, params=params(None, since=since), headers=lrs_auth)
    assert answer.json() == ["touched"]


def test_2_3_s4_registration_narrows_the_list_and_its_absence_does_not(
        client: TestClient, lrs_auth: Headers) -> None:
    registration = str(uuid.uuid4())
    put_json(client, lrs_auth, {"n": 1}, state_id="with-reg", registration=registration)
    put_json(client, lrs_auth, {"n": 2}, state_id="without-reg")
    narrowed = client.get(STATE, params=params(None, registration=registration),
                          headers=lrs_auth)
    assert narrowed.json() == ["with-reg"]
    everything = client.get(STATE, params=params(None), headers=lrs_auth)
    assert everything.json() == ["with-reg", "without-reg"]


# --- Communication 2.3.s5: multiple document DELETE ---------------------------------------


def test_2_3_s5_delete_without_state_id_deletes_all_state_of_activity_and_agent(
        client: TestClient, lrs_auth: Headers) -> None:
    other_agent = json.dumps({"mbox": "mailto:someone-else@example.com"})
    put_json(client, lrs_auth, {"n": 1}, state_id="a")
    put_json(client, lrs_auth, {"n": 2}, state_id="b", registration=str(uuid.uuid4()))
    put_json(client, lrs_auth, {"n": 3}, state_id="kept", agent=other_agent)
    assert client.delete(STATE, params=params(None), headers=lrs_auth).status_code == 204
    assert client.get(STATE, params=params(None), headers=lrs_auth).json() == []
    kept = client.get(STATE, params=params(None, agent=other_agent), headers=lrs_auth)
    assert kept.json() == ["kept"]


def test_2_3_s5_delete_with_registration_deletes_only_that_registration(
        client: TestClient, lrs_auth: Headers) -> None:
    registration = str(uuid.uuid4())
    put_json(client, lrs_auth, {"n": 1}, state_id="gone", registration=registration)
    put_json(client, lrs_auth, {"n": 2}, state_id="kept")
    answer = client.delete(STATE, params=params(None, registration=registration),
                           headers=lrs_auth)
    assert answer.status_code == 204
    assert client.get(STATE, params=params(None), headers=lrs_auth).json() == ["kept"]


# --- Communication 2.3.s3 tables: parameters ----------------------------------------------


@pytest.mark.parametrize(("method", "missing"), [
    ("PUT", "activityId"), ("PUT", "agent"), ("PUT", "stateId"),
    ("POST", "activityId"), ("POST", "agent"), ("POST", "stateId"),
    ("GET", "activityId"), ("GET", "agent"), ("DELETE", "activityId"), ("DELETE", "agent"),
])
def test_2_3_s3_a_missing_required_parameter_is_400_naming_it(
        client: TestClient, lrs_auth: Headers, method: str, missing: str) -> None:
    query = params()
    del query[missing]
    answer = client.request(method, STATE, params=query, headers=lrs_auth, json={"a": 1})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(f"{missing}:")


@pytest.mark.parametrize(("name", "value"), [
    ("agent", "not JSON"), ("agent", "true"), ("agent", '{"name": "no identifier"}'),
    ("agent", '{"objectType": "Group", "member": [{"mbox": "mailto:a@example.com"}]}'),
    ("activityId", "not an iri"), ("registration", "true"), ("registration", "1234"),
    ("stateId", ""),
])
@pytest.mark.parametrize("method", ["PUT", "POST", "GET", "DELETE"])
def test_2_3_s3_an_invalid_parameter_value_is_400_naming_it(
        client: TestClient, lrs_auth: Headers, method: str, name: str, value: str) -> None:
    answer = client.request(method, STATE, params={**params(), name: value}, headers=lrs_auth,
                            json={"a": 1})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(name)


def test_2_3_s4_since_must_be_a_timestamp(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get(STATE, params=params(None, since="not a timestamp"), headers=lrs_auth)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("since:")


@pytest.mark.parametrize(("method", "name"), [
    ("GET", "StateId"), ("PUT", "profileId"), ("DELETE", "since"), ("PUT", "since"),
])
def test_3_2_s3_b7_unknown_parameters_are_400(client: TestClient, lrs_auth: Headers,
                                               method: str, name: str) -> None:
    answer = client.request(method, STATE, params={**params(), name: "x"}, headers=lrs_auth,
                            json={"a": 1})
    assert answer.status_code == 400
    assert name in answer.json()["message"]


# --- Communication 3.1: concurrency on the State resource ---------------------------------


def test_3_1_s3_state_may_be_written_without_concurrency_headers(
        client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"v": 1})
    put_json(client, lrs_auth, {"v": 2})
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"v": 2}


def test_3_1_s4_put_with_a_stale_if_match_is_412_and_changes_nothing(
        client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"v": 1})
    stale = etag_of(client, lrs_auth)
    put_json(client, lrs_auth, {"v": 2})
    answer = client.put(STATE, params=params(), json={"v": 3},
                        headers={**lrs_auth, "If-Match": stale})
    assert answer.status_code == 412
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"v": 2}


def test_3_1_s4_put_with_the_current_if_match_is_204(client: TestClient,
                                                      lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"v": 1})
    answer = client.put(STATE, params=params(), json={"v": 2},
                        headers={**lrs_auth, "If-Match": etag_of(client, lrs_auth)})
    assert answer.status_code == 204


def test_3_1_s4_if_none_match_star_refuses_to_overwrite(client: TestClient,
                                                         lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"v": 1})
    answer = client.put(STATE, params=params(), json={"v": 2},
                        headers={**lrs_auth, "If-None-Match": "*"})
    assert answer.status_code == 412
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"v": 1}


def test_3_1_s4_b7_post_and_delete_honour_if_match(client: TestClient,
                                                   lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"v": 1})
    wrong = {**lrs_auth, "If-Match": '"' + "0" * 40 + '"'}
    assert client.post(STATE, params=params(), json={"w": 1}, headers=wrong).status_code == 412
    assert client.delete(STATE, params=params(), headers=wrong).status_code == 412
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"v": 1}
    right = {**lrs_auth, "If-Match": etag_of(client, lrs_auth)}
    assert client.delete(STATE, params=params(), headers=right).status_code == 204


def test_3_1_preconditions_cannot_guard_a_delete_of_all_state(
        client: TestClient, lrs_auth: Headers) -> None:
    put_json(client, lrs_auth, {"v": 1})
    answer = client.delete(STATE, params=params(None), headers={**lrs_auth, "If-Match": "*"})
    assert answer.status_code == 400
    assert "stateId" in answer.json()["message"]
    assert client.get(STATE, params=params(), headers=lrs_auth).status_code == 200


# --- access, limits, alternate syntax -----------------------------------------------------


def test_4_2_state_needs_the_state_scope_and_all_read_may_only_read(
        client: TestClient, make_credential: Callable[[list[str]], Headers]) -> None:
    writer = make_credential(["state"])
    reader = make_credential(["all/read"])
    outsider = make_credential(["profile"])
    put_json(client, writer, {"v": 1})
    assert client.get(STATE, params=params(), headers=reader).status_code == 200
    assert client.put(STATE, params=params(), headers=reader, json={}).status_code == 403
    assert client.get(STATE, params=params(), headers=outsider).status_code == 403


def test_3_2_s2_b7_a_document_over_the_size_limit_is_413(
        settings: Settings, database: Database, lrs_auth: Headers) -> None:
    small = settings.model_copy(update={"xapi_max_body_bytes": 1024})
    with TestClient(create_app(small, database=database)) as client:
        answer = client.put(STATE, params=params(), content=b"x" * 2048,
                            headers={**lrs_auth, "Content-Type": "text/plain"})
        assert answer.status_code == 413
        assert client.get(STATE, params=params(), headers=lrs_auth).status_code == 404


def test_1_3_alternate_request_syntax_reaches_the_state_resource(
        client: TestClient, lrs_auth: Headers) -> None:
    form = {**params(), "content": json.dumps({"via": "form"}),
            "Content-Type": "application/json", **lrs_auth}
    answer = client.post(STATE, params={"method": "PUT"}, data=form,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 204, answer.text
    assert client.get(STATE, params=params(), headers=lrs_auth).json() == {"via": "form"}
