"""Outbound test support: a real HTTP receiver, a second real Cairn, a clock tests move.

The receiver records requests and answers as told: it can be started late (a
receiver that is "down" first), answer a scripted sequence of status codes,
and stall requests until released (to kill a worker mid-delivery or to make it
time out).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson

from cairn.db.engine import Database
from cairn.outbound.delivery import DeliveryJob


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    def json(self) -> Any:
        return orjson.loads(self.body)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Receiver:
    """Answers ``script`` statuses in turn, then ``default_status``; records everything."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.script: list[int] = []
        self.default_status = 200
        self.answer_body = b'{"ok":true}'
        self.released = threading.Event()
        self.released.set()
        self.respond: Callable[[bytes], int | None] | None = None
        self._lock = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                status = receiver._next_status(body)
                record = Received(self.path, dict(self.headers.items()), body, status)
                with receiver._lock:
                    receiver.received.append(record)
                    receiver._lock.notify_all()
                receiver.released.wait(timeout=60)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(receiver.answer_body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(receiver.answer_body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def _next_status(self, body: bytes) -> int:
        with self._lock:
            chosen = self.respond(body) if self.respond is not None else None
            if chosen is not None:
                return chosen
            return self.script.pop(0) if self.script else self.default_status

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"received {len(self.received)} of {count} requests")
                self._lock.wait(left)
            return list(self.received)

    def stop(self) -> None:
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class Clock:
    """Microseconds that only move when a test moves them."""

    def __init__(self, start_us: int) -> None:
        self.now = start_us

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * 1_000_000)


def run_until_idle(job: DeliveryJob, database: Database, *, rounds: int = 1000) -> int:
    """Run rounds until one attempts nothing; return how many deliveries were attempted."""
    total = 0
    for _ in range(rounds):
        done = job(database)
        if done == 0:
            return total
        total += done
    raise AssertionError("the job never went idle")


@dataclass(frozen=True)
class CairnServer:
    """A second, real Cairn (``cairn serve`` in its own process, on its own SQLite file)."""

    url: str
    key: str
    secret: str


@contextlib.contextmanager
def cairn_server(workdir: Path) -> Iterator[CairnServer]:
    port = free_port()
    env = {**os.environ, "CAIRN_DATABASE_URL": f"sqlite:///{workdir / 'second.db'}",
           "CAIRN_DATA_DIR": str(workdir / "second-data"), "CAIRN_LOG_LEVEL": "warning"}
    subprocess.run([sys.executable, "-m", "cairn", "credentials", "create", "--name", "forwarder",
                    "--key", "forwarder", "--secret", "forwarder-secret-0123"],
                   env=env, check=True, capture_output=True, timeout=120)
    log = (workdir / "second.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cairn", "serve", "--port", str(port), "--no-worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the second cairn serve did not start")
            time.sleep(0.2)
        yield CairnServer(url=url, key="forwarder", secret="forwarder-secret-0123")
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
