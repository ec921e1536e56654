"""When to try again: exponential backoff with jitter inside a retry window.

The first retry comes 5-10 s after a failure, each later one waits twice as
long (capped at six hours: about 28 attempts in 72 hours), and a random half
of every wait is jitter so a receiver coming back up is not hit by every
pending event at the same instant. The last attempt happens when the window
(``CAIRN_WEBHOOK_MAX_AGE_HOURS``) closes; a failure then is final.
"""

from __future__ import annotations

from dataclasses import dataclass

from cairn.outbound.store import FAILED, PENDING

SECOND_US = 1_000_000
BACKOFF_BASE_US = 10 * SECOND_US
BACKOFF_CAP_US = 6 * 3600 * SECOND_US


def backoff_us(attempts_made: int, rand: float) -> int:
    """Wait after the ``attempts_made``-th failed attempt; ``rand`` is uniform in [0, 1)."""
    doublings: int = min(max(attempts_made - 1, 0), 20)
    ceiling = min(BACKOFF_CAP_US, BACKOFF_BASE_US * (1 << doublings))
    return ceiling // 2 + int(ceiling // 2 * rand)


@dataclass(frozen=True)
class Step:
    """What becomes of a delivery after a failed attempt."""

    status: str
    next_attempt_us: int


def after_failure(*, attempts_made: int, now: int, window_start_us: int, max_age_us: int,
                  rand: float) -> Step:
    deadline = window_start_us + max_age_us
    if now >= deadline:
        return Step(FAILED, now)
    return Step(PENDING, min(now + backoff_us(attempts_made, rand), deadline))
