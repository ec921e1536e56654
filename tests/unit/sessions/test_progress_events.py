"""ProgressEvent: the shape every runtime adapter speaks into the progress pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cairn.sessions.events import ProgressData, ProgressEvent, ProgressKind, Score

IDS = {"learner_id": 7, "lesson_id": 3, "session_id": 11, "occurred_us": 1_700_000_000_000_000}


def event(kind: ProgressKind, **data: Any) -> ProgressEvent:
    return ProgressEvent(kind=kind, **IDS, data=ProgressData(**data))


def test_the_ten_kinds_of_the_architecture() -> None:
    assert [kind.value for kind in ProgressKind] == [
        "launched", "initialized", "progressed", "score_updated", "completed", "passed",
        "failed", "suspended", "terminated", "abandoned"]


def test_an_event_carries_who_what_where_and_when() -> None:
    passed = event(ProgressKind.PASSED, success_status="passed",
                   score=Score(scaled=0.85, raw=85, min=0, max=100))
    assert (passed.learner_id, passed.lesson_id, passed.session_id) == (7, 3, 11)
    assert passed.data.score is not None and passed.data.score.scaled == 0.85
    assert ProgressEvent.model_validate_json(passed.model_dump_json()) == passed


def test_events_are_immutable() -> None:
    launched = event(ProgressKind.LAUNCHED)
    with pytest.raises(ValidationError):
        launched.kind = ProgressKind.FAILED  # type: ignore[misc]


@pytest.mark.parametrize(("kind", "data", "message"), [
    (ProgressKind.SCORE_UPDATED, {}, "needs data.score"),
    (ProgressKind.ABANDONED, {}, "needs data.reason"),
    (ProgressKind.PROGRESSED, {}, "needs data.progress_measure or data.location"),
])
def test_each_kind_needs_its_data(kind: ProgressKind, data: dict[str, Any],
                                  message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        event(kind, **data)


@pytest.mark.parametrize("fields", [{"scaled": 1.5}, {"scaled": -1.01}, {}])
def test_scores_are_checked(fields: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        Score(**fields)


@pytest.mark.parametrize(("field", "value"), [("progress_measure", 1.2), ("total_time_cs", -1),
                                              ("unknown_field", "x")])
def test_data_is_checked(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        ProgressData(**{field: value})


@pytest.mark.parametrize("field", ["learner_id", "lesson_id", "session_id"])
def test_ids_must_be_real_rows(field: str) -> None:
    with pytest.raises(ValidationError):
        ProgressEvent(kind=ProgressKind.LAUNCHED, **{**IDS, field: 0})
