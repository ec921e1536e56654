"""xAPI 2.0 data types and statement properties (IEEE 9274.1.1).

Timestamps (4.2.7: RFC 3339 with seconds and a time zone, converted to UTC),
the timestamp and stored properties (4.2.4.2), the version property (4.2.4.3),
durations and scores (4.2.2.4, unchanged from 1.0.3), and the version table
that picks the rules for a request.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.validation import (
    SUPPORTED_LINES,
    parse_rfc3339_timestamp,
    parse_timestamp,
    validate_statement,
    validation_rules_for,
)

V2 = "2.0.0"
ACTOR = {"objectType": "Agent", "mbox": "mailto:xapi@adlnet.gov"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended"}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}


def statement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"actor": ACTOR, "verb": VERB, "object": ACTIVITY}
    base.update(overrides)
    return copy.deepcopy(base)


def sub_statement(**overrides: Any) -> dict[str, Any]:
    inner = {"objectType": "SubStatement", "actor": ACTOR, "verb": VERB, "object": ACTIVITY}
    return statement(object={**inner, **overrides})


def reject(value: object, path: str, version: str = V2) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_statement(value, version=version)
    message = caught.value.message
    assert message.startswith(path), message
    assert message[len(path)] in ":.[", message
    return message


# --- 4.2.7 timestamps -----------------------------------------------------------------

RFC3339_VALID = [
    "2008-09-15T15:53:00.601+00:00",
    "2013-05-18T05:32:34.804Z",
    "2023-05-04T12:00:00-05:00",
    "2015-06-30T12:00:00Z",
    "2015-06-30t12:00:00.123456789z",
    "2031-11-24T21:05:58.076+05:30",
    "2016-02-29T23:59:59.999-23:59",
]
RFC3339_INVALID = [
    "should fail",
    "01/011/2015",
    "2008-09-15T15:53:00.601-00",
    "2008-09-15T15:53:00.601-0000",
    "2008-09-15T15:53:00.601-00:00",  # "unknown local offset": ISO 8601 forbids it
    "2015-06-30T12:00:00",  # no time zone
    "2015-06-30T12:00:00.000",
    "2023-05-04T12:00-05:00",  # no seconds
    "2015-06-30 12:00:00Z",  # space instead of T
    "20150630T120000Z",  # ISO 8601 basic format
    "2015-06-30T12:00:00+0200",  # offset without colon
    "2015-06-30T12:00:00+02",
    "2015-06-30T12:00:00,5Z",  # comma fraction
    "2015-06-30T12:00:00.Z",
    "2015-06-30",
    "2015-02-30T12:00:00Z",  # no such day
    "2015-06-30T24:00:00Z",
    "2015-06-30T12:00:00+24:00",
    "2015-06-30T12:00:00+02:60",
    " 2015-06-30T12:00:00Z",
]


@pytest.mark.parametrize("value", RFC3339_VALID)
@pytest.mark.parametrize("key", ["timestamp", "stored"])
def test_rfc3339_timestamps_are_accepted(key: str, value: str) -> None:
    validate_statement(statement(**{key: value}), version=V2)


@pytest.mark.parametrize("value", [*RFC3339_INVALID, 1234567890, ["2015-06-30T12:00:00Z"]])
@pytest.mark.parametrize("key", ["timestamp", "stored"])
def test_other_timestamps_are_rejected(key: str, value: object) -> None:
    reject(statement(**{key: value}), f"statement.{key}")


@pytest.mark.parametrize("value", ["2015-06-30T12:00:00", "2015-06-30T12:00:00.5+0200"])
def test_substatement_timestamps_follow_the_same_rule(value: str) -> None:
    reject(sub_statement(timestamp=value), "statement.object.timestamp")
    validate_statement(sub_statement(timestamp="2015-06-30T12:00:00+02:00"), version=V2)


def test_a_future_timestamp_is_not_rejected() -> None:
    later = (datetime.now(UTC) + timedelta(days=5 * 366)).isoformat(timespec="milliseconds")
    validate_statement(statement(timestamp=later), version=V2)
    validate_statement(sub_statement(timestamp=later), version=V2)


def test_the_missing_zone_message_says_what_is_needed() -> None:
    message = reject(statement(timestamp="2015-06-30T12:00:00"), "statement.timestamp")
    assert "time zone" in message


def test_offsets_are_converted_to_utc() -> None:
    moment = parse_rfc3339_timestamp("2023-05-04T12:00:00-05:00", "timestamp")
    assert moment == datetime(2023, 5, 4, 17, 0, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)


def test_fractions_are_kept_to_the_microsecond() -> None:
    moment = parse_rfc3339_timestamp("2013-05-18T05:32:34.8049999Z", "timestamp")
    assert moment.microsecond == 804999


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
    ),
    st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59),
)
def test_any_rfc3339_rendering_is_accepted_and_means_the_same_instant(
    local: datetime, offset_minutes: int
) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    text = local.replace(tzinfo=zone).isoformat(timespec="microseconds")
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    moment = parse_rfc3339_timestamp(text, "timestamp")
    assert moment == local.replace(tzinfo=zone)
    assert parse_timestamp(text, "timestamp") == moment  # 1.0.3 reads it the same way


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_a_timestamp_without_zone_is_accepted_by_1_0_only(local: datetime) -> None:
    text = local.isoformat(timespec="milliseconds")
    validate_statement(statement(timestamp=text), version="1.0.3")
    reject(statement(timestamp=text), "statement.timestamp")


# --- 4.2.4.3 version ------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.0", "2.0", "2.0.1", "1.0", "1.0.0", "1.0.3", "1.0.9"])
def test_version_1_0_x_or_2_0_x_is_accepted(version: str) -> None:
    validate_statement(statement(version=version), version=V2)


@pytest.mark.parametrize(
    "version",
    ["0.9.9", "0.95", "1.1.0", "2.1.0", "3.0.0", "2", "2.0.", "2.0.x", "should fail", 2.0, ""],
)
def test_other_versions_are_rejected(version: object) -> None:
    assert "2.0.x" in reject(statement(version=version), "statement.version")


def test_a_1_0_request_still_rejects_a_2_0_statement_version() -> None:
    reject(statement(version="2.0.0"), "statement.version", version="1.0.3")


def test_substatements_may_not_carry_a_version() -> None:
    reject(sub_statement(version="2.0.0"), "statement.object.version")


# --- 4.2.2.4 result: durations and scores are as in 1.0.3 -----------------------------


@pytest.mark.parametrize("duration", ["P1DT12H36M0.12567S", "P1DT12H36M0.1237S", "PT4.5S", "P3W"])
def test_durations_beyond_hundredths_are_not_rejected(duration: str) -> None:
    validate_statement(statement(result={"duration": duration}), version=V2)


@pytest.mark.parametrize("duration", ["P0003-00-04T00:00:00", "PT", "P4W1D", "1H"])
def test_the_alternative_duration_format_is_rejected(duration: str) -> None:
    reject(statement(result={"duration": duration}), "statement.result.duration")


@pytest.mark.parametrize(
    ("score", "where"),
    [
        ({"scaled": 1.5}, "scaled"),
        ({"min": 5, "max": 1}, "min"),
        ({"raw": 11, "min": 0, "max": 10}, "raw"),
        ({"raw": "10"}, "raw"),
    ],
)
def test_score_rules_are_unchanged(score: dict[str, Any], where: str) -> None:
    reject(statement(result={"score": score}), f"statement.result.score.{where}")
    validate_statement(
        statement(result={"score": {"scaled": -1, "raw": 0, "min": 0, "max": 10}}), version=V2
    )


# --- the version table ----------------------------------------------------------------


def test_each_supported_line_has_its_own_rules() -> None:
    assert SUPPORTED_LINES == ("1.0", "2.0")
    assert validation_rules_for("1.0.3") is validation_rules_for("1.0")
    assert validation_rules_for("2.0.0") is validation_rules_for("2.0.7")
    assert validation_rules_for("1.0.3") is not validation_rules_for("2.0.0")
    assert "contextAgents" in validation_rules_for("2.0.0").context
    assert "contextAgents" not in validation_rules_for("1.0.3").context


@pytest.mark.parametrize("version", ["1.1.0", "3.0.0", "2", "latest", "", "2.0.0.1"])
def test_a_version_without_rules_is_a_programming_error(version: str) -> None:
    with pytest.raises(ValueError, match="unsupported xAPI version"):
        validate_statement(statement(), version=version)
    with pytest.raises(ValueError, match="unsupported xAPI version"):
        validation_rules_for(version)
