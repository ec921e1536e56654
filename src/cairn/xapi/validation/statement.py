"""The statement itself: its properties, object kinds, result, context, attachments.

A SubStatement is a statement too (Data 2.4.4.3.s8.b2), so both are checked by
the same tables, the SubStatement's table refusing the properties only the LRS
may own (id, stored, version, authority) and a nested SubStatement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cairn.xapi.validation.activities import validate_activity
from cairn.xapi.validation.agents import (
    IFI_KEYS,
    validate_actor,
    validate_authority,
    validate_group,
    validate_plain_agent,
    validate_team,
)
from cairn.xapi.validation.primitives import (
    Checker,
    check_properties,
    constant,
    expect_array,
    expect_number,
    expect_object,
    fail,
    forbidden,
    require,
    validate_boolean,
    validate_duration,
    validate_extensions,
    validate_iri,
    validate_irl,
    validate_language_map,
    validate_language_tag,
    validate_non_negative_integer,
    validate_number,
    validate_string,
    validate_timestamp,
    validate_uuid,
)

_MEDIA_WORD = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # an RFC 2045 "token"
_MEDIA_TYPE = re.compile(
    rf"{_MEDIA_WORD}/{_MEDIA_WORD}(?:\s*;\s*{_MEDIA_WORD}=(?:{_MEDIA_WORD}|\"(?:[^\"\\]|\\.)*\"))*"
)
_SHA2_HEX = re.compile(r"[0-9A-Fa-f]{56}|[0-9A-Fa-f]{64}|[0-9A-Fa-f]{96}|[0-9A-Fa-f]{128}")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
_REQUIRED = ("actor", "verb", "object")


# --- Verb (2.4.3) and StatementRef (2.4.4.3) ------------------------------------------

_VERB: dict[str, Checker] = {"id": validate_iri, "display": validate_language_map}


def _validate_verb(value: object, path: str) -> None:
    verb = expect_object(value, path)
    check_properties(verb, path, _VERB)
    require(verb, path, ("id",))


_STATEMENT_REF: dict[str, Checker] = {"objectType": constant("StatementRef"), "id": validate_uuid}


def _validate_statement_ref(value: object, path: str) -> None:
    ref = expect_object(value, path)
    check_properties(ref, path, _STATEMENT_REF)
    require(ref, path, ("objectType", "id"))


# --- Result (2.4.5) -------------------------------------------------------------------


def _validate_scaled(value: object, path: str) -> None:
    if not -1 <= expect_number(value, path) <= 1:
        fail(path, "must be between -1 and 1")


_SCORE: dict[str, Checker] = {
    "scaled": _validate_scaled,
    "raw": validate_number,
    "min": validate_number,
    "max": validate_number,
}


def _validate_score(value: object, path: str) -> None:
    score = expect_object(value, path)
    check_properties(score, path, _SCORE)
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and low >= high:
        fail(f"{path}.min", "must be less than max")
    if raw is not None and low is not None and raw < low:
        fail(f"{path}.raw", "must be between min and max (it is below min)")
    if raw is not None and high is not None and raw > high:
        fail(f"{path}.raw", "must be between min and max (it is above max)")


_RESULT: dict[str, Checker] = {
    "score": _validate_score,
    "success": validate_boolean,
    "completion": validate_boolean,
    "response": validate_string,
    "duration": validate_duration,
    "extensions": validate_extensions,
}


def _validate_result(value: object, path: str) -> None:
    check_properties(expect_object(value, path), path, _RESULT)


# --- Context (2.4.6) ------------------------------------------------------------------


def _validate_context_activity_value(value: object, path: str) -> None:
    if isinstance(value, list):
        for index, activity in enumerate(value):
            validate_activity(activity, f"{path}[{index}]")
    else:
        validate_activity(value, path)


_CONTEXT_ACTIVITIES: dict[str, Checker] = dict.fromkeys(
    CONTEXT_ACTIVITY_KEYS, _validate_context_activity_value
)


def _validate_context_activities(value: object, path: str) -> None:
    check_properties(expect_object(value, path), path, _CONTEXT_ACTIVITIES)


CONTEXT_1_0: dict[str, Checker] = {
    "registration": validate_uuid,
    "instructor": validate_actor,
    "team": validate_team,
    "contextActivities": _validate_context_activities,
    "revision": validate_string,
    "platform": validate_string,
    "language": validate_language_tag,
    "statement": _validate_statement_ref,
    "extensions": validate_extensions,
}


# --- Attachments (2.4.11) -------------------------------------------------------------


def _validate_media_type(value: object, path: str) -> None:
    if not isinstance(value, str) or not _MEDIA_TYPE.fullmatch(value):
        fail(path, "must be an Internet media type, e.g. 'application/pdf'")


def _validate_sha2(value: object, path: str) -> None:
    if not isinstance(value, str) or not _SHA2_HEX.fullmatch(value):
        fail(path, "must be a hex-encoded SHA-2 hash (SHA-224, -256, -384 or -512)")


_ATTACHMENT: dict[str, Checker] = {
    "usageType": validate_iri,
    "display": validate_language_map,
    "description": validate_language_map,
    "contentType": _validate_media_type,
    "length": validate_non_negative_integer,
    "sha2": _validate_sha2,
    "fileUrl": validate_irl,
}
_ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")


def _validate_attachments(value: object, path: str) -> None:
    for index, item in enumerate(expect_array(value, path)):
        item_path = f"{path}[{index}]"
        attachment = expect_object(item, item_path)
        check_properties(attachment, item_path, _ATTACHMENT)
        require(attachment, item_path, _ATTACHMENT_REQUIRED)


# --- Object (2.4.4) -------------------------------------------------------------------


def _object_checker(kinds: dict[str, Checker]) -> Checker:
    """Dispatch on ``objectType``; absent means Activity (2.4.4.s2)."""
    names = ", ".join(f"'{kind}'" for kind in kinds)

    def validate_object(value: object, path: str) -> None:
        obj = expect_object(value, path)
        kind = obj.get("objectType")
        if kind is None:
            _validate_untyped_object(obj, path)
            return
        checker = kinds.get(kind) if isinstance(kind, str) else None
        if checker is None:
            fail(f"{path}.objectType", f"must be one of {names}")
        checker(obj, path)

    return validate_object


def _validate_untyped_object(obj: dict[str, Any], path: str) -> None:
    if "objectType" in obj:
        fail(f"{path}.objectType", "must not be null")
    if "member" in obj or any(key in obj for key in IFI_KEYS):
        fail(f"{path}.objectType", "is required when the object is an Agent or a Group")
    validate_activity(obj, path)


@dataclass(frozen=True)
class Rules:
    """What differs between xAPI versions in the statement data model."""

    versions: re.Pattern[str]
    version_problem: str
    timestamp: Checker
    context: Mapping[str, Checker]


RULES_1_0 = Rules(
    versions=re.compile(r"1\.0(?:\.\d+)?", re.ASCII),
    version_problem="must start with '1.0.' (this request speaks xAPI 1.0.x)",
    timestamp=validate_timestamp,
    context=CONTEXT_1_0,
)


def _table_checker(table: Mapping[str, Checker]) -> Checker:
    def validate(value: object, path: str) -> None:
        check_properties(expect_object(value, path), path, table)

    return validate


def build_statement_table(rules: Rules) -> dict[str, Checker]:
    """The property table of a statement under ``rules`` (SubStatements nested)."""

    def validate_version(value: object, path: str) -> None:
        if not isinstance(value, str) or not rules.versions.fullmatch(value):
            fail(path, rules.version_problem)

    common: dict[str, Checker] = {
        "actor": validate_actor,
        "verb": _validate_verb,
        "result": _validate_result,
        "context": _table_checker(rules.context),
        "timestamp": rules.timestamp,
        "attachments": _validate_attachments,
    }
    sub_kinds: dict[str, Checker] = {
        "Activity": validate_activity,
        "Agent": validate_plain_agent,
        "Group": validate_group,
        "StatementRef": _validate_statement_ref,
        "SubStatement": forbidden("a SubStatement cannot contain another SubStatement"),
    }
    sub_table: dict[str, Checker] = {
        **common,
        "objectType": constant("SubStatement"),
        "object": _object_checker(sub_kinds),
        **dict.fromkeys(
            ("id", "stored", "version", "authority"),
            forbidden("is not allowed in a SubStatement (only the LRS sets it on the outer "
                      "statement)"),
        ),
    }

    def validate_sub_statement(value: object, path: str) -> None:
        sub_statement = expect_object(value, path)
        check_properties(sub_statement, path, sub_table)
        _validate_statement_rules(sub_statement, path)

    return {
        **common,
        "id": validate_uuid,
        "object": _object_checker({**sub_kinds, "SubStatement": validate_sub_statement}),
        "stored": rules.timestamp,
        "authority": validate_authority,
        "version": validate_version,
    }


def _validate_statement_rules(statement: dict[str, Any], path: str) -> None:
    """Rules spanning several properties, run after each property checked out."""
    require(statement, path, _REQUIRED)
    context = statement.get("context")
    if context is None:
        return
    kind = statement["object"].get("objectType", "Activity")
    if kind == "Activity":
        return
    for key in ("revision", "platform"):
        if key in context:
            fail(f"{path}.context.{key}", "is only allowed when the object is an Activity")


def validate_statement_at(statement: object, path: str,
                          table: Mapping[str, Checker] | None = None) -> None:
    """A whole statement as sent to the LRS, at ``path`` (1.0.x rules unless ``table``)."""
    obj = expect_object(statement, path)
    check_properties(obj, path, _STATEMENT_1_0 if table is None else table)
    _validate_statement_rules(obj, path)
    if obj["verb"]["id"] == VOIDED and obj["object"].get("objectType") != "StatementRef":
        fail(f"{path}.object.objectType", "must be 'StatementRef' in a voiding statement (2.3.2)")


_STATEMENT_1_0 = build_statement_table(RULES_1_0)
