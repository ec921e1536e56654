"""``cairn import PATH.zip [--course ID]`` against the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.scorm_packages import assert_nothing_stored, build_zip, simple_manifest, simple_package
from typer.testing import CliRunner

from cairn import cli
from cairn.catalog import service
from cairn.config import Settings
from cairn.db.engine import Database


@pytest.fixture()
def runner(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CAIRN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CAIRN_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CAIRN_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
    return CliRunner()


def test_import_prints_the_new_version(runner: CliRunner, database: Database,
                                       tmp_path: Path) -> None:
    path = simple_package(tmp_path / "course.zip")
    first = runner.invoke(cli.app, ["import", str(path)])
    assert first.exit_code == 0, first.output
    assert "course 1 version 1" in first.output and "scorm12" in first.output
    second = runner.invoke(cli.app, ["import", str(path), "--course", "1"])
    assert second.exit_code == 0, second.output
    assert "course 1 version 2" in second.output
    with database.reading() as conn:
        course = service.get_course(conn=conn, course_id=1)
    assert [version.version for version in course.versions] == [1, 2]
    assert {version.uploaded_by for version in course.versions} == {"cli"}


def test_a_bad_package_exits_1_naming_the_problem(runner: CliRunner, database: Database,
                                                  settings: Settings, tmp_path: Path) -> None:
    path = build_zip(tmp_path / "bad.zip", {"imsmanifest.xml": simple_manifest(href="gone.html")})
    result = runner.invoke(cli.app, ["import", str(path)])
    assert result.exit_code == 1
    assert "launches 'gone.html', which is not in the package" in result.output
    assert_nothing_stored(database, settings.data_dir)


def test_an_unknown_course_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["import", str(simple_package(tmp_path / "c.zip")),
                                     "--course", "42"])
    assert result.exit_code == 1
    assert "no course 42" in result.output


def test_a_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["import", str(tmp_path / "absent.zip")])
    assert result.exit_code == 2
