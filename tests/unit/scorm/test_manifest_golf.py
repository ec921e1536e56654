"""The real "golf" example packages (third-party, ../shared/content/packages/) parse as expected.

These are interoperability tests: when the shared folder is absent they fail
with a message saying so, never skip.
"""

from __future__ import annotations

import zipfile

import pytest
from tests.scorm_packages import shared_package

from cairn.scorm.manifest import Manifest, join_parameters, parse_manifest

pytestmark = pytest.mark.interop


def _parsed(name: str) -> tuple[Manifest, set[str]]:
    with zipfile.ZipFile(shared_package(name)) as archive:
        return parse_manifest(archive.read("imsmanifest.xml")), set(archive.namelist())


@pytest.mark.parametrize(("name", "standard", "edition", "scos"), [
    ("scorm12-golf-ContentPackagingSingleSCO", "scorm12", None, 1),
    ("scorm12-golf-RuntimeBasicCalls", "scorm12", None, 1),
    ("scorm12-golf-RuntimeMinimumCalls", "scorm12", None, 18),
    ("scorm2004-3rd-golf-RuntimeBasicCalls", "scorm2004", "3rd", 1),
    ("scorm2004-3rd-golf-RunTimeAdvancedCalls", "scorm2004", "3rd", 1),
    ("scorm2004-3rd-golf-SequencingForcedSequential", "scorm2004", "3rd", 5),
])
def test_version_scos_and_launch_files(name: str, standard: str, edition: str | None,
                                       scos: int) -> None:
    parsed, names = _parsed(name)
    assert (parsed.standard, parsed.edition) == (standard, edition)
    assert sum(item.is_sco for item in parsed.items) == scos
    assert parsed.launch_files() and set(parsed.launch_files()) <= names


def test_minimum_calls_table_of_contents_has_modules_and_quiz_parameters() -> None:
    parsed, _ = _parsed("scorm12-golf-RuntimeMinimumCalls")
    modules = [item for item in parsed.items if item.depth == 0]
    assert [item.identifier for item in modules] == [
        "playing_item", "etiquette_item", "handicapping_item", "havingfun_item"]
    assert all(item.launch_href is None for item in modules)
    quiz = next(item for item in parsed.items if item.identifier == "playing_quiz_item")
    assert quiz.parent == "playing_item"
    assert quiz.launch_href is not None
    assert join_parameters(quiz.launch_href, quiz.parameters).endswith("?questions=Playing")


def test_advanced_calls_declares_objectives_and_passing_score() -> None:
    parsed, _ = _parsed("scorm2004-3rd-golf-RunTimeAdvancedCalls")
    sco = parsed.items[0]
    assert sco.scaled_passing_score == 0.8
    assert [objective.id for objective in sco.objectives] == [
        "PRIMARYOBJ", "obj_etiquette", "obj_handicapping", "obj_havingfun", "obj_playing"]
    assert not parsed.objectives_global_to_system


def test_forced_sequential_keeps_sequencing_for_the_engine() -> None:
    parsed, _ = _parsed("scorm2004-3rd-golf-SequencingForcedSequential")
    assert [item.launch_href for item in parsed.items][:2] == [
        "shared/launchpage.html?content=playing", "shared/launchpage.html?content=etiquette"]
    assert all(item.sequencing_xml and 'IDRef="common_seq_rules"' in item.sequencing_xml
               for item in parsed.items)
    assert parsed.sequencing_collection_xml is not None
    assert "common_seq_rules" in parsed.sequencing_collection_xml
    second = parsed.items[1]
    assert {objective.id for objective in second.objectives} == {
        "etiquette_satisfied", "previous_sco_satisfied"}
