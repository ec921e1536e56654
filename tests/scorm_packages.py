"""Small SCORM packages built inside tests: manifests as text, zips with zipfile.

The real third-party packages live in ../shared/content/packages/ and are
read from there (see :func:`shared_package`); everything here is our own.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cairn.db.engine import Database
from cairn.db.tables import courses, lessons, packages

SHARED_PACKAGES = Path(__file__).parents[1].parent / "shared" / "content" / "packages"

NS_12 = ('xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
         'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"')
NS_2004 = ('xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
           'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
           'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
           'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"')


def manifest(items: str, resources: str, *, version: str | None = "1.2",
             identifier: str = "com.example.course", namespaces: str = NS_12,
             title: str = "Example course", extra: str = "") -> str:
    """A manifest with one default organization holding ``items``."""
    metadata = (f"<metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion>"
                "</metadata>") if version is not None else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest identifier="{identifier}" '
            f'version="1" {namespaces}>{metadata}<organizations default="org">'
            f'<organization identifier="org"><title>{title}</title>{items}</organization>'
            f"</organizations><resources>{resources}</resources>{extra}</manifest>")


def sco_12(identifier: str = "sco", href: str = "index.html") -> str:
    return (f'<resource identifier="{identifier}" type="webcontent" adlcp:scormtype="sco" '
            f'href="{href}"><file href="{href}"/></resource>')


def simple_manifest(href: str = "index.html", **options: str) -> str:
    return manifest('<item identifier="item_1" identifierref="sco"><title>Lesson</title></item>',
                    sco_12(href=href), **options)


def build_zip(path: Path, files: dict[str, bytes | str], *,
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def simple_package(path: Path, **extra_files: bytes | str) -> Path:
    """A valid one-SCO SCORM 1.2 package, plus any extra files."""
    return build_zip(path, {"imsmanifest.xml": simple_manifest(),
                            "index.html": "<html><body>lesson</body></html>", **extra_files})


def add_symlink(path: Path, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(info, target)


def shared_package(name: str) -> Path:
    """A third-party package from ../shared/content/packages/, or a clear failure."""
    path = SHARED_PACKAGES / f"{name}.zip"
    if not path.is_file():
        pytest.fail(f"the interoperability package {path} is missing: these tests need the "
                    "shared content folder next to the repository (../shared/content/packages/)")
    return path


def upload(client: TestClient, headers: dict[str, str], path: Path,
           **fields: str) -> Any:
    with path.open("rb") as stream:
        return client.post("/api/v1/packages", headers=headers, data=fields,
                           files={"file": (path.name, stream, "application/zip")})


def assert_nothing_stored(database: Database, data_dir: Path) -> None:
    with database.reading() as conn:
        for table in (courses, packages, lessons):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    content = data_dir / "content"
    leftovers = [path for path in content.rglob("*") if path.is_file()] if content.exists() else []
    assert leftovers == []
    for folder in ("packages", ".staging", ".uploads"):
        assert not (content / folder).exists() or not any((content / folder).iterdir())
