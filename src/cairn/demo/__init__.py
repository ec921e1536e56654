"""Cairn's own demo course: one SCORM 2004 and one SCORM 1.2 lesson, written for Cairn.

``cairn demo`` (and ``make run``) builds the two packages from
``content/`` -- a shared page and script plus each version's manifest --
and imports them like any upload, once: a course that is already there is
left alone. Each lesson has a resume point, a three-question quiz recorded
as interactions, a score against a passing mark, an objective, and a
suspend-data state of 70,000 characters -- more than SCORM 2004 guarantees
(64,000) -- which a server in strict SCORM 1.2 mode refuses for the 1.2
lesson, which then keeps a compact 3,000-character state.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cairn.catalog import importer
from cairn.catalog import service as catalog
from cairn.catalog.storage import ContentStore
from cairn.catalog.zipsafety import ZipLimits
from cairn.config import Settings
from cairn.db.engine import Database

CONTENT = Path(__file__).parent / "content"
VERSIONS = ("scorm2004", "scorm12")


@dataclass(frozen=True)
class DemoCourse:
    identifier: str
    course_id: int
    imported: bool


def course_identifier(version: str) -> str:
    manifest = (CONTENT / version / "imsmanifest.xml").read_text()
    start = manifest.index('identifier="', manifest.index("<manifest")) + len('identifier="')
    return manifest[start:manifest.index('"', start)]


def build_package(version: str, destination: Path) -> Path:
    """Zip one version's manifest with the shared lesson files."""
    archive = destination / f"cairn-demo-{version}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(CONTENT / version / "imsmanifest.xml", "imsmanifest.xml")
        for path in sorted((CONTENT / "shared").iterdir()):
            bundle.write(path, path.name)
    return archive


def install(*, database: Database, settings: Settings) -> list[DemoCourse]:
    """Import the demo lessons that are not there yet; report both."""
    with database.reading() as conn:
        present = {course.identifier: course.id for course in catalog.list_courses(conn=conn)}
    installed = []
    with tempfile.TemporaryDirectory(prefix="cairn-demo-") as folder:
        for version in VERSIONS:
            identifier = course_identifier(version)
            if identifier in present:
                installed.append(DemoCourse(identifier, present[identifier], imported=False))
                continue
            package_id = importer.import_archive(
                database=database, content=ContentStore.from_settings(settings),
                limits=ZipLimits.from_settings(settings),
                request=importer.ImportRequest(archive=build_package(version, Path(folder)),
                                               course_id=None, uploaded_by="cairn demo"))
            with database.reading() as conn:
                course_id = catalog.get_package(conn=conn, package_id=package_id).course_id
            installed.append(DemoCourse(identifier, course_id, imported=True))
    return installed
