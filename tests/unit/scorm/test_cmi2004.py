"""The SCORM 2004 data model (RTE 4th ed. chapter 4): elements, ranges, access, dependencies."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.scorm import cmi2004
from cairn.scorm.datamodel import Access, InvalidCmi, flatten

MODEL = cmi2004.data_model()

# The shape scorm-again 3.4 commits for a SCORM 2004 SCO (full terminate commit),
# produced from our own calls.
SCORM_AGAIN_COMMIT: dict[str, Any] = {"cmi": {
    "comments_from_learner": {"0": {"comment": "hello", "location": "", "timestamp": ""}},
    "comments_from_lms": {}, "completion_status": "unknown", "completion_threshold": "0.8",
    "credit": "credit", "entry": "ab-initio", "exit": "",
    "interactions": {"0": {"id": "q1", "type": "choice", "objectives": {"0": {"id": "o1"}},
                           "timestamp": "", "weighting": "", "learner_response": "a[,]b",
                           "result": "", "latency": "", "description": "",
                           "correct_responses": {"0": {"pattern": "a[,]b"}}}},
    "launch_data": "", "learner_id": "u1", "learner_name": "Jane",
    "learner_preference": {"audio_level": "1", "language": "", "delivery_speed": "1",
                           "audio_captioning": "0"},
    "location": "p3", "max_time_allowed": "", "mode": "normal",
    "objectives": {"0": {"id": "o1", "success_status": "passed", "completion_status": "unknown",
                         "progress_measure": "", "description": "",
                         "score": {"scaled": "", "raw": "", "min": "", "max": ""}}},
    "progress_measure": "", "scaled_passing_score": "0.7",
    "score": {"scaled": "0.85", "raw": "", "min": "", "max": ""},
    "session_time": "PT1M2.5S", "success_status": "unknown", "suspend_data": "",
    "time_limit_action": "continue,no message", "total_time": "PT1H1M2.5S"}}
GIVEN = {"cmi.learner_id": "u1", "cmi.learner_name": "Jane", "cmi.mode": "normal",
         "cmi.credit": "credit", "cmi.entry": "ab-initio", "cmi.total_time": "PT1H",
         "cmi.completion_threshold": "0.8", "cmi.scaled_passing_score": "0.7"}


def check(values: dict[str, str], **kwargs: Any) -> dict[str, str]:
    return dict(MODEL.check(values, **kwargs))


def problems(values: dict[str, str], **kwargs: Any) -> dict[str, str]:
    with pytest.raises(InvalidCmi) as caught:
        MODEL.check(values, **kwargs)
    return {violation.element: violation.problem for violation in caught.value.violations}


def interaction(kind: str, response: str = "", *patterns: str) -> dict[str, str]:
    values = {"cmi.interactions.0.id": "q1", "cmi.interactions.0.type": kind,
              "cmi.interactions.0.learner_response": response}
    for index, pattern in enumerate(patterns):
        values[f"cmi.interactions.0.correct_responses.{index}.pattern"] = pattern
    return values


def test_a_scorm_again_commit_is_accepted() -> None:
    snapshot = check(flatten(SCORM_AGAIN_COMMIT), given=GIVEN)
    assert snapshot["cmi.location"] == "p3"
    assert snapshot["cmi.score.scaled"] == "0.85"
    assert snapshot["cmi.interactions.0.learner_response"] == "a[,]b"
    assert snapshot["cmi.comments_from_learner.0.comment"] == "hello"
    assert "cmi.learner_id" not in snapshot and "cmi.total_time" not in snapshot


@pytest.mark.parametrize(("element", "value", "problem"), [
    ("cmi.completion_status", "finished", "is not one of 'completed'"),
    ("cmi.success_status", "maybe", "is not one of 'passed', 'failed', 'unknown'"),
    ("cmi.exit", "quit", "is not one of 'time-out'"),
    ("cmi.score.scaled", "1.5", "outside the range -1..1"),
    ("cmi.score.scaled", "-1.0001", "outside the range -1..1"),
    ("cmi.score.raw", "ten", "is not a decimal number"),
    ("cmi.progress_measure", "1.1", "outside the range 0..1"),
    ("cmi.session_time", "00:01:00", "is not an ISO 8601 duration"),
    ("cmi.learner_preference.audio_level", "-0.5", "outside the range 0..any"),
    ("cmi.learner_preference.language", "english please", "is not a language tag"),
    ("cmi.learner_preference.audio_captioning", "2", "is not one of '-1', '0', '1'"),
    ("cmi.objectives.0.id", "has blanks", "is not a URI"),
    ("cmi.objectives.0.progress_measure", "2", "outside the range 0..1"),
    ("cmi.objectives.0.score.scaled", "-2", "outside the range -1..1"),
    ("cmi.interactions.0.type", "essay", "is not one of 'true-false'"),
    ("cmi.interactions.0.timestamp", "yesterday", "is not an ISO 8601 timestamp"),
    ("cmi.interactions.0.result", "wrong", "is neither"),  # 1.2's word, not 2004's
    ("cmi.interactions.0.latency", "PT", "is not an ISO 8601 duration"),
    ("cmi.interactions.0.description", "{lang=not a tag}x", "invalid language tag"),
    ("cmi.comments_from_learner.0.timestamp", "2024-13-01", "is not an ISO 8601 timestamp"),
    ("adl.nav.request", "jump", "is not a navigation request"),
])
def test_values_breaking_their_type_are_refused(element: str, value: str, problem: str) -> None:
    values = {element: value}
    if element.startswith("cmi.objectives.0.") and not element.endswith(".id"):
        values["cmi.objectives.0.id"] = "o1"
    if element.startswith("cmi.interactions.0.") and not element.endswith(".id"):
        values["cmi.interactions.0.id"] = "q1"
    found = problems(values)
    assert problem in found[element]


@pytest.mark.parametrize(("element", "value"), [
    ("cmi.completion_status", "not attempted"),
    ("cmi.exit", "normal"),
    ("cmi.exit", ""),
    ("cmi.score.scaled", "-1"),
    ("cmi.score.raw", "-12345.6789"),
    ("cmi.session_time", "P0Y029DT0H"),
    ("cmi.location", "x" * 5000),           # an SPM is a floor, not a limit
    ("cmi.suspend_data", "s" * 150_000),     # beyond the 64,000 SPM, stored whole
    ("cmi.learner_preference.language", "fr-CA"),
    ("cmi.interactions.0.result", "incorrect"),
    ("cmi.interactions.0.result", "-3.5"),
    ("cmi.interactions.0.description", "{lang=de}Frage eins"),
    ("adl.nav.request", "{target=sco-2}choice"),
    ("adl.nav.request", "suspendAll"),
    ("adl.nav.request", "_none_"),
    ("adl.data.0.store", "shared"),
])
def test_values_the_spec_allows_are_accepted(element: str, value: str) -> None:
    values = {element: value}
    if element.startswith("cmi.interactions.0."):
        values["cmi.interactions.0.id"] = "q1"
    assert check(values)[element] == value


def test_unknown_elements_and_1_2_names_are_refused() -> None:
    found = problems({"cmi.core.lesson_status": "passed", "cmi.interactions.0.student_response":
                      "a", "cmi.bogus": "x"})
    assert set(found) == {"cmi.core.lesson_status", "cmi.interactions.0.student_response",
                          "cmi.bogus"}
    assert all("SCORM 2004 data model" in problem for problem in found.values())


def test_read_only_values_cannot_be_changed_by_content() -> None:
    found = problems({"cmi.mode": "review", "cmi.credit": "no-credit",
                      "cmi.scaled_passing_score": "0.1", "cmi.entry": "ab-initio"}, given=GIVEN)
    assert set(found) == {"cmi.mode", "cmi.credit", "cmi.scaled_passing_score"}


def test_interactions_need_an_id_before_other_fields() -> None:
    found = problems({"cmi.interactions.0.result": "correct"})
    assert "is missing, but cmi.interactions.0.result is set" in found["cmi.interactions.0.id"]


def test_objectives_need_an_id_and_unique_ids() -> None:
    found = problems({"cmi.objectives.0.success_status": "passed", "cmi.objectives.1.id": "o",
                      "cmi.objectives.2.id": "o"})
    assert set(found) == {"cmi.objectives.0.id", "cmi.objectives.2.id"}
    assert "already the id of cmi.objectives.1" in found["cmi.objectives.2.id"]


def test_interaction_objective_ids_are_unique_within_the_interaction() -> None:
    found = problems({"cmi.interactions.0.id": "q", "cmi.interactions.0.objectives.0.id": "o",
                      "cmi.interactions.0.objectives.1.id": "o"})
    assert list(found) == ["cmi.interactions.0.objectives.1.id"]


def test_the_same_objective_may_serve_different_interactions() -> None:
    values = {"cmi.interactions.0.id": "q", "cmi.interactions.0.objectives.0.id": "o",
              "cmi.interactions.1.id": "q", "cmi.interactions.1.objectives.0.id": "o"}
    assert check(values) == values


def test_a_response_needs_the_type_first() -> None:
    found = problems({"cmi.interactions.0.id": "q", "cmi.interactions.0.learner_response": "a",
                      "cmi.interactions.0.correct_responses.0.pattern": "a"})
    assert set(found) == {"cmi.interactions.0.learner_response",
                          "cmi.interactions.0.correct_responses.0.pattern"}
    assert "needs cmi.interactions.0.type first" in found["cmi.interactions.0.learner_response"]


def test_responses_are_checked_against_the_type() -> None:
    found = problems(interaction("true-false", "yes", "true"))
    assert list(found) == ["cmi.interactions.0.learner_response"]
    assert "(type true-false)" in found["cmi.interactions.0.learner_response"]


def test_single_answer_types_allow_one_pattern() -> None:
    found = problems(interaction("numeric", "5", "1[:]10", "20[:]30"))
    assert "type numeric allows one" in found["cmi.interactions.0.correct_responses"]
    assert check(interaction("choice", "a", "a", "b[,]c"))


def test_dependencies_are_checked_on_the_merged_snapshot() -> None:
    before = {"cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "numeric"}
    after = check({"cmi.interactions.0.learner_response": "4.5"}, before=before)
    assert after["cmi.interactions.0.learner_response"] == "4.5"
    found = problems({"cmi.interactions.0.learner_response": "four"}, before=before)
    assert "is not a number" in found["cmi.interactions.0.learner_response"]


@given(st.decimals(min_value=-5, max_value=5, places=4, allow_nan=False))
def test_scaled_scores_accept_exactly_minus_1_to_1(amount: Any) -> None:
    values = {"cmi.score.scaled": str(amount)}
    if -1 <= amount <= 1:
        assert check(values) == values
    else:
        assert "outside the range" in problems(values)["cmi.score.scaled"]


def test_the_table_knows_access_and_spm() -> None:
    assert MODEL.element("cmi.interactions.3.learner_response") is not None
    exit_element = MODEL.element("cmi.exit")
    assert exit_element is not None and exit_element.access is Access.WRITE_ONLY
    suspend = MODEL.element("cmi.suspend_data")
    assert suspend is not None and suspend.spm == 64_000
    location = MODEL.element("cmi.location")
    assert location is not None and location.spm == 1000
    readable = set(MODEL.readable_names())
    assert {"cmi.interactions.n.learner_response", "cmi.suspend_data"} <= readable
    assert "cmi.session_time" not in readable
    nav = MODEL.element("adl.nav.request_valid.choice.{target=intro}")
    assert nav is not None and nav.access is Access.READ_ONLY
