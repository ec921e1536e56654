"""Package-relative paths: one rule for zip entries, manifest hrefs and served files.

A path inside a package is a sequence of plain names joined by ``/``. Anything
that could address a file outside the package (``..``, a leading ``/``, a
Windows drive or a backslash, which some unzip tools treat as a separator) is
refused rather than repaired, so the three places that take paths from
content agree on what is safe.
"""

from __future__ import annotations

import re

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafePath(ValueError):
    """The path could address something outside its package."""


def clean_relative(raw: str) -> str:
    """Return ``raw`` with empty and ``.`` segments dropped, or raise :class:`UnsafePath`."""
    if "\x00" in raw:
        raise UnsafePath("contains a NUL character")
    if "\\" in raw:
        raise UnsafePath("contains a backslash")
    if raw.startswith("/"):
        raise UnsafePath("is an absolute path")
    if _DRIVE.match(raw):
        raise UnsafePath("starts with a drive letter")
    segments = [segment for segment in raw.split("/") if segment not in ("", ".")]
    if ".." in segments:
        raise UnsafePath("climbs out of the package with '..'")
    if not segments:
        raise UnsafePath("names no file")
    return "/".join(segments)
