"""The outbox worker job: claim due deliveries, send them, record what happened.

Three short steps per round, none holding a transaction across the network:
claim (one write transaction leases rows to this worker), send (concurrently,
outside any transaction), record (one write transaction stores every attempt
and outcome). A worker that dies between the steps loses nothing: its leased
rows are claimed again when the lease expires, and because the event id is
stable a receiver can drop the duplicate (delivery is at-least-once).

The clock is injected (``now_us``) so tests walk through 72 hours of retries
without sleeping.
"""

from __future__ import annotations

import os
import random
import socket
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import httpx
from sqlalchemy import Connection

from cairn import __version__, clock
from cairn.clock import HOUR_US
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.db.tables import forwarding_rules, webhook_subscriptions
from cairn.outbound import outbox, retry, sender
from cairn.outbound.crypto import SecretBox, SecretUnreadable
from cairn.outbound.forwarding.sender import Forwarded, forward
from cairn.outbound.signing import signed_headers
from cairn.outbound.store import DELIVERED, FAILED
from cairn.outbound.targets import guarded_client
from cairn.xapi.attachments import AttachmentPart
from cairn.xapi.statements import store as statement_store

LEASE_MARGIN_SECONDS = 30.0
WAVES_PER_ROUND = 4
FORWARD_BATCH = 100  # statements per POST to a target LRS


@dataclass(frozen=True)
class DeliveryConfig:
    """The settings delivery needs, so tests can build one without the environment."""

    secret_key: str
    timeout_seconds: float = 10.0
    max_age_us: int = 72 * HOUR_US
    disable_after: int = 20
    allow_private: bool = False
    concurrency: int = 8

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        return cls(secret_key=settings.resolved_secret_key(),
                   timeout_seconds=settings.webhook_timeout_seconds,
                   max_age_us=int(settings.webhook_max_age_hours * HOUR_US),
                   disable_after=settings.webhook_disable_after,
                   allow_private=settings.webhook_allow_private_targets,
                   concurrency=settings.webhook_concurrency)

    @property
    def batch_size(self) -> int:
        """Sends per round (webhooks, plus forwarding batches counted as one each):
        a few per sending thread, so the threads stay busy."""
        return self.concurrency * WAVES_PER_ROUND

    @property
    def lease_us(self) -> int:
        """Longer than a whole round can take, so a live worker never loses its rows.

        An attempt is bounded by three timeouts (connect, send, answer), and a
        round sends its batch in ``WAVES_PER_ROUND`` waves.
        """
        worst = WAVES_PER_ROUND * 3 * self.timeout_seconds + LEASE_MARGIN_SECONDS
        return int(worst * 1_000_000)


class DeliveryJob:
    """One round of outbox delivery per call; returns how many deliveries it attempted."""

    def __init__(self, config: DeliveryConfig, *, now_us: Callable[[], int] = clock.now_us,
                 rand: Callable[[], float] = random.random,
                 worker_id: str | None = None) -> None:
        self.config = config
        self.now_us = now_us
        self.rand = rand
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._box = SecretBox(config.secret_key)
        self._client: httpx.Client | None = None
        self._executor: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        return f"DeliveryJob({self.worker_id})"

    def __call__(self, database: Database) -> int:
        now = self.now_us()
        with database.reading() as conn:
            if not outbox.any_due(conn, now):
                return 0
        lease_until = now + self.config.lease_us
        with database.writing() as conn:
            batches = outbox.claim_forwarding(conn, worker_id=self.worker_id, now=now,
                                              lease_until=lease_until,
                                              rules_limit=self.config.concurrency,
                                              batch_limit=FORWARD_BATCH)
            claimed = outbox.claim_webhooks(conn, worker_id=self.worker_id, now=now,
                                            lease_until=lease_until,
                                            limit=self.config.batch_size - len(batches))
        tasks: list[Callable[[], list[outbox.Outcome]]] = [
            partial(self._webhook, item, now) for item in claimed]
        tasks += [partial(self._forward, batch, now, database) for batch in batches]
        if not tasks:
            return 0
        outcomes = [outcome for done in self._pool().map(_run, tasks) for outcome in done]
        with database.writing() as conn:
            kept = outbox.record(conn, self.worker_id, outcomes)
            self._note_health(conn, kept, self.now_us())
        return len(outcomes)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._client is not None:
            self._client.close()
            self._client = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.config.concurrency,
                                                thread_name_prefix="cairn-outbound")
        return self._executor

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = guarded_client(allow_private=self.config.allow_private,
                                          max_connections=self.config.concurrency)
        return self._client

    def _webhook(self, item: outbox.Claimed, attempted_us: int) -> list[outbox.Outcome]:
        try:
            secret = self._box.open(item.secret_encrypted)
            old = (() if item.previous_secret_encrypted is None
                   else (self._box.open(item.previous_secret_encrypted),))
        except SecretUnreadable as exc:
            answer = sender.Answer(status_code=None, latency_ms=0, excerpt="", error=str(exc))
        else:
            body = item.payload.encode()
            headers = {"Content-Type": "application/json",
                       "User-Agent": f"Cairn-Webhooks/{__version__}",
                       **signed_headers(secret, event_id=item.event_id,
                                        timestamp=self.now_us() // 1_000_000, body=body,
                                        also_signing=old)}
            answer = sender.post(self._http(), item.url, body=body, headers=headers,
                                 timeout=self.config.timeout_seconds)
        return [self._outcome(Target(item.subscription_id, forwarding=False), item.id,
                              item.attempts, item.window_start_us, answer, answer.ok,
                              attempted_us)]

    def _forward(self, batch: outbox.ClaimedBatch, attempted_us: int,
                 database: Database) -> list[outbox.Outcome]:
        target = Target(batch.rule_id, forwarding=True)
        try:
            password = self._box.open(batch.password_encrypted)
        except SecretUnreadable as exc:
            failed = sender.Answer(status_code=None, latency_ms=0, excerpt="", error=str(exc))
            results = [Forwarded(failed, False)] * len(batch.rows)
        else:
            results = forward(self._http(), batch, password=password,
                              timeout=self.config.timeout_seconds,
                              load_parts=partial(_attachment_parts, database))
        return [self._outcome(target, row.id, row.attempts, row.window_start_us, result.answer,
                              result.delivered, attempted_us)
                for row, result in zip(batch.rows, results, strict=True)]

    def _outcome(self, target: Target, delivery_id: int, attempts: int, window_start_us: int,
                 answer: sender.Answer, delivered: bool, attempted_us: int) -> outbox.Outcome:
        """Decide what becomes of a delivery after this answer (or non-answer)."""
        finished_us = self.now_us()
        if delivered:
            status, next_attempt = DELIVERED, finished_us
        else:
            step = retry.after_failure(attempts_made=attempts + 1, now=finished_us,
                                       window_start_us=window_start_us,
                                       max_age_us=self.config.max_age_us, rand=self.rand())
            status, next_attempt = step.status, step.next_attempt_us
        return outbox.Outcome(
            delivery_id=delivery_id, target_id=target.id, forwarding=target.forwarding,
            status=status, next_attempt_us=next_attempt, attempted_us=attempted_us,
            finished_us=finished_us, status_code=answer.status_code,
            latency_ms=answer.latency_ms, excerpt=answer.excerpt, error=answer.error,
            summary=answer.error or (None if delivered else f"HTTP {answer.status_code}"))

    def _note_health(self, conn: Connection, kept: list[outbox.Outcome], now: int) -> None:
        """Successes reset a target's failure run; final failures extend it (a forwarding
        rule's batch counts once, however many statements it held)."""
        for forwarding, table in ((False, webhook_subscriptions), (True, forwarding_rules)):
            mine = [outcome for outcome in kept if outcome.forwarding is forwarding]
            outbox.note_successes(conn, table, (o.target_id for o in mine
                                                if o.status == DELIVERED))
            failed = {o.target_id: o.summary for o in mine if o.status == FAILED}
            for target_id, summary in failed.items():
                outbox.note_final_failure(conn, table, target_id,
                                          disable_after=self.config.disable_after, now=now,
                                          last_error=summary or "unknown")


@dataclass(frozen=True)
class Target:
    """Whose delivery an outcome is: a webhook subscription or a forwarding rule."""

    id: int
    forwarding: bool


def _run(task: Callable[[], list[outbox.Outcome]]) -> list[outbox.Outcome]:
    return task()


def _attachment_parts(database: Database, hashes: set[str]) -> list[AttachmentPart]:
    """The stored raw data of attachments a forwarded statement references."""
    if not hashes:
        return []
    with database.reading() as conn:
        rows = statement_store.attachments_by_sha2(conn, hashes)
    return [AttachmentPart(sha2=row.sha2, content_type=row.content_type, content=row.content)
            for row in rows]


def outbox_job() -> DeliveryJob:
    """The job ``cairn worker`` and ``cairn serve --with-worker`` run, configured from CAIRN_*."""
    return DeliveryJob(DeliveryConfig.from_settings(Settings()))
