"""SCORM runtime benchmark: many learners committing at once through real HTTP.

A fresh database (SQLite by default, or PostgreSQL) gets Cairn's SCORM 2004
demo lesson; a real ``cairn serve`` runs; N learners (200) are launched
through ``POST /api/v1/launches`` and ``GET /play/{token}``, then all commit
at the same time, each as scorm-again would: several progress commits
(location, 4 KB of suspend data, session time), then a quiz commit with three
interactions and a score, then the terminate commit (``text/plain``, as
sendBeacon sends it). Every commit is validated, stored with its rows,
turned into events, mirrored as xAPI statements -- the full path.

Two phases, each with its own 200 learners:

1. *paced*: every learner commits every ``--pace`` seconds on average (a page
   turn, an answer; scorm-again's autocommit is 30 s), starting at random
   within the first period -- commit latency p50/p95/p99 is what a learner
   waits (target p95 <= 30 ms on SQLite);
2. *saturated*: every learner commits back to back, no pause -- commits per
   second is what the server sustains, and the latency shows the queue.

Why: a class of 200 in the same lesson at 9:00 is the load an embedded
Cairn must take without learners waiting on their commits.

    python bench/runtime.py [--backend sqlite|postgres] [--learners 200] [--commits 8]
                            [--pace 3.0]

It binds 127.0.0.1 only, stops its server on exit, and writes
var/bench/runtime-<timestamp>.json. PostgreSQL comes from
``scripts/postgres.sh`` on a port of its own (--pg-port).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson

from cairn.demo import build_package

ROOT = Path(__file__).resolve().parent.parent
CAIRN = str(ROOT / ".venv" / "bin" / "cairn")
HOST = "127.0.0.1"
CONFIG = re.compile(r'id="cairn-player-config">(.*?)</script>', re.DOTALL)
TARGET_P95_MS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def env_for(url: str, workdir: Path) -> dict[str, str]:
    return {**os.environ, "CAIRN_DATABASE_URL": url, "CAIRN_DATA_DIR": str(workdir / "data"),
            "CAIRN_LOG_LEVEL": "warning", "CAIRN_ENV": "development"}


def prepare(url: str, workdir: Path) -> str:
    """Migrate, import the demo's SCORM 2004 lesson, return an admin token."""
    env = env_for(url, workdir)
    archive = build_package("scorm2004", workdir)
    subprocess.run([CAIRN, "import", str(archive)], env=env, check=True, capture_output=True,
                   timeout=300)
    made = subprocess.run([CAIRN, "tokens", "create", "--name", "bench", "--role", "admin"],
                          env=env, check=True, capture_output=True, text=True, timeout=120)
    return made.stdout.split("token:", 1)[1].strip()


@contextmanager
def server(url: str, workdir: Path) -> Iterator[str]:
    port = free_port()
    log = (workdir / "serve.log").open("wb")
    proc = subprocess.Popen([CAIRN, "serve", "--no-worker", "--host", HOST, "--port", str(port)],
                            env=env_for(url, workdir), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((workdir / "serve.log").read_text()[-2000:])
            try:
                if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch_all(base: str, token: str, learners: int, prefix: str) -> list[str]:
    """Launch every learner and open their player page; return their commit URLs."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=60) as client:
        courses = client.get("/api/v1/courses", headers=headers).json()["courses"]
        course = courses[0]["id"]
        urls = []
        for number in range(learners):
            launched = client.post("/api/v1/launches", headers=headers, json={
                "learner": f"{prefix}-{number:04d}", "course": course})
            launched.raise_for_status()
            page = client.get(launched.json()["launch_url"].replace(base, ""))
            page.raise_for_status()
            found = CONFIG.search(page.text)
            assert found is not None
            urls.append(json.loads(found.group(1).replace("<\\/", "</"))["commit_url"])
    return urls


def bodies(learner: int, commits: int) -> list[tuple[bytes, bool]]:
    """What one learner's scorm-again commits: progress, a quiz, then Terminate."""
    suspend = ("state-" + str(learner) + "-") * 400
    sent: list[tuple[bytes, bool]] = []
    for step in range(commits):
        cmi: dict[str, Any] = {"location": str(step), "completion_status": "incomplete",
                               "suspend_data": suspend[: 4000], "progress_measure": "0.5",
                               "session_time": f"PT{step * 7}S", "exit": "suspend"}
        sent.append((orjson.dumps({"cmi": cmi}), False))
    quiz = {"completion_status": "completed", "success_status": "passed",
            "score": {"scaled": "0.9", "raw": "90", "min": "0", "max": "100"},
            "interactions": {str(n): {"id": f"q{n}", "type": "choice", "learner_response": "b",
                                      "correct_responses": {"0": {"pattern": "b"}},
                                      "result": "correct", "latency": "PT5S"}
                             for n in range(3)},
            "session_time": f"PT{commits * 7}S", "exit": "normal"}
    sent.append((orjson.dumps({"cmi": quiz}), False))
    sent.append((orjson.dumps({"cmi": {"session_time": f"PT{commits * 7 + 3}S"}}), True))
    return sent


def run(base: str, urls: list[str], commits: int, pace: float) -> dict[str, Any]:
    """Every learner's commits from its own thread; ``pace`` 0 means back to back."""
    latencies: list[float] = []
    lock = threading.Lock()
    start_line = threading.Barrier(len(urls))
    chance = random.Random(7)
    pauses = [[chance.uniform(0.5, 1.5) * pace for _ in range(commits + 3)] for _ in urls]

    def learner(index: int) -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base, timeout=120) as client:
            start_line.wait()
            time.sleep(chance.uniform(0, pace) if pace else 0)
            for step, (body, terminate) in enumerate(bodies(index, commits)):
                if pace and step:
                    time.sleep(pauses[index][step])
                url = urls[index] + ("?terminate=true" if terminate else "")
                kind = "text/plain;charset=UTF-8" if terminate else "application/json"
                began = time.perf_counter()
                answer = client.post(url, content=body, headers={"Content-Type": kind})
                mine.append((time.perf_counter() - began) * 1000)
                if answer.status_code != 200:
                    raise RuntimeError(f"commit answered {answer.status_code}: {answer.text}")
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        for done in [pool.submit(learner, index) for index in range(len(urls))]:
            done.result()
    seconds = time.perf_counter() - began
    ordered = sorted(latencies)
    return {"commits": len(ordered), "seconds": round(seconds, 2),
            "commits_per_s": round(len(ordered) / seconds, 1),
            "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2),
            "max_ms": round(ordered[-1], 2)}


def database_url(backend: str, workdir: Path, pg_port: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'cairn.db'}"
    env = {**os.environ, "CAIRN_TEST_PG_PORT": str(pg_port),
           "CAIRN_TEST_PG_DIR": str(workdir / "pg")}
    return subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "start"], env=env,
                          check=True, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--commits", type=int, default=8,
                        help="progress commits per learner (plus a quiz and a terminate)")
    parser.add_argument("--pace", type=float, default=3.0,
                        help="mean seconds between one learner's commits in the paced phase")
    parser.add_argument("--pg-port", type=int, default=54377)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cairn-bench-runtime-") as folder:
        workdir = Path(folder)
        url = database_url(options.backend, workdir, options.pg_port)
        token = prepare(url, workdir)
        with server(url, workdir) as base:
            paced = run(base, launch_all(base, token, options.learners, "paced"),
                        options.commits, options.pace)
            saturated = run(base, launch_all(base, token, options.learners, "saturated"),
                            options.commits, 0)
    report = {"backend": options.backend, "learners": options.learners,
              "commits_per_learner": options.commits + 2, "pace_s": options.pace,
              "paced": paced, "saturated": saturated, "target_p95_ms": TARGET_P95_MS,
              "meets_target": paced["p95_ms"] <= TARGET_P95_MS,
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()}}
    out = ROOT / "var" / "bench" / f"runtime-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
