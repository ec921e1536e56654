"""Fixtures for outbound tests: a receiver, a settable clock, jobs and subscriptions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from tests.integration.outbound.support import Clock, Receiver

from cairn.clock import now_us
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.outbound import events, service
from cairn.outbound.crypto import secret_box
from cairn.outbound.delivery import DeliveryConfig, DeliveryJob


@pytest.fixture()
def settings(settings: Settings) -> Settings:
    """Receivers in these tests live on 127.0.0.1, which production refuses."""
    return settings.model_copy(update={"webhook_allow_private_targets": True})


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


@pytest.fixture()
def clock() -> Clock:
    """Starts a minute ahead, so rows enqueued (on the real clock) during a test are due."""
    return Clock(now_us() + 60 * 1_000_000)


@pytest.fixture()
def make_job(settings: Settings, clock: Clock) -> Iterator[Callable[..., DeliveryJob]]:
    made: list[DeliveryJob] = []

    def make(**overrides: Any) -> DeliveryJob:
        config = replace(DeliveryConfig.from_settings(settings), **overrides)
        job = DeliveryJob(config, now_us=clock, rand=lambda: 0.5)
        made.append(job)
        return job

    yield make
    for job in made:
        job.close()


@pytest.fixture()
def subscribe(database: Database, settings: Settings) -> Callable[..., tuple[int, str]]:
    """Create a subscription through the service; return (id, secret)."""

    def make(url: str, event_types: list[str] | None = None,
             filters: dict[str, list[str]] | None = None) -> tuple[int, str]:
        with database.writing() as conn:
            subscription, secret = service.create_subscription(
                conn=conn, box=secret_box(settings.resolved_secret_key()), url=url,
                event_types=event_types or [e.value for e in events.EventType
                                            if e is not events.EventType.STATEMENT_STORED],
                filters=filters or {}, allow_private=True)
        return subscription.id, secret

    return make


@pytest.fixture()
def emit(database: Database, clock: Clock) -> Callable[..., list[int]]:
    """Enqueue a session event the way the session code will."""

    def make(event_type: str = "session.completed", *, session_key: str | None = "s-1",
             filters: dict[str, Any] | None = None, **data: Any) -> list[int]:
        with database.writing() as conn:
            return events.enqueue(conn=conn, event_type=event_type,
                                  payload={"session": {"id": session_key, **data}},
                                  session_key=session_key, occurred_us=clock.now,
                                  filters=filters or {})

    return make

