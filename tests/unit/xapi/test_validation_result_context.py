"""Result (Data 2.4.5), Score (2.4.5.1) and Context (2.4.6, 2.4.6.2)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.validation import validate_statement

ACTOR = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended"}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
GROUP = {"objectType": "Group", "name": "Group Anonymous", "member": [ACTOR]}
REF = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}


def statement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"actor": ACTOR, "verb": VERB, "object": ACTIVITY}
    base.update(overrides)
    return copy.deepcopy(base)


def reject(value: object, path: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_statement(value)
    message = caught.value.message
    assert message.startswith(path), message
    assert message[len(path)] in ":.[", message
    return message


# --- 2.4.5: result --------------------------------------------------------------------


def test_result_with_every_property_is_accepted() -> None:
    validate_statement(
        statement(
            result={
                "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
                "success": True,
                "completion": False,
                "response": "We agreed on some example actions.",
                "duration": "PT1H0M0S",
                "extensions": {
                    "http://example.com/profiles/meetings/result/minutes": "X:\\minutes.one"
                },
            }
        )
    )
    validate_statement(statement(result={}))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("success", "true"),
        ("success", "false"),
        ("success", 1),
        ("success", {"key": "x"}),
        ("completion", "true"),
        ("completion", "false"),
        ("completion", 0),
        ("completion", {"key": "invalid"}),
        ("response", 12345),
        ("response", ["a"]),
        ("duration", "should fail"),
        ("duration", 12345),
        ("duration", {"key": "invalid"}),
        ("duration", "PA1H0M0S"),
        ("duration", "P4W1D"),
        ("extensions", 12345),
        ("extensions", "should fail"),
        ("extensions", {"example.com/extension/wrong": 1234}),
        ("score", 12345),
        ("score", "should fail"),
        ("Success", True),
        ("grade", "A"),
    ],
)
def test_result_property_types(key: str, value: object) -> None:
    reject(statement(result={key: value}), f"statement.result.{key}")


@pytest.mark.parametrize("result", ["should fail", 12345, []])
def test_result_must_be_an_object(result: object) -> None:
    reject(statement(result=result), "statement.result")


# --- 2.4.5.1: score -------------------------------------------------------------------


@pytest.mark.parametrize("scaled", [0, 0.5, 1, 1.0, -1, -1.0, 0.12123434, -0.0001])
def test_score_scaled_between_minus_one_and_one_is_accepted(scaled: float) -> None:
    validate_statement(statement(result={"score": {"scaled": scaled}}))


@pytest.mark.parametrize("scaled", [1.01, -1.00001, 2, -100])
def test_score_scaled_outside_minus_one_and_one_is_rejected(scaled: float) -> None:
    message = reject(
        statement(result={"score": {"scaled": scaled}}), "statement.result.score.scaled"
    )
    assert message == "statement.result.score.scaled: must be between -1 and 1"


@pytest.mark.parametrize("key", ["scaled", "raw", "min", "max"])
@pytest.mark.parametrize("value", ["0.5", True, None, [1], {"v": 1}, float("nan"), float("inf")])
def test_score_values_must_be_finite_numbers(key: str, value: object) -> None:
    reject(statement(result={"score": {key: value}}), f"statement.result.score.{key}")


@pytest.mark.parametrize(
    ("score", "path"),
    [
        ({"raw": 101, "min": 0, "max": 100}, "raw"),
        ({"raw": -1, "min": 0, "max": 100}, "raw"),
        ({"raw": 101, "max": 100}, "raw"),
        ({"raw": -1, "min": 0}, "raw"),
        ({"min": 100, "max": 0}, "min"),
        ({"min": 10, "max": 10}, "min"),
    ],
)
def test_score_raw_between_min_and_max_and_min_below_max(score: dict[str, Any], path: str) -> None:
    reject(statement(result={"score": score}), f"statement.result.score.{path}")


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=0.001, max_value=1e6, allow_nan=False),
    st.floats(min_value=0, max_value=1),
)
def test_score_any_raw_within_bounds_is_accepted(low: float, span: float, where: float) -> None:
    high = low + span
    raw = min(max(low + span * where, low), high)
    validate_statement(statement(result={"score": {"min": low, "max": high, "raw": raw}}))


# --- 2.4.6: context -------------------------------------------------------------------


def test_context_with_every_property_is_accepted() -> None:
    validate_statement(
        statement(
            context={
                "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
                "instructor": ACTOR,
                "team": {"objectType": "Group", "mbox": "mailto:team@example.com"},
                "contextActivities": {
                    "parent": [ACTIVITY],
                    "grouping": [ACTIVITY],
                    "category": [ACTIVITY],
                    "other": [ACTIVITY],
                },
                "revision": "1.0",
                "platform": "Example virtual meeting software",
                "language": "tlh",
                "statement": REF,
                "extensions": {"http://example.com/profiles/meetings/contextextensions/topic": "x"},
            }
        )
    )
    validate_statement(statement(context={}))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("registration", {"key": "should fail"}),
        ("registration", "should fail"),
        ("registration", 12345),
        ("registration", "AA97B177-9383-4934-8543-0F91A7A028368"),
        ("instructor", {"key": "should fail"}),
        ("instructor", "should fail"),
        ("instructor", {"objectType": "Agent", "name": "no ifi"}),
        ("team", ACTOR),
        ("team", {"key": "should fail"}),
        ("team", "should fail"),
        ("team", {"objectType": "Group", "name": "no members"}),
        ("contextActivities", "should fail"),
        ("revision", 12345),
        ("revision", {"key": "x"}),
        ("platform", 12345),
        ("platform", {"key": "x"}),
        ("language", 12345),
        ("language", {"key": "x"}),
        ("language", "something"),
        ("statement", {"objectType": "statementref", "id": REF["id"]}),
        ("statement", {"objectType": "StatementRef", "id": "not a uuid"}),
        ("statement", {"id": REF["id"]}),
        ("statement", {"objectType": "Activity", "id": "http://example.com"}),
        ("extensions", {"example.com/extension/wrong": 1}),
        ("Registration", REF["id"]),
        ("contextactivities", {}),
    ],
)
def test_context_property_formats(key: str, value: object) -> None:
    reject(statement(context={key: value}), f"statement.context.{key}")


def test_context_instructor_may_be_a_group() -> None:
    validate_statement(statement(context={"instructor": GROUP}))


@pytest.mark.parametrize("key", ["revision", "platform"])
@pytest.mark.parametrize(
    "obj",
    [
        {"objectType": "Agent", "mbox": "mailto:a@example.com"},
        GROUP,
        REF,
        {"objectType": "SubStatement", "actor": ACTOR, "verb": VERB, "object": ACTIVITY},
    ],
)
def test_context_revision_and_platform_only_with_an_activity_object(
    key: str, obj: dict[str, Any]
) -> None:
    message = reject(statement(object=obj, context={key: "x"}), f"statement.context.{key}")
    assert "only allowed when the object is an Activity" in message


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_context_revision_and_platform_with_an_untyped_activity_are_accepted(key: str) -> None:
    validate_statement(statement(object={"id": ACTIVITY["id"]}, context={key: "x"}))


# --- 2.4.6.2: contextActivities -------------------------------------------------------


@pytest.mark.parametrize("kind", ["parent", "grouping", "category", "other"])
def test_context_activities_single_activity_or_array_is_accepted(kind: str) -> None:
    validate_statement(statement(context={"contextActivities": {kind: ACTIVITY}}))
    validate_statement(statement(context={"contextActivities": {kind: [ACTIVITY, ACTIVITY]}}))
    validate_statement(statement(context={"contextActivities": {kind: []}}))


@pytest.mark.parametrize("kind", ["Parent", "parents", "related", "bogus"])
def test_context_activities_other_keys_are_rejected(kind: str) -> None:
    reject(
        statement(context={"contextActivities": {kind: [ACTIVITY]}}),
        f"statement.context.contextActivities.{kind}",
    )


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ([ACTIVITY, {"key": "should fail"}], "parent[1]"),
        ([{"id": "not an iri"}], "parent[0].id"),
        ({"key": "should fail"}, "parent"),
        ("http://example.com/activity", "parent"),
        ([ACTOR], "parent[0]"),
        ([REF], "parent[0].objectType"),
        (None, "parent"),
    ],
)
def test_context_activities_values_must_be_activities(value: object, path: str) -> None:
    reject(
        statement(context={"contextActivities": {"parent": value}}),
        f"statement.context.contextActivities.{path}",
    )
