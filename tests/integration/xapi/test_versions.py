"""xAPI 2.0 (IEEE 9274.1.1) beside 1.0.3: one LRS, answering in the client's version."""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi.testclient import TestClient

from cairn.xapi.conversion import for_client, needs_conversion
from cairn.xapi.version import V1_0_3, V2_0

Headers = dict[str, str]
AGENT = {"objectType": "Agent", "mbox": "mailto:coach@example.org"}


def v2(headers: Headers) -> Headers:
    return {**headers, "X-Experience-API-Version": "2.0.0"}


def statement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "actor": {"mbox": "mailto:ada@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "http://example.org/course/1"},
    }
    return {**base, **overrides}


def with_context_agent() -> dict[str, Any]:
    return statement(context={"contextAgents": [{
        "objectType": "contextAgent", "agent": AGENT,
        "relevantTypes": ["http://example.org/types/coach"]}]})


def test_3_3_each_version_is_answered_in_kind(client: TestClient, lrs_auth: Headers) -> None:
    old = client.get("/xapi/statements", headers=lrs_auth)
    new = client.get("/xapi/statements", headers=v2(lrs_auth))
    assert old.headers["x-experience-api-version"] == "1.0.3"
    assert new.headers["x-experience-api-version"] == "2.0.0"


def test_3_3_unknown_versions_are_refused(client: TestClient, lrs_auth: Headers) -> None:
    for version in ("2.1.0", "3.0", "1.1", "two"):
        answer = client.get("/xapi/statements",
                            headers={**lrs_auth, "X-Experience-API-Version": version})
        assert answer.status_code == 400, version


def test_about_lists_both_versions(client: TestClient) -> None:
    versions = client.get("/xapi/about").json()["version"]
    assert {"1.0.3", "2.0.0"} <= set(versions)


def test_statement_version_defaults_to_the_request_version(client: TestClient,
                                                           lrs_auth: Headers) -> None:
    ids = client.post("/xapi/statements", json=statement(), headers=v2(lrs_auth)).json()
    stored = client.get("/xapi/statements", params={"statementId": ids[0]},
                        headers=v2(lrs_auth)).json()
    assert stored["version"] == "2.0.0"


def test_context_agents_are_kept_for_2_0_and_left_out_for_1_0_3(client: TestClient,
                                                               lrs_auth: Headers) -> None:
    answer = client.post("/xapi/statements", json=with_context_agent(), headers=v2(lrs_auth))
    assert answer.status_code == 200, answer.text
    statement_id = answer.json()[0]
    as_v2 = client.get("/xapi/statements", params={"statementId": statement_id},
                       headers=v2(lrs_auth)).json()
    as_v1 = client.get("/xapi/statements", params={"statementId": statement_id},
                       headers=lrs_auth).json()
    assert as_v2["context"]["contextAgents"][0]["agent"] == AGENT
    assert "contextAgents" not in as_v1["context"]
    assert as_v1["version"] == "1.0.0"


def test_context_agents_count_as_related_agents(client: TestClient, lrs_auth: Headers) -> None:
    client.post("/xapi/statements", json=with_context_agent(), headers=v2(lrs_auth))
    params = {"agent": json.dumps(AGENT), "related_agents": "true"}
    found = client.get("/xapi/statements", params=params, headers=v2(lrs_auth)).json()
    plain = client.get("/xapi/statements", params={"agent": json.dumps(AGENT)},
                       headers=v2(lrs_auth)).json()
    assert len(found["statements"]) == 1
    assert plain["statements"] == []


def test_1_0_3_clients_cannot_send_context_agents(client: TestClient, lrs_auth: Headers) -> None:
    answer = client.post("/xapi/statements", json=with_context_agent(), headers=lrs_auth)
    assert answer.status_code == 400
    assert "contextAgents" in answer.json()["message"]


def test_alternate_syntax_is_refused_in_2_0(client: TestClient, lrs_auth: Headers) -> None:
    form = {"statementId": str(uuid.uuid4()), "content": json.dumps(statement())}
    answer = client.post("/xapi/statements?method=PUT", data=form, headers=v2(lrs_auth))
    assert answer.status_code == 400
    assert "alternate request syntax" in answer.json()["message"]
    assert answer.headers["x-experience-api-version"] == "2.0.0"


def test_2_0_state_put_without_preconditions_cannot_replace(client: TestClient,
                                                            lrs_auth: Headers) -> None:
    params = {"activityId": "http://example.org/a", "agent": json.dumps(AGENT),
              "stateId": "bookmark"}
    first = client.put("/xapi/activities/state", params=params, json={"page": 1},
                       headers=v2(lrs_auth))
    again = client.put("/xapi/activities/state", params=params, json={"page": 2},
                       headers=v2(lrs_auth))
    old_client = client.put("/xapi/activities/state", params=params, json={"page": 3},
                            headers=lrs_auth)
    assert (first.status_code, again.status_code, old_client.status_code) == (204, 409, 204)


def test_conversion_only_parses_what_needs_it() -> None:
    plain = json.dumps(statement(), separators=(",", ":"))
    assert not needs_conversion(plain, V1_0_3)
    two = json.dumps(with_context_agent(), separators=(",", ":"))
    assert needs_conversion(two, V1_0_3)
    assert not needs_conversion(two, V2_0)
    assert for_client(json.loads(two), V2_0) == json.loads(two)


def test_a_request_without_the_header_is_refused_as_from_a_0_9_client(
        client: TestClient, lrs_auth: Headers) -> None:
    headers = {k: v for k, v in lrs_auth.items() if k != "X-Experience-API-Version"}
    answer = client.get("/xapi/statements", headers=headers)
    assert answer.status_code == 400
    assert answer.headers["x-experience-api-version"] == "0.9"
