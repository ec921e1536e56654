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

import httpx
from sqlalchemy import Connection

from cairn import __version__, clock
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.db.tables import webhook_subscriptions
from cairn.outbound import outbox, retry, sender
from cairn.outbound.crypto import SecretBox, SecretUnreadable
from cairn.outbound.signing import signed_headers
from cairn.outbound.store import DELIVERED, FAILED
from cairn.outbound.targets import guarded_client

HOUR_US = 3600 * 1_000_000
LEASE_MARGIN_SECONDS = 30.0
WAVES_PER_ROUND = 4


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
        """Rows claimed per round: a few per sending thread, so the threads stay busy."""
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
        with database.writing() as conn:
            claimed = outbox.claim_webhooks(conn, worker_id=self.worker_id, now=now,
                                            lease_until=now + self.config.lease_us,
                                            limit=self.config.batch_size)
        if not claimed:
            return 0
        answers = list(self._pool().map(self._send, claimed))
        finished = self.now_us()
        outcomes = [self._outcome(item, answer, attempted_us=now, finished_us=finished)
                    for item, answer in zip(claimed, answers, strict=True)]
        with database.writing() as conn:
            kept = outbox.record(conn, self.worker_id, outcomes)
            self._note_health(conn, kept, finished)
        return len(claimed)

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

    def _send(self, item: outbox.Claimed) -> sender.Answer:
        try:
            secret = self._box.open(item.secret_encrypted)
        except SecretUnreadable as exc:
            return sender.Answer(status_code=None, latency_ms=0, excerpt="", error=str(exc))
        body = item.payload.encode()
        headers = {"Content-Type": "application/json",
                   "User-Agent": f"Cairn-Webhooks/{__version__}",
                   **signed_headers(secret, event_id=item.event_id,
                                    timestamp=self.now_us() // 1_000_000, body=body)}
        return sender.post(self._http(), item.url, body=body, headers=headers,
                           timeout=self.config.timeout_seconds)

    def _outcome(self, item: outbox.Claimed, answer: sender.Answer, *, attempted_us: int,
                 finished_us: int) -> outbox.Outcome:
        """Decide what becomes of a delivery after this answer (or non-answer)."""
        if answer.ok:
            status, next_attempt = DELIVERED, finished_us
        else:
            step = retry.after_failure(attempts_made=item.attempts + 1, now=finished_us,
                                       window_start_us=item.window_start_us,
                                       max_age_us=self.config.max_age_us, rand=self.rand())
            status, next_attempt = step.status, step.next_attempt_us
        return outbox.Outcome(
            delivery_id=item.id, target_id=item.subscription_id, status=status,
            next_attempt_us=next_attempt, attempted_us=attempted_us, finished_us=finished_us,
            status_code=answer.status_code, latency_ms=answer.latency_ms,
            excerpt=answer.excerpt, error=answer.error,
            summary=answer.error or (None if answer.ok else f"HTTP {answer.status_code}"))

    def _note_health(self, conn: Connection, kept: list[outbox.Outcome], now: int) -> None:
        """Successes reset a subscription's failure run; final failures extend it."""
        outbox.note_successes(conn, webhook_subscriptions,
                              (o.target_id for o in kept if o.status == DELIVERED))
        for outcome in kept:
            if outcome.status == FAILED:
                outbox.note_final_failure(conn, webhook_subscriptions, outcome.target_id,
                                          disable_after=self.config.disable_after, now=now,
                                          last_error=outcome.summary or "unknown")


def outbox_job() -> DeliveryJob:
    """The job ``cairn worker`` and ``cairn serve --with-worker`` run, configured from CAIRN_*."""
    return DeliveryJob(DeliveryConfig.from_settings(Settings()))
