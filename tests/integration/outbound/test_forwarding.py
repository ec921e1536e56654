"""Statement forwarding to another LRS: a second real Cairn, and a scripted receiver."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import basic
from tests.integration.outbound.support import (
    CairnServer,
    Clock,
    Receiver,
    cairn_server,
    run_until_idle,
)

from cairn.accounts.models import Role
from cairn.db.engine import Database
from cairn.db.tables import forwarding_rules, outbound_deliveries
from cairn.outbound import outbox
from cairn.outbound.delivery import DeliveryJob
from cairn.xapi.attachments import AttachmentPart, build_multipart

MakeJob = Callable[..., DeliveryJob]
VERBS = "http://adlnet.gov/expapi/verbs/"
XAPI = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture()
def admin(make_token: Callable[[Role], dict[str, str]]) -> dict[str, str]:
    return make_token(Role.ADMIN)


@pytest.fixture()
def second(tmp_path: Path) -> Iterator[CairnServer]:
    with cairn_server(tmp_path) as server:
        yield server


def _statement(verb: str = "completed", n: int = 0) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:learner{n}@example.org"},
            "verb": {"id": VERBS + verb}, "object": {"id": f"http://example.org/course/{n}"},
            "result": {"score": {"scaled": round(n % 100 / 100, 2)}},
            "timestamp": f"2026-11-24T10:{n // 60:02d}:{n % 60:02d}.000Z"}


def _rule(client: TestClient, admin: dict[str, str], endpoint: str, **extra: Any) -> dict:
    answer = client.post("/api/v1/forwarding", headers=admin, json={
        "name": "second", "endpoint": endpoint, "username": "forwarder",
        "password": "forwarder-secret-0123", **extra})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _read_all(server: CairnServer) -> list[dict[str, Any]]:
    """Every statement in the second Cairn, oldest first, following ``more`` links."""
    headers = {**XAPI, "Authorization": basic(server.key, server.secret)}
    found: list[dict[str, Any]] = []
    url: str | None = f"{server.url}/xapi/statements?ascending=true"
    while url:
        answer = httpx.get(url, headers=headers)
        assert answer.status_code == 200, answer.text
        found += answer.json()["statements"]
        more = answer.json().get("more")
        url = f"{server.url}{more}" if more else None
    return found


def _core(statement: dict[str, Any]) -> dict[str, Any]:
    return {key: statement[key] for key in ("id", "actor", "verb", "object", "result",
                                            "timestamp")}


def test_statements_reach_a_second_cairn_complete_and_in_order(
        client: TestClient, admin: dict[str, str], lrs_auth: dict[str, str],
        database: Database, second: CairnServer, make_job: MakeJob) -> None:
    rule = _rule(client, admin, f"{second.url}/xapi")
    assert rule["endpoint"] == f"{second.url}/xapi/" and "password" not in rule
    sent: list[dict[str, Any]] = []
    job = make_job()
    for size in (30, 1, 150):
        batch = [_statement(n=len(sent) + i) for i in range(size)]
        assert client.post("/xapi/statements", json=batch, headers=lrs_auth).status_code == 200
        sent += batch
        if size == 1:
            run_until_idle(job, database)  # some forwarded now, the rest later
    run_until_idle(job, database)
    arrived = _read_all(second)
    assert [s["id"] for s in arrived] == [s["id"] for s in sent]
    assert [_core(s) for s in arrived] == [_core(s) for s in sent]
    assert {s["authority"]["name"] for s in arrived} == {"forwarder"}, "the target's own"
    listed = client.get(f"/api/v1/forwarding/{rule['id']}/deliveries?limit=500",
                        headers=admin).json()["deliveries"]
    assert len(listed) == 181 and {d["status"] for d in listed} == {"delivered"}
    assert {d["event_id"] for d in listed} == {s["id"] for s in sent}


def test_verb_filter_and_a_409_for_an_existing_id(
        client: TestClient, admin: dict[str, str], lrs_auth: dict[str, str],
        database: Database, second: CairnServer, make_job: MakeJob) -> None:
    _rule(client, admin, f"{second.url}/xapi/", verbs=[VERBS + "passed", VERBS + "failed"])
    taken = _statement("passed", 2)
    clash = {**taken, "result": {"score": {"scaled": 0.01}}}  # same id, other content
    direct = httpx.post(f"{second.url}/xapi/statements", json=clash,
                        headers={**XAPI, "Authorization": basic(second.key, second.secret)})
    assert direct.status_code == 200
    batch = [_statement("passed", 1), _statement("completed", 9), taken,
             _statement("failed", 3)]
    assert client.post("/xapi/statements", json=batch, headers=lrs_auth).status_code == 200
    run_until_idle(make_job(), database)
    arrived = _read_all(second)
    assert [s["id"] for s in arrived] == [taken["id"], batch[0]["id"], batch[3]["id"]]
    with database.reading() as conn:
        statuses = {row.event_id: row.status for row in conn.execute(
            select(outbound_deliveries.c.event_id, outbound_deliveries.c.status))}
    assert statuses == {batch[0]["id"]: "delivered", taken["id"]: "delivered",
                        batch[3]["id"]: "delivered"}, "completed was filtered out"


def test_attachments_are_forwarded_with_their_data(
        client: TestClient, admin: dict[str, str], lrs_auth: dict[str, str],
        database: Database, second: CairnServer, make_job: MakeJob) -> None:
    _rule(client, admin, f"{second.url}/xapi/")
    content = b"certificate of completion"
    sha2 = hashlib.sha256(content).hexdigest()
    statement = {**_statement("completed", 5), "attachments": [{
        "usageType": "http://example.org/certificate", "display": {"en-US": "certificate"},
        "contentType": "text/plain", "length": len(content), "sha2": sha2}]}
    body, content_type = build_multipart(orjson.dumps(statement),
                                         [AttachmentPart(sha2=sha2, content_type="text/plain",
                                                         content=content)])
    answer = client.post("/xapi/statements", content=body,
                         headers={**lrs_auth, "Content-Type": content_type})
    assert answer.status_code == 200, answer.text
    run_until_idle(make_job(), database)
    got = httpx.get(f"{second.url}/xapi/statements",
                    params={"statementId": statement["id"], "attachments": "true"},
                    headers={**XAPI, "Authorization": basic(second.key, second.secret)})
    assert got.status_code == 200 and content in got.content


def test_a_failing_target_is_retried_in_order_with_basic_auth_and_version(
        client: TestClient, admin: dict[str, str], lrs_auth: dict[str, str],
        database: Database, receiver: Receiver, make_job: MakeJob, clock: Clock) -> None:
    _rule(client, admin, f"http://127.0.0.1:{receiver.port}/lrs/", xapi_version="2.0.0")
    receiver.script = [503]
    first = [_statement(n=n) for n in range(3)]
    client.post("/xapi/statements", json=first, headers=lrs_auth)
    job = make_job()
    run_until_idle(job, database)
    later = [_statement(n=10)]
    client.post("/xapi/statements", json=later, headers=lrs_auth)
    assert run_until_idle(job, database) == 0, "the failed head holds the queue back"
    clock.advance(10)
    run_until_idle(job, database)
    posts = [got for got in receiver.received]
    assert [got.status for got in posts] == [503, 200]
    assert posts[0].path == "/lrs/statements"
    assert posts[0].headers["X-Experience-API-Version"] == "2.0.0"
    expected = "Basic " + base64.b64encode(b"forwarder:forwarder-secret-0123").decode()
    assert posts[0].headers["Authorization"] == expected
    assert [s["id"] for s in posts[1].json()] == [s["id"] for s in first + later]
    assert all("stored" not in s and "authority" not in s for s in posts[1].json())


def test_rules_keep_their_password_sealed_and_refuse_bad_input(
        client: TestClient, admin: dict[str, str], receiver: Receiver,
        database: Database) -> None:
    rule = _rule(client, admin, receiver.url.rsplit("/", 1)[0])
    with database.reading() as conn:
        sealed = conn.execute(select(forwarding_rules.c.password_encrypted)).scalar_one()
    assert "forwarder-secret-0123" not in sealed
    url = f"/api/v1/forwarding/{rule['id']}"
    assert "password" not in client.get(url, headers=admin).json()
    patched = client.patch(url, headers=admin, json={"verbs": [VERBS + "passed"],
                                                      "password": "new-password"}).json()
    assert patched["verbs"] == [VERBS + "passed"]
    for bad, named in [({"endpoint": "ftp://x/"}, "endpoint:"),
                       ({"username": "a:b"}, "username:"),
                       ({"verbs": ["passed"]}, "verbs:"),
                       ({"xapi_version": "0.9"}, "xapi_version")]:
        answer = client.post("/api/v1/forwarding", headers=admin, json={
            "name": "x", "endpoint": receiver.url, "username": "u", "password": "p", **bad})
        assert answer.status_code == 400 and named in answer.json()["message"], answer.text
    assert len(client.get("/api/v1/forwarding", headers=admin).json()["rules"]) == 1
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).status_code == 404


def test_a_batch_left_by_a_dead_worker_is_stored_once_at_the_target(
        client: TestClient, admin: dict[str, str], lrs_auth: dict[str, str],
        database: Database, second: CairnServer, make_job: MakeJob, clock: Clock) -> None:
    _rule(client, admin, f"{second.url}/xapi/")
    sent = [_statement(n=n) for n in range(5)]
    client.post("/xapi/statements", json=sent, headers=lrs_auth)
    with database.writing() as conn:
        [batch] = outbox.claim_forwarding(conn, worker_id="dead-worker", now=clock.now,
                                          lease_until=clock.now + 60_000_000, rules_limit=5,
                                          batch_limit=100)
    # It had sent the batch when it died, before recording anything.
    posted = httpx.post(f"{second.url}/xapi/statements",
                        json=[orjson.loads(row.payload) for row in batch.rows],
                        headers={**XAPI, "Authorization": basic(second.key, second.secret)})
    assert posted.status_code == 200
    job = make_job()
    assert job(database) == 0, "still leased to the dead worker"
    clock.advance(61)
    assert run_until_idle(job, database) == 5
    assert [s["id"] for s in _read_all(second)] == [s["id"] for s in sent]
