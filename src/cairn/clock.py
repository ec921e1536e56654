"""Time as integer microseconds since the epoch, the unit every table stores."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HOUR_US = 3_600_000_000
DAY_US = 24 * HOUR_US


def now_us() -> int:
    return time.time_ns() // 1000


def us_to_iso(us: int) -> str:
    """Render as RFC 3339 UTC with microseconds, e.g. ``2026-11-24T21:03:00.123456Z``.

    Arithmetic, a cached date part and tables of the clock's minutes and seconds
    rather than ``datetime.strftime`` or per-field formatting: CSV exports render
    millions of these.
    """
    day, rest = divmod(us, DAY_US)
    seconds, micros = divmod(rest, 1_000_000)
    minutes, second = divmod(seconds, 60)
    return f"{_date_of_day(day)}T{_CLOCK_MINUTES[minutes]}{_CLOCK_SECONDS[second]}{micros:06d}Z"


_CLOCK_MINUTES = tuple(f"{hour:02d}:{minute:02d}:" for hour in range(24) for minute in range(60))
_CLOCK_SECONDS = tuple(f"{second:02d}." for second in range(60))


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
