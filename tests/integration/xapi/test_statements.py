"""Statement resource (xAPI 1.0.3 Communication 2.1) through real HTTP on a real database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

Headers = dict[str, str]
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def statement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "actor": {"objectType": "Agent", "mbox": "mailto:ada@example.org", "name": "Ada"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed",
                 "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "http://example.org/course/1"},
    }
    base.update(overrides)
    return base


def post(client: TestClient, headers: Headers, body: Any) -> list[str]:
    answer = client.post("/xapi/statements", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    ids: list[str] = answer.json()
    return ids


def test_2_1_2_post_stores_a_batch_and_returns_ids_in_order(client: TestClient,
                                                            lrs_auth: Headers) -> None:
    given = str(uuid.uuid4())
    ids = post(client, lrs_auth, [statement(id=given), statement()])
    assert ids[0] == given
    assert uuid.UUID(ids[1])


def test_2_1_1_put_stores_under_the_given_id(client: TestClient, lrs_auth: Headers) -> None:
    statement_id = str(uuid.uuid4())
    answer = client.put("/xapi/statements", params={"statementId": statement_id},
                        json=statement(), headers=lrs_auth)
    assert answer.status_code == 204
    fetched = client.get("/xapi/statements", params={"statementId": statement_id},
                         headers=lrs_auth)
    assert fetched.status_code == 200
    body = fetched.json()
    assert body["id"] == statement_id
    assert body["stored"] and body["authority"]["objectType"] == "Agent"
    assert body["version"].startswith("1.0")
    assert fetched.headers["x-experience-api-version"] == "1.0.3"
    assert "last-modified" in fetched.headers


def test_2_1_1_put_without_statement_id_is_400(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.put("/xapi/statements", json=statement(), headers=lrs_auth)
    assert answer.status_code == 400
    assert "statementId" in answer.json()["message"]


def test_same_id_same_statement_is_a_no_op(client: TestClient, lrs_auth: Headers) -> None:
    body = statement(id=str(uuid.uuid4()))
    post(client, lrs_auth, body)
    assert post(client, lrs_auth, body) == [body["id"]]


def test_same_id_different_statement_is_409_and_writes_nothing(client: TestClient,
                                                              lrs_auth: Headers) -> None:
    first = statement(id=str(uuid.uuid4()))
    post(client, lrs_auth, first)
    other = str(uuid.uuid4())
    changed = statement(id=first["id"], verb={"id": "http://example.org/verbs/failed"})
    answer = client.post("/xapi/statements", json=[statement(id=other), changed],
                         headers=lrs_auth)
    assert answer.status_code == 409
    missing = client.get("/xapi/statements", params={"statementId": other}, headers=lrs_auth)
    assert missing.status_code == 404


def test_invalid_statement_is_400_naming_the_property(client: TestClient,
                                                      lrs_auth: Headers) -> None:
    bad = statement(actor={"mbox": "ada@example.org"})
    answer = client.post("/xapi/statements", json=bad, headers=lrs_auth)
    assert answer.status_code == 400
    assert "mbox" in answer.json()["message"]


def test_batch_is_atomic(client: TestClient, lrs_auth: Headers) -> None:
    good = statement(id=str(uuid.uuid4()))
    answer = client.post("/xapi/statements", json=[good, {"verb": {}}], headers=lrs_auth)
    assert answer.status_code == 400
    assert client.get("/xapi/statements", params={"statementId": good["id"]},
                      headers=lrs_auth).status_code == 404


def test_missing_version_header_is_400(client: TestClient, lrs_auth: Headers) -> None:
    headers = {k: v for k, v in lrs_auth.items() if k != "X-Experience-API-Version"}
    answer = client.get("/xapi/statements", headers=headers)
    assert answer.status_code == 400
    assert "X-Experience-API-Version" in answer.json()["message"]


def test_unsupported_version_header_is_400(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get("/xapi/statements",
                        headers={**lrs_auth, "X-Experience-API-Version": "0.95"})
    assert answer.status_code == 400


def test_2_1_3_filters_by_agent_verb_activity_registration(client: TestClient,
                                                          lrs_auth: Headers) -> None:
    registration = str(uuid.uuid4())
    mine = statement(actor={"mbox": "mailto:bob@example.org"},
                     context={"registration": registration})
    post(client, lrs_auth, [statement(), mine])
    by_agent = client.get("/xapi/statements", headers=lrs_auth,
                          params={"agent": '{"mbox": "mailto:bob@example.org"}'}).json()
    assert len(by_agent["statements"]) == 1
    by_registration = client.get("/xapi/statements", headers=lrs_auth,
                                 params={"registration": registration}).json()
    assert [s["actor"]["mbox"] for s in by_registration["statements"]] == [
        "mailto:bob@example.org"]
    by_verb = client.get("/xapi/statements", headers=lrs_auth,
                         params={"verb": "http://adlnet.gov/expapi/verbs/completed"}).json()
    assert len(by_verb["statements"]) == 2
    none = client.get("/xapi/statements", headers=lrs_auth,
                      params={"activity": "http://example.org/course/none"}).json()
    assert none["statements"] == []


def test_related_activities_include_context_activities(client: TestClient,
                                                      lrs_auth: Headers) -> None:
    parent = "http://example.org/course/parent"
    post(client, lrs_auth, statement(context={"contextActivities": {"parent": {"id": parent}}}))
    plain = client.get("/xapi/statements", headers=lrs_auth, params={"activity": parent}).json()
    related = client.get("/xapi/statements", headers=lrs_auth,
                         params={"activity": parent, "related_activities": "true"}).json()
    assert plain["statements"] == []
    assert len(related["statements"]) == 1
    stored = related["statements"][0]["context"]["contextActivities"]["parent"]
    assert stored == [{"id": parent}]


def test_more_pages_through_everything_once(client: TestClient, lrs_auth: Headers) -> None:
    ids = post(client, lrs_auth, [statement() for _ in range(7)])
    seen: list[str] = []
    page = client.get("/xapi/statements", params={"limit": "3"}, headers=lrs_auth).json()
    while True:
        seen += [s["id"] for s in page["statements"]]
        post(client, lrs_auth, statement())  # arrivals do not disturb the paging
        if not page["more"]:
            break
        assert page["more"].startswith("/xapi/statements?more=")
        page = client.get(page["more"], headers=lrs_auth).json()
    assert seen == list(reversed(ids))


def test_ascending_and_since(client: TestClient, lrs_auth: Headers) -> None:
    first = post(client, lrs_auth, statement())
    stored = client.get("/xapi/statements", params={"statementId": first[0]},
                        headers=lrs_auth).json()["stored"]
    later = post(client, lrs_auth, [statement(), statement()])
    answer = client.get("/xapi/statements", headers=lrs_auth,
                        params={"since": stored, "ascending": "true"})
    assert [s["id"] for s in answer.json()["statements"]] == later
    assert answer.headers["x-experience-api-consistent-through"]


def test_voiding_hides_the_target_and_keeps_it_by_voided_id(client: TestClient,
                                                           lrs_auth: Headers) -> None:
    target = post(client, lrs_auth, statement())[0]
    voiding = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target})
    voiding_id = post(client, lrs_auth, voiding)[0]
    assert client.get("/xapi/statements", params={"statementId": target},
                      headers=lrs_auth).status_code == 404
    assert client.get("/xapi/statements", params={"voidedStatementId": target},
                      headers=lrs_auth).json()["id"] == target
    listed = client.get("/xapi/statements", headers=lrs_auth).json()["statements"]
    assert [s["id"] for s in listed] == [voiding_id]


def test_a_voiding_statement_cannot_be_voided(client: TestClient, lrs_auth: Headers) -> None:
    target = post(client, lrs_auth, statement())[0]
    first = post(client, lrs_auth, statement(
        verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target}))[0]
    answer = client.post("/xapi/statements", headers=lrs_auth, json=statement(
        verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": first}))
    assert answer.status_code == 400


def test_statement_refs_match_their_targets_filters(client: TestClient,
                                                   lrs_auth: Headers) -> None:
    target = post(client, lrs_auth, statement(actor={"mbox": "mailto:zoe@example.org"}))[0]
    referrer = post(client, lrs_auth, statement(
        verb={"id": "http://example.org/verbs/liked"},
        object={"objectType": "StatementRef", "id": target}))[0]
    found = client.get("/xapi/statements", headers=lrs_auth,
                       params={"agent": '{"mbox": "mailto:zoe@example.org"}'}).json()
    assert {s["id"] for s in found["statements"]} == {target, referrer}


def test_statements_read_mine_sees_only_own_statements(
        client: TestClient, make_credential: Callable[[list[str]], Headers]) -> None:
    writer = make_credential(["statements/write", "statements/read/mine"])
    other = make_credential(["statements/write"])
    mine = post(client, writer, statement())
    post(client, other, statement())
    listed = client.get("/xapi/statements", headers=writer).json()["statements"]
    assert [s["id"] for s in listed] == mine


def test_format_ids_reduces_agents_and_activities(client: TestClient, lrs_auth: Headers) -> None:
    statement_id = post(client, lrs_auth, statement(object={
        "id": "http://example.org/a", "definition": {"name": {"en-US": "A"}}}))[0]
    body = client.get("/xapi/statements", headers=lrs_auth,
                      params={"statementId": statement_id, "format": "ids"}).json()
    assert "definition" not in body["object"]
    assert "name" not in body["actor"]


def test_unknown_query_parameter_is_400(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get("/xapi/statements", params={"colour": "red"}, headers=lrs_auth)
    assert answer.status_code == 400
    assert "colour" in answer.json()["message"]


def test_alternate_request_syntax_posts_a_statement(client: TestClient,
                                                    lrs_auth: Headers) -> None:
    import json

    statement_id = str(uuid.uuid4())
    form = {"Authorization": lrs_auth["Authorization"], "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json", "statementId": statement_id,
            "content": json.dumps(statement())}
    answer = client.post("/xapi/statements?method=PUT", data=form)
    assert answer.status_code == 204, answer.text
    assert client.get("/xapi/statements", params={"statementId": statement_id},
                      headers=lrs_auth).status_code == 200


def test_about_needs_no_auth_and_lists_versions(client: TestClient) -> None:
    answer = client.get("/xapi/about")
    assert answer.status_code == 200
    assert "1.0.3" in answer.json()["version"]


def test_missing_statement_is_404_with_consistent_through(client: TestClient,
                                                        lrs_auth: Headers) -> None:
    answer = client.get("/xapi/statements", params={"statementId": str(uuid.uuid4())},
                        headers=lrs_auth)
    assert answer.status_code == 404
    assert answer.headers["x-experience-api-consistent-through"]


def test_consistent_through_comes_with_a_400_too(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.get("/xapi/statements", headers=lrs_auth,
                        params={"statementId": str(uuid.uuid4()), "verb": "http://x.org/v"})
    assert answer.status_code == 400
    assert answer.headers["x-experience-api-consistent-through"]


def test_alternate_syntax_keeps_real_headers(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.post("/xapi/statements?method=GET", data={"limit": "1"}, headers=lrs_auth)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"statements", "more"}


def test_alternate_syntax_form_header_overrides_the_real_one(client: TestClient,
                                                             lrs_auth: Headers) -> None:
    import json

    form = {"statementId": str(uuid.uuid4()), "X-Experience-API-Version": "0.8",
            "content": json.dumps(statement())}
    answer = client.post("/xapi/statements?method=PUT", data=form, headers=lrs_auth)
    assert answer.status_code == 400
