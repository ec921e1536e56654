"""Dates in report filters."""

from __future__ import annotations

import pytest

from cairn.clock import us_to_iso
from cairn.errors import InvalidInput
from cairn.reporting.params import moment, one_of


def test_a_bare_date_is_the_start_or_with_end_of_day_the_next_midnight() -> None:
    start = moment("2026-11-30", "since")
    end = moment("2026-11-30", "until", end_of_day=True)
    assert start is not None and end is not None
    assert us_to_iso(start) == "2026-11-30T00:00:00.000000Z"
    assert us_to_iso(end) == "2026-12-01T00:00:00.000000Z"


def test_date_times_with_zone_or_z() -> None:
    assert us_to_iso(moment("2026-11-30T10:00:00Z", "since") or 0) == \
        "2026-11-30T10:00:00.000000Z"
    assert us_to_iso(moment("2026-11-30T10:00:00+02:00", "since") or 0) == \
        "2026-11-30T08:00:00.000000Z"
    assert moment(None, "since") is None


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", "2026-11-31", "12/01/2026"])
def test_bad_dates_name_the_parameter(bad: str) -> None:
    with pytest.raises(InvalidInput, match="until: "):
        moment(bad, "until")


def test_one_of() -> None:
    assert one_of("open", "state", ("open", "closed")) == "open"
    assert one_of(None, "state", ("open",)) is None
    with pytest.raises(InvalidInput, match="state: 'ajar' is not one of open, closed"):
        one_of("ajar", "state", ("open", "closed"))
