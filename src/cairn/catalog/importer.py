"""Importing a package zip: check it, extract it, record it, publish its files.

Shared by ``POST /api/v1/packages`` and ``cairn import``. The order is what
keeps a refused or failed import from leaving anything behind: every check
that needs only the zip runs before a byte is written; extraction goes to a
staging folder; the database rows are written in one transaction, the folder
is renamed into place just before that transaction commits, and the folder is
removed again if the commit fails.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cairn.catalog import service, zipsafety
from cairn.catalog.errors import rejected, too_large
from cairn.catalog.storage import ContentStore
from cairn.catalog.zipsafety import Entry, Meter, ZipLimits
from cairn.db.engine import Database
from cairn.scorm.manifest import Manifest, parse_manifest

MANIFEST = "imsmanifest.xml"
MANIFEST_MAX_BYTES = 16 * 1024 * 1024

# (stage, done bytes, total bytes): "checking", then "extracting", then "recording".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportRequest:
    archive: Path
    course_id: int | None
    uploaded_by: str


def import_archive(*, database: Database, content: ContentStore, limits: ZipLimits,
                   request: ImportRequest, progress: Progress | None = None) -> int:
    """Import one zip as a new package version; return the package id."""
    report = progress or _silent
    size = request.archive.stat().st_size
    if size > limits.max_bytes:
        raise too_large("upload_size", f"the package is {size} bytes; the limit is "
                        f"{limits.max_bytes} (CAIRN_PACKAGE_MAX_BYTES)", limit=limits.max_bytes)
    report("checking", 0, size)
    digest = _sha256(request.archive)
    with zipsafety.open_archive(request.archive) as archive:
        entries = zipsafety.check_entries(archive, limits)
        manifest = _manifest(archive, entries, Meter(limits, size))
        _check_launch_files(manifest, entries)
        with content.staging() as staged:
            meter = Meter(limits, size)
            files = zipsafety.extract(archive, entries, staged.path, meter,
                                      lambda done, total: report("extracting", done, total))
            report("recording", meter.total, meter.total)
            with database.writing() as conn:
                package_id = service.record_package(
                    conn=conn, manifest=manifest, course_id=request.course_id,
                    uploaded_by=request.uploaded_by,
                    files=service.StoredFiles(storage_path=staged.key, size_bytes=size,
                                              unpacked_bytes=meter.total, file_count=files,
                                              sha256=digest))
                staged.publish()
    return package_id


def _silent(_stage: str, _done: int, _total: int) -> None:
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(archive: zipfile.ZipFile, entries: dict[str, Entry], meter: Meter) -> Manifest:
    entry = entries.get(MANIFEST)
    if entry is None or entry.is_dir:
        nested = sorted(path for path in entries if path.rsplit("/", 1)[-1].lower() == MANIFEST)
        hint = f" (found '{nested[0]}'; zip the package's contents, not its folder)" if nested \
            else ""
        raise rejected("no_manifest", f"the zip has no {MANIFEST} at its root{hint}")
    if entry.info.file_size > MANIFEST_MAX_BYTES:
        raise too_large("manifest_size", f"{MANIFEST} is larger than {MANIFEST_MAX_BYTES} bytes")
    return parse_manifest(zipsafety.read_member(archive, entry, meter))


def _check_launch_files(manifest: Manifest, entries: dict[str, Entry]) -> None:
    files = {path for path, entry in entries.items() if not entry.is_dir}
    by_lower = {path.lower(): path for path in files}
    for path, item in manifest.launch_files().items():
        if path in files:
            continue
        near = by_lower.get(path.lower())
        hint = f" (the zip has '{near}'; names are case-sensitive)" if near else ""
        raise rejected("launch_file_missing", f"item '{item}' launches '{path}', which is not "
                       f"in the package{hint}", item=item, file=path)
