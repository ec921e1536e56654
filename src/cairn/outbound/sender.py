"""One HTTP POST to a receiver, reduced to what the attempt log keeps.

Network failures are answers too (``error`` set, no status code): the caller
decides about retries. The response body is read only up to a cap, and only
while the attempt's deadline lasts, so a receiver cannot make a worker
download a large or endless answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_BYTES = 1024


@dataclass(frozen=True)
class Answer:
    """The outcome of one attempt as the log records it."""

    status_code: int | None
    latency_ms: int
    excerpt: str
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status_code is not None \
            and 200 <= self.status_code < 300


def post(client: httpx.Client, url: str, *, body: bytes, headers: dict[str, str],
         timeout: float, auth: httpx.Auth | None = None) -> Answer:
    started = time.perf_counter()
    deadline = started + timeout
    try:
        with client.stream("POST", url, content=body, headers=headers, auth=auth,
                           timeout=httpx.Timeout(timeout)) as response:
            head = _read_capped(response, deadline)
            status: int | None = response.status_code
            error: str | None = None
    except httpx.TimeoutException:
        status, head, error = None, b"", f"timed out after {timeout:g} s"
    except httpx.HTTPError as exc:
        status, head, error = None, b"", f"{type(exc).__name__}: {exc}"[:1000]
    latency_ms = int((time.perf_counter() - started) * 1000)
    excerpt = head[:EXCERPT_BYTES].decode("utf-8", errors="replace")
    return Answer(status_code=status, latency_ms=latency_ms, excerpt=excerpt, error=error)


def _read_capped(response: httpx.Response, deadline: float) -> bytes:
    """Read at most MAX_RESPONSE_BYTES, stopping at the deadline; the rest is dropped."""
    received = bytearray()
    for chunk in response.iter_bytes():
        received += chunk
        if len(received) >= MAX_RESPONSE_BYTES or time.perf_counter() > deadline:
            break
    return bytes(received[:MAX_RESPONSE_BYTES])
