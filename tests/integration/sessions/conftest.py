"""Fixtures for session tests: real lessons imported through the API, real learners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.scorm_packages import NS_2004, build_zip, manifest, simple_package, upload

from cairn.accounts.models import Role
from cairn.catalog import service as catalog
from cairn.catalog.learners import service as learners
from cairn.catalog.models import Lesson
from cairn.db.engine import Database
from cairn.sessions.service import LaunchTarget

TokenFactory = Callable[[Role], dict[str, str]]

MANIFEST_2004 = manifest(
    '<item identifier="item_1" identifierref="sco"><title>Lesson</title></item>',
    '<resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="index.html">'
    '<file href="index.html"/></resource>',
    version="2004 3rd Edition", namespaces=NS_2004, identifier="com.example.course2004")


def _import(client: TestClient, make_token: TokenFactory, database: Database,
            archive: Path) -> Lesson:
    answer = upload(client, make_token(Role.AUTHOR), archive)
    assert answer.status_code == 201, answer.text
    with database.reading() as conn:
        return catalog.first_launchable(conn=conn, package_id=answer.json()["id"])


@pytest.fixture()
def lesson_12(client: TestClient, make_token: TokenFactory, database: Database,
              tmp_path: Path) -> Lesson:
    return _import(client, make_token, database, simple_package(tmp_path / "l12.zip"))


@pytest.fixture()
def lesson_2004(client: TestClient, make_token: TokenFactory, database: Database,
                tmp_path: Path) -> Lesson:
    archive = build_zip(tmp_path / "l2004.zip", {"imsmanifest.xml": MANIFEST_2004,
                                                 "index.html": "<p>lesson</p>"})
    return _import(client, make_token, database, archive)


@pytest.fixture()
def make_learner(database: Database) -> Callable[[str], int]:
    def make(external_id: str = "learner-1") -> int:
        with database.writing() as conn:
            return learners.ensure_learner(conn=conn, external_id=external_id,
                                           name=f"Learner {external_id}").id
    return make


@pytest.fixture()
def learner_id(make_learner: Callable[[str], int]) -> int:
    return make_learner("learner-1")


@pytest.fixture()
def make_target() -> Callable[[int, Lesson], LaunchTarget]:
    def make(learner: int, lesson: Lesson) -> LaunchTarget:
        return LaunchTarget(learner_id=learner, lesson_id=lesson.id,
                            package_id=lesson.package_id, standard=lesson.standard)
    return make
