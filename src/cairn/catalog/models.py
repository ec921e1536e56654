"""What the catalog hands out: courses, package versions and lessons.

These are the types other contexts (the SCORM runtime, sessions, reports)
receive from :mod:`cairn.catalog.service`; they never read catalog rows
themselves.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import RowMapping

from cairn.clock import us_to_iso
from cairn.scorm.manifest import join_parameters

Standard = Literal["scorm12", "scorm2004"]


class Objective(BaseModel):
    """An objective the manifest declares for a lesson (SCORM 2004 ``imsss:objectives``)."""

    id: str
    primary: bool
    satisfied_by_measure: bool
    min_normalized_measure: float | None


class Lesson(BaseModel):
    """One item of a package's table of contents; launchable when ``launch_url`` is set.

    ``launch_url`` is relative to the package's content root, i.e. the player
    loads ``/content/{package_id}/{launch_url}``.
    """

    id: int
    package_id: int
    course_id: int
    standard: Standard
    edition: str | None
    parent_id: int | None
    position: int
    depth: int
    identifier: str
    resource_identifier: str | None
    title: str
    is_sco: bool
    is_visible: bool
    launch_href: str | None
    parameters: str | None
    launch_url: str | None
    mastery_score: float | None
    completion_threshold: float | None
    completed_by_measure: bool
    scaled_passing_score: float | None
    max_time_allowed: str | None
    time_limit_action: str | None
    data_from_lms: str | None
    objectives: list[Objective]
    sequencing_xml: str | None

    def content_path(self) -> str | None:
        """The absolute path the player's iframe loads, or None for a folder item."""
        if self.launch_url is None:
            return None
        return f"/content/{self.package_id}/{self.launch_url}"

    @classmethod
    def from_row(cls, row: RowMapping) -> Lesson:
        href = row["launch_href"]
        return cls(
            **{name: row[name] for name in _LESSON_COLUMNS},
            launch_url=join_parameters(href, row["parameters"]) if href else None,
            objectives=[Objective(**entry) for entry in json.loads(row["objectives_json"])],
        )


_LESSON_COLUMNS = (
    "id", "package_id", "course_id", "standard", "edition", "parent_id", "position", "depth",
    "identifier", "resource_identifier", "title", "is_sco", "is_visible", "launch_href",
    "parameters", "mastery_score", "completion_threshold", "completed_by_measure",
    "scaled_passing_score", "max_time_allowed", "time_limit_action", "data_from_lms",
    "sequencing_xml",
)


class PackageSummary(BaseModel):
    """One uploaded version of a course's content."""

    id: int
    course_id: int
    version: int
    standard: Standard
    edition: str | None
    manifest_identifier: str
    title: str
    size_bytes: int
    unpacked_bytes: int
    file_count: int
    sha256: str
    uploaded_by: str
    uploaded_at: str

    @classmethod
    def from_row(cls, row: RowMapping) -> PackageSummary:
        return cls(**{name: row[name] for name in cls.model_fields if name != "uploaded_at"},
                   uploaded_at=us_to_iso(row["uploaded_us"]))


class Package(PackageSummary):
    """A version with what a player and a sequencing engine need, and its lessons in order."""

    organization_identifier: str | None
    objectives_global_to_system: bool
    shared_data_global_to_system: bool
    organization_sequencing_xml: str | None
    sequencing_collection_xml: str | None
    lessons: list[Lesson]

    @classmethod
    def with_lessons(cls, row: RowMapping, lessons: list[Lesson]) -> Package:
        summary = PackageSummary.from_row(row)
        extra: dict[str, Any] = {name: row[name] for name in (
            "organization_identifier", "objectives_global_to_system",
            "shared_data_global_to_system", "organization_sequencing_xml",
            "sequencing_collection_xml")}
        return cls(**summary.model_dump(), **extra, lessons=lessons)


class Course(BaseModel):
    """A course: the stable name for content that may have several versions."""

    id: int
    identifier: str
    title: str
    created_at: str
    latest_version: int | None
    latest_package_id: int | None

    @classmethod
    def from_row(cls, row: RowMapping) -> Course:
        return cls(id=row["id"], identifier=row["identifier"], title=row["title"],
                   created_at=us_to_iso(row["created_us"]),
                   latest_version=row["latest_version"],
                   latest_package_id=row["latest_package_id"])


class CourseDetail(Course):
    versions: list[PackageSummary]
