"""``cairn import``: the importer with a progress bar on the terminal."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from cairn.catalog import importer, service
from cairn.catalog.storage import ContentStore
from cairn.catalog.zipsafety import ZipLimits
from cairn.config import Settings
from cairn.db.engine import Database


def import_with_progress(*, database: Database, settings: Settings, path: Path,
                         course_id: int | None) -> str:
    """Import ``path``, drawing progress on stderr; return a one-line summary."""
    columns = (TextColumn("{task.description:<10}"), BarColumn(), DownloadColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("checking", total=None)

        def report(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        package_id = importer.import_archive(
            database=database, content=ContentStore.from_settings(settings),
            limits=ZipLimits.from_settings(settings), progress=report,
            request=importer.ImportRequest(archive=path, course_id=course_id,
                                           uploaded_by="cli"))
    with database.reading() as conn:
        package = service.get_package(conn=conn, package_id=package_id)
    launchable = sum(1 for lesson in package.lessons if lesson.launch_url is not None)
    edition = f" {package.edition} edition" if package.edition else ""
    return (f"imported {path.name}: course {package.course_id} version {package.version} "
            f"(package {package.id}, {package.standard}{edition}), "
            f"{launchable} launchable lesson(s) of {len(package.lessons)}")
