"""SCORM time values: 1.2 CMITimespan, 2004 ISO 8601 durations and timestamps,
and the server-side total_time sum (RTE 3.4.2.1.9, RTE 4.1.2 / 4.1.16)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.scorm import time

CENTISECONDS = st.integers(min_value=0, max_value=10**12)


@pytest.mark.parametrize(("text", "centiseconds"), [
    ("0000:00:00.00", 0),
    ("00:01:02.5", 6250),
    ("01:01:02.05", 366205),
    ("9999:59:59.99", 3_599_999_999),
    ("17496:00:00", 17496 * 360_000),  # scorm-again writes hours of any width
])
def test_timespans_parse_to_centiseconds(text: str, centiseconds: int) -> None:
    assert time.parse_timespan(text) == centiseconds


@pytest.mark.parametrize("text", ["", "1:2:3", "00:00", "00:00:00.123", "aa:00:00", "-01:00:00",
                                  "PT1M"])
def test_malformed_timespans_are_refused(text: str) -> None:
    with pytest.raises(time.TimeFormatError, match=r"HHHH:MM:SS\.SS"):
        time.parse_timespan(text)


def test_timespans_render_with_four_hour_digits() -> None:
    assert time.format_timespan(0) == "0000:00:00.00"
    assert time.format_timespan(366205) == "0001:01:02.05"
    assert time.format_timespan(12_345 * 360_000) == "12345:00:00.00"


@given(CENTISECONDS)
def test_timespans_round_trip(centiseconds: int) -> None:
    assert time.parse_timespan(time.format_timespan(centiseconds)) == centiseconds


@pytest.mark.parametrize(("text", "centiseconds"), [
    ("PT0H0M0S", 0),
    ("PT1M", 6000),
    ("PT01H059M020S", (3600 + 59 * 60 + 20) * 100),
    ("P0Y029DT0H", 29 * 86_400 * 100),
    ("PT1M2.5S", 6250),
    ("PT0.123S", 12),           # finer than centiseconds is rounded down
    ("PT1,5S", 150),            # ISO 8601 allows a decimal comma
    ("P1W", 7 * 86_400 * 100),
    ("P1Y", 365 * 86_400 * 100),
    ("P1M", 30 * 86_400 * 100),  # M before T is months
    ("P1DT1M", (86_400 + 60) * 100),
])
def test_durations_parse_to_centiseconds(text: str, centiseconds: int) -> None:
    assert time.parse_duration(text) == centiseconds


@pytest.mark.parametrize("text", ["", "P", "PT", "P1DT", "1H", "PT1H1D", "PT-1S", "pt1s",
                                  "P1.5.5D", "PT1S2", "00:00:01"])
def test_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(time.TimeFormatError, match="ISO 8601 duration"):
        time.parse_duration(text)


@pytest.mark.parametrize(("centiseconds", "text"), [
    (0, "PT0H0M0S"),
    (6000, "PT1M"),
    ((2 * 3600 + 20) * 100, "PT2H20S"),
    ((2 * 3600 + 6 * 60 + 9) * 100, "PT2H6M9S"),
    (29 * 86_400 * 100, "P29D"),
    (6250, "PT1M2.5S"),
    (5, "PT0.05S"),
    ((86_400 + 1) * 100, "P1DT1S"),
])
def test_durations_render_in_the_shortest_form(centiseconds: int, text: str) -> None:
    assert time.format_duration(centiseconds) == text


@given(CENTISECONDS)
def test_durations_round_trip(centiseconds: int) -> None:
    assert time.parse_duration(time.format_duration(centiseconds)) == centiseconds


def test_the_adl_dmb_visits_sum_to_the_expected_totals() -> None:
    """ADL DMB Act1V1..V5: each visit starts with the sum of the earlier session times."""
    total = 0
    expected_after = ["PT1M", "PT1M", "PT2H20S", "PT2H6M9S"]
    for session_time, expected in zip(["PT01M", "PT0H0M0S", "PT01H059M020S", "PT0H05M49S"],
                                      expected_after, strict=True):
        total = time.accumulate("2004", total, session_time)
        assert time.format_duration(total) == expected


def test_accumulate_adds_to_the_total_the_session_started_with() -> None:
    prior = time.parse_timespan("0001:00:00.00")
    # Repeated commits carry the running session time; the latest one wins.
    assert time.accumulate("1.2", prior, "00:00:30") == prior + 3000
    assert time.accumulate("1.2", prior, "00:01:00") == prior + 6000
    assert time.accumulate("1.2", prior, "") == prior
    assert time.render("1.2", time.accumulate("1.2", prior, "00:01:00")) == "0001:01:00.00"


@pytest.mark.parametrize("text", ["2024", "2024-02", "2024-02-29", "2024-02-29T10",
                                  "2024-02-29T10:05", "2024-02-29T10:05:30",
                                  "2024-02-29T10:05:30.5", "2024-02-29T10:05:30.123456Z",
                                  "2024-02-29T10:05:30.1+02:00", "2024-02-29T10:05:30-0500",
                                  "1970-01-01T00:00:00Z", "2999-12-31T23:59:59"])
def test_iso_timestamps_are_accepted(text: str) -> None:
    assert time.is_timestamp(text)


@pytest.mark.parametrize("text", ["", "1969-12-31", "2024-13-01", "2024-00-10", "2024-01-32",
                                  "2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01 10:00",
                                  "24-01-01", "2024-01-01T10:00:00.1234567", "yesterday"])
def test_malformed_timestamps_are_refused(text: str) -> None:
    assert not time.is_timestamp(text)


@pytest.mark.parametrize(("text", "ok"), [("09:30:00", True), ("23:59:59.99", True),
                                          ("24:00:00", False), ("9:30:00", False),
                                          ("09:61:00", False)])
def test_times_of_day(text: str, ok: bool) -> None:
    assert time.is_time_of_day(text) is ok
