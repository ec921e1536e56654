"""Bad packages are refused through the real upload API, naming the problem, storing nothing.

Each case builds its own small zip. After every refusal the database has no
course, package or lesson row and the content folder holds no file: not in
place, not half-extracted in staging, not as a leftover upload.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.scorm_packages import (
    add_symlink,
    assert_nothing_stored,
    build_zip,
    manifest,
    simple_manifest,
    simple_package,
    upload,
)

from cairn.accounts.models import Role
from cairn.app import create_app
from cairn.config import Settings
from cairn.db.engine import Database

TokenFactory = Callable[[Role], dict[str, str]]
LESSON = "<html>lesson</html>"


def _patch_central_directory(path: Path, name: bytes, field: int, fmt: str,
                             value: int | Callable[[int], int]) -> None:
    """Overwrite one field of an entry's central-directory record (what zipfile trusts)."""
    data = bytearray(path.read_bytes())
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46:offset + 46 + name_length] == name:
            old = struct.unpack_from(fmt, data, offset + field)[0]
            struct.pack_into(fmt, data, offset + field, value(old) if callable(value) else value)
        offset = data.find(b"PK\x01\x02", offset + 4)
    path.write_bytes(bytes(data))


def _lying_header(tmp_path: Path) -> Path:
    """An entry whose central-directory size claims 100 bytes for 200 kB of data."""
    path = build_zip(tmp_path / "lying.zip", {"imsmanifest.xml": simple_manifest(),
                                              "index.html": LESSON, "big.bin": bytes(200_000)})
    _patch_central_directory(path, b"big.bin", 24, "<I", 100)
    return path


def _encrypted(tmp_path: Path) -> Path:
    """An entry flagged as encrypted (general purpose bit 0)."""
    path = simple_package(tmp_path / "encrypted.zip", **{"secret.html": "hidden"})
    _patch_central_directory(path, b"secret.html", 8, "<H", lambda flags: flags | 0x1)
    return path


def _symlink(tmp_path: Path) -> Path:
    path = simple_package(tmp_path / "link.zip")
    add_symlink(path, "passwd.html", "/etc/passwd")
    return path


def _with(name: str, *, manifest_text: str | None = None, **files: bytes | str
          ) -> Callable[[Path], Path]:
    def build(tmp_path: Path) -> Path:
        contents: dict[str, bytes | str] = {"index.html": LESSON, **files}
        if manifest_text is not None:
            contents["imsmanifest.xml"] = manifest_text
        return build_zip(tmp_path / name, contents)
    return build


CASES: list[tuple[str, Callable[[Path], Path], int, str]] = [
    ("not a zip", lambda tmp: _write(tmp / "x.zip", b"this is not a zip"), 400, "not_a_zip"),
    ("no manifest", _with("none.zip"), 400, "no_manifest"),
    ("manifest in a folder", _with("nested.zip", **{"course/imsmanifest.xml": simple_manifest()}),
     400, "no_manifest"),
    ("bad XML", _with("bad.zip", manifest_text="<manifest><unclosed></manifest>"), 400,
     "manifest_not_well_formed"),
    ("launch file missing", _with("missing.zip", manifest_text=simple_manifest(href="gone.html")),
     400, "launch_file_missing"),
    ("dot-dot entry", _with("dots.zip", manifest_text=simple_manifest(),
                            **{"../evil.html": "x"}), 400, "unsafe_path"),
    ("nested dot-dot entry", _with("dots2.zip", manifest_text=simple_manifest(),
                                   **{"a/../../evil.html": "x"}), 400, "unsafe_path"),
    ("absolute entry", _with("abs.zip", manifest_text=simple_manifest(),
                             **{"/tmp/evil.html": "x"}), 400, "unsafe_path"),
    ("backslash entry", _with("bs.zip", manifest_text=simple_manifest(),
                              **{"..\\evil.html": "x"}), 400, "unsafe_path"),
    ("drive letter entry", _with("drive.zip", manifest_text=simple_manifest(),
                                 **{"C:/evil.html": "x"}), 400, "unsafe_path"),
    ("symlink entry", _symlink, 400, "symlink"),
    ("encrypted entry", _encrypted, 400, "encrypted"),
    ("duplicate entries", _with("dup.zip", manifest_text=simple_manifest(),
                                **{"./index.html": "again"}), 400, "duplicate_entry"),
    ("file used as folder", _with("filedir.zip", manifest_text=simple_manifest(),
                                  **{"index.html/inner.html": "x"}), 400, "duplicate_entry"),
    ("duplicate identifiers", _with("ids.zip", manifest_text=manifest(
        '<item identifier="a" identifierref="sco"><title>1</title></item>'
        '<item identifier="a" identifierref="sco"><title>2</title></item>',
        '<resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html"/>')),
     400, "duplicate_identifier"),
    ("unsupported schema", _with("v11.zip", manifest_text=simple_manifest(version="1.1")), 400,
     "unsupported_schema_version"),
    ("compression ratio of one entry", _with("ratio.zip", manifest_text=simple_manifest(),
                                             **{"zeros.bin": bytes(3 * 1024 * 1024)}),
     413, "zip_bomb"),
    ("compression ratio overall", _with("overall.zip", manifest_text=simple_manifest(),
                                        **{f"part{n}.bin": bytes(900 * 1024) for n in range(3)}),
     413, "zip_bomb"),
    ("header lies about a size", _lying_header, 400, "corrupt_zip"),
]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("build", "status", "problem"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_packages_are_refused_and_nothing_is_stored(
        client: TestClient, make_token: TokenFactory, database: Database, settings: Settings,
        tmp_path: Path, build: Callable[[Path], Path], status: int, problem: str) -> None:
    answer = upload(client, make_token(Role.AUTHOR), build(tmp_path))
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["details"]["problem"] == problem
    assert body["error"] in ("invalid_package", "package_too_large")
    assert len(body["message"]) > 20
    assert_nothing_stored(database, settings.data_dir)


def test_messages_name_the_offending_entry(client: TestClient, make_token: TokenFactory,
                                           tmp_path: Path) -> None:
    answer = upload(client, make_token(Role.AUTHOR), _with(
        "dots.zip", manifest_text=simple_manifest(), **{"a/../../evil.html": "x"})(tmp_path))
    assert "'a/../../evil.html'" in answer.json()["message"]
    answer = upload(client, make_token(Role.AUTHOR), _with(
        "v.zip", manifest_text=simple_manifest(version="2004 5th Edition"))(tmp_path))
    assert "'2004 5th Edition'" in answer.json()["message"]


def test_a_wrong_case_launch_file_gets_a_hint(client: TestClient, make_token: TokenFactory,
                                              tmp_path: Path) -> None:
    path = _with("case.zip", manifest_text=simple_manifest(href="Index.html"))(tmp_path)
    message = upload(client, make_token(Role.AUTHOR), path).json()["message"]
    assert "'Index.html'" in message and "'index.html'" in message


@pytest.fixture()
def limited(settings: Settings, database: Database) -> Callable[..., TestClient]:
    """A client for an app whose package limits are set by the test."""
    def make(**limits: int) -> TestClient:
        app = create_app(settings.model_copy(update=limits), database=database)
        return TestClient(app)
    return make


@pytest.mark.parametrize(("limits", "files", "problem"), [
    ({"package_max_bytes": 4096}, {"noise.bin": os.urandom(8192)}, "upload_size"),
    ({"package_max_unpacked_bytes": 4096}, {"noise.bin": os.urandom(8192)}, "unpacked_size"),
    ({"package_max_files": 3}, {f"f{n}.txt": "x" for n in range(4)}, "too_many_files"),
    ({"package_max_ratio": 5}, {"text.txt": "abc" * 1_000_000}, "zip_bomb"),
])
def test_limits_come_from_settings(limited: Callable[..., TestClient], make_token: TokenFactory,
                                   database: Database, settings: Settings, tmp_path: Path,
                                   limits: dict[str, int], files: dict[str, bytes | str],
                                   problem: str) -> None:
    path = simple_package(tmp_path / "big.zip", **files)
    with limited(**limits) as client:
        answer = upload(client, make_token(Role.AUTHOR), path)
    assert answer.status_code == 413, answer.text
    assert answer.json()["details"]["problem"] == problem
    assert_nothing_stored(database, settings.data_dir)


def test_a_declared_oversized_body_is_refused_before_reading(
        limited: Callable[..., TestClient], make_token: TokenFactory) -> None:
    with limited(package_max_bytes=4096) as client:
        answer = client.post("/api/v1/packages", content=b"x" * 2_000_000, headers={
            **make_token(Role.AUTHOR), "Content-Type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413
    assert answer.json()["details"]["problem"] == "upload_size"


def test_an_unknown_course_refuses_the_upload_and_cleans_up(
        client: TestClient, make_token: TokenFactory, database: Database, settings: Settings,
        tmp_path: Path) -> None:
    answer = upload(client, make_token(Role.AUTHOR), simple_package(tmp_path / "ok.zip"),
                    course_id="999")
    assert answer.status_code == 404
    assert "999" in answer.json()["message"]
    assert_nothing_stored(database, settings.data_dir)


@pytest.mark.parametrize(("data", "files", "fragment"), [
    ({}, None, "file"),
    ({"course_id": "abc"}, {"file": ("p.zip", b"PK", "application/zip")}, "course_id"),
])
def test_malformed_upload_forms_are_400(client: TestClient, make_token: TokenFactory,
                                        data: dict[str, str], files: Any, fragment: str) -> None:
    answer = client.post("/api/v1/packages", headers=make_token(Role.AUTHOR), data=data or
                         {"note": "no file"}, files=files)
    assert answer.status_code == 400
    assert answer.json()["message"].startswith(fragment)
