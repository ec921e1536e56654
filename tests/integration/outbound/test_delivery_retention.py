"""Finished deliveries older than CAIRN_WEBHOOK_RETENTION_DAYS are deleted by the worker."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select, update
from tests.integration.outbound.support import Clock, Receiver

from cairn.clock import DAY_US, now_us
from cairn.db.engine import Database
from cairn.db.tables import outbound_attempts, outbound_deliveries
from cairn.outbound import retention
from cairn.outbound.delivery import DeliveryJob
from cairn.worker.runner import default_jobs

Subscribe = Callable[..., tuple[int, str]]
Emit = Callable[..., list[int]]
MakeJob = Callable[..., DeliveryJob]


def _finish(database: Database, delivery_id: int, *, status: str, days_ago: float,
            now: int) -> None:
    with database.writing() as conn:
        conn.execute(update(outbound_deliveries).where(outbound_deliveries.c.id == delivery_id)
                     .values(status=status, finished_us=now - int(days_ago * DAY_US)))


def _left(database: Database) -> tuple[list[int], list[int]]:
    """Ids of the deliveries left, and of the deliveries that still have attempts."""
    with database.reading() as conn:
        kept = conn.execute(select(outbound_deliveries.c.id)
                            .order_by(outbound_deliveries.c.id)).scalars().all()
        tried = conn.execute(select(outbound_attempts.c.delivery_id)
                             .group_by(outbound_attempts.c.delivery_id)
                             .order_by(outbound_attempts.c.delivery_id)).scalars().all()
    return list(kept), list(tried)


def test_old_finished_deliveries_go_with_their_attempts(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscribe(receiver.url)
    ids = [emit(session_key=f"s-{index}")[0] for index in range(5)]
    assert make_job()(database) == 5  # each delivered once: each has an attempt row
    old_delivered, old_failed, recent, pending_again, untouched = ids
    _finish(database, old_delivered, status="delivered", days_ago=40, now=clock.now)
    _finish(database, old_failed, status="failed", days_ago=31, now=clock.now)
    _finish(database, recent, status="delivered", days_ago=29, now=clock.now)
    # A pending delivery is never deleted, even with a stale finish time.
    _finish(database, pending_again, status="pending", days_ago=90, now=clock.now)
    assert retention.purge(database, older_than_days=30, now=clock.now) == 2
    assert _left(database) == ([recent, pending_again, untouched],
                               [recent, pending_again, untouched])
    assert retention.purge(database, older_than_days=30, now=clock.now) == 0


def test_purges_go_a_batch_at_a_time_oldest_first(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscribe(receiver.url)
    ids = [emit(session_key=f"s-{index}")[0] for index in range(4)]
    make_job()(database)
    for age, delivery_id in zip((50, 60, 40, 70), ids, strict=True):
        _finish(database, delivery_id, status="delivered", days_ago=age, now=clock.now)
    assert retention.purge(database, older_than_days=30, now=clock.now, limit=2) == 2
    assert _left(database)[0] == [ids[0], ids[2]]  # the 70- and 60-day-old ones went first
    assert retention.purge(database, older_than_days=30, now=clock.now, limit=2) == 2
    with database.reading() as conn:
        assert conn.execute(select(func.count()).select_from(outbound_deliveries)).scalar() == 0


def test_the_worker_job_reads_the_setting_each_round(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, monkeypatch: pytest.MonkeyPatch) -> None:
    assert retention.purge_finished_deliveries in [getattr(job, "job", job)
                                                   for job in default_jobs()]
    subscribe(receiver.url)
    [delivery_id] = emit()
    make_job()(database)
    _finish(database, delivery_id, status="delivered", days_ago=10, now=now_us())
    monkeypatch.setenv("CAIRN_WEBHOOK_RETENTION_DAYS", "30")
    assert retention.purge_finished_deliveries(database) == 0
    monkeypatch.setenv("CAIRN_WEBHOOK_RETENTION_DAYS", "7")
    assert retention.purge_finished_deliveries(database) == 1
