"""SQL for courses, packages and lessons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Select

from cairn.db.tables import courses, lessons, packages

_LATEST = (select(packages.c.course_id, func.max(packages.c.version).label("latest_version"))
           .group_by(packages.c.course_id).subquery("latest"))


def _courses_with_latest() -> Select[Any]:
    latest_package = (select(packages.c.id).where(packages.c.course_id == courses.c.id)
                      .order_by(packages.c.version.desc()).limit(1).scalar_subquery())
    return (select(courses, _LATEST.c.latest_version,
                   latest_package.label("latest_package_id"))
            .outerjoin(_LATEST, _LATEST.c.course_id == courses.c.id))


def list_courses(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(_courses_with_latest().order_by(courses.c.id)).mappings())


def course_by_id(conn: Connection, course_id: int) -> RowMapping | None:
    query = _courses_with_latest().where(courses.c.id == course_id)
    return conn.execute(query).mappings().first()


def lock_course(conn: Connection, course_id: int) -> bool:
    """Lock the course row so concurrent uploads number their versions one after the other."""
    query = select(courses.c.id).where(courses.c.id == course_id).with_for_update()
    return conn.execute(query).first() is not None


def ensure_course(conn: Connection, *, identifier: str, title: str, created_us: int) -> int:
    """The course with this manifest identifier, created if new; locked either way."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(courses)
                 .values(identifier=identifier, title=title, created_us=created_us)
                 .on_conflict_do_nothing(index_elements=["identifier"]))
    query = select(courses.c.id).where(courses.c.identifier == identifier).with_for_update()
    return int(conn.execute(query).scalar_one())


def set_course_title(conn: Connection, course_id: int, title: str) -> None:
    conn.execute(update(courses).where(courses.c.id == course_id).values(title=title))


def next_version(conn: Connection, course_id: int) -> int:
    query = select(func.coalesce(func.max(packages.c.version), 0)).where(
        packages.c.course_id == course_id)
    return int(conn.execute(query).scalar_one()) + 1


def insert_package(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(packages).values(**values).returning(packages.c.id))
    return int(result.scalar_one())


def insert_lesson(conn: Connection, **values: Any) -> int:
    result = conn.execute(insert(lessons).values(**values).returning(lessons.c.id))
    return int(result.scalar_one())


def package_by_id(conn: Connection, package_id: int) -> RowMapping | None:
    return conn.execute(select(packages).where(packages.c.id == package_id)).mappings().first()


def packages_of_course(conn: Connection, course_id: int) -> list[RowMapping]:
    query = select(packages).where(packages.c.course_id == course_id).order_by(
        packages.c.version)
    return list(conn.execute(query).mappings())


def storage_path(conn: Connection, package_id: int) -> str | None:
    query = select(packages.c.storage_path).where(packages.c.id == package_id)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else str(value)


def _lessons_joined() -> Select[Any]:
    return select(lessons, packages.c.course_id, packages.c.standard, packages.c.edition).join(
        packages, packages.c.id == lessons.c.package_id)


def lessons_of_package(conn: Connection, package_id: int) -> list[RowMapping]:
    query = _lessons_joined().where(lessons.c.package_id == package_id).order_by(
        lessons.c.position)
    return list(conn.execute(query).mappings())


def lesson_by_id(conn: Connection, lesson_id: int) -> RowMapping | None:
    return conn.execute(_lessons_joined().where(lessons.c.id == lesson_id)).mappings().first()
