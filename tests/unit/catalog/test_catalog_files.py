"""Package paths, content types and the staging folder: the file-system side of the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.catalog.media_types import media_type
from cairn.catalog.paths import UnsafePath, clean_relative
from cairn.catalog.storage import ContentStore


@pytest.mark.parametrize(("raw", "clean"), [("a/b.html", "a/b.html"), ("./a//b/", "a/b"),
                                            ("a/./b.js", "a/b.js")])
def test_harmless_paths_are_normalised(raw: str, clean: str) -> None:
    assert clean_relative(raw) == clean


@pytest.mark.parametrize(("raw", "reason"), [
    ("../x", "'..'"), ("a/../../x", "'..'"), ("/etc/passwd", "absolute"),
    ("C:/windows", "drive"), ("c:x", "drive"), ("a\\b", "backslash"), ("a\x00b", "NUL"),
    ("", "names no file"), ("./", "names no file"),
])
def test_unsafe_paths_are_refused_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(UnsafePath, match=reason):
        clean_relative(raw)


@pytest.mark.parametrize(("name", "expected"), [
    ("a.js", "text/javascript"), ("a.MJS", "text/javascript"), ("a.json", "application/json"),
    ("a.svg", "image/svg+xml"), ("a.woff2", "font/woff2"), ("a.mp4", "video/mp4"),
    ("a.vtt", "text/vtt"), ("a.html", "text/html"), ("a.css", "text/css"),
    ("a.wasm", "application/wasm"), ("README", "application/octet-stream"),
])
def test_media_types_do_not_depend_on_the_machine(name: str, expected: str) -> None:
    assert media_type(name) == expected


def test_a_failure_after_publishing_removes_the_published_folder(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "content")
    with pytest.raises(RuntimeError), store.staging() as staged:
        (staged.path / "index.html").write_text("x")
        staged.publish()
        assert (store.packages / staged.key / "index.html").is_file()
        raise RuntimeError("the commit failed")
    assert list(store.packages.iterdir()) == []
    assert list(store.staging_root.iterdir()) == []


def test_a_published_package_stays_and_unpublished_staging_goes(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "content")
    with store.staging() as kept:
        (kept.path / "index.html").write_text("x")
        kept.publish()
    with store.staging() as dropped:
        (dropped.path / "index.html").write_text("x")
    assert [path.name for path in store.packages.iterdir()] == [kept.key]
    assert list(store.staging_root.iterdir()) == []
    assert store.file(kept.key, "index.html") == (store.packages / kept.key / "index.html"
                                                   ).resolve()
    assert store.file(kept.key, "missing.html") is None


def test_a_symlink_planted_in_a_package_folder_is_not_followed_out(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "content")
    (tmp_path / "secret.txt").write_text("secret")
    with store.staging() as staged:
        staged.publish()
    (store.packages / staged.key / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(UnsafePath):
        store.file(staged.key, "link.txt")
