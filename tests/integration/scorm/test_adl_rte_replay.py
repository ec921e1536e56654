"""ADL SCORM 2004 4th edition RTE cases, replayed against Cairn's server side.

``../shared/content/oracles/scorm-again-adl-rte-fixtures-json.zip`` holds the
ADL conformance cases decoded to JSON (third-party, MIT; read from the zip,
never copied here). Each ``Act{N}V{V}`` is visit V of activity N; its
``initialState`` is what the LMS must hand the SCO at that visit. For every
activity with such expectations we import a package whose item N carries the
manifest values the case seeds (completion threshold, passing score, time
limit), launch each visit through ``GET /play/{token}``, compare the state
Cairn prepared (entry, total_time, suspend_data, carried measures) with the
expectation, then commit what the visit's successful SetValue calls wrote,
as scorm-again would at Terminate.

The decoder dropped the cases' navigation steps. Two DMB visits end
without ``cmi.exit=suspend`` yet their next visit expects ``resume``: those
visits left through ``adl.nav.request=suspendAll`` (the only way SCORM 2004
keeps an attempt open without suspend), so the replay adds that request
for them and says so in ``SUSPEND_ALL``.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.scorm_packages import NS_2004, build_zip, manifest, upload

from cairn.accounts.models import Role
from cairn.scorm.datamodel import flatten

pytestmark = pytest.mark.interop

ORACLES = Path(__file__).parents[3].parent / "shared" / "content" / "oracles"
ARCHIVE = ORACLES / "scorm-again-adl-rte-fixtures-json.zip"
FIXTURES = "test/conformance/adl/fixtures/generated/"
SUSPEND_ALL = {("DMB", "Act1V6"), ("DMB", "Act1V10")}
MANIFEST_SEEDED = ("cmi.completion_threshold", "cmi.scaled_passing_score",
                   "cmi.max_time_allowed")


def _fixture(name: str) -> dict[str, Any]:
    if not ARCHIVE.is_file():
        pytest.fail(f"the ADL oracle {ARCHIVE} is missing: these tests need the shared content "
                    "folder next to the repository (../shared/content/oracles/)")
    with zipfile.ZipFile(ARCHIVE) as bundle:
        return dict(json.loads(bundle.read(f"{FIXTURES}{name}.json")))


def _activities(fixture: dict[str, Any]) -> OrderedDict[int, list[dict[str, Any]]]:
    grouped: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
    for visit in fixture["activities"]:
        number = int(re.match(r"Act(\d+)V\d+", visit["id"]).group(1))  # type: ignore[union-attr]
        grouped.setdefault(number, []).append(visit)
    return grouped


def _expected(visit: dict[str, Any]) -> dict[str, str]:
    return flatten(visit.get("initialState") or {})


def _item(number: int, seeded: dict[str, str]) -> str:
    extra = ""
    if "cmi.completion_threshold" in seeded:
        extra += ('<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="'
                  f'{seeded["cmi.completion_threshold"]}"/>')
    sequencing = ""
    if "cmi.scaled_passing_score" in seeded:
        sequencing += ('<imsss:objectives><imsss:primaryObjective objectiveID="primary" '
                       'satisfiedByMeasure="true"><imsss:minNormalizedMeasure>'
                       f'{seeded["cmi.scaled_passing_score"]}</imsss:minNormalizedMeasure>'
                       "</imsss:primaryObjective></imsss:objectives>")
    if "cmi.max_time_allowed" in seeded:
        sequencing = (f'<imsss:limitConditions attemptAbsoluteDurationLimit="'
                      f'{seeded["cmi.max_time_allowed"]}"/>') + sequencing
    if sequencing:
        extra += f"<imsss:sequencing>{sequencing}</imsss:sequencing>"
    return (f'<item identifier="Act{number}" identifierref="sco"><title>Act {number}</title>'
            f"{extra}</item>")


def _package(tmp_path: Path, name: str,
             activities: OrderedDict[int, list[dict[str, Any]]]) -> Path:
    items = ""
    for number, visits in activities.items():
        seeded: dict[str, str] = {}
        for visit in visits:
            seeded.update({key: value for key, value in _expected(visit).items()
                           if key in MANIFEST_SEEDED})
        items += _item(number, seeded)
    resource = ('<resource identifier="sco" type="webcontent" adlcp:scormType="sco" '
                'href="sco.html"><file href="sco.html"/></resource>')
    text = manifest(items, resource, version="2004 4th Edition", namespaces=NS_2004,
                    identifier=f"org.adlnet.rte.{name}", title=f"ADL {name}")
    return build_zip(tmp_path / f"{name}.zip", {"imsmanifest.xml": text,
                                                "sco.html": "<p>ADL case</p>"})


def _writes(name: str, visit: dict[str, Any]) -> dict[str, Any]:
    """What the visit's successful SetValue calls leave in the data model."""
    values = {step["element"]: step["value"] for step in visit["steps"]
              if step["method"] == "SetValue" and step.get("expectedReturn") == "true"}
    if (name, visit["id"]) in SUSPEND_ALL:
        values["adl.nav.request"] = "suspendAll"
    return values


def _replay(client: TestClient, admin: dict[str, str], tmp_path: Path, name: str,
            play: Callable[[str], dict[str, Any]]) -> int:
    fixture = _fixture(name)
    activities = _activities(fixture)
    answer = upload(client, admin, _package(tmp_path, name, activities))
    assert answer.status_code == 201, answer.text
    lessons = {lesson["identifier"]: lesson["id"] for lesson in answer.json()["lessons"]}
    checked = 0
    for number, visits in activities.items():
        launched = client.post("/api/v1/launches", headers=admin, json={
            "learner": f"adl-{name}", "lesson": lessons[f"Act{number}"]})
        assert launched.status_code == 201, launched.text
        for visit in visits:
            config = play(launched.json()["launch_url"])
            state = config["initial_state"]
            for element, value in _expected(visit).items():
                assert state.get(element, "") == value, (name, visit["id"], element, state)
                checked += 1
            if _expected(visit).get("cmi.entry") == "ab-initio":
                assert "cmi.suspend_data" not in state, (name, visit["id"], state)
            commit = client.post(config["commit_url"] + "?terminate=true",
                                 json=_writes(name, visit))
            assert commit.status_code == 200, (name, visit["id"], commit.text)
    return checked


@pytest.fixture()
def admin(make_token: Callable[[Role], dict[str, str]]) -> dict[str, str]:
    return make_token(Role.ADMIN)


@pytest.mark.parametrize(("name", "checks"), [("DMB", 44), ("CM-01", 4)])
def test_each_visit_starts_with_the_state_adl_expects(
        client: TestClient, admin: dict[str, str], tmp_path: Path, name: str, checks: int,
        play: Callable[[str], dict[str, Any]]) -> None:
    """Every expected element of every visit is compared (``checks`` of them)."""
    assert _replay(client, admin, tmp_path, name, play) == checks


def test_every_replayed_commit_passes_server_validation(
        client: TestClient, admin: dict[str, str], tmp_path: Path,
        play: Callable[[str], dict[str, Any]]) -> None:
    """The CM cases' successful SetValue calls are all accepted by the server's data model."""
    with zipfile.ZipFile(ARCHIVE) if ARCHIVE.is_file() else _missing() as bundle:
        names = sorted(Path(entry).stem for entry in bundle.namelist()
                       if entry.startswith(FIXTURES + "CM-") and entry.endswith(".json"))
    for name in names:
        _replay(client, admin, tmp_path, name, play)


def _missing() -> zipfile.ZipFile:
    pytest.fail(f"the ADL oracle {ARCHIVE} is missing (../shared/content/oracles/)")
