"""Housekeeping jobs run at most every so often while idle, at once while catching up."""

from __future__ import annotations

from typing import Any

from cairn.worker.runner import HOUSEKEEPING_SECONDS, Periodic, default_jobs


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_idle_job_waits_its_period_and_a_busy_one_runs_again_at_once() -> None:
    clock, results, calls = _Clock(), [0, 0, 5000, 300, 0, 0], []

    def purge(database: Any) -> int:
        calls.append(clock.now)
        return results[len(calls) - 1]

    job = Periodic(purge, 60, clock=clock)
    assert job(None) == 0  # runs: nothing to do
    clock.now += 59
    assert job(None) == 0 and len(calls) == 1  # within the period: skipped
    clock.now += 1
    assert job(None) == 0 and len(calls) == 2
    clock.now += 60
    assert job(None) == 5000  # found work...
    assert job(None) == 300  # ...so the next round runs at once
    assert job(None) == 0 and len(calls) == 5
    assert job(None) == 0 and len(calls) == 5  # idle again: waits
    assert job.__name__ == "purge"


def test_housekeeping_is_periodic_and_deliveries_are_not() -> None:
    jobs = default_jobs()
    assert not isinstance(jobs[0], Periodic)
    assert [job.seconds for job in jobs[1:] if isinstance(job, Periodic)] == \
        [HOUSEKEEPING_SECONDS] * 3
