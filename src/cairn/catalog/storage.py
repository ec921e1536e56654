"""Content files on disk, under ``CAIRN_DATA_DIR/content``.

Layout::

    content/packages/<key>/...   one folder per package version, named by a random key
    content/.staging/<key>/      a package being extracted (renamed into packages/ when ready)
    content/.uploads/<name>.zip  an upload being received

A package folder appears in ``packages/`` by one atomic rename, made only once
the database rows are written and just before their transaction commits; if
anything fails, before or after the rename, the folder is removed, so a
refused or failed import leaves neither rows nor files.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cairn.catalog.paths import UnsafePath, clean_relative
from cairn.config import Settings

STALE_SECONDS = 24 * 3600


class StagedPackage:
    """A folder being filled with one package's files, published by :meth:`publish`."""

    def __init__(self, key: str, staging: Path, final: Path) -> None:
        self.key = key
        self.path = staging
        self.final = final
        self.published = False

    def publish(self) -> None:
        """Move the extracted files into place (one rename on the same file system)."""
        self.path.rename(self.final)
        self.published = True

    def discard(self) -> None:
        shutil.rmtree(self.final if self.published else self.path, ignore_errors=True)


class ContentStore:
    """Where package files live; the content route and the importer share it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.packages = root / "packages"
        self.staging_root = root / ".staging"
        self.uploads = root / ".uploads"

    @classmethod
    def from_settings(cls, settings: Settings) -> ContentStore:
        return cls(settings.data_dir / "content")

    @contextmanager
    def staging(self) -> Iterator[StagedPackage]:
        """A fresh staging folder; removed (or un-published) if the block raises."""
        for folder in (self.packages, self.staging_root):
            folder.mkdir(parents=True, exist_ok=True)
        _sweep(self.staging_root)
        key = secrets.token_hex(16)
        staged = StagedPackage(key, self.staging_root / key, self.packages / key)
        staged.path.mkdir()
        try:
            yield staged
        except BaseException:
            staged.discard()
            raise
        if not staged.published:
            staged.discard()

    @contextmanager
    def upload_file(self) -> Iterator[Path]:
        """A private temporary file for an incoming upload, deleted afterwards."""
        self.uploads.mkdir(parents=True, exist_ok=True)
        _sweep(self.uploads)
        path = self.uploads / f"{secrets.token_hex(16)}.zip"
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

    def file(self, storage_path: str, relative: str) -> Path | None:
        """The file ``relative`` inside a package folder, or None if there is no such file.

        Raises :class:`UnsafePath` when ``relative`` tries to leave the folder.
        """
        folder = (self.packages / clean_relative(storage_path)).resolve()
        candidate = folder.joinpath(*clean_relative(relative).split("/")).resolve()
        if not candidate.is_relative_to(folder):
            raise UnsafePath("leaves the package folder")
        return candidate if candidate.is_file() else None

    def remove(self, storage_path: str) -> None:
        shutil.rmtree(self.packages / clean_relative(storage_path), ignore_errors=True)


def _sweep(folder: Path) -> None:
    """Remove leftovers of imports interrupted by a crash (older than a day)."""
    cutoff = time.time() - STALE_SECONDS
    for child in folder.iterdir():
        try:
            if child.stat().st_mtime < cutoff:
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
