"""The webhooks API: administrators only, secrets shown once, bad input refused, redelivery."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.integration.outbound.support import Clock, Receiver, run_until_idle

from cairn.accounts.models import Role
from cairn.app import create_app
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.db.tables import outbound_deliveries, webhook_subscriptions
from cairn.outbound import signing
from cairn.outbound.crypto import secret_box
from cairn.outbound.delivery import DeliveryJob

TokenFactory = Callable[[Role], dict[str, str]]
MakeJob = Callable[..., DeliveryJob]
BASE = "/api/v1/webhooks"


@pytest.fixture()
def admin(make_token: TokenFactory) -> dict[str, str]:
    return make_token(Role.ADMIN)


def _create(client: TestClient, admin: dict[str, str], url: str, **extra: object) -> dict:
    answer = client.post(BASE, headers=admin,
                         json={"url": url, "event_types": ["session.passed"], **extra})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_the_secret_is_shown_once_and_stored_sealed(
        client: TestClient, admin: dict[str, str], receiver: Receiver,
        database: Database, settings: Settings) -> None:
    created = _create(client, admin, receiver.url, description="CRM",
                      filters={"course": ["12", "7"]})
    assert created["secret"].startswith("whsec_")
    assert created["filters"] == {"course": ["12", "7"]}
    assert created["active"] is True and created["disabled_reason"] is None
    shown = client.get(f"{BASE}/{created['id']}", headers=admin).json()
    assert "secret" not in shown and shown["description"] == "CRM"
    assert [hook["id"] for hook in client.get(BASE, headers=admin).json()["webhooks"]] == [
        created["id"]]
    with database.reading() as conn:
        sealed = conn.execute(select(webhook_subscriptions.c.secret_encrypted)).scalar_one()
    assert created["secret"] not in sealed
    assert secret_box(settings.resolved_secret_key()).open(sealed) == created["secret"]


@pytest.mark.parametrize(("body", "named"), [
    ({"event_types": ["session.exploded"]}, "event_types: unknown 'session.exploded'"),
    ({"event_types": []}, "event_types"),
    ({"filters": {"colour": ["red"]}}, "filters.colour"),
    ({"filters": {"course": []}}, "filters.course"),
    ({"event_types": ["statement.stored"], "filters": {"team": ["t1"]}}, "filters:"),
    ({"url": "ftp://example.org/hook"}, "url:"),
    ({"url": "not a url"}, "url:"),
    ({"url": "https://user:pw@example.org/hook"}, "credentials"),
])
def test_bad_subscriptions_are_refused_naming_the_problem(
        client: TestClient, admin: dict[str, str], receiver: Receiver,
        body: dict[str, object], named: str) -> None:
    answer = client.post(BASE, headers=admin,
                         json={"url": receiver.url, "event_types": ["session.passed"], **body})
    assert answer.status_code == 400
    assert named in answer.json()["message"]
    assert client.get(BASE, headers=admin).json()["webhooks"] == []


@pytest.fixture()
def strict_client(settings: Settings, database: Database) -> Iterator[TestClient]:
    """An app with the production default: private targets refused."""
    strict = settings.model_copy(update={"webhook_allow_private_targets": False})
    with TestClient(create_app(strict, database=database)) as client:
        yield client


@pytest.mark.parametrize(("url", "kind"), [
    ("http://127.0.0.1:9/hook", "loopback"), ("http://localhost/hook", "loopback"),
    ("http://[::1]/hook", "loopback"), ("http://10.1.2.3/hook", "private"),
    ("http://192.168.0.10/hook", "private"), ("http://169.254.169.254/latest", "link-local"),
    ("http://100.64.0.1/hook", "private"), ("http://0.0.0.0/hook", "not a unicast"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("https://no-such-host.invalid/hook", "does not resolve"),
])
def test_private_targets_are_refused_when_saved(
        strict_client: TestClient, admin: dict[str, str], url: str, kind: str) -> None:
    answer = strict_client.post(BASE, headers=admin,
                                json={"url": url, "event_types": ["session.passed"]})
    assert answer.status_code == 400
    assert kind in answer.json()["message"]


def test_public_addresses_are_accepted(strict_client: TestClient,
                                       admin: dict[str, str]) -> None:
    answer = strict_client.post(BASE, headers=admin, json={
        "url": "https://93.184.215.14/hook", "event_types": ["session.failed"]})
    assert answer.status_code == 201


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR, Role.AUTHOR, Role.LEARNER])
def test_only_administrators_manage_webhooks(client: TestClient, make_token: TokenFactory,
                                             receiver: Receiver, role: Role) -> None:
    headers = make_token(role)
    assert client.get(BASE, headers=headers).status_code == 403
    answer = client.post(BASE, headers=headers,
                         json={"url": receiver.url, "event_types": ["session.passed"]})
    assert answer.status_code == 403
    assert client.get(BASE).status_code == 401


def test_update_rotate_and_delete(client: TestClient, admin: dict[str, str],
                                  receiver: Receiver) -> None:
    created = _create(client, admin, receiver.url)
    url = f"{BASE}/{created['id']}"
    patched = client.patch(url, headers=admin, json={
        "event_types": ["session.failed", "session.passed"], "filters": {"team": ["north"]},
        "description": "alerts"}).json()
    assert patched["event_types"] == ["session.failed", "session.passed"]
    assert patched["filters"] == {"team": ["north"]} and patched["description"] == "alerts"
    assert client.patch(url, headers=admin, json={"filters": {}}).json()["filters"] == {}
    refused = client.patch(url, headers=admin, json={"url": "gopher://x"})
    assert refused.status_code == 400
    assert client.get(url, headers=admin).json()["url"] == receiver.url
    rotated = client.post(f"{url}/rotate-secret", headers=admin).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).status_code == 404
    assert client.delete(url, headers=admin).status_code == 404


def test_a_test_event_is_delivered_and_its_attempts_are_listed(
        client: TestClient, admin: dict[str, str], receiver: Receiver, database: Database,
        make_job: MakeJob) -> None:
    created = _create(client, admin, receiver.url)
    queued = client.post(f"{BASE}/{created['id']}/test", headers=admin)
    assert queued.status_code == 202
    assert queued.json()["status"] == "pending" and queued.json()["event_type"] == "webhook.test"
    run_until_idle(make_job(), database)
    [got] = receiver.received
    signing.verify(created["secret"], got.headers, got.body,
                   now=int(got.headers[signing.TIMESTAMP_HEADER]))
    assert got.json()["data"]["webhook_id"] == created["id"]
    detail = client.get(f"{BASE}/deliveries/{queued.json()['id']}", headers=admin).json()
    assert detail["status"] == "delivered" and detail["payload"] == got.json()
    [attempt] = detail["attempt_log"]
    assert attempt["status_code"] == 200 and attempt["outcome"] == "delivered"
    assert attempt["latency_ms"] >= 0 and attempt["response_excerpt"] == '{"ok":true}'
    listed = client.get(f"{BASE}/{created['id']}/deliveries", headers=admin).json()
    assert [d["id"] for d in listed["deliveries"]] == [queued.json()["id"]]
    assert client.get(f"{BASE}/{created['id']}/deliveries?status=failed",
                      headers=admin).json()["deliveries"] == []
    assert client.get(f"{BASE}/{created['id']}/deliveries?status=lost",
                      headers=admin).status_code == 400


def test_failed_deliveries_are_redelivered_one_or_all_with_the_same_event_id(
        client: TestClient, admin: dict[str, str], receiver: Receiver, database: Database,
        make_job: MakeJob, clock: Clock) -> None:
    created = _create(client, admin, receiver.url)
    for _ in range(3):
        client.post(f"{BASE}/{created['id']}/test", headers=admin)
    receiver.default_status = 500
    job = make_job(max_age_us=1)  # the first failure is final
    run_until_idle(job, database)
    failed = client.get(f"{BASE}/{created['id']}/deliveries?status=failed",
                        headers=admin).json()["deliveries"]
    assert len(failed) == 3 and all(d["last_error"] == "HTTP 500" for d in failed)
    receiver.default_status = 200
    one = client.post(f"{BASE}/deliveries/{failed[0]['id']}/redeliver", headers=admin)
    assert one.status_code == 202 and one.json()["status"] == "pending"
    again = client.post(f"{BASE}/deliveries/{failed[0]['id']}/redeliver", headers=admin)
    assert again.status_code == 409
    clock.advance(1)
    run_until_idle(job, database)
    rest = client.post(f"{BASE}/{created['id']}/redeliver-failed", headers=admin)
    assert rest.json() == {"redelivered": 2}
    clock.advance(1)
    run_until_idle(job, database)
    with database.reading() as conn:
        assert {row.status for row in conn.execute(select(outbound_deliveries.c.status))} == {
            "delivered"}
    ids = [got.headers[signing.ID_HEADER] for got in receiver.received]
    assert len(ids) == 6 and len(set(ids)) == 3, "a redelivery keeps its event id"
    assert client.post(f"{BASE}/deliveries/999/redeliver", headers=admin).status_code == 404


def test_re_enabling_clears_the_disabled_reason(
        client: TestClient, admin: dict[str, str], receiver: Receiver, database: Database,
        make_job: MakeJob) -> None:
    created = _create(client, admin, receiver.url)
    client.post(f"{BASE}/{created['id']}/test", headers=admin)
    receiver.default_status = 500
    run_until_idle(make_job(max_age_us=1, disable_after=1), database)
    shown = client.get(f"{BASE}/{created['id']}", headers=admin).json()
    assert shown["active"] is False and "HTTP 500" in shown["disabled_reason"]
    assert shown["disabled_at"] is not None
    assert client.post(f"{BASE}/{created['id']}/test", headers=admin).status_code == 409
    enabled = client.patch(f"{BASE}/{created['id']}", headers=admin,
                           json={"active": True}).json()
    assert enabled["active"] is True and enabled["disabled_reason"] is None
    assert enabled["consecutive_failures"] == 0
