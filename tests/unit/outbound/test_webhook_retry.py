"""The retry schedule: doubling waits with jitter, capped, ending at the window's close."""

from __future__ import annotations

import pytest

from cairn.outbound.retry import BACKOFF_CAP_US, after_failure, backoff_us

SECOND = 1_000_000
HOUR = 3600 * SECOND


@pytest.mark.parametrize(("attempts", "low", "high"), [
    (1, 5 * SECOND, 10 * SECOND), (2, 10 * SECOND, 20 * SECOND), (3, 20 * SECOND, 40 * SECOND),
    (13, 3 * HOUR, 6 * HOUR), (60, 3 * HOUR, 6 * HOUR)])
def test_waits_double_with_half_of_each_as_jitter(attempts: int, low: int, high: int) -> None:
    assert backoff_us(attempts, 0.0) == low
    assert backoff_us(attempts, 0.999999) <= high
    assert low < backoff_us(attempts, 0.5) < high


def test_waits_never_pass_the_cap() -> None:
    assert max(backoff_us(n, 0.999999) for n in range(1, 200)) <= BACKOFF_CAP_US


def test_the_last_retry_is_when_the_window_closes_and_then_it_fails() -> None:
    window = 72 * HOUR
    step = after_failure(attempts_made=40, now=window - SECOND, window_start_us=0,
                         max_age_us=window, rand=0.9)
    assert (step.status, step.next_attempt_us) == ("pending", window)
    final = after_failure(attempts_made=41, now=window, window_start_us=0,
                          max_age_us=window, rand=0.9)
    assert final.status == "failed"


def test_72_hours_take_about_thirty_attempts() -> None:
    now, attempts = 0, 1
    while True:
        step = after_failure(attempts_made=attempts, now=now, window_start_us=0,
                             max_age_us=72 * HOUR, rand=0.5)
        if step.status == "failed":
            break
        now, attempts = step.next_attempt_us, attempts + 1
    assert now == 72 * HOUR
    assert 20 <= attempts <= 35
