"""SQL for the outbox: claiming due rows, recording attempts, reading and re-queueing.

Claiming is the one delicate part. A row is due when it is pending, its next
attempt time has come, no live lease covers it, its target is active, and no
EARLIER pending row shares its order key (a session's events go out one after
the other; a retrying event holds back the ones behind it). On PostgreSQL the
candidates are locked with ``FOR UPDATE SKIP LOCKED`` so concurrent workers
take disjoint rows; on SQLite the claim runs in a ``BEGIN IMMEDIATE``
transaction, which already admits one writer at a time. Either way the claim
is a lease (``claimed_until_us``): a worker killed mid-delivery leaves rows
that become due again when the lease runs out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    Table,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)

from cairn.db.tables import (
    forwarding_rules,
    outbound_attempts,
    outbound_deliveries,
    webhook_subscriptions,
)
from cairn.outbound.store import DELIVERED, FAILED, PENDING

deliveries = outbound_deliveries
attempts = outbound_attempts
subs = webhook_subscriptions
rules = forwarding_rules
# A literal, not a bound parameter, so both planners can use the partial indexes.
IS_PENDING = deliveries.c.status == literal_column("'pending'")


@dataclass(frozen=True)
class Claimed:
    """A webhook delivery this worker holds a lease on, with what sending it needs."""

    id: int
    event_id: str
    subscription_id: int
    url: str
    secret_encrypted: str
    # The secret a rotation replaced, while it still signs too (else None).
    previous_secret_encrypted: str | None
    payload: str
    attempts: int
    window_start_us: int


def _lease_free(now: int) -> ColumnElement[bool]:
    return or_(deliveries.c.claimed_until_us.is_(None), deliveries.c.claimed_until_us <= now)


def _not_blocked() -> ColumnElement[bool]:
    earlier = deliveries.alias("earlier")
    return ~exists().where(earlier.c.order_key == deliveries.c.order_key,
                           earlier.c.status == literal_column("'pending'"),
                           earlier.c.id < deliveries.c.id)


def any_due(conn: Connection, now: int) -> bool:
    """A cheap read, so an idle worker does not take SQLite's write lock every round.

    It asks what the claims ask (due, free, target active, not held back by
    an earlier row), so rows of a disabled target or rows queued behind a
    retrying one do not make a worker open write transactions for nothing.
    """
    active_target = or_(
        exists().where(subs.c.id == deliveries.c.subscription_id, subs.c.is_active.is_(True)),
        exists().where(rules.c.id == deliveries.c.rule_id, rules.c.is_active.is_(True)))
    query = (select(deliveries.c.id)
             .where(IS_PENDING, deliveries.c.next_attempt_us <= now, _lease_free(now),
                    active_target, _not_blocked())
             .limit(1))
    return conn.execute(query).first() is not None


def claim_webhooks(conn: Connection, *, worker_id: str, now: int, lease_until: int,
                   limit: int) -> list[Claimed]:
    """Lease up to ``limit`` due webhook rows to ``worker_id`` (see the module docstring)."""
    candidates = (select(deliveries.c.id)
                  .join(subs, subs.c.id == deliveries.c.subscription_id)
                  .where(IS_PENDING, deliveries.c.next_attempt_us <= now, _lease_free(now),
                         subs.c.is_active.is_(True), _not_blocked())
                  .order_by(deliveries.c.next_attempt_us, deliveries.c.id)
                  .limit(limit)
                  .with_for_update(skip_locked=True, of=deliveries))
    ids = [row.id for row in conn.execute(candidates)]
    if not ids:
        return []
    conn.execute(update(deliveries).where(deliveries.c.id.in_(ids))
                 .values(claimed_by=worker_id, claimed_until_us=lease_until))
    rows = conn.execute(
        select(deliveries.c.id, deliveries.c.event_id, deliveries.c.subscription_id,
               deliveries.c.payload, deliveries.c.attempts, deliveries.c.window_start_us,
               subs.c.url, subs.c.secret_encrypted, subs.c.previous_secret_encrypted,
               subs.c.previous_secret_until_us)
        .join(subs, subs.c.id == deliveries.c.subscription_id)
        .where(deliveries.c.id.in_(ids)).order_by(deliveries.c.id))
    return [Claimed(id=row.id, event_id=row.event_id, subscription_id=row.subscription_id,
                    url=row.url, secret_encrypted=row.secret_encrypted,
                    previous_secret_encrypted=row.previous_secret_encrypted
                    if (row.previous_secret_until_us or 0) > now else None,
                    payload=row.payload, attempts=row.attempts,
                    window_start_us=row.window_start_us)
            for row in rows]


@dataclass(frozen=True)
class BatchRow:
    """One statement of a forwarding batch."""

    id: int
    payload: str
    attempts: int
    window_start_us: int


@dataclass(frozen=True)
class ClaimedBatch:
    """The head of one rule's queue, leased to this worker, with what forwarding needs."""

    rule_id: int
    endpoint: str
    username: str
    password_encrypted: str
    xapi_version: str
    rows: list[BatchRow]


def claim_forwarding(conn: Connection, *, worker_id: str, now: int, lease_until: int,
                     rules_limit: int, batch_limit: int) -> list[ClaimedBatch]:
    """Lease the first ``batch_limit`` queued statements of up to ``rules_limit`` rules.

    A rule's statements go out in the order they were stored, one batch in
    flight at a time: a rule is taken only when the oldest row of its queue
    is due and free. On PostgreSQL the rule row is locked (``SKIP LOCKED``)
    while its batch is claimed, so two workers never split one queue.
    """
    heads = (select(deliveries.c.rule_id)
             .join(rules, rules.c.id == deliveries.c.rule_id)
             .where(IS_PENDING, deliveries.c.next_attempt_us <= now, _lease_free(now),
                    rules.c.is_active.is_(True), _not_blocked())
             .order_by(deliveries.c.next_attempt_us).limit(rules_limit))
    batches = []
    for rule_id in [row.rule_id for row in conn.execute(heads)]:
        batch = _claim_rule(conn, rule_id, worker_id=worker_id, now=now,
                            lease_until=lease_until, limit=batch_limit)
        if batch is not None:
            batches.append(batch)
    return batches


def _claim_rule(conn: Connection, rule_id: int, *, worker_id: str, now: int,
                lease_until: int, limit: int) -> ClaimedBatch | None:
    rule = conn.execute(select(rules).where(rules.c.id == rule_id, rules.c.is_active.is_(True))
                        .with_for_update(skip_locked=True)).mappings().first()
    if rule is None:
        return None
    queue = deliveries.c.rule_id == rule_id
    head = conn.execute(select(func.min(deliveries.c.id)).where(queue, IS_PENDING)).scalar()
    rows = conn.execute(
        select(deliveries.c.id, deliveries.c.payload, deliveries.c.attempts,
               deliveries.c.window_start_us, deliveries.c.next_attempt_us)
        .where(queue, IS_PENDING, _lease_free(now), deliveries.c.id >= head)
        .order_by(deliveries.c.id).limit(limit)).all()
    # Re-checked under the rule lock: another worker may have taken the head meanwhile.
    if not rows or rows[0].id != head or rows[0].next_attempt_us > now:
        return None
    conn.execute(update(deliveries).where(deliveries.c.id.in_([row.id for row in rows]))
                 .values(claimed_by=worker_id, claimed_until_us=lease_until))
    return ClaimedBatch(
        rule_id=rule_id, endpoint=rule["endpoint"], username=rule["username"],
        password_encrypted=rule["password_encrypted"], xapi_version=rule["xapi_version"],
        rows=[BatchRow(row.id, row.payload, row.attempts, row.window_start_us) for row in rows])


@dataclass(frozen=True)
class Outcome:
    """One finished attempt: what the delivery row becomes and what the log keeps."""

    delivery_id: int
    target_id: int
    forwarding: bool
    status: str
    next_attempt_us: int
    attempted_us: int
    finished_us: int
    status_code: int | None
    latency_ms: int
    excerpt: str
    error: str | None
    summary: str | None

    @property
    def log_outcome(self) -> str:
        return "retry" if self.status == PENDING else self.status


_FINISH = (update(deliveries)
           .where(deliveries.c.id == bindparam("o_id"),
                  deliveries.c.claimed_by == bindparam("o_worker"), IS_PENDING)
           .values(status=bindparam("o_status"), attempts=deliveries.c.attempts + 1,
                   next_attempt_us=bindparam("o_next"), claimed_by=None,
                   claimed_until_us=None, last_status_code=bindparam("o_code"),
                   last_error=bindparam("o_summary"), finished_us=bindparam("o_finished")))


def record(conn: Connection, worker_id: str, outcomes: Sequence[Outcome]) -> list[Outcome]:
    """Store a round's outcomes; return those this worker still held the lease for.

    A row whose lease ran out and was taken by another worker keeps that
    worker's state, but the attempt made here is still logged; a row deleted
    meanwhile (its subscription went) is skipped entirely.
    """
    ids = [outcome.delivery_id for outcome in outcomes]
    rows = conn.execute(select(deliveries.c.id, deliveries.c.claimed_by, deliveries.c.status)
                        .where(deliveries.c.id.in_(ids))).all()
    existing = {row.id for row in rows}
    held = {row.id for row in rows if row.claimed_by == worker_id and row.status == PENDING}
    kept = [outcome for outcome in outcomes if outcome.delivery_id in held]
    if kept:
        conn.execute(_FINISH, [
            {"o_id": o.delivery_id, "o_worker": worker_id, "o_status": o.status,
             "o_next": o.next_attempt_us, "o_code": o.status_code, "o_summary": o.summary,
             "o_finished": o.finished_us if o.status != PENDING else None} for o in kept])
    logged = [outcome for outcome in outcomes if outcome.delivery_id in existing]
    if logged:
        conn.execute(insert(attempts), [
            {"delivery_id": o.delivery_id, "attempted_us": o.attempted_us, "worker_id": worker_id,
             "outcome": o.log_outcome, "status_code": o.status_code, "latency_ms": o.latency_ms,
             "response_excerpt": o.excerpt, "error": o.error} for o in logged])
    return kept


def note_successes(conn: Connection, table: Table, target_ids: Iterable[int]) -> None:
    """A delivered event ends a target's run of failures."""
    wanted = sorted(set(target_ids))
    if wanted:
        conn.execute(update(table).where(table.c.id.in_(wanted),
                                         table.c.consecutive_failures != 0)
                     .values(consecutive_failures=0))


def note_final_failure(conn: Connection, table: Table, target_id: int, *, disable_after: int,
                       now: int, last_error: str) -> None:
    """Count a delivery that ended ``failed``; disable the target at the threshold."""
    row = conn.execute(update(table).where(table.c.id == target_id)
                       .values(consecutive_failures=table.c.consecutive_failures + 1)
                       .returning(table.c.consecutive_failures, table.c.is_active)).first()
    if row is None or not row.is_active or row.consecutive_failures < disable_after:
        return
    reason = (f"disabled automatically after {row.consecutive_failures} consecutive "
              f"deliveries failed for good; last error: {last_error}")
    conn.execute(update(table).where(table.c.id == target_id)
                 .values(is_active=False, disabled_reason=reason[:2000], disabled_us=now))


def list_deliveries(conn: Connection, *, subscription_id: int | None = None,
                    rule_id: int | None = None, status: str | None, limit: int,
                    before: int | None) -> list[RowMapping]:
    """One target's deliveries (a subscription's or a forwarding rule's), newest first."""
    query = select(deliveries).where(_of_target(subscription_id, rule_id))
    if status is not None:
        query = query.where(deliveries.c.status == status)
    if before is not None:
        query = query.where(deliveries.c.id < before)
    return list(conn.execute(query.order_by(deliveries.c.id.desc()).limit(limit)).mappings())


def _of_target(subscription_id: int | None, rule_id: int | None) -> ColumnElement[bool]:
    if subscription_id is not None:
        return deliveries.c.subscription_id == subscription_id
    return deliveries.c.rule_id == rule_id


def delivery(conn: Connection, delivery_id: int) -> RowMapping | None:
    return conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).mappings().first()


def attempts_of(conn: Connection, delivery_id: int, limit: int) -> list[RowMapping]:
    query = (select(attempts).where(attempts.c.delivery_id == delivery_id)
             .order_by(attempts.c.id.desc()).limit(limit))
    return list(conn.execute(query).mappings())


def requeue(conn: Connection, *, now: int, delivery_id: int | None = None,
            subscription_id: int | None = None, rule_id: int | None = None) -> int:
    """Make finished rows pending again, with a fresh retry window; returns how many.

    With ``delivery_id`` that one row (delivered or failed); otherwise every
    failed row of the subscription or rule.
    """
    query = update(deliveries)
    if delivery_id is not None:
        query = query.where(deliveries.c.id == delivery_id,
                            deliveries.c.status.in_((DELIVERED, FAILED)))
    else:
        query = query.where(_of_target(subscription_id, rule_id), deliveries.c.status == FAILED)
    result = conn.execute(query.values(status=PENDING, next_attempt_us=now, window_start_us=now,
                                       finished_us=None, claimed_by=None, claimed_until_us=None))
    return int(result.rowcount)


def delete_finished_before(conn: Connection, before_us: int, limit: int) -> int:
    """Delete up to ``limit`` deliveries finished (delivered or failed for good) before
    ``before_us``, oldest first, with their attempts; return how many.

    Pending deliveries are never touched, however old: a redelivered event is pending
    again (its finish time cleared) until it finishes anew.
    """
    doomed = (select(deliveries.c.id)
              .where(deliveries.c.finished_us < before_us, deliveries.c.status != PENDING)
              .order_by(deliveries.c.finished_us).limit(limit))
    ids = list(conn.execute(doomed).scalars())
    if ids:
        # Attempts first: no reliance on the driver enforcing ON DELETE CASCADE.
        conn.execute(delete(attempts).where(attempts.c.delivery_id.in_(ids)))
        conn.execute(delete(deliveries).where(deliveries.c.id.in_(ids)))
    return len(ids)
