"""Several workers at once, and a worker killed mid-delivery: nothing doubled, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from tests.integration.outbound.support import Clock, Receiver, run_until_idle

from cairn.clock import now_us
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.db.tables import outbound_attempts, outbound_deliveries
from cairn.outbound import signing
from cairn.outbound.delivery import DeliveryJob

Emit = Callable[..., list[int]]
MakeJob = Callable[..., DeliveryJob]


def _statuses(database: Database) -> Counter[str]:
    with database.reading() as conn:
        return Counter(row.status for row in conn.execute(select(outbound_deliveries.c.status)))


def test_two_workers_at_once_never_deliver_twice_and_keep_session_order(
        database: Database, receiver: Receiver, subscribe: Callable[..., tuple[int, str]],
        emit: Emit, make_job: MakeJob) -> None:
    subscribe(receiver.url)
    for seq in range(4):
        for session in range(40):
            emit("session.score_updated", session_key=f"s{session}", seq=seq)
    jobs = [make_job(concurrency=2), make_job(concurrency=2)]  # 8 rows a round each
    errors: list[BaseException] = []

    def work(job: DeliveryJob) -> None:
        try:
            while _statuses(database)["pending"]:
                run_until_idle(job, database)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert _statuses(database) == {"delivered": 160}
    ids = [got.headers[signing.ID_HEADER] for got in receiver.received]
    assert len(ids) == len(set(ids)) == 160
    seen: dict[str, list[int]] = defaultdict(list)
    for got in receiver.received:
        session = got.json()["data"]["session"]
        seen[session["id"]].append(session["seq"])
    assert all(seqs == list(range(4)) for seqs in seen.values())
    assert len(seen) == 40
    with database.reading() as conn:
        by_worker = Counter(row.worker_id for row in conn.execute(
            select(outbound_attempts.c.worker_id)))
    assert set(by_worker) == {job.worker_id for job in jobs}, "both workers took part"


def test_killing_a_worker_mid_delivery_loses_nothing(
        tmp_path: Path, database: Database, settings: Settings, receiver: Receiver,
        subscribe: Callable[..., tuple[int, str]], emit: Emit, make_job: MakeJob,
        clock: Clock) -> None:
    subscribe(receiver.url)
    queued = [emit(session_key=f"s{n}", seq=n)[0] for n in range(3)]
    receiver.released.clear()  # the receiver takes requests and does not answer
    env = {**os.environ, "CAIRN_DATABASE_URL": database.url,
           "CAIRN_DATA_DIR": str(tmp_path / "data"),
           "CAIRN_SECRET_KEY": settings.resolved_secret_key(),
           "CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
           "CAIRN_WEBHOOK_TIMEOUT_SECONDS": "30", "CAIRN_WORKER_INTERVAL_SECONDS": "0.1",
           "CAIRN_LOG_LEVEL": "warning"}
    worker = subprocess.Popen([sys.executable, "-m", "cairn", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = receiver.wait_for(3, timeout=60)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    receiver.released.set()
    assert _statuses(database) == {"pending": 3}, "the killed worker recorded nothing"
    # A live worker takes the rows over once the dead one's lease has run out.
    with database.reading() as conn:
        leases = {row.claimed_until_us for row in conn.execute(
            select(outbound_deliveries.c.claimed_until_us))}
    [lease_end] = leases
    assert lease_end > now_us() + 300_000_000  # 4 waves x 3 x 30 s + 30 s, from the claim
    job = make_job()
    clock.now = lease_end - 1
    assert job(database) == 0, "rows leased to the killed worker are left alone"
    clock.now = lease_end
    assert run_until_idle(job, database) == 3
    assert _statuses(database) == {"delivered": 3}
    again = receiver.received[3:]
    first_ids = sorted(got.headers[signing.ID_HEADER] for got in first)
    assert sorted(got.headers[signing.ID_HEADER] for got in again) == first_ids
    with database.reading() as conn:
        event_ids = {row.event_id for row in conn.execute(
            select(outbound_deliveries.c.event_id)
            .where(outbound_deliveries.c.id.in_(queued)))}
    assert set(first_ids) == event_ids
