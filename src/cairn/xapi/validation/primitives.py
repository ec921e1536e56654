"""Checks for the xAPI value types every part of a statement shares (Data 2.2, 4.x).

The LRS validates each statement it receives, thousands a second, so every
format below is a regular expression compiled once at import, and the few
checks that need real parsing (language tags) are cached. Each check raises
:class:`~cairn.errors.InvalidInput` whose message starts with the JSON path of
the offending value: the client learns exactly which property to fix.

Objects are checked against a table of property -> checker. A key missing from
the table is rejected (Data 2.2.s4.b1.b5/b7: unknown keys and keys in the
wrong case), and so is a null value (2.2.s4.b1.b1); extension values are never
looked at, since they are the one place where null is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, NoReturn

from cairn.errors import InvalidInput

Checker = Callable[[Any, str], None]
"""Checks one JSON value found at a path; raises InvalidInput, returns nothing."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def fail(path: str, problem: str) -> NoReturn:
    """Reject the value at ``path``; every violation ends here."""
    raise InvalidInput(f"{path}: {problem}", details={"path": path})


def key_path(path: str, key: object) -> str:
    """Path of a member, quoting keys (IRIs, language tags) that are not plain names."""
    key = str(key)
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'{path}["{escaped}"]'


# --- JSON types -----------------------------------------------------------------------


def expect_object(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail(path, "must be a JSON object")
    return value


def expect_array(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        fail(path, "must be an array")
    return value


def validate_string(value: object, path: str) -> None:
    if not isinstance(value, str):
        fail(path, "must be a string")


def validate_boolean(value: object, path: str) -> None:
    if not isinstance(value, bool):
        fail(path, "must be a boolean (true or false), not a string or number")


def expect_number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        fail(path, "must be a finite number")
    return value


def validate_number(value: object, path: str) -> None:
    expect_number(value, path)


def validate_non_negative_integer(value: object, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        fail(path, "must be an integer")
    if value < 0:
        fail(path, "must not be negative")


def check_properties(obj: dict[str, Any], path: str, checkers: Mapping[str, Checker]) -> None:
    """Run the checker of every property; reject unknown keys and null values."""
    for key, item in obj.items():
        checker = checkers.get(key)
        if checker is None:
            _reject_unknown(key, path, checkers)
        if item is None:
            fail(f"{path}.{key}", "must not be null")
        checker(item, f"{path}.{key}")


def _reject_unknown(key: str, path: str, checkers: Mapping[str, Checker]) -> NoReturn:
    lowered = key.lower()
    for known in checkers:
        if known.lower() == lowered:
            fail(
                key_path(path, key),
                f"is not an allowed property (did you mean '{known}'?"
                " property names are case-sensitive)",
            )
    fail(key_path(path, key), "is not an allowed property")


def require(obj: dict[str, Any], path: str, names: tuple[str, ...]) -> None:
    for name in names:
        if name not in obj:
            fail(f"{path}.{name}", "is required")


def constant(expected: str) -> Checker:
    """Checker for a property whose only allowed value is ``expected`` (exact case)."""

    def check(value: object, path: str) -> None:
        if value != expected:
            fail(path, f"must be '{expected}'")

    return check


def forbidden(problem: str) -> Checker:
    """Checker for a property that is known but not allowed in this place."""

    def check(value: object, path: str) -> None:
        fail(path, problem)

    return check


# --- IRIs, IRLs, e-mail (Data 2.2.s4.b1.b8, 3.1, 4.3) ---------------------------------

# An absolute IRI: a scheme, then characters RFC 3987 allows (no whitespace,
# controls or the excluded ASCII <>"{}|\^`), with well-formed %-escapes.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[^\s\x00-\x1f\x7f<>\"{}|\\^`%]|%[0-9A-Fa-f]{2})+")
_MBOX = re.compile(r"(?i:mailto):[^@\s?<>\"]+@[^@\s?<>\",/]+")
_SHA1 = re.compile(r"[0-9A-Fa-f]{40}")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def validate_iri(value: object, path: str) -> None:
    """An absolute IRI: the LRS must reject IRIs without a scheme (Data 2.2.s4.b1.b8)."""
    if not isinstance(value, str) or not _IRI.fullmatch(value):
        fail(path, "must be an absolute IRI (with a scheme, e.g. 'http://...')")


def validate_irl(value: object, path: str) -> None:
    """An IRL is an IRI that can be resolved; syntactically we check it the same way."""
    if not isinstance(value, str) or not _IRI.fullmatch(value):
        fail(path, "must be an absolute IRL (with a scheme, e.g. 'http://...')")


def validate_mbox(value: object, path: str) -> None:
    if not isinstance(value, str) or not _MBOX.fullmatch(value):
        fail(path, "must be a 'mailto:' IRI holding one e-mail address")


def validate_sha1_hex(value: object, path: str) -> None:
    if not isinstance(value, str) or not _SHA1.fullmatch(value):
        fail(path, "must be a SHA-1 hash: 40 hexadecimal characters")


def validate_uuid(value: object, path: str) -> None:
    """A UUID in standard string form, any version or variant, either case (Data 4.4)."""
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        fail(path, "must be a UUID in standard form (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")


# --- Language tags and maps (Data 2.2.s4.b2, 4.2) -------------------------------------

_LANGUAGE_TAG = re.compile(
    r"""
    (?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})     # language [-extlang]
    (?:-[A-Za-z]{4})?                                          # script
    (?:-(?:[A-Za-z]{2}|[0-9]{3}))?                             # region
    (?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*)
    (?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?                           # private use
    """,
    re.VERBOSE,
)
_PRIVATE_USE_TAG = re.compile(r"[Xx](?:-[A-Za-z0-9]{1,8})+")
# RFC 5646 section 2.2.8: the "irregular" grandfathered tags that match no production.
_GRANDFATHERED_IRREGULAR = re.compile(
    r"en-GB-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
    r"|sgn-(?:BE-FR|BE-NL|CH-DE)",
    re.IGNORECASE,
)
_EXTENSION_SINGLETON = re.compile(r"-([0-9A-WYZa-wyz])(?=-)")


@lru_cache(maxsize=2048)
def is_language_tag(tag: str) -> bool:
    """True if ``tag`` is a well-formed RFC 5646 language tag."""
    match = _LANGUAGE_TAG.fullmatch(tag)
    if match is None:
        return bool(_PRIVATE_USE_TAG.fullmatch(tag) or _GRANDFATHERED_IRREGULAR.fullmatch(tag))
    variants = match.group("variants").lower().split("-")[1:]
    if len(set(variants)) != len(variants):
        return False
    singletons = _EXTENSION_SINGLETON.findall(match.group("extensions").lower())
    return len(set(singletons)) == len(singletons)


def validate_language_tag(value: object, path: str) -> None:
    if not isinstance(value, str) or not is_language_tag(value):
        fail(path, "must be an RFC 5646 language tag (e.g. 'en', 'en-US', 'zh-Hant')")


def validate_language_map(value: object, path: str) -> None:
    """An object whose keys are RFC 5646 tags and whose values are strings."""
    language_map = expect_object(value, path)
    for tag, text in language_map.items():
        if not isinstance(tag, str) or not is_language_tag(tag):
            fail(key_path(path, tag), "language map keys must be RFC 5646 language tags")
        if not isinstance(text, str):
            fail(key_path(path, tag), "must be a string")


# --- Extensions (Data 4.1) ------------------------------------------------------------


def validate_extensions(value: object, path: str) -> None:
    """Keys must be IRIs; values are anything, null included (Data 4.1.s3)."""
    extensions = expect_object(value, path)
    for key in extensions:
        if not isinstance(key, str) or not _IRI.fullmatch(key):
            fail(key_path(path, key), "extension keys must be absolute IRIs")


# --- Timestamps (Data 4.5) ------------------------------------------------------------

_TIMESTAMP_EXTENDED = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?",
    re.ASCII,
)
_TIMESTAMP_BASIC = re.compile(
    r"(\d{4})(\d{2})(\d{2})[Tt](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?"
    r"(?:([Zz])|([+-])(\d{2})(\d{2})?)?",
    re.ASCII,
)


# RFC 3339 section 5.6 "date-time", which xAPI 2.0 makes the only timestamp form
# (IEEE 9274.1.1 4.2.7): extended format, seconds and a zone required, "." fractions.
_TIMESTAMP_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)


def parse_timestamp(value: object, path: str) -> datetime:
    """Parse an ISO 8601 combined date and time into an aware UTC datetime.

    Accepts the extended and basic formats with a time zone of ``Z`` or an
    offset; a timestamp without zone is read as UTC (the spec only says it
    SHOULD have one). Negative zero offsets (``-00:00``), RFC 3339's "local
    time unknown", are rejected, as are dates alone and impossible dates.
    """
    if not isinstance(value, str):
        fail(path, "must be an ISO 8601 timestamp string")
    match = _TIMESTAMP_EXTENDED.fullmatch(value) or _TIMESTAMP_BASIC.fullmatch(value)
    if match is None:
        fail(path, "must be an ISO 8601 date and time, e.g. '2015-06-30T12:00:00.000Z'")
    return _moment(match, path)


def parse_rfc3339_timestamp(value: object, path: str) -> datetime:
    """Parse an xAPI 2.0 timestamp: an RFC 3339 date-time that is also ISO 8601.

    Stricter than :func:`parse_timestamp`: seconds and a time zone (``Z`` or
    ``+hh:mm``/``-hh:mm``) are required, the basic format and comma fractions
    are refused, and so is ``-00:00``, which ISO 8601 forbids. Offsets other
    than UTC are accepted and converted (9274.1.1: convert, don't reject).
    """
    if not isinstance(value, str):
        fail(path, "must be an RFC 3339 timestamp string")
    match = _TIMESTAMP_RFC3339.fullmatch(value)
    if match is None:
        fail(
            path,
            "must be an RFC 3339 date and time with seconds and a time zone, "
            "e.g. '2015-06-30T12:00:00.000Z' or '2015-06-30T14:00:00+02:00'",
        )
    return _moment(match, path)


def _moment(match: re.Match[str], path: str) -> datetime:
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        zone = _zone(zulu, sign, off_h, off_m)
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, zone
        )
    except ValueError:
        fail(path, "is not a real point in time (check the date, time and offset ranges)")
    return moment.astimezone(UTC)


def _zone(zulu: str | None, sign: str | None, hours: str | None, minutes: str | None) -> timezone:
    if zulu is not None or sign is None or hours is None:
        return UTC
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if offset >= timedelta(hours=24) or int(minutes or 0) >= 60:
        raise ValueError("offset out of range")
    if sign == "-":
        if not offset:
            raise ValueError("negative zero offset means 'unknown local time'")
        offset = -offset
    return timezone(offset)


def validate_timestamp(value: object, path: str) -> None:
    """An ISO 8601 timestamp with date and time (Data 4.5); also used for since/until."""
    parse_timestamp(value, path)


def validate_rfc3339_timestamp(value: object, path: str) -> None:
    """An xAPI 2.0 timestamp (IEEE 9274.1.1 4.2.7): RFC 3339 with a time zone."""
    parse_rfc3339_timestamp(value, path)


# --- Durations (Data 4.6) -------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"P(?!$)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?"
    rf"|P{_NUMBER}W",
    re.ASCII,
)
_FRACTION_LAST = re.compile(r"[.,]\d+[YMWDHS]\Z", re.ASCII)


def is_duration(value: str) -> bool:
    """True for an ISO 8601 duration in the format of ISO 8601:2004 4.4.3.2."""
    if not _DURATION.fullmatch(value):
        return False
    fractions = value.count(".") + value.count(",")
    # Only the lowest-order component given may carry a decimal fraction.
    return fractions == 0 or (fractions == 1 and bool(_FRACTION_LAST.search(value)))


def validate_duration(value: object, path: str) -> None:
    if not isinstance(value, str) or not is_duration(value):
        fail(path, "must be an ISO 8601 duration, e.g. 'PT1H30M' or 'PT4.5S'")
