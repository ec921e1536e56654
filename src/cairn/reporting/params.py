"""Query-string values the reporting routes share, read strictly.

A bad value is refused naming the parameter, so a BI tool's misconfigured
filter fails loudly instead of quietly returning everything.
"""

from __future__ import annotations

from datetime import date, datetime, time

from cairn.clock import datetime_to_us
from cairn.errors import InvalidInput

# Row counts such as ``offset`` must fit SQL's 64-bit integers (ids: cairn.ids).
ROW_COUNT_MAX = 2**63 - 1


def moment(value: str | None, name: str, *, end_of_day: bool = False) -> int | None:
    """An ISO 8601 date or date-time as microseconds (UTC unless an offset is given).

    A bare date means the start of that day, or with ``end_of_day`` the start
    of the next one, so ``until=2026-11-30`` includes all of the 30th.
    """
    if value is None or value == "":
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime.combine(day, time.min)
            us = datetime_to_us(start)
            return us + 86_400_000_000 if end_of_day else us
        return datetime_to_us(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError as exc:
        raise InvalidInput(f"{name}: {value!r} is not an ISO 8601 date or date-time") from exc


def one_of(value: str | None, name: str, allowed: tuple[str, ...]) -> str | None:
    """``value`` if it is one of ``allowed`` (None passes), else a clear refusal."""
    if value is None or value in allowed:
        return value
    raise InvalidInput(f"{name}: {value!r} is not one of {', '.join(allowed)}")
