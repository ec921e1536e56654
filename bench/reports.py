"""Benchmark: the reporting API against a realistic data set.

For SQLite and/or PostgreSQL, one run:

1. fills a database with ``reports_data`` (default: 10,000 learners, 200 teams,
   200 courses, 100,000 sessions, 1,000,000 statements; SQLite files are kept
   in ``var/bench/`` and reused by later runs of the same size),
2. starts a real ``cairn serve --no-worker`` on it and makes an admin token and
   a manager token (``cairn tokens create``),
3. times each endpoint one request at a time over ``--requests`` requests with
   varied parameters (p50/p95 in ms), and streams the full CSVs (sessions,
   activities, statements) measuring rows/s and the server's memory.

Targets (issue 5): learner-progress report p95 <= 1 s, paged lists p95 <= 100 ms,
CSV >= 50,000 rows/s. Results go to ``var/bench/reports-<time>.json``. An
endpoint the server does not have (not in its OpenAPI schema) is reported as
"missing", one that answers an error as "error", and the run goes on.

    .venv/bin/python bench/reports.py --quick          # ~1/10 of the size, a few minutes
    .venv/bin/python bench/reports.py                  # the full size, SQLite
    .venv/bin/python bench/reports.py --backend both
    .venv/bin/python bench/reports.py --learners 2000 --sessions 20000 --statements 0
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

import lrs
import lrs_data
import reports_data as data
from cairn.clock import us_to_iso

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "bench"
TARGET_REPORT_MS, TARGET_LIST_MS, TARGET_CSV_ROWS = 1000.0, 100.0, 50_000.0
# Figures timed again with a manager's token: scoping to one team changes the plans.
MANAGER_FIGURES = ("sessions: first page", "sessions: by status, newest",
                   "activities: first page", "statements: by verb", "statements: since",
                   "report: by course")
CSV_EXPORTS = (("sessions", "/api/v1/sessions"), ("activities", "/api/v1/activities"),
               ("statements", "/api/v1/xapi/statements"))
Params = dict[str, Any]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the database ------------------------------------------------------------------------

def sqlite_database(sizes: data.Sizes) -> tuple[str, data.Loaded | None]:
    """The cached SQLite file of this size (built on first use)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"reports-{sizes.label}.db"
    meta = path.with_suffix(".json")
    url = f"sqlite:///{path}"
    if path.exists() and meta.exists():
        say(f"reusing {path}")
        return url, _loaded_from(json.loads(meta.read_text()))
    path.unlink(missing_ok=True)
    loaded = _build(url, sizes)
    meta.write_text(json.dumps(dataclasses.asdict(loaded)))
    return url, loaded


def _build(url: str, sizes: data.Sizes) -> data.Loaded:
    say(f"filling {url} with {sizes}")
    return data.build(url, sizes, say)


def _loaded_from(raw: dict[str, Any]) -> data.Loaded:
    raw["sizes"] = data.Sizes(**raw["sizes"])
    for key in ("lessons_by_course", "learner_courses", "session_of_learner"):
        raw[key] = {int(name): value for name, value in raw[key].items()}
    return data.Loaded(**raw)


# --- the server ----------------------------------------------------------------------------

def make_token(url: str, workdir: Path, *args: str) -> dict[str, str]:
    done = subprocess.run([lrs.CAIRN, "tokens", "create", "--name", "bench", *args],
                          env=lrs.cairn_env(url, workdir), check=True, capture_output=True,
                          text=True, timeout=120)
    return {"Authorization": "Bearer " + done.stdout.split("token: ")[1].strip()}


def server_pid(port: int) -> int | None:
    """The ``cairn serve`` process listening on ``port`` (to read its memory)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and str(port).encode() in command:
            return int(entry.name)
    return None


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """A memory figure of ``/proc/<pid>/status`` in MiB (VmRSS now, VmHWM the lifetime peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def peak_rss(pid: int | None) -> Iterator[dict[str, float]]:
    """The server's RSS before and at its highest while the block runs (sampled every 20 ms),
    and its high-water mark afterwards: a sample can miss a short spike, VmHWM cannot."""
    found = {"before_mib": rss_mib(pid) if pid else 0.0, "peak_mib": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set() and pid:
            found["peak_mib"] = max(found["peak_mib"], rss_mib(pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield found
    finally:
        stop.set()
        sampler.join()
        found["high_water_mib"] = rss_mib(pid, "VmHWM") if pid else 0.0


def scheduled_seconds(pid: int | None) -> tuple[float, float]:
    """(seconds on a CPU, seconds runnable but waiting for one) of all the server's threads.

    On a shared machine wall-clock rates fall with other load; CPU seconds per row
    do not, and the waiting time says how much of the wall clock other load took.
    """
    on_cpu = waiting = 0
    for task in Path(f"/proc/{pid}/task").glob("*") if pid else ():
        try:
            ran, waited, _slices = (task / "schedstat").read_text().split()
        except (OSError, ValueError):
            continue
        on_cpu, waiting = on_cpu + int(ran), waiting + int(waited)
    return on_cpu / 1e9, waiting / 1e9


def cpu_pressure_seconds() -> float:
    """Seconds in which some runnable task on this machine waited for a CPU (PSI), or 0."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return 0.0
    return int(some.rsplit("total=", 1)[1]) / 1e6


@contextmanager
def machine_load() -> Iterator[dict[str, float]]:
    """The share of the block's wall time in which tasks waited for a CPU (0 % = quiet)."""
    found: dict[str, float] = {}
    pressure, started = cpu_pressure_seconds(), time.perf_counter()
    try:
        yield found
    finally:
        seconds = time.perf_counter() - started
        found["cpu_pressure_pct"] = 100 * (cpu_pressure_seconds() - pressure) / seconds


# --- requests ------------------------------------------------------------------------------

def request_plan(loaded: data.Loaded, count: int) -> dict[str, tuple[str, list[Params]]]:
    """Per figure: the path (``{}`` filled per request) and ``count`` varied parameter sets."""
    rng = random.Random(7)
    sizes = loaded.sizes
    learners = sorted(loaded.learner_courses)
    recent = us_to_iso(loaded.last_us - 30 * data.DAY_US)

    def learner() -> int:
        return rng.choice(learners)

    def repeat(make: Callable[[], Params]) -> list[Params]:
        return [make() for _ in range(count)]

    def course_of(who: int) -> int:
        return rng.choice(loaded.learner_courses[who])

    def lesson_path() -> Params:
        who = learner()
        return {"_path": (who, rng.choice(loaded.lessons_by_course[course_of(who)]))}

    statuses = ("completed", "incomplete", "unknown")
    return {
        "sessions: first page": ("/api/v1/sessions", repeat(lambda: {})),
        "sessions: by course": ("/api/v1/sessions", repeat(
            lambda: {"course": rng.randint(1, sizes.courses)})),
        "sessions: by learner": ("/api/v1/sessions", repeat(lambda: {"learner": learner()})),
        "sessions: by team": ("/api/v1/sessions", repeat(
            lambda: {"team": rng.randint(1, sizes.teams)})),
        "sessions: last 30 days": ("/api/v1/sessions", repeat(lambda: {"since": recent})),
        "sessions: by status, newest": ("/api/v1/sessions", repeat(
            lambda: {"completion_status": rng.choice(statuses), "sort": "-started_at"})),
        "sessions: sorted by score": ("/api/v1/sessions", repeat(
            lambda: {"sort": rng.choice(("-score_scaled", "learner_name", "-total_time"))})),
        "sessions: deep cursor pages": ("/api/v1/sessions", repeat(lambda: {"_deep": 10})),
        "session detail": ("/api/v1/sessions/{}", repeat(
            lambda: {"_path": (loaded.session_of_learner[learner()],)})),
        "drill: learner courses": ("/api/v1/learners/{}/courses", repeat(
            lambda: {"_path": (learner(),)})),
        "drill: course lessons": ("/api/v1/learners/{}/courses/{}/lessons", repeat(
            lambda: (lambda who: {"_path": (who, course_of(who))})(learner()))),
        "drill: lesson sessions": ("/api/v1/learners/{}/lessons/{}/sessions",
                                   repeat(lesson_path)),
        "drill: interactions": ("/api/v1/learners/{}/sessions/{}/interactions", repeat(
            lambda: (lambda who: {"_path": (who, loaded.session_of_learner[who])})(
                learner()))),
        "activities: first page": ("/api/v1/activities", repeat(lambda: {})),
        "activities: offset pages": ("/api/v1/activities", repeat(
            lambda: {"offset": rng.randrange(0, sizes.sessions // 3)})),
        "activities: updated_gte sync": ("/api/v1/activities", repeat(
            lambda: {"updated_gte": us_to_iso(rng.randrange(loaded.first_us, loaded.last_us))})),
        "activities: by student": ("/api/v1/activities", repeat(
            lambda: {"student_id": learner()})),
        "statements: by learner": ("/api/v1/xapi/statements", repeat(
            lambda: {"learner": learner()})),
        "statements: by verb": ("/api/v1/xapi/statements", repeat(
            lambda: {"verb": lrs_data.ADL + rng.choice(("answered", "completed", "passed"))})),
        "statements: by activity": ("/api/v1/xapi/statements", repeat(
            lambda: {"activity": lrs_data.activity_iri(rng.randrange(sizes.courses * 20))})),
        "statements: since": ("/api/v1/xapi/statements", repeat(lambda: {"since": recent})),
        "report: by course": ("/api/v1/reports/learner-progress", repeat(lambda: {})),
        "report: by team": ("/api/v1/reports/learner-progress", repeat(
            lambda: {"group_by": "team"})),
        "report: by lesson": ("/api/v1/reports/learner-progress", repeat(
            lambda: {"group_by": "lesson"})),
        "report: by learner": ("/api/v1/reports/learner-progress", repeat(
            lambda: {"group_by": "learner"})),
        "report: by course and month": ("/api/v1/reports/learner-progress", repeat(
            lambda: {"group_by": "course,period", "period": "month"})),
        "report: one course by week": ("/api/v1/reports/learner-progress", repeat(
            lambda: {"group_by": "period", "period": "week",
                     "course": rng.randint(1, sizes.courses)})),
    }


class Unanswered(Exception):
    """A request that did not answer 200: the figure is reported as an error."""


def served_paths(client: httpx.Client) -> set[str]:
    """The server's paths with parameters blanked (``/a/{}/b``), from its OpenAPI schema."""
    schema = client.get("/api/openapi.json")
    schema.raise_for_status()
    return {re.sub(r"\{[^}]*\}", "{}", path) for path in schema.json()["paths"]}


def _get(client: httpx.Client, path: str, params: Params) -> tuple[float, Any]:
    query = {key: value for key, value in params.items() if not key.startswith("_")}
    url = path.format(*params.get("_path", ()))
    started = time.perf_counter()
    answer = client.get(url, params=query)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise Unanswered(f"GET {url} {query} answered {answer.status_code}: "
                         f"{answer.text[:300]}")
    return elapsed, answer.json()


def _deep_page_times(client: httpx.Client, pages: int) -> list[float]:
    """Follow ``next_cursor`` ``pages`` times; the time of each page after the first."""
    times, cursor = [], None
    for _ in range(pages):
        elapsed, body = _get(client, "/api/v1/sessions",
                             {"cursor": cursor} if cursor else {})
        times.append(elapsed)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    return times[1:]


def time_requests(client: httpx.Client, plan: dict[str, tuple[str, list[Params]]]
                  ) -> dict[str, dict[str, Any]]:
    """p50/p95 per figure; ``{"missing": path}`` or ``{"error": text}`` where none can be had."""
    found: dict[str, dict[str, Any]] = {}
    served = served_paths(client)
    for name, (path, requests) in plan.items():
        if path not in served:
            found[name] = {"missing": path}
            say(f"  {name:32} missing: the server has no {path}")
            continue
        try:
            times = _times(client, name, path, requests)
        except Unanswered as exc:
            found[name] = {"error": str(exc)}
            say(f"  {name:32} error: {exc}")
            continue
        found[name] = {"p50_ms": statistics.median(times), "p95_ms": lrs._p95(times),
                       "max_ms": max(times), "requests": len(times)}
        say(f"  {name:32} p50 {found[name]['p50_ms']:8.1f} ms   "
            f"p95 {found[name]['p95_ms']:8.1f} ms")
    return found


def _times(client: httpx.Client, name: str, path: str, requests: list[Params]) -> list[float]:
    for params in requests[:3]:  # warm-up
        if "_deep" not in params:
            _get(client, path, params)
    times: list[float] = []
    for params in requests:
        if "_deep" in params:
            times += _deep_page_times(client, params["_deep"])
        else:
            times.append(_get(client, path, params)[0])
        if "report" in name and len(times) >= max(len(requests) // 5, 10):
            break  # whole-table aggregates: fewer samples are enough
    return times


def time_csv(client: httpx.Client, path: str, pid: int | None) -> dict[str, Any]:
    """Stream a whole CSV; rows/s and the server's memory while it streams.

    Rows are counted as line feeds (one byte, so a chunk boundary cannot split
    one; no exported cell holds a line break); the header is not a row.
    """
    rows = 0
    cpu_before, wait_before = scheduled_seconds(pid)
    with peak_rss(pid) as memory:
        started = time.perf_counter()
        with client.stream("GET", path, params={"format": "csv"}) as answer:
            if answer.status_code != 200:
                answer.read()
                return {"error": f"GET {path}?format=csv answered {answer.status_code}: "
                                 f"{answer.text[:300]}"}
            for chunk in answer.iter_raw(1 << 20):
                rows += chunk.count(b"\n")
        seconds = time.perf_counter() - started
    cpu_after, wait_after = scheduled_seconds(pid)
    rows -= 1
    cpu = cpu_after - cpu_before
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "server_cpu_s": cpu, "server_cpu_wait_s": wait_after - wait_before,
            "rows_per_server_cpu_s": rows / cpu if cpu else 0.0, **memory}


# --- one backend ---------------------------------------------------------------------------

def run_backend(backend: str, sizes: data.Sizes, requests: int, pg_port: int, keep: bool
                ) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="cairn-bench-reports-"))
    os.environ["CAIRN_BASE_URL"] = data.BASE_URL
    with _database_url(backend, sizes, workdir, pg_port, keep) as (url, loaded):
        admin = make_token(url, workdir, "--role", "admin")
        manager = make_token(url, workdir, "--user", data.manager_email(0))
        port = lrs.free_port()
        with lrs.cairn_server(url, workdir, port) as base, \
                httpx.Client(base_url=base, headers=admin, timeout=600) as client:
            pid = server_pid(port)
            with machine_load() as load:
                say(f"{backend}: timing requests ({requests} per figure)")
                latencies = time_requests(client, request_plan(loaded, requests))
                with httpx.Client(base_url=base, headers=manager, timeout=600) as as_manager:
                    say(f"{backend}: as a manager (one team of {loaded.sizes.teams})")
                    managed = time_requests(as_manager, {
                        key: value for key, value in request_plan(loaded, requests).items()
                        if key in MANAGER_FIGURES})
                say(f"{backend}: streaming whole CSVs")
                csv = stream_csvs(client, pid)
    return {"backend": backend, "latencies": latencies, "as_manager": managed, "csv": csv,
            "load_seconds": loaded.seconds, **load}


def stream_csvs(client: httpx.Client, pid: int | None) -> dict[str, dict[str, Any]]:
    """Each whole CSV twice: first as the page cache finds the database, then again.

    The first pass shows what a cold read costs (small VMs evict idle file pages
    within minutes: a cold pass over the 1M-statement table then reads gigabytes
    from disk), the second the server's own speed; the verdict is on the slower.
    """
    served = served_paths(client)
    found: dict[str, dict[str, Any]] = {}
    for name, path in CSV_EXPORTS:
        if path not in served:
            found[name] = {"missing": path}
            say(f"  CSV {name:12} missing: the server has no {path}")
            continue
        first = time_csv(client, path, pid)
        found[name] = figures = time_csv(client, path, pid) if "error" not in first else first
        if "error" in figures:
            say(f"  CSV {name:12} error: {figures['error']}")
            continue
        figures["first_pass"] = first
        say(f"  CSV {name:12} first pass {first['rows_per_s']:9,.0f} rows/s; again:")
        say(f"  CSV {name:12} {figures['rows']:>9,} rows in {figures['seconds']:6.1f} s = "
            f"{figures['rows_per_s']:9,.0f} rows/s ({figures['rows_per_server_cpu_s']:,.0f} "
            f"per server CPU s; it waited {figures['server_cpu_wait_s']:.1f} s for a CPU); "
            f"server RSS {figures['before_mib']:.0f} -> peak {figures['peak_mib']:.0f} MiB "
            f"(high-water {figures['high_water_mib']:.0f})")
    return found


@contextmanager
def _database_url(backend: str, sizes: data.Sizes, workdir: Path, pg_port: int, keep: bool
                  ) -> Iterator[tuple[str, data.Loaded]]:
    if backend == "sqlite":
        url, loaded = sqlite_database(sizes)
        assert loaded is not None
        yield url, loaded
        return
    with lrs_data.postgres_databases(pg_port, keep) as fresh:
        url = fresh("reports")
        yield url, _build(url, sizes)


# --- report --------------------------------------------------------------------------------

def verdicts(result: dict[str, Any]) -> list[str]:
    """The table: every figure against its target (a manager's figures too)."""
    lines = [f"\n{result['backend']} (tasks waited for a CPU {result['cpu_pressure_pct']:.0f} % "
             f"of the time; on a quiet machine ~0 %): figure | p50 ms | p95 ms | target | "
             f"verdict"]
    timed = [*result["latencies"].items(),
             *((f"{name} (manager)", figures) for name, figures in result["as_manager"].items())]
    for name, figures in timed:
        target = TARGET_REPORT_MS if name.startswith("report") else TARGET_LIST_MS
        if "p95_ms" not in figures:
            lines.append(f"{name} | | | <= {target:.0f} ms | {_unmeasured(figures)}")
            continue
        ok = figures["p95_ms"] <= target
        lines.append(f"{name} | {figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | "
                     f"<= {target:.0f} ms | {'PASS' if ok else 'FAIL'}")
    for name, figures in result["csv"].items():
        if "rows_per_s" not in figures:
            lines.append(f"CSV {name} | | | >= 50,000 rows/s | {_unmeasured(figures)}")
            continue
        ok = min(figures["rows_per_s"], figures["first_pass"]["rows_per_s"]) >= TARGET_CSV_ROWS
        lines.append(f"CSV {name}: {figures['rows']:,} rows in {figures['seconds']:.1f} s, "
                     f"{figures['rows_per_s']:,.0f} rows/s "
                     f"({figures['rows_per_server_cpu_s']:,.0f} per server CPU s; first pass "
                     f"{figures['first_pass']['rows_per_s']:,.0f} rows/s), server RSS "
                     f"{figures['before_mib']:.0f} -> {figures['peak_mib']:.0f} MiB"
                     f" | >= 50,000 rows/s | {'PASS' if ok else 'FAIL'}")
    return lines


def _unmeasured(figures: dict[str, Any]) -> str:
    return "MISSING" if "missing" in figures else f"ERROR ({figures['error'][:120]})"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    data.add_size_arguments(parser)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="requests per figure")
    parser.add_argument("--pg-port", type=int, default=54338, help="private PostgreSQL port")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = data.sizes_from(args)
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    started = time.perf_counter()
    results = [run_backend(name, sizes, args.requests, args.pg_port, args.keep)
               for name in backends]
    lines = [line for result in results for line in verdicts(result)]
    print("\n".join(lines))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"reports-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps({"sizes": dataclasses.asdict(sizes), "results": results,
                               "seconds": time.perf_counter() - started}, indent=2))
    say(f"written: {out}")


if __name__ == "__main__":
    main()
