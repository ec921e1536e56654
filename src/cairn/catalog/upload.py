"""Receiving a package upload (multipart field ``file``) into a private file, within limits.

The declared Content-Length is checked before the body is read, and the
bytes are counted again while copying, since a client may not declare any.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from cairn.catalog.errors import too_large
from cairn.errors import InvalidInput

FORM_OVERHEAD_BYTES = 1024 * 1024
COPY_CHUNK_BYTES = 1024 * 1024


async def receive(request: Request, destination: Path, max_bytes: int) -> int | None:
    """Copy the uploaded zip to ``destination``; return the optional ``course_id`` field."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD_BYTES:
        raise _too_large(int(declared), max_bytes)
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file: send the package zip as the multipart/form-data field "
                               "'file'")
        course_id = _course_id(form.get("course_id"))
        await run_in_threadpool(_copy_limited, upload.file, destination, max_bytes)
        return course_id


def _course_id(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise InvalidInput(f"course_id: {value!r} is not a course id")


def _copy_limited(source: BinaryIO, destination: Path, max_bytes: int) -> None:
    copied = 0
    with destination.open("xb") as out:
        while chunk := source.read(COPY_CHUNK_BYTES):
            copied += len(chunk)
            if copied > max_bytes:
                raise _too_large(copied, max_bytes)
            out.write(chunk)


def _too_large(size: int, max_bytes: int) -> Exception:
    return too_large("upload_size", f"the upload is {size} bytes or more; the limit is "
                     f"{max_bytes} (CAIRN_PACKAGE_MAX_BYTES)", limit=max_bytes)
