"""Importing packages through the API; courses, versions, packages and lessons read back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.scorm_packages import build_zip, manifest, shared_package, simple_package, upload

from cairn.accounts.models import Role
from cairn.catalog import importer, service
from cairn.catalog.storage import ContentStore
from cairn.catalog.zipsafety import ZipLimits
from cairn.config import Settings
from cairn.db.engine import Database

TokenFactory = Callable[[Role], dict[str, str]]

TREE = manifest(
    '<item identifier="module"><title>Module</title>'
    '<item identifier="one" identifierref="r1"><title>One</title>'
    "<adlcp:masteryscore>70</adlcp:masteryscore></item>"
    '<item identifier="two" identifierref="r2" parameters="?part=2"><title>Two</title></item>'
    "</item>",
    '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="one.html"/>'
    '<resource identifier="r2" type="webcontent" adlcp:scormtype="asset" href="two.html"/>',
    identifier="com.example.tree", title="Tree course")


def _tree_package(path: Path, title: str = "Tree course") -> Path:
    return build_zip(path, {"imsmanifest.xml": TREE.replace("Tree course", title),
                            "one.html": "<p>1</p>", "two.html": "<p>2</p>"})


def test_upload_answers_the_new_version_with_lessons_in_order(
        client: TestClient, make_token: TokenFactory, tmp_path: Path) -> None:
    path = _tree_package(tmp_path / "tree.zip")
    answer = upload(client, make_token(Role.AUTHOR), path)
    assert answer.status_code == 201, answer.text
    package = answer.json()
    assert answer.headers["location"] == f"/api/v1/packages/{package['id']}"
    assert (package["version"], package["standard"], package["title"]) == (1, "scorm12",
                                                                           "Tree course")
    assert package["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert package["size_bytes"] == path.stat().st_size and package["file_count"] == 3
    lessons = package["lessons"]
    assert [lesson["identifier"] for lesson in lessons] == ["module", "one", "two"]
    assert [lesson["position"] for lesson in lessons] == [0, 1, 2]
    assert lessons[1]["parent_id"] == lessons[0]["id"] == lessons[2]["parent_id"]
    assert lessons[0]["launch_url"] is None
    assert (lessons[1]["is_sco"], lessons[1]["mastery_score"]) == (True, 70.0)
    assert (lessons[2]["is_sco"], lessons[2]["launch_url"]) == (False, "two.html?part=2")


def test_the_same_course_again_is_a_new_version_and_old_ones_stay(
        client: TestClient, make_token: TokenFactory, tmp_path: Path,
        settings: Settings) -> None:
    headers = make_token(Role.AUTHOR)
    first = upload(client, headers, _tree_package(tmp_path / "v1.zip")).json()
    second = upload(client, headers, _tree_package(tmp_path / "v2.zip", "Tree, revised")).json()
    assert second["course_id"] == first["course_id"]
    assert (first["version"], second["version"]) == (1, 2)
    course = client.get(f"/api/v1/courses/{first['course_id']}", headers=headers).json()
    assert course["title"] == "Tree, revised"
    assert (course["latest_version"], course["latest_package_id"]) == (2, second["id"])
    assert [version["id"] for version in course["versions"]] == [first["id"], second["id"]]
    old = client.get(f"/api/v1/packages/{first['id']}", headers=headers).json()
    assert old["title"] == "Tree course" and len(old["lessons"]) == 3
    assert len(list((settings.data_dir / "content" / "packages").iterdir())) == 2


def test_course_id_adds_a_version_to_a_chosen_course(
        client: TestClient, make_token: TokenFactory, tmp_path: Path) -> None:
    headers = make_token(Role.ADMIN)
    tree = upload(client, headers, _tree_package(tmp_path / "tree.zip")).json()
    other = upload(client, headers, simple_package(tmp_path / "simple.zip"),
                   course_id=str(tree["course_id"])).json()
    assert (other["course_id"], other["version"]) == (tree["course_id"], 2)
    assert len(client.get("/api/v1/courses", headers=headers).json()["courses"]) == 1


def test_courses_list_and_lesson_reads(client: TestClient, make_token: TokenFactory,
                                       tmp_path: Path) -> None:
    upload(client, make_token(Role.AUTHOR), _tree_package(tmp_path / "tree.zip"))
    upload(client, make_token(Role.AUTHOR), simple_package(tmp_path / "simple.zip"))
    reader = make_token(Role.AUDITOR)
    listed = client.get("/api/v1/courses", headers=reader).json()["courses"]
    assert [course["identifier"] for course in listed] == ["com.example.tree",
                                                           "com.example.course"]
    lesson = client.get("/api/v1/lessons/2", headers=reader).json()
    assert (lesson["identifier"], lesson["course_id"], lesson["standard"]) == (
        "one", listed[0]["id"], "scorm12")


@pytest.mark.parametrize("path", ["/api/v1/courses/99", "/api/v1/packages/99",
                                  "/api/v1/lessons/99"])
def test_unknown_ids_are_404(client: TestClient, make_token: TokenFactory, path: str) -> None:
    answer = client.get(path, headers=make_token(Role.ADMIN))
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"


def test_managers_read_but_may_not_upload(client: TestClient, make_token: TokenFactory,
                                          tmp_path: Path) -> None:
    manager = make_token(Role.MANAGER)
    assert upload(client, manager, simple_package(tmp_path / "p.zip")).status_code == 403
    assert client.get("/api/v1/courses", headers=manager).status_code == 200
    assert client.get("/api/v1/courses", headers=make_token(Role.LEARNER)).status_code == 403


def test_service_lookups_for_the_runtime(client: TestClient, make_token: TokenFactory,
                                         database: Database, tmp_path: Path) -> None:
    package = upload(client, make_token(Role.AUTHOR), _tree_package(tmp_path / "t.zip")).json()
    with database.reading() as conn:
        first = service.first_launchable(conn=conn, package_id=package["id"])
        latest = service.latest_package(conn=conn, course_id=package["course_id"])
        lesson = service.get_lesson(conn=conn, lesson_id=first.id)
    assert first.identifier == "one" and latest.id == package["id"]
    assert lesson == first and lesson.launch_url == "one.html"
    assert lesson.content_path() == f"/content/{package['id']}/one.html"


def test_uploads_of_one_course_at_once_get_consecutive_versions(
        database: Database, settings: Settings, tmp_path: Path) -> None:
    paths = [_tree_package(tmp_path / f"v{n}.zip") for n in range(4)]

    def run(path: Path) -> int:
        return importer.import_archive(
            database=database, content=ContentStore.from_settings(settings),
            limits=ZipLimits.from_settings(settings),
            request=importer.ImportRequest(archive=path, course_id=None, uploaded_by="test"))

    with ThreadPoolExecutor(max_workers=4) as pool:
        package_ids = list(pool.map(run, paths))
    with database.reading() as conn:
        versions = [service.get_package(conn=conn, package_id=package_id).version
                    for package_id in package_ids]
        courses = service.list_courses(conn=conn)
    assert sorted(versions) == [1, 2, 3, 4]
    assert len(courses) == 1 and courses[0].latest_version == 4


@pytest.mark.interop
@pytest.mark.parametrize(("name", "lessons", "launchable"), [
    ("scorm12-golf-RuntimeBasicCalls", 1, 1),
    ("scorm12-golf-RuntimeMinimumCalls", 22, 18),
    ("scorm2004-3rd-golf-RuntimeBasicCalls", 1, 1),
    ("scorm2004-3rd-golf-RunTimeAdvancedCalls", 1, 1),
    ("scorm2004-3rd-golf-SequencingForcedSequential", 5, 5),
])
def test_golf_packages_import(client: TestClient, make_token: TokenFactory, name: str,
                              lessons: int, launchable: int) -> None:
    headers = make_token(Role.AUTHOR)
    answer = upload(client, headers, shared_package(name))
    assert answer.status_code == 201, answer.text
    package = answer.json()
    assert len(package["lessons"]) == lessons
    urls = [lesson["launch_url"] for lesson in package["lessons"] if lesson["launch_url"]]
    assert len(urls) == launchable
    served = client.get(f"/content/{package['id']}/{urls[0].split('?')[0]}", headers=headers)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/html")
