"""The fields of the activity feed, and how each comes from Cairn's attempt rows.

The shape follows the common LMS-integration model (one record per student
per content item). One activity is one attempt: a learner's go at one lesson.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cairn.clock import us_to_iso
from cairn.reporting.statuses import is_done

# Positions in the rows store.feed_rows yields.
(ID, COURSE_ID, LEARNER_ID, LESSON_ID, COMPLETION, SUCCESS, PROGRESS, TOTAL_CS, STARTED_US,
 COMPLETED_US, UPDATED_US, EXTERNAL_ID, COURSE_TITLE, LESSON_TITLE, NUMBER, STANDARD) = range(16)


def _iso(us: int | None) -> str | None:
    return us_to_iso(us) if us is not None else None


def progress_percentage(row: Sequence[Any]) -> float:
    """100 when done; else the content's progress measure (SCORM 2004) as a percentage; else 0.

    SCORM 1.2 has no progress measure, so a 1.2 attempt is 0 until it is done.
    """
    if is_done(row[COMPLETION], row[SUCCESS]):
        return 100.0
    measure = row[PROGRESS]
    return round(measure * 100, 2) if measure is not None else 0.0


FIELDS: dict[str, Callable[[Sequence[Any]], Any]] = {
    "id": lambda row: row[ID],
    "course_id": lambda row: row[COURSE_ID],
    "student_id": lambda row: row[LEARNER_ID],
    "content_id": lambda row: row[LESSON_ID],
    "is_completed": lambda row: is_done(row[COMPLETION], row[SUCCESS]),
    "progress_percentage": progress_percentage,
    "duration_minutes": lambda row: round(row[TOTAL_CS] / 6000, 2),
    "started_at": lambda row: us_to_iso(row[STARTED_US]),
    "completed_at": lambda row: _iso(row[COMPLETED_US]),
    "created_at": lambda row: us_to_iso(row[STARTED_US]),
    "updated_at": lambda row: us_to_iso(row[UPDATED_US]),
    # Extra fields, returned only when named in ``fields``.
    "student_external_id": lambda row: row[EXTERNAL_ID],
    "course_title": lambda row: row[COURSE_TITLE],
    "content_title": lambda row: row[LESSON_TITLE],
    "attempt_number": lambda row: row[NUMBER],
    "completion_status": lambda row: row[COMPLETION],
    "success_status": lambda row: row[SUCCESS],
    "standard": lambda row: row[STANDARD],
}
DEFAULT_FIELDS: tuple[str, ...] = (
    "id", "course_id", "student_id", "content_id", "is_completed", "progress_percentage",
    "duration_minutes", "started_at", "completed_at", "created_at", "updated_at")
