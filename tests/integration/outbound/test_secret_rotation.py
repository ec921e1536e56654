"""Rotating a webhook secret: the old one keeps signing for the grace period, then stops."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.integration.outbound.support import Clock, Receiver

from cairn.accounts.models import Role
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.errors import InvalidInput
from cairn.outbound import service, signing
from cairn.outbound.crypto import secret_box
from cairn.outbound.delivery import DeliveryJob

Subscribe = Callable[..., tuple[int, str]]
Emit = Callable[..., list[int]]
MakeJob = Callable[..., DeliveryJob]


def _rotate(database: Database, settings: Settings, webhook_id: int,
            keep_old_hours: float) -> tuple[str, int | None]:
    with database.writing() as conn:
        return service.rotate_secret(conn=conn, box=secret_box(settings.resolved_secret_key()),
                                     webhook_id=webhook_id, keep_old_hours=keep_old_hours)


def _verifies(secret: str, receiver: Receiver, index: int) -> bool:
    got = receiver.received[index]
    try:
        signing.verify(secret, got.headers, got.body,
                       now=int(got.headers[signing.TIMESTAMP_HEADER]))
    except signing.InvalidSignature:
        return False
    return True


def test_both_secrets_sign_during_the_grace_period_and_only_the_new_one_after(
        database: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe,
        emit: Emit, make_job: MakeJob, clock: Clock) -> None:
    webhook_id, old = subscribe(receiver.url)
    new, until = _rotate(database, settings, webhook_id, keep_old_hours=1)
    assert until is not None and new != old
    job = make_job()
    emit(session_key="during")
    assert job(database) == 1
    receiver.wait_for(1)
    assert _verifies(old, receiver, 0) and _verifies(new, receiver, 0)
    assert receiver.received[0].headers[signing.SIGNATURE_HEADER].count("v1=") == 2
    clock.advance(2 * 3600)  # past the grace period
    emit(session_key="after")
    assert job(database) == 1
    receiver.wait_for(2)
    assert _verifies(new, receiver, 1) and not _verifies(old, receiver, 1)
    assert receiver.received[1].headers[signing.SIGNATURE_HEADER].count("v1=") == 1


def test_a_leaked_secret_ends_at_once(database: Database, settings: Settings,
                                      receiver: Receiver, subscribe: Subscribe, emit: Emit,
                                      make_job: MakeJob) -> None:
    webhook_id, old = subscribe(receiver.url)
    _rotate(database, settings, webhook_id, keep_old_hours=1)
    newest, until = _rotate(database, settings, webhook_id, keep_old_hours=0)
    assert until is None
    emit()
    assert make_job()(database) == 1
    receiver.wait_for(1)
    assert _verifies(newest, receiver, 0) and not _verifies(old, receiver, 0)


def test_the_api_and_the_cli_take_the_grace_period(
        client: TestClient, make_token: Callable[[Role], dict[str, str]],
        receiver: Receiver) -> None:
    admin = make_token(Role.ADMIN)
    created = client.post("/api/v1/webhooks", headers=admin,
                          json={"url": receiver.url, "event_types": ["session.passed"]})
    assert created.status_code == 201, created.text
    url = f"/api/v1/webhooks/{created.json()['id']}/rotate-secret"
    default = client.post(url, headers=admin).json()
    assert default["secret"].startswith("whsec_") and default["old_secret_valid_until"]
    shown = client.get(url.rsplit("/", 1)[0], headers=admin).json()
    assert shown["old_secret_valid_until"] == default["old_secret_valid_until"]
    ended = client.post(url, headers=admin, params={"keep_old_hours": 0}).json()
    assert ended["old_secret_valid_until"] is None
    assert client.get(url.rsplit("/", 1)[0], headers=admin).json()["old_secret_valid_until"] \
        is None
    refused = client.post(url, headers=admin, params={"keep_old_hours": 200})
    assert refused.status_code == 400 and "keep_old_hours" in refused.json()["message"]


@pytest.mark.parametrize("hours", [-1, 169])
def test_the_service_refuses_a_grace_period_out_of_range(
        database: Database, settings: Settings, receiver: Receiver, subscribe: Subscribe,
        hours: float) -> None:
    webhook_id, _ = subscribe(receiver.url)
    with pytest.raises(InvalidInput, match="keep_old_hours"):
        _rotate(database, settings, webhook_id, keep_old_hours=hours)
