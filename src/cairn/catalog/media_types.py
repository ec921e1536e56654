"""Content types for files inside packages.

The operating system's MIME table differs from machine to machine (and maps
``.js`` to ``application/x-javascript`` or nothing on some), while browsers
refuse scripts, fonts and subtitles with the wrong type once ``nosniff`` is
set. So the types content needs are fixed here; :mod:`mimetypes` is only the
fallback for the rest.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
    ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".map": "application/json", ".xml": "application/xml",
    ".xsd": "application/xml", ".txt": "text/plain", ".csv": "text/csv",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".bmp": "image/bmp",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
    ".mov": "video/quicktime",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg",
    ".wav": "audio/wav", ".aac": "audio/aac",
    ".vtt": "text/vtt", ".srt": "application/x-subrip",
    ".pdf": "application/pdf", ".wasm": "application/wasm", ".swf": "application/x-shockwave-flash",
    ".zip": "application/zip",
}
FALLBACK = "application/octet-stream"


def media_type(path: str) -> str:
    """The Content-Type to serve ``path`` with."""
    suffix = PurePosixPath(path).suffix.lower()
    known = MEDIA_TYPES.get(suffix)
    if known is not None:
        return known
    guessed, _encoding = mimetypes.guess_type(path, strict=False)
    return guessed or FALLBACK
