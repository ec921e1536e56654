"""Courses, package versions and lessons: recording imports and looking them up.

Services take the caller's connection and never commit. Recording a package
locks its course row first, so two uploads of the same course at once get
versions n and n+1 rather than a clash; older versions are never touched,
because sessions keep the version they ran.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import Connection

from cairn.catalog import store
from cairn.catalog.models import Course, CourseDetail, Lesson, Package, PackageSummary
from cairn.clock import now_us
from cairn.errors import NotFound
from cairn.scorm.manifest import Manifest, ManifestItem


@dataclass(frozen=True)
class StoredFiles:
    """Where the extracted files of a package went and what they weigh."""

    storage_path: str
    size_bytes: int
    unpacked_bytes: int
    file_count: int
    sha256: str


def record_package(*, conn: Connection, manifest: Manifest, files: StoredFiles,
                   course_id: int | None, uploaded_by: str) -> int:
    """Store a new version of a course (found by id, by manifest identifier, or created)."""
    now = now_us()
    if course_id is None:
        course_id = store.ensure_course(conn, identifier=manifest.identifier,
                                        title=manifest.title, created_us=now)
    elif not store.lock_course(conn, course_id):
        raise NotFound(f"course_id: there is no course {course_id}")
    store.set_course_title(conn, course_id, manifest.title)
    package_id = store.insert_package(
        conn, course_id=course_id, version=store.next_version(conn, course_id),
        standard=manifest.standard, edition=manifest.edition,
        manifest_identifier=manifest.identifier, title=manifest.title,
        organization_identifier=manifest.organization_identifier,
        objectives_global_to_system=manifest.objectives_global_to_system,
        shared_data_global_to_system=manifest.shared_data_global_to_system,
        organization_sequencing_xml=manifest.organization_sequencing_xml,
        sequencing_collection_xml=manifest.sequencing_collection_xml,
        uploaded_by=uploaded_by, uploaded_us=now, **asdict(files),
    )
    ids: dict[str, int] = {}
    for position, item in enumerate(manifest.items):
        parent_id = ids[item.parent] if item.parent is not None else None
        ids[item.identifier] = store.insert_lesson(
            conn, package_id=package_id, parent_id=parent_id, position=position,
            **_lesson_values(item))
    return package_id


def _lesson_values(item: ManifestItem) -> dict[str, object]:
    return {
        "depth": item.depth, "identifier": item.identifier,
        "resource_identifier": item.resource_identifier, "title": item.title,
        "is_sco": item.is_sco, "is_visible": item.is_visible, "launch_href": item.launch_href,
        "parameters": item.parameters, "mastery_score": item.mastery_score,
        "completion_threshold": item.completion_threshold,
        "completed_by_measure": item.completed_by_measure,
        "scaled_passing_score": item.scaled_passing_score,
        "max_time_allowed": item.max_time_allowed, "time_limit_action": item.time_limit_action,
        "data_from_lms": item.data_from_lms,
        "objectives_json": json.dumps([asdict(objective) for objective in item.objectives]),
        "sequencing_xml": item.sequencing_xml,
    }


def list_courses(*, conn: Connection) -> list[Course]:
    return [Course.from_row(row) for row in store.list_courses(conn)]


def get_course(*, conn: Connection, course_id: int) -> CourseDetail:
    row = store.course_by_id(conn, course_id)
    if row is None:
        raise NotFound(f"there is no course {course_id}")
    versions = [PackageSummary.from_row(package) for package in
                store.packages_of_course(conn, course_id)]
    return CourseDetail(**Course.from_row(row).model_dump(), versions=versions)


def get_package(*, conn: Connection, package_id: int) -> Package:
    """A package version with its lessons in table of contents order."""
    row = store.package_by_id(conn, package_id)
    if row is None:
        raise NotFound(f"there is no package {package_id}")
    return Package.with_lessons(row, package_lessons(conn=conn, package_id=package_id))


def latest_package(*, conn: Connection, course_id: int) -> Package:
    """The newest version of a course, which new launches use."""
    course = get_course(conn=conn, course_id=course_id)
    if not course.versions:
        raise NotFound(f"course {course_id} has no package")
    return get_package(conn=conn, package_id=course.versions[-1].id)


def package_lessons(*, conn: Connection, package_id: int) -> list[Lesson]:
    return [Lesson.from_row(row) for row in store.lessons_of_package(conn, package_id)]


def get_lesson(*, conn: Connection, lesson_id: int) -> Lesson:
    row = store.lesson_by_id(conn, lesson_id)
    if row is None:
        raise NotFound(f"there is no lesson {lesson_id}")
    return Lesson.from_row(row)


def first_launchable(*, conn: Connection, package_id: int) -> Lesson:
    """The first lesson in table of contents order that launches something."""
    for lesson in package_lessons(conn=conn, package_id=package_id):
        if lesson.launch_url is not None:
            return lesson
    raise NotFound(f"package {package_id} has no launchable lesson")


def package_storage_path(*, conn: Connection, package_id: int) -> str:
    path = store.storage_path(conn, package_id)
    if path is None:
        raise NotFound(f"there is no package {package_id}")
    return path
