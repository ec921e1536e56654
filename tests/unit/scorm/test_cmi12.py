"""The SCORM 1.2 data model (RTE 3.4): elements, vocabularies, ranges, access, suspend_data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.scorm import cmi12
from cairn.scorm.datamodel import Access, InvalidCmi, flatten

MODEL = cmi12.data_model("strict")

# The shape scorm-again 3.4 commits for a SCORM 1.2 SCO (full commit, JSON format),
# produced from our own calls: location, a raw score, one interaction, one objective.
SCORM_AGAIN_COMMIT: dict[str, Any] = {"cmi": {
    "suspend_data": "", "launch_data": "x=1", "comments": "", "comments_from_lms": "",
    "core": {"student_id": "u1", "student_name": "Doe, Jane", "lesson_location": "p3",
             "credit": "credit", "lesson_status": "not attempted", "entry": "resume",
             "lesson_mode": "normal", "exit": "", "session_time": "00:01:02.5",
             "score": {"raw": "85", "min": "", "max": "100"}, "total_time": "01:01:02.5"},
    "objectives": {"0": {"id": "o1", "status": "passed",
                         "score": {"raw": "", "min": "", "max": "100"}}},
    "student_data": {"mastery_score": "80", "max_time_allowed": "", "time_limit_action": ""},
    "student_preference": {"audio": "", "language": "", "speed": "", "text": ""},
    "interactions": {"0": {"id": "q1", "time": "", "type": "choice", "weighting": "",
                           "student_response": "a", "result": "", "latency": "",
                           "objectives": {"0": {"id": "o1"}},
                           "correct_responses": {"0": {"pattern": "a"}}}}}}
GIVEN = {"cmi.core.student_id": "u1", "cmi.core.student_name": "Doe, Jane",
         "cmi.core.credit": "credit", "cmi.core.entry": "resume", "cmi.core.lesson_mode": "normal",
         "cmi.core.total_time": "0001:00:00.00", "cmi.launch_data": "x=1",
         "cmi.student_data.mastery_score": "80"}


def check(values: dict[str, str], model: Any = MODEL, **kwargs: Any) -> dict[str, str]:
    return dict(model.check(values, **kwargs))


def problems(values: dict[str, str], model: Any = MODEL, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(InvalidCmi) as caught:
        model.check(values, **kwargs)
    return {violation.element: violation.problem for violation in caught.value.violations}


def test_a_scorm_again_commit_is_accepted_and_keeps_only_writable_elements() -> None:
    snapshot = check(flatten(SCORM_AGAIN_COMMIT), given=GIVEN)
    assert snapshot["cmi.core.lesson_location"] == "p3"
    assert snapshot["cmi.core.score.raw"] == "85"
    assert snapshot["cmi.core.session_time"] == "00:01:02.5"
    assert snapshot["cmi.interactions.0.student_response"] == "a"
    assert snapshot["cmi.objectives.0.status"] == "passed"
    for owned_by_the_lms in ("cmi.core.student_id", "cmi.core.entry", "cmi.core.total_time",
                             "cmi.launch_data", "cmi.student_data.mastery_score"):
        assert owned_by_the_lms not in snapshot


def test_a_commit_merges_into_the_previous_snapshot() -> None:
    before = {"cmi.core.lesson_location": "p1", "cmi.suspend_data": "abc"}
    after = check({"cmi.core.lesson_location": "p2"}, before=before)
    assert after == {"cmi.core.lesson_location": "p2", "cmi.suspend_data": "abc"}
    assert before == {"cmi.core.lesson_location": "p1", "cmi.suspend_data": "abc"}


@pytest.mark.parametrize(("element", "value", "problem"), [
    ("cmi.core.lesson_status", "done", "is not one of 'passed'"),
    ("cmi.core.exit", "normal", "is not one of 'time-out', 'suspend', 'logout'"),
    ("cmi.core.score.raw", "150", "outside the range 0..100"),
    ("cmi.core.score.raw", "-1", "outside the range 0..100"),
    ("cmi.core.score.min", "abc", "is not a decimal number"),
    ("cmi.core.session_time", "PT1M", "is not a timespan"),
    ("cmi.core.lesson_location", "x" * 256, "256 characters long; the limit is 255"),
    ("cmi.comments", "x" * 4097, "the limit is 4,096"),
    ("cmi.student_preference.audio", "101", "outside the range -1..100"),
    ("cmi.student_preference.speed", "1.5", "is not an integer"),
    ("cmi.student_preference.text", "-2", "outside the range -1..1"),
    ("cmi.objectives.0.status", "great", "is not one of"),
    ("cmi.objectives.0.id", "x" * 256, "255 characters at most"),
    ("cmi.interactions.0.type", "essay", "is not one of 'true-false'"),
    ("cmi.interactions.0.time", "25:00:00", "is not a time of day"),
    ("cmi.interactions.0.result", "maybe", "is neither"),
    ("cmi.interactions.0.latency", "1 minute", "is not a timespan"),
    ("cmi.interactions.0.weighting", "heavy", "is not a decimal number"),
])
def test_values_breaking_their_type_are_refused_naming_the_element(
        element: str, value: str, problem: str) -> None:
    found = problems({element: value})
    assert list(found) == [element]
    assert problem in found[element]


@pytest.mark.parametrize(("element", "value"), [
    ("cmi.core.lesson_status", "not attempted"),   # the LMS's own initial value, echoed
    ("cmi.core.lesson_status", "browsed"),
    ("cmi.core.exit", ""),
    ("cmi.core.score.raw", ""),                    # CMIBlank: not set
    ("cmi.core.score.raw", "99.5"),
    ("cmi.interactions.0.result", "wrong"),
    ("cmi.interactions.0.result", "0.75"),
    ("cmi.interactions.0.student_response", "{anything goes, 1.2 CMIFeedback} " * 20),
    ("cmi.objectives.0.id", "objective with spaces"),  # relaxed as scorm-again relaxes it
    ("cmi.core.session_time", "17496:00:00"),
])
def test_values_the_spec_or_scorm_again_allow_are_accepted(element: str, value: str) -> None:
    assert check({element: value})[element] == value


def test_unknown_elements_are_refused() -> None:
    assert problems({"cmi.core.bogus": "x", "cmi.interactions.0.student_answer": "a"}) == {
        "cmi.core.bogus": "is not an element of the SCORM 1.2 data model",
        "cmi.interactions.0.student_answer": "is not an element of the SCORM 1.2 data model"}


def test_read_only_echoes_must_match_what_the_lms_gave() -> None:
    found = problems({"cmi.core.student_id": "someone-else", "cmi.core.credit": "no-credit",
                      "cmi.core.lesson_mode": "normal"}, given=GIVEN)
    assert set(found) == {"cmi.core.student_id", "cmi.core.credit"}
    assert "is read-only; the LMS set it to 'u1'" in found["cmi.core.student_id"]


def test_total_time_is_recomputed_by_the_api_so_its_echo_is_ignored() -> None:
    snapshot = check({"cmi.core.total_time": "0001:05:00.00"}, given=GIVEN)
    assert "cmi.core.total_time" not in snapshot


def test_read_only_defaults_of_the_api_pass_when_the_lms_gave_nothing() -> None:
    assert check({"cmi.student_data.time_limit_action": "continue,no message"}, given={}) == {}


def test_keywords_are_computed_by_the_lms_and_never_stored() -> None:
    assert check({"cmi.interactions._count": "3", "cmi.core._children": "student_id"}) == {}


def test_suspend_data_strict_refuses_more_than_4096_characters() -> None:
    found = problems({"cmi.suspend_data": "x" * 4097})
    assert "4,097 characters long; the limit is 4,096" in found["cmi.suspend_data"]
    assert "CAIRN_SCORM12_SUSPEND_DATA_LIMIT=strict" in found["cmi.suspend_data"]
    assert check({"cmi.suspend_data": "x" * 4096})["cmi.suspend_data"] == "x" * 4096


def test_suspend_data_lenient_keeps_every_character() -> None:
    long = "é" * 100_000
    assert check({"cmi.suspend_data": long}, cmi12.data_model("lenient"))[
        "cmi.suspend_data"] == long


@given(st.text(max_size=300))
def test_lesson_location_accepts_any_text_up_to_255(text: str) -> None:
    values = {"cmi.core.lesson_location": text}
    if len(text) <= 255:
        assert check(values)["cmi.core.lesson_location"] == text
    else:
        assert "cmi.core.lesson_location" in problems(values)


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))
def test_scores_accept_exactly_0_to_100(amount: Any) -> None:
    values = {"cmi.core.score.raw": str(amount)}
    if 0 <= amount <= 100:
        assert check(values) == values
    else:
        assert "outside the range" in problems(values)["cmi.core.score.raw"]


def test_every_problem_of_a_commit_is_reported_at_once() -> None:
    found = problems({"cmi.core.lesson_status": "x", "cmi.core.score.raw": "x",
                      "cmi.core.exit": "x"})
    assert len(found) == 3


def test_the_table_knows_access_modes() -> None:
    element = MODEL.element("cmi.interactions.7.student_response")
    assert element is not None and element.access is Access.WRITE_ONLY
    assert not element.readable and element.writable
    core_exit = MODEL.element("cmi.core.exit")
    assert core_exit is not None and core_exit.access is Access.WRITE_ONLY
    student = MODEL.element("cmi.core.student_id")
    assert student is not None and student.access is Access.READ_ONLY
    assert "cmi.core.lesson_location" in set(MODEL.readable_names())
    assert "cmi.core.session_time" not in set(MODEL.readable_names())
    suspend = MODEL.element("cmi.suspend_data")
    assert suspend is not None and suspend.spm == 4096
