"""Delivering the outbox to a real receiver: signing, retries on schedule, ordering, failing."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import orjson
import pytest
from sqlalchemy import func, select, update
from tests.integration.outbound.support import Clock, Receiver, run_until_idle

from cairn.db.engine import Database
from cairn.db.tables import outbound_attempts, outbound_deliveries, webhook_subscriptions
from cairn.outbound import signing
from cairn.outbound.delivery import DeliveryJob

SECOND = 1_000_000
HOUR = 3600 * SECOND
Subscribe = Callable[..., tuple[int, str]]
Emit = Callable[..., list[int]]
MakeJob = Callable[..., DeliveryJob]


def _delivery(database: Database, delivery_id: int) -> dict[str, object]:
    with database.reading() as conn:
        row = conn.execute(select(outbound_deliveries)
                           .where(outbound_deliveries.c.id == delivery_id)).mappings().one()
    return dict(row)


def _attempts(database: Database, delivery_id: int) -> list[dict[str, object]]:
    with database.reading() as conn:
        rows = conn.execute(select(outbound_attempts)
                            .where(outbound_attempts.c.delivery_id == delivery_id)
                            .order_by(outbound_attempts.c.id)).mappings()
        return [dict(row) for row in rows]


def _subscription(database: Database, subscription_id: int) -> dict[str, object]:
    with database.reading() as conn:
        return dict(conn.execute(select(webhook_subscriptions).where(
            webhook_subscriptions.c.id == subscription_id)).mappings().one())


def test_a_delivered_payload_is_signed_and_verifies(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    _, secret = subscribe(receiver.url)
    [delivery_id] = emit("session.passed", session_key="s-9", learner="ada", score=0.9)
    assert make_job()(database) == 1
    [got] = receiver.wait_for(1)
    body = got.json()
    assert body["type"] == "session.passed"
    assert body["data"] == {"session": {"id": "s-9", "learner": "ada", "score": 0.9}}
    assert got.headers[signing.ID_HEADER] == body["id"]
    sent_at = int(got.headers[signing.TIMESTAMP_HEADER])
    assert sent_at == clock.now // SECOND
    signing.verify(secret, got.headers, got.body, tolerance_seconds=300, now=sent_at + 10)
    with pytest.raises(signing.InvalidSignature, match="matches"):
        signing.verify(secret, got.headers, got.body.replace(b"ada", b"eve"), now=sent_at)
    with pytest.raises(signing.InvalidSignature, match="replay"):
        signing.verify(secret, got.headers, got.body, tolerance_seconds=300, now=sent_at + 301)
    with pytest.raises(signing.InvalidSignature):
        signing.verify("whsec_other", got.headers, got.body, now=sent_at)
    row = _delivery(database, delivery_id)
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("delivered", 1, 200)
    [attempt] = _attempts(database, delivery_id)
    assert attempt["outcome"] == "delivered" and attempt["status_code"] == 200
    assert attempt["response_excerpt"] == '{"ok":true}'


def test_a_receiver_down_then_up_is_retried_on_schedule_and_gets_it_once(
        database: Database, subscribe: Subscribe, emit: Emit, make_job: MakeJob,
        clock: Clock) -> None:
    receiver = Receiver()  # not started: connections are refused
    subscribe(receiver.url)
    [delivery_id] = emit()
    job = make_job()
    start = clock.now
    assert job(database) == 1
    first = _delivery(database, delivery_id)
    assert first["status"] == "pending" and first["last_status_code"] is None
    assert "ConnectError" in str(first["last_error"])
    # rand is 0.5 in these tests: the first wait is 7.5 s of the 5-10 s range.
    assert first["next_attempt_us"] == start + 7_500_000
    clock.advance(7)
    assert job(database) == 0, "retried before its time"
    receiver.script = [503]
    receiver.start()
    try:
        clock.advance(0.5)
        assert job(database) == 1
        second = _delivery(database, delivery_id)
        assert second["last_status_code"] == 503
        assert second["next_attempt_us"] == clock.now + 15 * SECOND  # 10-20 s range
        clock.advance(15)
        assert job(database) == 1
        clock.advance(24 * 3600)
        assert run_until_idle(job, database) == 0
        assert [got.status for got in receiver.received] == [503, 200]
        assert len({got.headers[signing.ID_HEADER] for got in receiver.received}) == 1
    finally:
        receiver.stop()
    final = _delivery(database, delivery_id)
    assert (final["status"], final["attempts"]) == ("delivered", 3)
    outcomes = [(a["outcome"], a["status_code"]) for a in _attempts(database, delivery_id)]
    assert outcomes == [("retry", None), ("retry", 503), ("delivered", 200)]


def _run_through_time(job: DeliveryJob, database: Database, clock: Clock) -> None:
    """Deliver what is due, then jump the clock to the next retry, until nothing waits."""
    while True:
        run_until_idle(job, database)
        with database.reading() as conn:
            later = conn.execute(select(func.min(outbound_deliveries.c.next_attempt_us))
                                 .where(outbound_deliveries.c.status == "pending",
                                        outbound_deliveries.c.next_attempt_us > clock.now)
                                 ).scalar()
        if later is None:
            return
        clock.now = later


def test_a_session_is_delivered_in_order_and_does_not_hold_up_others(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscribe(receiver.url)
    for seq in range(1, 4):
        emit("session.score_updated", session_key="A", seq=seq)
    for seq in range(1, 3):
        emit("session.score_updated", session_key="B", seq=seq)
    failed: list[bytes] = []

    def fail_a1_once(body: bytes) -> int | None:
        session = orjson.loads(body)["data"]["session"]
        if (session["id"], session["seq"]) == ("A", 1) and not failed:
            failed.append(body)
            return 500
        return None

    receiver.respond = fail_a1_once
    _run_through_time(make_job(), database, clock)
    order = [(got.json()["data"]["session"]["id"], got.json()["data"]["session"]["seq"],
              got.status) for got in receiver.received]
    assert [entry for entry in order if entry[0] == "A"] == [
        ("A", 1, 500), ("A", 1, 200), ("A", 2, 200), ("A", 3, 200)]
    assert [entry for entry in order if entry[0] == "B"] == [("B", 1, 200), ("B", 2, 200)]
    # B went ahead while A1 waited for its retry.
    assert order.index(("B", 2, 200)) < order.index(("A", 1, 200))


def test_72_hours_of_failures_end_in_failed(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscription_id, _ = subscribe(receiver.url)
    receiver.default_status = 500
    [delivery_id] = emit()
    job = make_job()
    _run_through_time(job, database, clock)
    row = _delivery(database, delivery_id)
    assert row["status"] == "failed"
    assert row["finished_us"] == row["window_start_us"] + 72 * HOUR  # type: ignore[operator]
    log = _attempts(database, delivery_id)
    assert len(log) == row["attempts"] == len(receiver.received)
    assert [a["outcome"] for a in log] == ["retry"] * (len(log) - 1) + ["failed"]
    waits = [later["attempted_us"] - earlier["attempted_us"]  # type: ignore[operator]
             for earlier, later in itertools.pairwise(log)]
    assert waits[:3] == [7_500_000, 15_000_000, 30_000_000]
    assert max(waits) <= 6 * HOUR
    assert 20 < len(log) < 35
    assert _subscription(database, subscription_id)["consecutive_failures"] == 1


def test_a_subscription_failing_again_and_again_is_disabled_with_a_reason(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscription_id, _ = subscribe(receiver.url)
    receiver.default_status = 410
    job = make_job(max_age_us=HOUR, disable_after=2)
    emit(session_key="one")
    emit(session_key="two")
    _run_through_time(job, database, clock)
    row = _subscription(database, subscription_id)
    assert row["is_active"] is False or row["is_active"] == 0
    assert "2 consecutive deliveries failed" in str(row["disabled_reason"])
    assert "HTTP 410" in str(row["disabled_reason"])
    assert emit(session_key="three") == [], "a disabled subscription gets no new events"


def test_a_success_resets_the_failure_count(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscription_id, _ = subscribe(receiver.url)
    receiver.default_status = 500
    job = make_job(max_age_us=60 * SECOND)
    emit(session_key="one")
    _run_through_time(job, database, clock)
    assert _subscription(database, subscription_id)["consecutive_failures"] == 1
    receiver.default_status = 204
    emit(session_key="two")
    run_until_idle(job, database)
    assert _subscription(database, subscription_id)["consecutive_failures"] == 0


def test_private_targets_are_refused_again_at_delivery_time(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob) -> None:
    subscribe(receiver.url)  # allowed when saved ...
    [delivery_id] = emit()
    make_job(allow_private=False)(database)  # ... but this worker refuses private targets
    assert receiver.received == []
    row = _delivery(database, delivery_id)
    assert row["status"] == "pending"
    assert "refused" in str(row["last_error"]) and "loopback" in str(row["last_error"])


def test_slow_receivers_time_out_and_big_answers_are_cut(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob, clock: Clock) -> None:
    subscribe(receiver.url)
    [slow] = emit(session_key="slow")
    receiver.released.clear()
    make_job(timeout_seconds=0.5)(database)
    receiver.released.set()
    row = _delivery(database, slow)
    assert row["status"] == "pending" and "timed out after 0.5 s" in str(row["last_error"])
    receiver.answer_body = b"x" * 200_000
    clock.advance(60)
    make_job()(database)
    [_, attempt] = _attempts(database, slow)
    assert attempt["outcome"] == "delivered"
    assert len(str(attempt["response_excerpt"])) == 1024


def test_a_changed_server_secret_is_reported_not_sent(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob) -> None:
    subscribe(receiver.url)
    [delivery_id] = emit()
    make_job(secret_key="a-different-server-secret-0123456789abcdef")(database)
    assert receiver.received == []
    assert "CAIRN_SECRET_KEY" in str(_delivery(database, delivery_id)["last_error"])


def test_a_deleted_subscription_takes_its_queue_with_it(
        database: Database, receiver: Receiver, subscribe: Subscribe, emit: Emit,
        make_job: MakeJob) -> None:
    subscription_id, _ = subscribe(receiver.url)
    emit()
    with database.writing() as conn:
        conn.execute(update(webhook_subscriptions)
                     .where(webhook_subscriptions.c.id == subscription_id)
                     .values(is_active=False))
    assert make_job()(database) == 0, "inactive subscriptions are not delivered"
    with database.writing() as conn:
        conn.execute(webhook_subscriptions.delete())
        left = conn.execute(select(outbound_deliveries.c.id)).all()
    assert left == []
