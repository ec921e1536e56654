"""Pausing Python's cycle collector while a report folds a large result.

A report that fetches 10^5 rows allocates that many tuples, all acyclic and all
freed by reference counting. The cycle collector cannot know that: it is
triggered every few hundred allocations and, as the surviving rows are
promoted, traces the whole heap again and again. Measured on the
learner-progress report (57,000 attempts) that was a quarter to a half of the
request's time, and most of its variance. Pausing it for the fold and
resuming afterwards (whatever happens) collects any cycles a moment later.

The collector is process-wide and requests run on several threads, so pauses
are counted: the collector resumes when the last one ends, and only if it was
running when the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cycle collector paused (nested and concurrent uses are fine)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
