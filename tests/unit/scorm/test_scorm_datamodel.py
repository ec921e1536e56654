"""Shared data-model machinery: flattening commit bodies, element patterns, InvalidCmi."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.http_errors import status_for
from cairn.scorm.datamodel import InvalidCmi, Violation, flatten, indexed_rows, pattern_of


def test_nested_json_flattens_to_element_names() -> None:
    body = {"cmi": {"core": {"lesson_status": "passed", "score": {"raw": "85"}},
                    "interactions": {"0": {"id": "q1", "objectives": {"0": {"id": "o1"}}}},
                    "comments_from_lms": {}}}
    assert flatten(body) == {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85",
                             "cmi.interactions.0.id": "q1",
                             "cmi.interactions.0.objectives.0.id": "o1"}


def test_already_flat_bodies_and_lists_are_understood() -> None:
    body = {"cmi.core.exit": "suspend", "cmi": {"objectives": [{"id": "a"}, {"id": "b"}]}}
    assert flatten(body) == {"cmi.core.exit": "suspend", "cmi.objectives.0.id": "a",
                             "cmi.objectives.1.id": "b"}


def test_null_is_not_sent_and_numbers_become_decimal_text() -> None:
    body = {"cmi": {"score": {"scaled": 0.5, "raw": 85, "min": None, "max": 1e-7}}}
    assert flatten(body) == {"cmi.score.scaled": "0.5", "cmi.score.raw": "85",
                             "cmi.score.max": "0.0000001"}


@pytest.mark.parametrize(("value", "problem"), [(True, "boolean"), (float("nan"), "finite"),
                                                (object(), "must be a string")])
def test_values_that_are_not_strings_name_their_element(value: object, problem: str) -> None:
    with pytest.raises(InvalidCmi, match=problem) as caught:
        flatten({"cmi": {"location": value}})
    assert caught.value.details == [{"element": "cmi.location", "problem": caught.value
                                     .violations[0].problem}]


@pytest.mark.parametrize(("name", "pattern"), [
    ("cmi.core.lesson_status", "cmi.core.lesson_status"),
    ("cmi.interactions.12.correct_responses.3.pattern",
     "cmi.interactions.n.correct_responses.n.pattern"),
    ("cmi.objectives.0.score.raw", "cmi.objectives.n.score.raw"),
    ("adl.nav.request_valid.choice.{target=sco.1}", "adl.nav.request_valid.choice.{target=}"),
    ("cmi.interactions.1x.id", "cmi.interactions.1x.id"),
])
def test_indices_become_n(name: str, pattern: str) -> None:
    assert pattern_of(name) == pattern


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=5))
def test_any_indices_map_to_the_same_pattern(indices: list[int]) -> None:
    name = "cmi" + "".join(f".a.{index}" for index in indices) + ".id"
    assert pattern_of(name) == "cmi" + ".a.n" * len(indices) + ".id"


def test_indexed_rows_groups_fields_by_index_in_order() -> None:
    snapshot = {"cmi.interactions.1.id": "q2", "cmi.interactions.0.id": "q1",
                "cmi.interactions.0.objectives.0.id": "o", "cmi.location": "x",
                "cmi.interactions._count": "2"}
    assert indexed_rows(snapshot, "cmi.interactions") == {
        0: {"id": "q1", "objectives.0.id": "o"}, 1: {"id": "q2"}}


def test_invalid_cmi_is_a_400_listing_every_element() -> None:
    error = InvalidCmi([Violation(f"cmi.e{number}", "bad") for number in range(7)])
    assert isinstance(error, InvalidInput)
    assert status_for(error) == 400
    assert error.code == "invalid_cmi"
    assert "cmi.e0: bad" in error.message and "(and 2 more)" in error.message
    assert len(error.details) == 7
