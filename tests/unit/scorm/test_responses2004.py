"""SCORM 2004 response formats per interaction type (RTE 4.1.6, learner_response and
correct_responses.n.pattern tables)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.scorm.responses2004 import learner_response_problem, pattern_problem

VALID_RESPONSES = [
    ("true-false", "true"), ("true-false", "false"),
    ("choice", "a"), ("choice", "a[,]b[,]c"),
    ("fill-in", "Paris"), ("fill-in", "{lang=fr}Paris[,]Lyon"),
    ("long-fill-in", "{lang=en}" + "words " * 1000),
    ("likert", "strongly_agree"),
    ("matching", "1[.]a[,]2[.]b"),
    ("performance", "step1[.]open valve[,][.]42"),
    ("sequencing", "c[,]a[,]b[,]a"),
    ("numeric", "3.14"), ("numeric", "-2"),
    ("other", "anything at all [,] [.]"),
]
INVALID_RESPONSES = [
    ("true-false", "t", "is not 'true' or 'false'"),
    ("true-false", "1", "is not 'true' or 'false'"),
    ("choice", "a[,]a", "same identifier twice"),
    ("choice", "a b", "not a valid identifier"),
    ("choice", "a[,]", "not a valid identifier"),
    ("fill-in", "{lang=12345678901}x", "not a language tag"),
    ("likert", "", "not a valid identifier"),
    ("matching", "1-a", "not a matching pair"),
    ("matching", "1[.]", "not a valid matching target"),
    ("performance", "no separator", "not a performance step"),
    ("numeric", "3,14", "is not a number"),
    ("numeric", "1[:]2", "is not a number"),
]


@pytest.mark.parametrize(("kind", "value"), VALID_RESPONSES)
def test_valid_learner_responses(kind: str, value: str) -> None:
    assert learner_response_problem(kind, value) is None


@pytest.mark.parametrize(("kind", "value", "problem"), INVALID_RESPONSES)
def test_invalid_learner_responses(kind: str, value: str, problem: str) -> None:
    found = learner_response_problem(kind, value)
    assert found is not None and problem in found


@pytest.mark.parametrize(("kind", "value"), [
    ("numeric", "1[:]10"), ("numeric", "[:]10"), ("numeric", "1[:]"), ("numeric", "7"),
    ("fill-in", "{case_matters=true}{order_matters=false}Paris[,]Lyon"),
    ("fill-in", "{order_matters=true}a"),
    ("long-fill-in", "{case_matters=false}An essay"),
    ("performance", "{order_matters=false}s1[.]1[:]5"),
    ("choice", ""),                      # "no choice is correct"
    ("choice", "a[,]b"),
])
def test_valid_patterns(kind: str, value: str) -> None:
    assert pattern_problem(kind, value) is None


@pytest.mark.parametrize(("kind", "value", "problem"), [
    ("numeric", "10[:]1", "minimum above its maximum"),
    ("numeric", "a[:]b", "is not a number"),
    ("fill-in", "{case_matters=yes}Paris", "must be true or false"),
    ("true-false", "{case_matters=true}true", "is not 'true' or 'false'"),
    ("likert", "two words", "not a valid identifier"),
])
def test_invalid_patterns(kind: str, value: str, problem: str) -> None:
    found = pattern_problem(kind, value)
    assert found is not None and problem in found


IDENTIFIER = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20)


@given(st.lists(IDENTIFIER, min_size=1, max_size=10, unique=True))
def test_any_set_of_distinct_identifiers_is_a_choice(items: list[str]) -> None:
    assert learner_response_problem("choice", "[,]".join(items)) is None


@given(st.lists(st.tuples(IDENTIFIER, IDENTIFIER), min_size=1, max_size=10))
def test_any_list_of_pairs_is_a_matching_response(pairs: list[tuple[str, str]]) -> None:
    assert learner_response_problem("matching", "[,]".join(f"{a}[.]{b}" for a, b in pairs)) \
        is None


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3),
       st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_numeric_ranges_need_min_at_most_max(low: object, high: object) -> None:
    problem = pattern_problem("numeric", f"{low:f}[:]{high:f}")
    assert (problem is None) == (low <= high)  # type: ignore[operator]
