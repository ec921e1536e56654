"""Cairn's demo course: built from src/cairn/demo/content, imported once, launchable."""

from __future__ import annotations

import zipfile
from pathlib import Path

from cairn.catalog import service as catalog
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.demo import build_package, course_identifier, install
from cairn.demo.cli import run_demo


def test_the_packages_hold_the_manifest_and_the_shared_lesson(tmp_path: Path) -> None:
    for version in ("scorm2004", "scorm12"):
        with zipfile.ZipFile(build_package(version, tmp_path)) as bundle:
            assert sorted(bundle.namelist()) == ["imsmanifest.xml", "index.html", "lesson.css",
                                                 "lesson.js"]
    assert course_identifier("scorm2004") == "dev.cairn.demo.trail-safety-2004"


def test_install_imports_both_lessons_once(database: Database, settings: Settings) -> None:
    first = install(database=database, settings=settings)
    assert [course.imported for course in first] == [True, True]
    again = install(database=database, settings=settings)
    assert [course.imported for course in again] == [False, False]
    assert [course.course_id for course in again] == [course.course_id for course in first]
    with database.reading() as conn:
        lessons = {course.identifier: catalog.first_launchable(
            conn=conn, package_id=catalog.latest_package(conn=conn,
                                                         course_id=course.course_id).id)
                   for course in first}
    modern = lessons["dev.cairn.demo.trail-safety-2004"]
    assert (modern.standard, modern.scaled_passing_score) == ("scorm2004", 0.7)
    assert [objective.id for objective in modern.objectives] == ["trail-safety"]
    legacy = lessons["dev.cairn.demo.trail-safety-12"]
    assert (legacy.standard, legacy.mastery_score) == ("scorm12", 70)


def test_cairn_demo_prints_launch_links(database: Database, settings: Settings) -> None:
    text = run_demo(database=database, settings=settings)
    assert text.count("launch as demo-learner: http://testserver/play/") == 2
    assert "(course 1, imported)" in text
    assert "already there" in run_demo(database=database, settings=settings)
