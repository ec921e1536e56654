"""SCORM time values: parsing, formatting and the server-side total_time sum.

Both SCORM versions count time in centiseconds (1.2 CMITimespan
``HHHH:MM:SS.SS``, RTE 3.4.2.1.9; 2004 ``timeinterval (second,10,2)``, an
ISO 8601 duration, RTE 4.1.2), so Cairn stores every duration as an integer
number of centiseconds and renders it back in the version's own format.

``cmi.total_time`` is never taken from the content: the server adds the
session's latest ``session_time`` to the total the attempt had when the
session opened (:func:`accumulate`). Content cannot inflate or reset it.

The parsers accept what scorm-again (the API in Cairn's player) accepts, so a
value the learner's browser took is never refused by the server: 1.2 hours of
any number of digits, 2004 week and fractional designators.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Literal

ScormVersion = Literal["1.2", "2004"]

CENTISECONDS_PER = {"S": 100, "M": 6_000, "H": 360_000, "D": 8_640_000}
# ISO 8601 leaves years and months nominal; SCORM sums them, so a fixed length
# is needed. These are the lengths ADL's sample LMS and scorm-again use.
DATE_UNITS = {"Y": 365 * 8_640_000, "M": 30 * 8_640_000, "W": 7 * 8_640_000,
              "D": 8_640_000}

_TIMESPAN_12 = re.compile(r"(\d+):(\d{2}):(\d{2})(?:\.(\d{1,2}))?")
_TIME_OF_DAY_12 = re.compile(r"([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.\d{1,2})?")
_NUMBER = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"P(?:(?P<Y>{_NUMBER})Y)?(?:(?P<MO>{_NUMBER})M)?(?:(?P<W>{_NUMBER})W)?"
    rf"(?:(?P<D>{_NUMBER})D)?"
    rf"(?:T(?:(?P<H>{_NUMBER})H)?(?:(?P<MI>{_NUMBER})M)?(?:(?P<S>{_NUMBER})S)?)?")
_TIMESTAMP = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d{1,6})?"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?)?)?")


class TimeFormatError(ValueError):
    """A duration or timestamp that does not follow the SCORM format."""


# --- SCORM 1.2 ------------------------------------------------------------------------


def parse_timespan(text: str) -> int:
    """``HHHH:MM:SS.SS`` -> centiseconds (1.2 CMITimespan)."""
    match = _TIMESPAN_12.fullmatch(text)
    if match is None:
        raise TimeFormatError(f"{text!r} is not a SCORM 1.2 timespan (HHHH:MM:SS.SS)")
    hours, minutes, seconds, fraction = match.groups()
    centis = int((fraction or "0").ljust(2, "0"))
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 100 + centis


def format_timespan(centiseconds: int) -> str:
    """Centiseconds -> ``HHHH:MM:SS.SS``, hours padded to the four digits of the spec."""
    seconds, centis = divmod(max(centiseconds, 0), 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:04d}:{minutes:02d}:{seconds:02d}.{centis:02d}"


def is_time_of_day(text: str) -> bool:
    """1.2 CMITime ``HH:MM:SS[.SS]`` (``cmi.interactions.n.time``)."""
    return _TIME_OF_DAY_12.fullmatch(text) is not None


# --- SCORM 2004 -----------------------------------------------------------------------


def parse_duration(text: str) -> int:
    """An ISO 8601 duration (``P1DT2H3M4.5S``) -> centiseconds, rounded down."""
    match = _DURATION.fullmatch(text)
    parts = match.groupdict() if match else {}
    given = {key: value for key, value in parts.items() if value is not None}
    if match is None or not given or (text.find("T") >= 0 and not given.keys() & {"H", "MI", "S"}):
        raise TimeFormatError(f"{text!r} is not an ISO 8601 duration such as PT1H30M5.25S")
    total = Fraction(0)
    for key, value in given.items():
        total += Fraction(value.replace(",", ".")) * _unit(key)
    return int(total)


def _unit(key: str) -> int:
    return {"Y": DATE_UNITS["Y"], "MO": DATE_UNITS["M"], "W": DATE_UNITS["W"],
            "D": DATE_UNITS["D"], "H": CENTISECONDS_PER["H"], "MI": CENTISECONDS_PER["M"],
            "S": CENTISECONDS_PER["S"]}[key]


def format_duration(centiseconds: int) -> str:
    """Centiseconds -> the shortest ISO 8601 duration (``P1DT2H20S``; zero is ``PT0H0M0S``).

    Days are used past 24 hours; years and months never, as their length is
    nominal. The zero form is the one ADL's conformance suite expects.
    """
    remaining = max(centiseconds, 0)
    if remaining == 0:
        return "PT0H0M0S"
    days, remaining = divmod(remaining, CENTISECONDS_PER["D"])
    hours, remaining = divmod(remaining, CENTISECONDS_PER["H"])
    minutes, remaining = divmod(remaining, CENTISECONDS_PER["M"])
    seconds, centis = divmod(remaining, 100)
    date = f"{days}D" if days else ""
    clock = "".join(f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount)
    if seconds or centis:
        clock += f"{seconds}.{centis:02d}".rstrip("0").rstrip(".") + "S"
    return "P" + date + ("T" + clock if clock else "")


def is_timestamp(text: str) -> bool:
    """2004 ``time (second,10,0)``: ``YYYY[-MM[-DD[Thh[:mm[:ss[.s][TZD]]]]]]``, year 1970+."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None or int(match["year"]) < 1970:
        return False
    limits = {"month": (1, 12), "day": (1, 31), "hour": (0, 23), "minute": (0, 59),
              "second": (0, 59)}
    return all(match[name] is None or low <= int(match[name]) <= high
               for name, (low, high) in limits.items())


# --- both -----------------------------------------------------------------------------


def parse(version: ScormVersion, text: str) -> int:
    """A session or total time in the version's format -> centiseconds."""
    return parse_timespan(text) if version == "1.2" else parse_duration(text)


def render(version: ScormVersion, centiseconds: int) -> str:
    return format_timespan(centiseconds) if version == "1.2" else format_duration(centiseconds)


def accumulate(version: ScormVersion, prior_total: int, session_time: str) -> int:
    """The attempt's total time after this session, in centiseconds.

    ``prior_total`` is what the attempt had when the session opened; each
    commit carries the session's running ``session_time`` (the latest one
    wins, RTE 4.1.2), so adding it to the prior total -- never to the total of
    the previous commit -- keeps repeated commits from counting time twice.
    An empty session_time (content that never reports time) adds nothing.
    """
    if not session_time:
        return prior_total
    return prior_total + parse(version, session_time)


def to_seconds(centiseconds: int) -> float:
    return centiseconds / 100
