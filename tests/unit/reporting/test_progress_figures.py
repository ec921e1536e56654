"""The progress figures computed over columns match a plain per-attempt computation."""

from __future__ import annotations

import gc
import random
import statistics
import threading
from typing import Any

import pytest

from cairn.reporting.gc_pause import collector_paused
from cairn.reporting.progress.figures import (
    figures,
    one_attempt,
    percentile,
    picker,
    time_on_task,
    whole,
)


def _columns(count: int, seed: int) -> dict[str, list[Any]]:
    chance = random.Random(seed)
    return {
        "learner_id": [chance.randint(1, 5) for _ in range(count)],
        "session_count": [chance.randint(1, 4) for _ in range(count)],
        "completed": [chance.randint(0, 1) for _ in range(count)],
        "verdict": [chance.choice((-1, 0, 1)) for _ in range(count)],
        "score": [chance.choice((None, chance.random())) for _ in range(count)],
        "total_time_cs": [chance.choice((0, 30_000, 29_999, 90_000, chance.randint(0, 10**6)))
                          for _ in range(count)],
        "started_us": [chance.randint(0, 10**15) for _ in range(count)],
        "updated_us": [chance.randint(10**15, 2 * 10**15) for _ in range(count)],
    }


def _reference_bucket(seconds: float) -> str:
    for bound, name in ((300, "under_5m"), (900, "5m_15m"), (1800, "15m_30m"),
                        (3600, "30m_1h"), (7200, "1h_2h")):
        if seconds < bound:
            return name
    return "over_2h"


@pytest.mark.parametrize(("count", "seed"), [(1, 1), (2, 2), (7, 3), (250, 4)])
def test_group_figures_match_a_per_attempt_computation(count: int, seed: int) -> None:
    columns = _columns(count + 5, seed)
    positions = sorted(random.Random(seed).sample(range(count + 5), count))
    got = figures(columns, picker(positions))
    rows = [{name: values[at] for name, values in columns.items()} for at in positions]
    scores = sorted(row["score"] for row in rows if row["score"] is not None)
    seconds = sorted(row["total_time_cs"] / 100 for row in rows)
    passed = sum(row["verdict"] == 1 for row in rows)
    failed = sum(row["verdict"] == -1 for row in rows)
    assert got["learners"] == len({row["learner_id"] for row in rows})
    assert (got["attempts"], got["sessions"], got["completed"], got["passed"],
            got["failed"]) == (count, sum(row["session_count"] for row in rows),
                               sum(row["completed"] for row in rows), passed, failed)
    assert got["pass_rate"] == (passed / (passed + failed) if passed + failed else None)
    assert got["scored"] == len(scores)
    assert got["median_score"] == (pytest.approx(statistics.median(scores)) if scores else None)
    time = got["time_on_task_seconds"]
    assert time["total"] == pytest.approx(sum(seconds))
    assert (time["min"], time["max"]) == (seconds[0], seconds[-1])
    assert time["median"] == pytest.approx(statistics.median(seconds))
    # statistics.quantiles' "inclusive" method is the spreadsheet's PERCENTILE.INC.
    if count > 1:
        quartiles = statistics.quantiles(seconds, n=4, method="inclusive")
        assert (time["p25"], time["p75"]) == (pytest.approx(quartiles[0]),
                                              pytest.approx(quartiles[2]))
        assert time["p90"] == pytest.approx(
            statistics.quantiles(seconds, n=10, method="inclusive")[8])
    expected_buckets = dict.fromkeys(time["buckets"], 0)
    for value in seconds:
        expected_buckets[_reference_bucket(value)] += 1
    assert time["buckets"] == expected_buckets
    assert got["first_activity"] is not None and got["last_activity"] is not None


def test_a_group_of_one_attempt_has_the_same_figures_by_the_short_way() -> None:
    columns = _columns(300, 11)
    columns["score"][0], columns["verdict"][0] = 0, 1  # an int score, a pass
    columns["total_time_cs"][1:4] = [29_999, 30_000, 720_000]  # on and around bounds
    for at in range(300):
        short, long = one_attempt(columns, at), figures(columns, picker([at]))
        assert short == long, at
        assert [type(value) for value in short.values()] == \
            [type(value) for value in long.values()], at


def test_totals_over_no_attempts_are_empty() -> None:
    empty: dict[str, list[Any]] = {name: [] for name in _columns(0, 0)}
    got = figures(empty, whole)
    assert (got["attempts"], got["completion_rate"], got["pass_rate"], got["median_score"],
            got["first_activity"]) == (0, None, None, None, None)
    assert got["time_on_task_seconds"]["total"] == 0.0
    assert set(got["time_on_task_seconds"]["buckets"].values()) == {0}


def test_time_exactly_on_a_bound_opens_the_next_bucket() -> None:
    assert time_on_task([29_999, 30_000])["buckets"]["under_5m"] == 1
    assert time_on_task([30_000])["buckets"]["5m_15m"] == 1
    assert time_on_task([720_000])["buckets"]["over_2h"] == 1


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.9) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.25) == 1.75
    assert percentile([10.0, 20.0], 0.9) == pytest.approx(19.0)


def test_collector_pauses_nest_and_resume() -> None:
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("report failed")
    assert gc.isenabled()


def test_collector_stays_off_if_it_was_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_on_threads_resume_once_the_last_ends() -> None:
    inside, release = threading.Event(), threading.Event()

    def long_report() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=long_report)
    worker.start()
    inside.wait(5)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's report still runs
    release.set()
    worker.join()
    assert gc.isenabled()
