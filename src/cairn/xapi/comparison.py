"""Is a repeated statement id the same statement? (Data 2.3.1, comparison requirements).

A client may send a statement again, e.g. after a lost response. If it is the
same statement the write is a no-op; if not, it is a 409. "Same" follows the
spec's two rules: differences the LRS itself could have caused are ignored
(2.3.1.s9.b1), every other difference in serialization counts (2.3.1.s9.b2).

Ignored, because the LRS may assign or rewrite them (2.3.1.b1-b7): ``stored``,
``authority``, ``version``; ``id`` case; a ``timestamp`` the LRS filled in;
the time zone and sub-millisecond digits of a timestamp; Activity definitions
and Verb ``display`` (not part of the statement); the order of Group members;
single-object versus array contextActivities; the case of case-insensitive
values (e-mail domains, hex digests, UUIDs, language tags). A result
duration is compared as a string, to 0.01 s precision (2.3.1.b8, 4.6.s1.b5).
Everything else, array order included, must match exactly; ``true`` is never
equal to ``1``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cairn.errors import InvalidInput
from cairn.xapi.validation import normalize_statement, parse_timestamp
from cairn.xapi.validation.agents import canonical_mbox

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LRS_OWNED = frozenset({"id", "stored", "authority", "version", "timestamp"})
_DURATION_EXTRA_DIGITS = re.compile(r"([.,]\d{2})\d+(?=S\Z)")


def statements_equivalent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True if ``b`` repeats ``a`` as the spec's Statement Comparison Requirements define it."""
    return not differing_properties(a, b)


def differing_properties(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The top-level properties in which ``a`` and ``b`` differ, by those same rules."""
    differing = [] if _same_id(a, b) else ["id"]
    if not _same_timestamp(a, b):
        differing.append("timestamp")
    left, right = _comparable(normalize_statement(a)), _comparable(normalize_statement(b))
    differing += sorted(key for key in left.keys() | right.keys()
                        if key not in right or key not in left
                        or not _same(left[key], right[key]))
    return differing


def _same_id(a: dict[str, Any], b: dict[str, Any]) -> bool:
    first, second = a.get("id"), b.get("id")
    if not isinstance(first, str) or not isinstance(second, str):
        return True  # the LRS assigns a missing id
    return first.lower() == second.lower()


def _same_timestamp(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """A timestamp the LRS filled in (equal to ``stored``, 2.4.7.s3.b2) never conflicts."""
    if _assigned_timestamp(a) or _assigned_timestamp(b):
        return True
    return _instant(a["timestamp"]) == _instant(b["timestamp"])


def _assigned_timestamp(statement: dict[str, Any]) -> bool:
    timestamp = statement.get("timestamp")
    return timestamp is None or timestamp == statement.get("stored")


def _instant(value: object) -> object:
    """A timestamp as milliseconds since the epoch: the precision the spec guarantees."""
    try:
        moment = parse_timestamp(value, "timestamp")
    except InvalidInput:
        return value
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


# --- the comparable form --------------------------------------------------------------


def _comparable(statement: dict[str, Any]) -> dict[str, Any]:
    body = {key: value for key, value in statement.items() if key not in _LRS_OWNED}
    return _statement_body(body)


def _statement_body(statement: dict[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    for key, convert in _PARTS.items():
        if key in out:
            out[key] = convert(out[key])
    return out


def _sub_statement(value: dict[str, Any]) -> dict[str, Any]:
    out = _statement_body(value)
    if "timestamp" in out:  # the LRS never touches a SubStatement's timestamp
        out["timestamp"] = _instant(out["timestamp"])
    return out


def _agent(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if isinstance(out.get("mbox"), str):
        out["mbox"] = canonical_mbox(out["mbox"])
    if isinstance(out.get("mbox_sha1sum"), str):
        out["mbox_sha1sum"] = out["mbox_sha1sum"].lower()
    if isinstance(out.get("member"), list):
        members = [_agent(member) for member in out["member"]]
        out["member"] = sorted(members, key=lambda member: json.dumps(member, sort_keys=True))
    return out


def _verb(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: item for key, item in value.items() if key != "display"}


def _activity(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: item for key, item in value.items() if key != "definition"}


def _statement_ref(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return {**value, "id": value["id"].lower()}
    return value


def _object(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    kind = value.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return _agent(value)
    if kind == "StatementRef":
        return _statement_ref(value)
    if kind == "SubStatement":
        return _sub_statement(value)
    return _activity(value)


def _result(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("duration"), str):
        return value
    return {**value, "duration": _DURATION_EXTRA_DIGITS.sub(r"\1", value["duration"])}


def _context_activities(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {
        key: [_activity(item) for item in items] if isinstance(items, list) else items
        for key, items in value.items()
    }


def _lowercase(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


_CONTEXT_PARTS: dict[str, Callable[[Any], Any]] = {
    "registration": _lowercase,
    "instructor": _agent,
    "team": _agent,
    "contextActivities": _context_activities,
    "language": _lowercase,
    "statement": _statement_ref,
}


def _context(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for key, convert in _CONTEXT_PARTS.items():
        if key in out:
            out[key] = convert(out[key])
    return out


def _language_map(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {tag.lower(): text for tag, text in value.items()}


def _attachments(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [_attachment(item) for item in value]


def _attachment(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for key in ("display", "description"):
        if key in out:
            out[key] = _language_map(out[key])
    return out


_PARTS: dict[str, Callable[[Any], Any]] = {
    "actor": _agent,
    "verb": _verb,
    "object": _object,
    "result": _result,
    "context": _context,
    "attachments": _attachments,
}


# --- equality -------------------------------------------------------------------------


def _same(first: Any, second: Any) -> bool:
    """JSON equality where booleans are not numbers (Python's True == 1 is not JSON's)."""
    if isinstance(first, bool) or isinstance(second, bool):
        return type(first) is type(second) and first == second
    if isinstance(first, dict):
        return (
            isinstance(second, dict)
            and first.keys() == second.keys()
            and all(_same(first[key], second[key]) for key in first)
        )
    if isinstance(first, list):
        return (
            isinstance(second, list)
            and len(first) == len(second)
            and all(_same(x, y) for x, y in zip(first, second, strict=True))
        )
    return bool(first == second)
