"""Each drill-down level, computed from the learner's sessions.

A learner has few sessions next to the whole table (hundreds, not millions),
so each level reads that learner's sessions once and folds them here: the
status rules stay in one readable place (:mod:`cairn.reporting.statuses`)
instead of being spread over SQL dialects.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, RowMapping

from cairn.clock import us_to_iso
from cairn.errors import NotFound
from cairn.reporting.audience import Audience
from cairn.reporting.drilldown import store
from cairn.reporting.drilldown.models import (
    LearnerCourse,
    LearnerInteraction,
    LearnerLesson,
    LearnerSession,
)
from cairn.reporting.statuses import DONE, course_status, lesson_status
from cairn.sessions import store as sessions_store


def _latest(rows: Sequence[RowMapping]) -> RowMapping:
    return max(rows, key=lambda row: (row["started_us"], row["id"]))


def _status(rows: Sequence[RowMapping]) -> str:
    if not rows:
        return lesson_status(None, None)
    latest = _latest(rows)
    return lesson_status(latest["completion_status"], latest["success_status"])


def _by_lesson(rows: Sequence[RowMapping]) -> dict[int, list[RowMapping]]:
    grouped: dict[int, list[RowMapping]] = defaultdict(list)
    for row in rows:
        grouped[row["lesson_id"]].append(row)
    return grouped


def courses(*, conn: Connection, audience: Audience, learner_id: int) -> list[LearnerCourse]:
    """Every course the learner started, on the version they ran most recently."""
    audience.check_learner(conn, learner_id)
    by_course: dict[int, list[RowMapping]] = defaultdict(list)
    for row in store.learner_sessions(conn, learner_id):
        by_course[row["course_id"]].append(row)
    current = {course_id: _latest(rows)["package_id"] for course_id, rows in by_course.items()}
    lessons_of: dict[int, list[RowMapping]] = defaultdict(list)
    for lesson in store.sco_lessons(conn, set(current.values())):
        lessons_of[lesson["package_id"]].append(lesson)
    found = []
    for course_id, rows in by_course.items():
        latest = _latest(rows)
        package_id = current[course_id]
        grouped = _by_lesson(rows)
        statuses = [_status(grouped.get(lesson["id"], [])) for lesson in lessons_of[package_id]]
        found.append(LearnerCourse(
            course_id=course_id, course_title=latest["course_title"], package_id=package_id,
            package_version=latest["package_version"], status=course_status(statuses),
            status_date=us_to_iso(max(row["updated_us"] for row in rows)),
            lessons_done=sum(status in DONE for status in statuses),
            lessons_total=len(statuses),
            time_spent_seconds=sum(row["session_time_cs"] for row in rows) / 100))
    return sorted(found, key=lambda course: course.course_title)


def lessons(*, conn: Connection, audience: Audience, learner_id: int, course_id: int
            ) -> list[LearnerLesson]:
    """Every lesson of the course version the learner ran last (or the newest one)."""
    audience.check_learner(conn, learner_id)
    course = store.course_by_id(conn, course_id)
    if course is None or course["latest_package_id"] is None:
        raise NotFound(f"there is no course {course_id}")
    rows = store.learner_sessions(conn, learner_id, course_id=course_id)
    package_id = _latest(rows)["package_id"] if rows else course["latest_package_id"]
    grouped = _by_lesson(rows)
    found = []
    for lesson in store.sco_lessons(conn, [package_id]):
        mine = grouped.get(lesson["id"], [])
        latest = _latest(mine) if mine else None
        found.append(LearnerLesson(
            lesson_id=lesson["id"], lesson_title=lesson["title"], position=lesson["position"],
            status=_status(mine),
            date=us_to_iso(max(row["updated_us"] for row in mine)) if mine else None,
            score_scaled=latest["score_scaled"] if latest else None,
            score_raw=latest["score_raw"] if latest else None,
            time_spent_seconds=sum(row["session_time_cs"] for row in mine) / 100,
            attempts=len({row["attempt_id"] for row in mine}), sessions=len(mine)))
    return found


def lesson_sessions(*, conn: Connection, audience: Audience, learner_id: int, lesson_id: int
                    ) -> list[LearnerSession]:
    """The learner's sessions of one lesson, oldest first."""
    audience.check_learner(conn, learner_id)
    if not store.lesson_exists(conn, lesson_id):
        raise NotFound(f"there is no lesson {lesson_id}")
    return [LearnerSession(
        session_id=row["id"], attempt_number=row["attempt_number"], state=row["state"],
        started_at=us_to_iso(row["started_us"]),
        ended_at=us_to_iso(row["ended_us"]) if row["ended_us"] is not None else None,
        status=lesson_status(row["completion_status"], row["success_status"]),
        completion_status=row["completion_status"], success_status=row["success_status"],
        score_scaled=row["score_scaled"], score_raw=row["score_raw"],
        session_time_seconds=row["session_time_cs"] / 100)
        for row in store.learner_sessions(conn, learner_id, lesson_id=lesson_id)]


def interactions(*, conn: Connection, audience: Audience, learner_id: int, session_id: int
                 ) -> list[LearnerInteraction]:
    """The interactions of one of the learner's sessions (another learner's: not found)."""
    audience.check_learner(conn, learner_id)
    if not store.session_of_learner(conn, session_id, learner_id):
        raise NotFound(f"learner {learner_id} has no session {session_id}")
    found = []
    for row in sessions_store.interactions_of(conn, session_id):
        latency = row["latency_cs"]
        found.append(LearnerInteraction(
            position=row["position"], interaction_id=row["identifier"], type=row["type"],
            result=row["result"], score=_number(row["result"]), weighting=row["weighting"],
            duration_seconds=latency / 100 if latency is not None else None,
            learner_response=row["learner_response"],
            correct_responses=_responses(row["correct_responses_json"]),
            description=row["description"], timestamp=row["timestamp"]))
    return found


def _number(result: str | None) -> float | None:
    """SCORM lets a result be a number (a score) instead of correct/incorrect/…"""
    try:
        return float(result) if result is not None else None
    except ValueError:
        return None


def _responses(stored: str) -> list[str]:
    return [str(item) for item in json.loads(stored)]
