"""Opening and extracting an uploaded zip without trusting it.

A package comes from outside, so every entry name is checked before anything
is written (no ``..``, absolute paths, drive letters, backslashes, links or
device files), and sizes are *measured* while decompressing: the sizes in the
zip headers are only used to refuse early, never to decide that an entry is
safe. Limits come from settings (``CAIRN_PACKAGE_MAX_*``).
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cairn.catalog.errors import rejected, too_large
from cairn.catalog.paths import UnsafePath, clean_relative
from cairn.config import Settings

CHUNK_BYTES = 64 * 1024
# Small entries compress extremely well without being dangerous (a page of
# spaces); the per-entry ratio is judged once an entry has produced this much.
RATIO_FLOOR_BYTES = 1024 * 1024
ENCRYPTED_FLAG = 0x1

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ZipLimits:
    """How much a package may weigh, packed and unpacked."""

    max_bytes: int
    max_unpacked_bytes: int
    max_ratio: float
    max_files: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ZipLimits:
        return cls(max_bytes=settings.package_max_bytes,
                   max_unpacked_bytes=settings.package_max_unpacked_bytes,
                   max_ratio=settings.package_max_ratio, max_files=settings.package_max_files)


@dataclass(frozen=True)
class Entry:
    """One checked zip entry: its cleaned package-relative path and whether it is a folder."""

    info: zipfile.ZipInfo
    path: str
    is_dir: bool


@contextmanager
def open_archive(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open ``path`` as a zip, refusing anything that is not one."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise rejected("not_a_zip", f"the upload is not a zip archive ({exc})") from exc
    with archive:
        yield archive


def check_entries(archive: zipfile.ZipFile, limits: ZipLimits) -> dict[str, Entry]:
    """Check every entry's name and kind, and the declared totals; index them by path."""
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise too_large("too_many_files", f"the package has {len(infos)} entries; the limit is "
                        f"{limits.max_files} (CAIRN_PACKAGE_MAX_FILES)", limit=limits.max_files)
    entries: dict[str, Entry] = {}
    for info in infos:
        entry = _checked(info)
        if entry.path in entries and not (entry.is_dir and entries[entry.path].is_dir):
            raise rejected("duplicate_entry", f"the zip holds '{entry.path}' more than once",
                           entry=entry.path)
        entries[entry.path] = entry
    _refuse_files_used_as_folders(entries)
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unpacked_bytes:
        raise _unpacked_too_large(declared, limits)
    return entries


def _checked(info: zipfile.ZipInfo) -> Entry:
    name = info.filename
    try:
        path = clean_relative(name)
    except UnsafePath as exc:
        raise rejected("unsafe_path", f"zip entry '{name}' {exc}", entry=name) from exc
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise rejected("symlink", f"zip entry '{name}' is a symbolic link; packages may hold "
                       "only files and folders", entry=name)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise rejected("special_file", f"zip entry '{name}' is not a regular file or folder",
                       entry=name)
    if info.flag_bits & ENCRYPTED_FLAG:
        raise rejected("encrypted", f"zip entry '{name}' is encrypted", entry=name)
    return Entry(info=info, path=path, is_dir=info.is_dir() or kind == stat.S_IFDIR)


def _refuse_files_used_as_folders(entries: dict[str, Entry]) -> None:
    for path in entries:
        parts = path.split("/")
        for end in range(1, len(parts)):
            parent = entries.get("/".join(parts[:end]))
            if parent is not None and not parent.is_dir:
                raise rejected("duplicate_entry", f"zip entry '{path}' is inside "
                               f"'{parent.path}', which is a file", entry=path)


class Meter:
    """Counts bytes as they are decompressed and stops at the first broken limit."""

    def __init__(self, limits: ZipLimits, archive_bytes: int) -> None:
        self.limits = limits
        self.archive_bytes = max(archive_bytes, 1)
        self.total = 0

    def chunks(self, archive: zipfile.ZipFile, entry: Entry) -> Iterator[bytes]:
        produced = 0
        try:
            with archive.open(entry.info) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    produced += len(chunk)
                    self.total += len(chunk)
                    self._check(entry, produced)
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise rejected("corrupt_zip", f"zip entry '{entry.path}' cannot be read: {exc}",
                           entry=entry.path) from exc
        except NotImplementedError as exc:
            raise rejected("unsupported_compression", f"zip entry '{entry.path}' uses a "
                           f"compression method Cairn cannot read: {exc}",
                           entry=entry.path) from exc

    def _check(self, entry: Entry, produced: int) -> None:
        limits = self.limits
        if produced > entry.info.file_size:
            raise too_large("zip_bomb", f"zip entry '{entry.path}' unpacks to more than the "
                            f"{entry.info.file_size} bytes its header declares", entry=entry.path)
        if self.total > limits.max_unpacked_bytes:
            raise _unpacked_too_large(self.total, limits)
        entry_ratio = produced / max(entry.info.compress_size, 1)
        if produced > RATIO_FLOOR_BYTES and entry_ratio > limits.max_ratio:
            raise _ratio_too_high(f"zip entry '{entry.path}'", entry_ratio, limits)
        overall = self.total / self.archive_bytes
        if self.total > RATIO_FLOOR_BYTES and overall > limits.max_ratio:
            raise _ratio_too_high("the package", overall, limits)


def _unpacked_too_large(size: int, limits: ZipLimits) -> Exception:
    return too_large("unpacked_size", f"the package unpacks to more than "
                     f"{limits.max_unpacked_bytes} bytes (CAIRN_PACKAGE_MAX_UNPACKED_BYTES); "
                     f"{size} bytes so far", limit=limits.max_unpacked_bytes)


def _ratio_too_high(what: str, ratio: float, limits: ZipLimits) -> Exception:
    return too_large("zip_bomb", f"{what} expands more than {limits.max_ratio:g} times its "
                     f"compressed size ({ratio:.0f}x; CAIRN_PACKAGE_MAX_RATIO)",
                     limit=limits.max_ratio)


def read_member(archive: zipfile.ZipFile, entry: Entry, meter: Meter) -> bytes:
    """Read one entry fully into memory, measured like an extraction."""
    return b"".join(meter.chunks(archive, entry))


def extract(archive: zipfile.ZipFile, entries: dict[str, Entry], target: Path, meter: Meter,
            progress: Progress | None = None) -> int:
    """Write every entry under ``target`` (an empty folder); return the number of files.

    Files are created exclusively and never through a link, with fixed
    permissions; the zip's own modes (executable bits, set-uid) are ignored.
    """
    declared = sum(entry.info.file_size for entry in entries.values())
    files = 0
    for entry in entries.values():
        destination = target.joinpath(*entry.path.split("/"))
        if entry.is_dir:
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                             0o644)
        with os.fdopen(descriptor, "wb") as out:
            for chunk in meter.chunks(archive, entry):
                out.write(chunk)
                if progress is not None:
                    progress(meter.total, declared)
        files += 1
    return files
