"""Time as integer microseconds since the epoch, the unit every table stores."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_US = 86_400_000_000


def now_us() -> int:
    return time.time_ns() // 1000


def us_to_iso(us: int) -> str:
    """Render as RFC 3339 UTC with microseconds, e.g. ``2026-11-24T21:03:00.123456Z``.

    Arithmetic plus a cached date part rather than ``datetime.strftime``:
    CSV exports render millions of these.
    """
    day, rest = divmod(us, DAY_US)
    seconds, micros = divmod(rest, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{_date_of_day(day)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micros:06d}Z"


@functools.lru_cache(maxsize=4096)
def _date_of_day(day: int) -> str:
    return (EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")


def us_to_http_date(us: int) -> str:
    moment = EPOCH + timedelta(microseconds=us)
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def datetime_to_us(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
