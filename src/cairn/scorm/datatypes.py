"""The value types of the SCORM data models, as checks the server runs on commits.

Each :class:`ValueType` answers one question, "what is wrong with this
value?", with a sentence or ``None``. The element tables in :mod:`cmi12` and
:mod:`cmi2004` give every element one of these; an empty string always means
"not set" and is never passed to a check (scorm-again commits every element,
set or not).

Where the browser-side API (scorm-again) deliberately relaxes a format of the
specification, these checks relax it the same way: a commit the learner's
browser already accepted must never be refused by the server, because a
refused commit is lost learner work. Each relaxation names itself below.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cairn.scorm import time

Problem = str | None


@dataclass(frozen=True)
class ValueType:
    """A named check: ``problem(value)`` is ``None`` when the value is acceptable."""

    name: str
    test: Callable[[str], Problem]

    def problem(self, value: str) -> Problem:
        return self.test(value)


def characters(name: str, max_length: int | None = None, *, why: str = "") -> ValueType:
    """Any characters; ``max_length`` only where a limit is enforced on purpose."""
    reason = f" ({why})" if why else ""

    def test(value: str) -> Problem:
        if max_length is not None and len(value) > max_length:
            return f"is {len(value):,} characters long; the limit is {max_length:,}{reason}"
        return None

    return ValueType(name, test)


def vocabulary(name: str, *words: str) -> ValueType:
    allowed = frozenset(words)
    listed = ", ".join(repr(word) for word in words)

    def test(value: str) -> Problem:
        return None if value in allowed else f"{value!r} is not one of {listed}"

    return ValueType(name, test)


def matching(name: str, pattern: str, expected: str) -> ValueType:
    compiled = re.compile(pattern)

    def test(value: str) -> Problem:
        return None if compiled.fullmatch(value) else f"{_clip(value)} is not {expected}"

    return ValueType(name, test)


_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"-?\d+")


def number(name: str, low: float | None = None, high: float | None = None, *,
           integer: bool = False) -> ValueType:
    """A decimal (or integer) within ``[low, high]`` when those are given."""
    shape = _INTEGER if integer else _DECIMAL
    kind = "an integer" if integer else "a decimal number"

    def test(value: str) -> Problem:
        if not shape.fullmatch(value):
            return f"{_clip(value)} is not {kind}"
        amount = as_decimal(value)
        if (low is not None and amount < Decimal(str(low))) or (
                high is not None and amount > Decimal(str(high))):
            return f"{value} is outside the range {_bound(low)}..{_bound(high)}"
        return None

    return ValueType(name, test)


def as_decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # guarded by the regular expressions above
        raise ValueError(f"{value!r} is not a number") from exc


def either(name: str, first: ValueType, second: ValueType) -> ValueType:
    """Accept what either type accepts (``result``: a vocabulary word or a number)."""

    def test(value: str) -> Problem:
        if first.problem(value) is None or second.problem(value) is None:
            return None
        return f"{_clip(value)} is neither {first.name} nor {second.name}"

    return ValueType(name, test)


def _bound(limit: float | None) -> str:
    if limit is None:
        return "any"
    return str(int(limit)) if float(limit).is_integer() else str(limit)


def _clip(value: str, width: int = 60) -> str:
    return repr(value if len(value) <= width else value[:width] + "...")


# --- time -----------------------------------------------------------------------------


def _parses(parse: Callable[[str], int], expected: str) -> Callable[[str], Problem]:
    def test(value: str) -> Problem:
        try:
            parse(value)
        except time.TimeFormatError:
            return f"{_clip(value)} is not {expected}"
        return None

    return test


TIMESPAN_12 = ValueType("CMITimespan", _parses(time.parse_timespan, "a timespan HHHH:MM:SS.SS"))
DURATION_2004 = ValueType("timeinterval",
                          _parses(time.parse_duration, "an ISO 8601 duration like PT1H5M"))
TIME_OF_DAY_12 = ValueType("CMITime", lambda value: None if time.is_time_of_day(value)
                           else f"{_clip(value)} is not a time of day HH:MM:SS")
TIMESTAMP_2004 = ValueType("time", lambda value: None if time.is_timestamp(value)
                           else f"{_clip(value)} is not an ISO 8601 timestamp (1970 or later)")


# --- identifiers and strings ----------------------------------------------------------

# SCORM 1.2 CMIIdentifier is letters, digits, '-' and '_' (RTE 3.4.2.1.1); real
# content uses spaces and punctuation, which scorm-again accepts, so printable
# ASCII and blanks are allowed here too.
IDENTIFIER_12 = matching("CMIIdentifier", r"[\x21-\x7e\s]{0,255}",
                         "an identifier of printable ASCII, 255 characters at most")

_NO_BLANKS = re.compile(r"\S+")


def long_identifier(name: str, max_length: int) -> ValueType:
    """2004 ``long_identifier_type`` / ``short_identifier_type``: a URI, no blanks.

    The SPM is a floor the LMS must store, not a limit it must enforce (RTE
    4.1.1), but identifiers are keys; they are capped at their SPM as
    scorm-again caps them.
    """

    def test(value: str) -> Problem:
        if len(value) > max_length:
            return f"is {len(value):,} characters long; identifiers are {max_length:,} at most"
        if not _NO_BLANKS.fullmatch(value):
            return f"{_clip(value)} is not a URI (identifiers contain no blanks)"
        return None

    return ValueType(name, test)


LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{1,8}|i|x)(?:-[A-Za-z0-9]{1,8})*")
_LOCALIZED = re.compile(r"\{lang=([^}]*)\}(.*)", re.DOTALL)

LANGUAGE = ValueType("language_type", lambda value: None if LANGUAGE_TAG.fullmatch(value)
                     else f"{_clip(value)} is not a language tag such as en-US")


def localized_problem(value: str) -> Problem:
    """2004 ``localized_string_type``: an optional ``{lang=xx}`` prefix, then text."""
    match = _LOCALIZED.match(value)
    if match and match.group(1) and not LANGUAGE_TAG.fullmatch(match.group(1)):
        return f"{_clip(value)} starts with an invalid language tag {match.group(1)!r}"
    return None


LOCALIZED = ValueType("localized_string_type", localized_problem)
