"""A small, fully known world of learners, courses and sessions for report tests.

Rows go straight into the tables (the runtime's own tests cover how they get
there), so each report test states exactly what it expects.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from cairn.clock import datetime_to_us
from cairn.db.engine import Database
from cairn.db.tables import (
    attempts,
    courses,
    learners,
    lessons,
    packages,
    session_interactions,
    sessions,
    teams,
)
from cairn.sessions import store as sessions_store
from cairn.sessions.events import Score

DAY_US = 86_400_000_000
BASE_US = datetime_to_us(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))  # a Monday


def day(number: float) -> int:
    """Microseconds of ``number`` days after the world's first day (2026-03-02 09:00 UTC)."""
    return BASE_US + int(number * DAY_US)


@dataclass
class World:
    database: Database
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _write(self, table: Any, **values: Any) -> int:
        with self.database.writing() as conn:
            return int(conn.execute(insert(table).values(**values)
                                    .returning(table.c.id)).scalar_one())

    def team(self, name: str, manager_user_id: int | None = None) -> int:
        return self._write(teams, name=name, manager_user_id=manager_user_id, created_us=BASE_US)

    def learner(self, external_id: str, name: str = "", team_id: int | None = None,
                user_id: int | None = None, email: str | None = None) -> int:
        return self._write(learners, external_id=external_id, name=name, team_id=team_id,
                           user_id=user_id, email=email, created_us=BASE_US,
                           updated_us=BASE_US)

    def course(self, title: str, standard: str = "scorm2004", lessons_count: int = 2,
               container: bool = True) -> tuple[int, int, list[int]]:
        """A course with one package; returns (course id, package id, SCO lesson ids)."""
        number = next(self._counter)
        course_id = self._write(courses, identifier=f"course-{number}", title=title,
                                created_us=BASE_US)
        package_id = self._write(
            packages, course_id=course_id, version=1, standard=standard,
            edition="4" if standard == "scorm2004" else None,
            manifest_identifier=f"m-{number}", title=title, storage_path=f"p-{number}",
            size_bytes=1, unpacked_bytes=1, file_count=1, sha256="0" * 64,
            uploaded_by="test", uploaded_us=BASE_US)
        position = 0
        parent = None
        if container:
            parent = self._write(lessons, package_id=package_id, position=position, depth=0,
                                 identifier="root", title=f"{title} (all)", is_sco=False)
            position += 1
        sco_ids = []
        for index in range(lessons_count):
            sco_ids.append(self._write(
                lessons, package_id=package_id, parent_id=parent, position=position, depth=1,
                identifier=f"lesson-{index + 1}", title=f"{title} lesson {index + 1}",
                is_sco=True, launch_href="index.html"))
            position += 1
        return course_id, package_id, sco_ids

    def session(self, learner_id: int, lesson_id: int, package_id: int, *, start: float,
                minutes: float = 10, state: str = "terminated", completion: str = "unknown",
                success: str = "unknown", scaled: float | None = None,
                raw: float | None = None, progress: float | None = None,
                attempt_id: int | None = None, updated: float | None = None) -> int:
        """A session (in a new attempt unless ``attempt_id`` is given); returns its id."""
        started = day(start)
        session_cs = int(minutes * 6000)
        with self.database.writing() as conn:
            if attempt_id is None:
                attempt_id = _new_attempt(conn, learner_id, lesson_id, package_id, started)
            prior = int(conn.execute(attempts.select().where(attempts.c.id == attempt_id))
                        .mappings().one()["total_time_cs"])
            total = prior + session_cs
            ended = started + int(minutes * 60_000_000) if state != "open" else None
            changed = day(updated) if updated is not None else (ended or started)
            sessions_store.set_attempt_progress(
                conn, attempt_id, total_time_cs=total, moment=changed,
                completion_status=completion, success_status=success, progress_measure=progress,
                score=Score(scaled=scaled, raw=raw, min=0 if raw is not None else None,
                            max=100 if raw is not None else None)
                if scaled is not None or raw is not None else None)
            return sessions_store.insert_session(conn, **dict(
                attempt_id=attempt_id, learner_id=learner_id, lesson_id=lesson_id, state=state,
                started_us=started,
                updated_us=changed,
                ended_us=ended, prior_total_time_cs=prior, session_time_cs=session_cs,
                total_time_cs=total, completion_status=completion, success_status=success,
                score_scaled=scaled, score_raw=raw, score_min=0 if raw is not None else None,
                score_max=100 if raw is not None else None, progress_measure=progress,
                commit_count=3))

    def attempt_of(self, session_id: int) -> int:
        with self.database.reading() as conn:
            return int(conn.execute(sessions.select().where(sessions.c.id == session_id))
                       .mappings().one()["attempt_id"])

    def interaction(self, session_id: int, position: int, identifier: str, **values: Any
                    ) -> None:
        self._write(session_interactions, session_id=session_id, position=position,
                    identifier=identifier, **values)


def _new_attempt(conn: Connection, learner_id: int, lesson_id: int, package_id: int,
                 started: int) -> int:
    previous = conn.execute(attempts.select().where(
        attempts.c.learner_id == learner_id, attempts.c.lesson_id == lesson_id)).all()
    conn.execute(update(attempts).where(attempts.c.learner_id == learner_id,
                                        attempts.c.lesson_id == lesson_id)
                 .values(state="ended", ended_us=started))
    return int(conn.execute(insert(attempts).values(
        learner_id=learner_id, lesson_id=lesson_id, package_id=package_id,
        number=len(previous) + 1, state="active", started_us=started, updated_us=started)
        .returning(attempts.c.id)).scalar_one())


EVIL_NAME = "=cmd|' /C calc'!A0"


@dataclass
class Scene:
    """The shared report-test world: ids of what it holds, and a caller per role."""

    world: World
    headers: dict[str, dict[str, str]]
    north: int
    south: int
    ada: int
    bob: int
    eve: int
    safety: int
    safety_package: int
    safety_lessons: list[int]
    ethics: int
    ethics_package: int
    ethics_lessons: list[int]
    sessions: dict[str, int]


def assert_refused(client: Any, url: str, params: dict[str, str], headers: dict[str, str],
                   named: str) -> None:
    """A 400 in the REST error shape whose message names the bad parameter."""
    answer = client.get(url, params=params, headers=headers)
    assert answer.status_code == 400, answer.text
    assert set(answer.json()) == {"error", "message", "details"}
    assert named in answer.json()["message"]
