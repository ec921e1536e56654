"""The worker loop: run every registered job, beat, sleep, until told to stop.

Jobs are plain callables taking a :class:`~cairn.db.engine.Database` and
returning how many units of work they did; each job owns its transactions, so
a crash loses at most the unit in flight, never an acknowledged write. Later
features (webhook outbox, forwarding, auto-closing sessions) register here.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence

from cairn.clock import now_us
from cairn.db.engine import Database
from cairn.outbound.delivery import outbox_job
from cairn.outbound.retention import purge_finished_deliveries
from cairn.sessions.jobs import close_stale_sessions, purge_journal
from cairn.worker import store

log = logging.getLogger(__name__)

Job = Callable[[Database], int]


# Housekeeping measured in days needs no checking every round: a busy outbox makes
# rounds follow each other at once, and on SQLite each check takes the write lock.
HOUSEKEEPING_SECONDS = 60.0


class Periodic:
    """``job`` at most every ``seconds`` while it finds nothing to do; a run that did
    work is followed by another next round (a batch job catching up)."""

    def __init__(self, job: Job, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.job = job
        self.seconds = seconds
        self._clock = clock
        self._next = -math.inf
        self.__name__ = getattr(job, "__name__", type(job).__name__)

    def __call__(self, database: Database) -> int:
        now = self._clock()
        if now < self._next:
            return 0
        done = self.job(database)
        self._next = now if done else now + self.seconds
        return done


def default_jobs() -> list[Job]:
    """The jobs Cairn runs in the background: deliveries every round, housekeeping
    (closing stale sessions, pruning the journal and old deliveries) every minute."""
    return [outbox_job(), *(Periodic(job, HOUSEKEEPING_SECONDS) for job in (
        close_stale_sessions, purge_journal, purge_finished_deliveries))]


class Worker:
    """Runs ``jobs`` every ``interval`` seconds on ``database`` until :meth:`stop`."""

    def __init__(self, database: Database, jobs: Sequence[Job], *, interval: float) -> None:
        self.database = database
        self.jobs = list(jobs)
        self.interval = interval
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._stopping = threading.Event()

    def run(self) -> None:
        with self.database.writing() as conn:
            store.record_start(conn, self.worker_id, now_us())
        try:
            while not self._stopping.is_set():
                done = self.run_once()
                with self.database.writing() as conn:
                    store.record_beat(conn, self.worker_id, now_us(), done)
                if done == 0:
                    self._stopping.wait(self.interval)
        finally:
            with self.database.writing() as conn:
                store.record_stop(conn, self.worker_id)

    def run_once(self) -> int:
        """Run each job once; a failing job is logged and the others still run."""
        done = 0
        for job in self.jobs:
            try:
                done += job(self.database)
            except Exception:
                log.exception("worker job %s failed", getattr(job, "__name__", job))
        return done

    def stop(self) -> None:
        self._stopping.set()

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="cairn-worker", daemon=True)
        thread.start()
        return thread
