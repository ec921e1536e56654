"""Event types and filters: validation, and which events a subscription matches."""

from __future__ import annotations

import pytest

from cairn.errors import InvalidInput
from cairn.outbound.events import EventType, matches, parse_event_types, parse_filters


def test_event_types_are_validated_and_deduplicated() -> None:
    assert parse_event_types(["session.passed", " session.passed", "statement.stored"]) == [
        EventType.SESSION_PASSED, EventType.STATEMENT_STORED]
    with pytest.raises(InvalidInput, match=r"'session\.won'"):
        parse_event_types(["session.passed", "session.won"])
    with pytest.raises(InvalidInput, match="none given"):
        parse_event_types([])


def test_filters_are_validated_and_normalized() -> None:
    assert parse_filters({"course": ["12", " 7 ", "12"], "team": ["north"]}) == {
        "course": ["12", "7"], "team": ["north"]}
    with pytest.raises(InvalidInput, match=r"filters\.colour"):
        parse_filters({"colour": ["red"]})
    with pytest.raises(InvalidInput, match=r"filters\.course"):
        parse_filters({"course": [" "]})


@pytest.mark.parametrize(("wanted", "attributes", "expected"), [
    ({}, {}, True),
    ({}, {"course": "12"}, True),
    ({"course": ["12"]}, {"course": "12"}, True),
    ({"course": ["12"]}, {"course": 12}, True),
    ({"course": ["12"]}, {"course": "13"}, False),
    ({"course": ["12"]}, {}, False),
    ({"course": ["12"]}, {"course": None}, False),
    ({"team": ["north"]}, {"team": ["south", "north"]}, True),
    ({"course": ["12"], "team": ["north"]}, {"course": "12", "team": ["south"]}, False),
])
def test_matching(wanted: dict[str, list[str]], attributes: dict[str, object],
                  expected: bool) -> None:
    assert matches(wanted, attributes) is expected  # type: ignore[arg-type]
