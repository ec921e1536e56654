"""SQL for the drill-down: one learner's sessions, and the lessons of a course version."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, RowMapping, func, select

from cairn.db.tables import attempts, courses, lessons, packages, sessions


def learner_sessions(conn: Connection, learner_id: int, *, course_id: int | None = None,
                     lesson_id: int | None = None) -> list[RowMapping]:
    """The learner's sessions, oldest first, with their attempt, course and version."""
    query = (select(sessions.c.id, sessions.c.lesson_id, sessions.c.state,
                    sessions.c.started_us, sessions.c.updated_us, sessions.c.ended_us,
                    sessions.c.completion_status, sessions.c.success_status,
                    sessions.c.score_scaled, sessions.c.score_raw, sessions.c.session_time_cs,
                    sessions.c.attempt_id, attempts.c.number.label("attempt_number"),
                    attempts.c.package_id, packages.c.version.label("package_version"),
                    packages.c.course_id, courses.c.title.label("course_title"))
             .join(attempts, attempts.c.id == sessions.c.attempt_id)
             .join(packages, packages.c.id == attempts.c.package_id)
             .join(courses, courses.c.id == packages.c.course_id)
             .where(sessions.c.learner_id == learner_id)
             .order_by(sessions.c.started_us, sessions.c.id))
    if course_id is not None:
        query = query.where(packages.c.course_id == course_id)
    if lesson_id is not None:
        query = query.where(sessions.c.lesson_id == lesson_id)
    return list(conn.execute(query).mappings())


def sco_lessons(conn: Connection, package_ids: Collection[int]) -> list[RowMapping]:
    """The lessons a learner has to do (SCOs, not containers) of these versions, in order."""
    return list(conn.execute(
        select(lessons.c.id, lessons.c.package_id, lessons.c.title, lessons.c.position)
        .where(lessons.c.package_id.in_(list(package_ids)), lessons.c.is_sco.is_(True))
        .order_by(lessons.c.package_id, lessons.c.position)).mappings())


def course_by_id(conn: Connection, course_id: int) -> RowMapping | None:
    latest = (select(func.max(packages.c.id)).where(packages.c.course_id == courses.c.id)
              .scalar_subquery())
    return conn.execute(select(courses.c.id, courses.c.title,
                               latest.label("latest_package_id"))
                        .where(courses.c.id == course_id)).mappings().first()


def package_version(conn: Connection, package_id: int) -> int:
    return int(conn.execute(select(packages.c.version).where(packages.c.id == package_id))
               .scalar_one())


def lesson_exists(conn: Connection, lesson_id: int) -> bool:
    return conn.execute(select(lessons.c.id).where(lessons.c.id == lesson_id)).first() \
        is not None


def session_of_learner(conn: Connection, session_id: int, learner_id: int) -> bool:
    return conn.execute(select(sessions.c.id).where(
        sessions.c.id == session_id, sessions.c.learner_id == learner_id)).first() is not None
