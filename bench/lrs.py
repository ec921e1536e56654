"""LRS benchmark: Cairn's xAPI statement resource against what its database can do.

For SQLite and for PostgreSQL, each in fresh databases, one run measures:

1. batch ingest: statements/s for ``POST /xapi/statements`` with 100-statement
   batches, over real HTTP (httpx, 2 connections) to a real ``cairn serve``;
2. single POSTs: statements/s for one statement per POST from 8 clients;
3. ceilings: the same rows (statement row + filter rows, prepared by the
   service's own ``_prepare``) inserted straight through SQLAlchemy Core, no
   HTTP and no validation: in 100-row transactions, and in one-row
   transactions from 8 threads (``Database.writing()``: BEGIN IMMEDIATE on SQLite);
   HTTP and ceiling take turns over 3 rounds and the median round is reported,
   so both sides of a ratio see the same machine;
4. filtered GET latency: p50/p95 of ``GET /xapi/statements`` by agent, verb,
   activity, registration and ``since`` on a database of N statements (1M).

Why: what the HTTP, validation and service layers cost is only meaningful
next to what the storage allows (targets, SQLite: batch >= 50% and single
>= 25% of their ceilings), and filtered reads must stay index walks as the
store grows (p95 <= 25 ms at 1M statements).

    python bench/lrs.py [--backend sqlite|postgres|both] [--statements 1000000] [--quick]

It binds 127.0.0.1 only, stops its servers on exit (Ctrl-C too), and writes
var/bench/lrs-<timestamp>.json. PostgreSQL comes from ``scripts/postgres.sh``
on a port of its own (--pg-port) so the test suite's server is left alone.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

import lrs_data as data
from cairn.accounts.models import Principal
from cairn.clock import now_us, us_to_iso
from cairn.db import migrate
from cairn.db.engine import Database
from cairn.xapi.http import authority_for
from cairn.xapi.statements.service import Writer

ROOT = Path(__file__).resolve().parent.parent
CAIRN = str(ROOT / ".venv" / "bin" / "cairn")
HOST = "127.0.0.1"
KEY, SECRET = "bench", "bench-secret-not-for-production"
HEADERS = {"Authorization": "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode(),
           "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
BATCH, BATCH_CLIENTS, SINGLE_CLIENTS = 100, 2, 8
DAY_US, YEAR_US = 86_400_000_000, 365 * 86_400_000_000
SEED = 103
ROUNDS = 3
ROUND_KEYS = ("batch", "batch_ceiling", "single", "single_ceiling")
TARGETS = {"batch": 0.50, "single": 0.25, "get_p95_ms": 25.0}


@dataclass(frozen=True)
class Sizes:
    batch: int
    single: int
    fill: int
    requests: int


FULL = Sizes(batch=20_000, single=5_000, fill=1_000_000, requests=200)
QUICK = Sizes(batch=2_000, single=1_000, fill=20_000, requests=50)


@dataclass
class BackendResult:
    backend: str
    batch_per_s: float = 0.0
    batch_ceiling_per_s: float = 0.0
    single_per_s: float = 0.0
    single_ceiling_per_s: float = 0.0
    fill_per_s: float = 0.0
    get_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    rounds: dict[str, list[float]] = field(default_factory=dict)


# --- processes and databases -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def cairn_env(url: str, workdir: Path) -> dict[str, str]:
    return {**os.environ, "CAIRN_DATABASE_URL": url, "CAIRN_DATA_DIR": str(workdir / "data"),
            "CAIRN_LOG_LEVEL": "warning", "CAIRN_ENV": "development"}


def create_credential(url: str, workdir: Path) -> None:
    """The CLI migrates the fresh database, then stores the LRS credential."""
    subprocess.run([CAIRN, "credentials", "create", "--name", KEY, "--key", KEY,
                    "--secret", SECRET], env=cairn_env(url, workdir), check=True,
                   capture_output=True, timeout=120)


@contextmanager
def cairn_server(url: str, workdir: Path, port: int) -> Iterator[str]:
    """``cairn serve --no-worker`` in its own process group; always stopped on the way out."""
    log_path = workdir / f"serve-{port}-{time.monotonic_ns()}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([CAIRN, "serve", "--no-worker", "--host", HOST, "--port",
                                 str(port)], env=cairn_env(url, workdir), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://{HOST}:{port}"
            _wait_ready(base, proc, log_path)
            yield base
        finally:
            _stop(proc)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"cairn serve exited:\n{log_path.read_text()[-2000:]}")
        try:
            if httpx.get(base + "/xapi/about", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"cairn serve did not answer within 60 s (log: {log_path})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


# --- measurements ----------------------------------------------------------------------

@contextmanager
def http_clients(base: str) -> Iterator[Callable[[], httpx.Client]]:
    """One keep-alive httpx client per thread, all closed together."""
    local, made = threading.local(), list[httpx.Client]()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, headers=HEADERS, timeout=120)
            made.append(local.client)
        return local.client  # type: ignore[no-any-return]

    try:
        yield client
    finally:
        for each in made:
            each.close()


def post_rate(base: str, bodies: Sequence[bytes], per_body: int, clients: int) -> float:
    """Statements/s for POSTing every body from ``clients`` concurrent connections."""
    with http_clients(base) as client:
        def send(index: int) -> None:
            answer = client().post("/xapi/statements", content=bodies[index])
            if answer.status_code != 200:
                raise RuntimeError(f"POST answered {answer.status_code}: {answer.text[:300]}")

        client().get(  # authenticate once (argon2) outside the timing
            "/xapi/statements", params={"limit": "1"}).raise_for_status()
        seconds = data.parallel(clients, len(bodies), send)
    return len(bodies) * per_body / seconds


def get_latencies(base: str, queries: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """p50/p95 (ms) and mean page size per filter, one request at a time."""
    found: dict[str, Any] = {}
    with httpx.Client(base_url=base, headers=HEADERS, timeout=120) as client:
        for params in [q for listed in queries.values() for q in listed[:5]]:  # warm-up
            client.get("/xapi/statements", params=params).raise_for_status()
        for name, listed in queries.items():
            times, sizes = [], []
            for params in listed:
                started = time.perf_counter()
                answer = client.get("/xapi/statements", params=params)
                times.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
                sizes.append(len(orjson.loads(answer.content)["statements"]))
            found[name] = {"p50": statistics.median(times), "p95": _p95(times),
                           "max": max(times), "statements": statistics.fmean(sizes)}
    return found


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def read_queries(generator: data.StatementGenerator, newest_us: int, count: int
                 ) -> dict[str, list[dict[str, str]]]:
    """``count`` requests per filter, spread over values that exist in the filled data."""
    people, verbs = generator.population, [name for name, _ in data.VERB_WEIGHTS]

    def step(available: int) -> int:
        return max(available // count, 1)

    return {
        "agent": [{"agent": json.dumps({"mbox": f"mailto:learner{i * step(people.learners)}"
                                                "@example.org"})} for i in range(count)],
        "verb": [{"verb": data.ADL + verbs[i % len(verbs)]} for i in range(count)],
        "activity": [{"activity": data.activity_iri(i * step(people.activities))}
                     for i in range(count)],
        "registration": [{"registration": generator.registrations[i * step(
            people.registrations)]} for i in range(count)],
        "since": [{"since": us_to_iso(newest_us - DAY_US - i * 60_000_000)}
                  for i in range(count)],
    }


# --- one backend -----------------------------------------------------------------------

def run_backend(name: str, fresh: Callable[[str], str], sizes: Sizes, workdir: Path
                ) -> BackendResult:
    result, port = BackendResult(name), free_port()
    writer = Writer(authority=authority_for(Principal(kind="credential", id=1, name=KEY),
                                            f"http://{HOST}:{port}/"), credential_id=1)
    say(f"[{name}] ingest: {sizes.batch:,} in POSTs of {BATCH}, {sizes.single:,} single, "
        f"{ROUNDS} rounds alternating HTTP and ceiling")
    result.rounds = measure_ingest(fresh, sizes, workdir, writer, port)
    median = {key: statistics.median(values) for key, values in result.rounds.items()}
    result.batch_per_s, result.batch_ceiling_per_s = median["batch"], median["batch_ceiling"]
    result.single_per_s, result.single_ceiling_per_s = median["single"], median["single_ceiling"]
    result.fill_per_s, result.get_ms = measure_reads(fresh("read"), sizes, workdir, writer, port)
    return result


def measure_ingest(fresh: Callable[[str], str], sizes: Sizes, workdir: Path, writer: Writer,
                   port: int) -> dict[str, list[float]]:
    """Rates per round: HTTP into one database, the same rows raw into another, in turn,
    so that both sides of each ratio see the same machine (the median round is reported)."""
    generator, now = data.StatementGenerator(SEED), now_us()
    batch = list(generator.stream(sizes.batch, first_us=now - YEAR_US, last_us=now))
    single = list(generator.stream(sizes.single, first_us=now - YEAR_US, last_us=now))
    groups = [batch[i:i + BATCH] for i in range(0, len(batch), BATCH)]
    rounds: dict[str, list[float]] = {key: [] for key in ROUND_KEYS}
    http_url, raw = fresh("http"), Database(fresh("raw"), pool_size=SINGLE_CLIENTS)
    create_credential(http_url, workdir)
    migrate.upgrade(raw)
    try:
        with cairn_server(http_url, workdir, port) as base:
            for turn in range(ROUNDS):
                mine = groups[turn::ROUNDS]
                rounds["batch"].append(post_rate(base, [orjson.dumps(g) for g in mine], BATCH,
                                                 BATCH_CLIENTS))
                rounds["batch_ceiling"].append(data.ceiling_rate(raw, [
                    [data.prepare(s, writer, now_us()) for s in g] for g in mine], BATCH_CLIENTS))
            for turn in range(ROUNDS):
                ones = single[turn::ROUNDS]
                rounds["single"].append(post_rate(base, [orjson.dumps(s) for s in ones], 1,
                                                  SINGLE_CLIENTS))
                rounds["single_ceiling"].append(data.ceiling_rate(raw, [
                    [data.prepare(s, writer, now_us())] for s in ones], SINGLE_CLIENTS))
    finally:
        raw.dispose()
    return rounds


def measure_reads(url: str, sizes: Sizes, workdir: Path, writer: Writer, port: int
                  ) -> tuple[float, dict[str, Any]]:
    """Fill a fresh database to ``sizes.fill`` statements, then time filtered GETs."""
    create_credential(url, workdir)
    database, generator = Database(url), data.StatementGenerator(SEED + 1)
    data.bulk_load_settings(database)
    newest = now_us() - 60_000_000
    started = time.perf_counter()

    def progress(done: int, inserting: float) -> None:
        if done % 100_000 == 0 or done == sizes.fill:
            say(f"    filled {done:,} ({done / (time.perf_counter() - started):,.0f}/s; "
                f"{inserting:,.0f} s inserting)")

    try:
        data.fill(database, generator, writer, count=sizes.fill,
                  first_us=newest - YEAR_US, last_us=newest, progress=progress)
        data.settle(database)
    finally:
        database.dispose()
    fill_rate = sizes.fill / (time.perf_counter() - started)
    say(f"    filtered GETs on {sizes.fill:,} statements, {sizes.requests} per filter")
    with cairn_server(url, workdir, port) as base:
        return fill_rate, get_latencies(base, read_queries(generator, newest, sizes.requests))


# --- report ----------------------------------------------------------------------------

def report(results: list[BackendResult], sizes: Sizes) -> list[str]:
    lines = [f"{'backend':9}{'figure':34}{'measured':>14}{'ceiling':>14}{'ratio':>8}  target",
             "-" * 100]
    for r in results:
        rows = [("batch ingest (100/POST, 2 conns)", r.batch_per_s, r.batch_ceiling_per_s,
                 "batch"),
                ("single POSTs (concurrency 8)", r.single_per_s, r.single_ceiling_per_s,
                 "single")]
        for label, value, ceiling, key in rows:
            ratio = value / ceiling
            lines.append(f"{r.backend:9}{label:34}{value:>10,.0f} st/s{ceiling:>9,.0f} st/s"
                         f"{ratio:>8.1%}  >= {TARGETS[key]:.0%}: "
                         f"{verdict(r.backend, ratio >= TARGETS[key])}")
        for name, figures in r.get_ms.items():
            label = f"GET {name} @{sizes.fill:,} p50/p95"
            lines.append(f"{r.backend:9}{label:34}{figures['p50']:>6.1f}/{figures['p95']:.1f} ms"
                         f"{'':>22}  p95 <= 25 ms: "
                         f"{verdict(r.backend, figures['p95'] <= TARGETS['get_p95_ms'])}"
                         f"  ({figures['statements']:.0f} st/page)")
        lines.append(f"{r.backend:9}{'fill: generate + raw insert':34}"
                     f"{r.fill_per_s:>10,.0f} st/s")
    lines.append("Targets are SQLite's; PostgreSQL verdicts are lower-case, for information.")
    one, five, fifteen = os.getloadavg()
    lines.append(f"Load average now (1/5/15 min): {one:.1f} {five:.1f} {fifteen:.1f} "
                 f"on {os.cpu_count()} CPUs")
    return lines


def verdict(backend: str, ok: bool) -> str:
    word = "PASS" if ok else "FAIL"
    return word if backend == "sqlite" else word.lower()


def write_json(results: list[BackendResult], sizes: Sizes, seconds: float) -> Path:
    out = ROOT / "var" / "bench" / f"lrs-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"sizes": asdict(sizes), "targets": TARGETS, "seconds": round(seconds, 1),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "commit": _commit(),
            "load_average_at_end": os.getloadavg()}
    out.write_bytes(orjson.dumps({"meta": meta, "results": [asdict(r) for r in results]},
                                 option=orjson.OPT_INDENT_2))
    return out


def _commit() -> str:
    answer = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    return answer.stdout.strip()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--statements", type=int, help="statements in the read database")
    parser.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    parser.add_argument("--pg-port", type=int, default=54339, help="private PostgreSQL port")
    parser.add_argument("--keep", action="store_true", help="keep the databases for EXPLAIN")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.statements:
        sizes = Sizes(sizes.batch, sizes.single, args.statements, sizes.requests)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: servers get stopped
    started, results = time.perf_counter(), []
    workdir = Path(tempfile.mkdtemp(prefix="cairn-bench-lrs-"))
    try:
        for name in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
            databases = (data.sqlite_databases(workdir) if name == "sqlite"
                         else data.postgres_databases(args.pg_port, args.keep))
            with databases as fresh:
                results.append(run_backend(name, fresh, sizes, workdir))
    finally:
        if args.keep:
            say(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.perf_counter() - started
    print("\n".join(report(results, sizes)))
    print(f"total {seconds:,.0f} s; JSON: {write_json(results, sizes, seconds)}")


if __name__ == "__main__":
    main()
