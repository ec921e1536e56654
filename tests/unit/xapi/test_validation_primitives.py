"""xAPI value types: IRIs (Data 2.2.s4.b1.b8, 3.1), UUIDs (4.4), timestamps (4.5)
and durations (4.6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.xapi_checks import rejected

from cairn.xapi.validation import (
    parse_timestamp,
    validate_iri,
    validate_timestamp,
    validate_uuid,
)
from cairn.xapi.validation.primitives import (
    is_duration,
    validate_duration,
    validate_irl,
)

# --- 2.2.s4.b1.b8 / 3.1: IRIs and IRLs ------------------------------------------------


@pytest.mark.parametrize(
    "iri",
    [
        "http://adlnet.gov/expapi/verbs/attended",
        "https://example.com/xapi/verbs#defenestrated",
        "http://example.com/فعل/خواندن",
        "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
        "mailto:someone@example.com",
        "tag:example.com,2024:activity",
        "http://example.com/path?query=1&b=%20",
        "HTTP://EXAMPLE.COM/Upper",
    ],
)
def test_iri_absolute_with_scheme_is_accepted(iri: str) -> None:
    validate_iri(iri, "verb")
    validate_irl(iri, "moreInfo")


@pytest.mark.parametrize(
    "value",
    [
        "not.a.valid.iri.com/verb",
        "homePage.com/testUser",
        "open.id.com/testUser",
        "example.com/extension/wrong",
        "/relative/path",
        "#fragment",
        "",
        "http:",
        "http://exa mple.com/space",
        "http://example.com/\n",
        "http://example.com/<tag>",
        "http://example.com/%zz",
        "1http://example.com",
        12345,
        None,
        {"key": "should fail"},
    ],
)
def test_iri_without_scheme_or_with_bad_characters_is_rejected(value: object) -> None:
    message = rejected(validate_iri, value, "statement.verb.id")
    assert "absolute IRI" in message
    rejected(validate_irl, value, "statement.object.definition.moreInfo")


# --- 4.4: UUIDs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "uuid",
    [
        "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "FD41C918-B88B-4B20-A0A5-A4C32391AAA0",
        "AA97B177-9383-4934-8543-0F91A7A02836",
        "00000000-0000-0000-0000-000000000000",
        "6e8bc430-9c3a-11d9-9669-0800200c9a66",  # version 1
        "12345678-1234-5678-1234-567812345678",  # the spec's own example, no variant bits
    ],
)
def test_uuid_standard_form_any_version_or_case_is_accepted(uuid: str) -> None:
    validate_uuid(uuid, "statement.id")


@pytest.mark.parametrize(
    "value",
    [
        "AA97B177-9383-4934-8543-0F91A7A028368",  # too many digits
        "MA97B177-9383-4934-8543-0F91A7A02836",  # not hexadecimal
        "fd41c918b88b4b20a0a5a4c32391aaa0",
        "{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}",
        "urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "fd41c918-b88b-4b20-a0a5-a4c32391aaa",
        "",
        12345,
        {"key": "invalid"},
    ],
)
def test_uuid_not_in_standard_form_is_rejected(value: object) -> None:
    assert "UUID" in rejected(validate_uuid, value, "statement.id")


@given(st.uuids())
def test_uuid_every_generated_uuid_is_accepted_in_both_cases(value: object) -> None:
    validate_uuid(str(value), "id")
    validate_uuid(str(value).upper(), "id")


# --- 4.5: timestamps ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013-05-18T05:32:34.804Z", datetime(2013, 5, 18, 5, 32, 34, 804000, UTC)),
        ("2013-05-18T05:32:34Z", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T05:32:34.8041234567Z", datetime(2013, 5, 18, 5, 32, 34, 804123, UTC)),
        ("2013-05-18T07:32:34+02:00", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T07:32:34+0200", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T07:32:34+02", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T00:02:34-05:30", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T05:32:34+00:00", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2013-05-18T05:32Z", datetime(2013, 5, 18, 5, 32, tzinfo=UTC)),
        ("2013-05-18T05:32:34,5Z", datetime(2013, 5, 18, 5, 32, 34, 500000, UTC)),
        ("20130518T053234Z", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
        ("2012-02-29T23:59:59.999Z", datetime(2012, 2, 29, 23, 59, 59, 999000, UTC)),
        ("2013-05-18T05:32:34", datetime(2013, 5, 18, 5, 32, 34, tzinfo=UTC)),
    ],
)
def test_timestamp_iso8601_forms_parse_to_the_same_utc_instant(
    value: str, expected: datetime
) -> None:
    validate_timestamp(value, "statement.timestamp")
    parsed = parse_timestamp(value, "statement.timestamp")
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    [
        "\u0662\u0660\u0661\u0665-06-30T12:00:00Z",  # Arabic-Indic digits
        "2015-06-30T12:00:00+\u0660\u0661:00",
        "\uff12\uff10\uff11\uff15-06-30T12:00:00Z",  # full-width digits
    ],
)
def test_timestamp_digits_must_be_ascii(value: str) -> None:
    rejected(validate_timestamp, value, "timestamp")


def test_timestamp_in_the_future_is_accepted() -> None:
    future = (datetime.now(UTC) + timedelta(days=3650)).isoformat()
    validate_timestamp(future, "statement.timestamp")


@pytest.mark.parametrize(
    "value",
    [
        "should fail",
        "01/011/2015",
        "2008-09-15T15:53:00.601-00",  # negative zero offset: "local time unknown"
        "2008-09-15T15:53:00.601-0000",
        "2008-09-15T15:53:00.601-00:00",
        "2015-06-30",  # a date without a time
        "12:00:00Z",
        "2015-06-30 12:00:00Z",
        "2015-13-01T00:00:00Z",
        "2015-02-29T00:00:00Z",
        "2015-06-31T00:00:00Z",
        "2015-06-30T24:00:00Z",
        "2015-06-30T12:60:00Z",
        "2015-06-30T12:00:61Z",
        "2015-06-30T12:00:00+24:00",
        "2015-06-30T12:00:00+01:60",
        "2015-06-30T12:00:00.Z",
        "2015-06-30T12:00:00ZZ",
        "2015-06-30T12:00:00+1",
        "0000-01-01T00:00:00Z",
        "",
        12345,
        None,
    ],
)
def test_timestamp_malformed_or_impossible_is_rejected(value: object) -> None:
    rejected(validate_timestamp, value, "since")


@given(
    st.datetimes(
        timezones=st.just(UTC), min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)
    )
)
def test_timestamp_round_trips_through_isoformat(moment: datetime) -> None:
    assert parse_timestamp(moment.isoformat(), "t") == moment
    text = moment.isoformat().replace("+00:00", "Z")
    assert parse_timestamp(text, "t") == moment


@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 1, 1)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).filter(lambda m: m != 0),
)
def test_timestamp_offset_is_applied_when_converting_to_utc(naive: datetime, minutes: int) -> None:
    aware = naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert parse_timestamp(aware.isoformat(), "t") == aware.astimezone(UTC)


# --- 4.6: durations -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "PT4H35M59.14S",
        "PT16559.14S",
        "P3Y1M29DT4H35M59.14S",
        "P3Y",
        "P4W",
        "PT1H0M0.1S",
        "PT0S",
        "P1D",
        "P1M",
        "PT1M",
        "P0.5Y",
        "PT0,5S",
        "P1DT12H",
        "PT36H",
    ],
)
def test_duration_iso8601_format_is_accepted(value: str) -> None:
    validate_duration(value, "statement.result.duration")


@pytest.mark.parametrize(
    "value",
    [
        "P4W1D",  # weeks cannot be combined
        "PA1H0M0S",
        "should fail",
        "P",
        "PT",
        "P1DT",
        "P16559.14S",  # seconds belong after T
        "PT1.5H30M",  # only the smallest unit may have a fraction
        "PT1.5H1.5S",
        "-PT1S",
        "P0003-02-01T04:05:06",  # the alternative format is forbidden
        "pt1s",
        "PT1S ",
        "P1Y2Y",
        "PT1S1M",
        "PT\u0661S",
        12345,
        {"key": "invalid"},
    ],
)
def test_duration_malformed_or_alternative_format_is_rejected(value: object) -> None:
    assert "ISO 8601 duration" in rejected(validate_duration, value, "statement.result.duration")


_components = st.fixed_dictionaries(
    {},
    optional={
        unit: st.integers(min_value=0, max_value=10_000)
        for unit in ("Y", "M", "D", "H", "MIN", "S")
    },
).filter(bool)


@given(_components, st.integers(min_value=0, max_value=99))
def test_duration_built_from_any_components_is_accepted(
    components: dict[str, int], hundredths: int
) -> None:
    date = "".join(f"{components[u]}{u}" for u in ("Y", "M", "D") if u in components)
    time = "".join(f"{components[u]}{u[0]}" for u in ("H", "MIN") if u in components)
    if "S" in components:
        time += f"{components['S']}.{hundredths:02d}S"
    text = "P" + date + ("T" + time if time else "")
    assert is_duration(text)


@given(st.integers(min_value=0, max_value=10_000))
def test_duration_weeks_alone_are_accepted_and_never_combined(weeks: int) -> None:
    assert is_duration(f"P{weeks}W")
    assert not is_duration(f"P{weeks}W1D")
