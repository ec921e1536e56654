"""Outbound benchmark: webhook events delivered per second to a loopback receiver.

For SQLite and/or PostgreSQL, each run queues N signed events (10 per session,
so per-session ordering is in play) and measures how long 1 and then 4 worker
processes take to deliver all of them to a receiver on 127.0.0.1 (uvicorn, a
separate process answering 204). Each worker is a real ``DeliveryJob`` loop
(claim with a lease, send up to ``--concurrency`` at once, record every
attempt), exactly as ``cairn worker`` runs it but without its idle sleep.

Why: the outbox adds two short write transactions per batch of deliveries;
the figure says how many events per second one worker, and several sharing a
database, can push before the receiver becomes the limit.

    python bench/outbound.py [--backend sqlite|postgres|both] [--events 4000]
                             [--workers 1,4] [--concurrency 8]

It binds 127.0.0.1 only and stops its receiver and workers on exit.
PostgreSQL comes from ``scripts/postgres.sh`` on its own port (--pg-port).
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, func, select

from cairn.db import migrate
from cairn.db.engine import Database
from cairn.db.tables import outbound_attempts, outbound_deliveries, webhook_subscriptions
from cairn.outbound import events, service
from cairn.outbound.crypto import secret_box
from cairn.outbound.delivery import DeliveryConfig, DeliveryJob
from lrs_data import postgres_databases, sqlite_databases

SECRET_KEY = "bench-secret-key-0123456789-abcdefghijklmnop"
EVENTS_PER_SESSION = 10


async def receiver_app(scope: dict[str, Any], receive: Callable[..., Any],
                       send: Callable[..., Any]) -> None:
    """A minimal ASGI receiver: read the body, answer 204."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def receiver() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "outbound:receiver_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=Path(__file__).parent)
    url = f"http://127.0.0.1:{port}/hook"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.post(url, content=b"{}", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the receiver did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def prepare(url: str, receiver_url: str, count: int) -> None:
    """A fresh outbox: one subscription, ``count`` events in count/10 sessions."""
    database = Database(url)
    migrate.upgrade(database)
    with database.writing() as conn:
        conn.execute(delete(outbound_attempts))
        conn.execute(delete(outbound_deliveries))
        conn.execute(delete(webhook_subscriptions))
        service.create_subscription(conn=conn, box=secret_box(SECRET_KEY), url=receiver_url,
                                    event_types=["session.score_updated"], filters={},
                                    allow_private=True)
    with database.writing() as conn:
        for index in range(count):
            session = index % max(count // EVENTS_PER_SESSION, 1)
            events.enqueue(conn=conn, event_type="session.score_updated",
                           payload={"session_id": session, "seq": index,
                                    "learner": {"id": session, "name": f"Learner {session}"},
                                    "data": {"score": 0.5}},
                           session_key=f"session:{session}", occurred_us=index,
                           filters={})
    database.dispose()


def pending(database: Database) -> int:
    with database.reading() as conn:
        query = select(func.count()).where(outbound_deliveries.c.status != "delivered")
        return int(conn.execute(query).scalar_one())


def work(url: str, concurrency: int, start: Any) -> None:
    """One worker process: deliver until nothing is left."""
    database = Database(url, pool_size=2)
    job = DeliveryJob(DeliveryConfig(secret_key=SECRET_KEY, allow_private=True,
                                     concurrency=concurrency))
    start.wait()
    try:
        while True:
            if job(database) == 0 and pending(database) == 0:
                return
    finally:
        job.close()
        database.dispose()


@dataclass(frozen=True)
class Result:
    backend: str
    workers: int
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def measure(backend: str, url: str, receiver_url: str, count: int, workers: int,
            concurrency: int) -> Result:
    prepare(url, receiver_url, count)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [context.Process(target=work, args=(url, concurrency, start))
             for _ in range(workers)]
    for proc in procs:
        proc.start()
    time.sleep(2.0)  # let the processes import and connect before the clock starts
    began = time.perf_counter()
    start.set()
    for proc in procs:
        proc.join()
    seconds = time.perf_counter() - began
    database = Database(url)
    try:
        left = pending(database)
    finally:
        database.dispose()
    if left or any(proc.exitcode for proc in procs):
        raise RuntimeError(f"{left} events undelivered; worker exit codes "
                           f"{[proc.exitcode for proc in procs]}")
    return Result(backend, workers, count, seconds)


def report(results: list[Result]) -> list[str]:
    lines = [f"{'backend':<10} {'workers':>7} {'events':>7} {'seconds':>8} {'events/s':>9}"]
    lines += [f"{r.backend:<10} {r.workers:>7} {r.events:>7} {r.seconds:>8.2f} {r.rate:>9.0f}"
              for r in results]
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--events", type=int, default=4000)
    parser.add_argument("--workers", default="1,4", help="comma-separated worker counts")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="deliveries each worker makes at once")
    parser.add_argument("--pg-port", type=int, default=54349)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    counts = [int(part) for part in args.workers.split(",")]
    names = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    results: list[Result] = []
    with ExitStack() as stack, tempfile.TemporaryDirectory() as workdir:
        receiver_url = stack.enter_context(receiver())
        for name in names:
            fresh = stack.enter_context(
                sqlite_databases(Path(workdir)) if name == "sqlite"
                else postgres_databases(args.pg_port, False))
            for workers in counts:
                url = fresh(f"outbound_{workers}")
                result = measure(name, url, receiver_url, args.events, workers,
                                 args.concurrency)
                print(f"{name}: {workers} worker(s): {result.rate:.0f} events/s",
                      file=sys.stderr)
                results.append(result)
    print("\n".join(report(results)))


if __name__ == "__main__":
    main()
