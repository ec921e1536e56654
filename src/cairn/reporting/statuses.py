"""One status word per lesson and course, from the two SCORM status axes.

SCORM 2004 reports completion (did they finish?) and success (did they pass?)
separately; SCORM 1.2's single ``lesson_status`` is already read into the same
two columns by the runtime. People want one word, so success wins when known:
passed or failed; otherwise completed, incomplete, or not started.
"""

from __future__ import annotations

from collections.abc import Iterable

NOT_STARTED = "not_started"
INCOMPLETE = "incomplete"
COMPLETED = "completed"
PASSED = "passed"
FAILED = "failed"
DONE = frozenset({COMPLETED, PASSED})


def lesson_status(completion: str | None, success: str | None) -> str:
    """The status of a lesson from its latest session's completion and success."""
    if success in (PASSED, FAILED):
        return success
    if completion == COMPLETED:
        return COMPLETED
    if completion is None:
        return NOT_STARTED
    return INCOMPLETE


def is_done(completion: str | None, success: str | None) -> bool:
    """Finished for reporting: completed, or passed (a pass with no completion counts)."""
    return completion == COMPLETED or success == PASSED


def course_status(lesson_statuses: Iterable[str]) -> str:
    """A course's status from its lessons' statuses (every lesson of the version, in order).

    failed if any lesson's latest result is failed; passed when every lesson is
    done and at least one passed; completed when every lesson is done;
    not_started when none was started; incomplete otherwise.
    """
    statuses = list(lesson_statuses)
    if not statuses or all(status == NOT_STARTED for status in statuses):
        return NOT_STARTED
    if FAILED in statuses:
        return FAILED
    if all(status in DONE for status in statuses):
        return PASSED if PASSED in statuses else COMPLETED
    return INCOMPLETE
