"""Time as integer microseconds since the epoch, the unit every table stores."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def now_us() -> int:
    return time.time_ns() // 1000


def us_to_iso(us: int) -> str:
    """Render as RFC 3339 UTC with microseconds, e.g. ``2026-11-24T21:03:00.123456Z``."""
    moment = EPOCH + timedelta(microseconds=us)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def us_to_http_date(us: int) -> str:
    moment = EPOCH + timedelta(microseconds=us)
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def datetime_to_us(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
