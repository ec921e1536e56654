"""imsmanifest.xml parsing (SCORM CAM book, 3) on small manifests written here."""

from __future__ import annotations

import pytest
from tests.scorm_packages import NS_12, NS_2004, manifest, sco_12, simple_manifest

from cairn.catalog.errors import PackageRejected
from cairn.scorm.manifest import join_parameters, parse_manifest

TREE_12 = manifest(
    '<item identifier="module"><title>Module</title>'
    '  <item identifier="intro" identifierref="r_intro" parameters="?chapter=1">'
    "    <title>Intro</title><adlcp:masteryscore>80</adlcp:masteryscore>"
    "    <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>"
    "    <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>"
    "    <adlcp:datafromlms>level=2</adlcp:datafromlms></item>"
    '  <item identifier="notes" identifierref="r_notes" isvisible="false"><title>Notes</title>'
    "  </item></item>"
    '<item identifier="quiz" identifierref="r_quiz"><title>Quiz</title></item>',
    '<resource identifier="r_intro" type="webcontent" adlcp:scormtype="sco" '
    'href="intro/start.html"/>'
    '<resource identifier="r_notes" type="webcontent" adlcp:scormtype="asset" '
    'href="notes%20page.html"/>'
    '<resource identifier="r_quiz" type="webcontent" adlcp:scormtype="sco" xml:base="quiz/" '
    'href="index.html?mode=test"/>',
)


def _rejected(text: str) -> PackageRejected:
    with pytest.raises(PackageRejected) as caught:
        parse_manifest(text.encode())
    return caught.value


def test_scorm12_items_come_in_table_of_contents_order_with_parents() -> None:
    parsed = parse_manifest(TREE_12.encode())
    assert (parsed.standard, parsed.edition, parsed.identifier) == ("scorm12", None,
                                                                     "com.example.course")
    assert [(item.identifier, item.parent, item.depth) for item in parsed.items] == [
        ("module", None, 0), ("intro", "module", 1), ("notes", "module", 1), ("quiz", None, 0)]
    assert parsed.items[0].launch_href is None


def test_scorm12_item_carries_its_runtime_settings() -> None:
    intro = parse_manifest(TREE_12.encode()).items[1]
    assert intro.is_sco and intro.launch_href == "intro/start.html"
    assert intro.parameters == "?chapter=1"
    assert intro.mastery_score == 80.0
    assert intro.max_time_allowed == "00:30:00"
    assert intro.time_limit_action == "exit,message"
    assert intro.data_from_lms == "level=2"


def test_assets_visibility_encoded_names_and_xml_base() -> None:
    items = parse_manifest(TREE_12.encode()).items
    notes, quiz = items[2], items[3]
    assert not notes.is_sco and not notes.is_visible
    assert notes.launch_file == "notes page.html"
    assert quiz.launch_href == "quiz/index.html?mode=test"
    assert quiz.launch_file == "quiz/index.html"


@pytest.mark.parametrize(("version", "edition"), [("CAM 1.3", "2nd"), ("2004 3rd Edition", "3rd"),
                                                  ("2004 4th Edition", "4th")])
def test_scorm2004_editions_are_detected_from_schemaversion(version: str, edition: str) -> None:
    parsed = parse_manifest(simple_manifest(version=version, namespaces=NS_2004).encode())
    assert (parsed.standard, parsed.edition) == ("scorm2004", edition)


@pytest.mark.parametrize(("namespaces", "standard"), [(NS_12, "scorm12"),
                                                      (NS_2004, "scorm2004")])
def test_without_schemaversion_the_namespaces_decide(namespaces: str, standard: str) -> None:
    parsed = parse_manifest(simple_manifest(version=None, namespaces=namespaces).encode())
    assert (parsed.standard, parsed.edition) == (standard, None)


@pytest.mark.parametrize("version", ["1.1", "1.3", "2004 5th Edition"])
def test_unsupported_schema_versions_are_named(version: str) -> None:
    error = _rejected(simple_manifest(version=version))
    assert error.details["problem"] == "unsupported_schema_version"
    assert f"'{version}'" in error.message


def test_no_version_at_all_is_refused() -> None:
    foreign = 'xmlns="urn:other" xmlns:adlcp="urn:x"'
    error = _rejected(simple_manifest(version=None, namespaces=foreign))
    assert error.details["problem"] == "unsupported_schema_version"


SEQUENCED_2004 = manifest(
    '<item identifier="a" identifierref="r_a"><title>A</title>'
    "<adlcp:completionThreshold>0.75</adlcp:completionThreshold>"
    "<adlcp:timeLimitAction>continue,no message</adlcp:timeLimitAction>"
    "<adlcp:dataFromLMS>start=3</adlcp:dataFromLMS>"
    '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/>'
    '<imsss:objectives><imsss:primaryObjective objectiveID="main" satisfiedByMeasure="true">'
    "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
    '<imsss:objective objectiveID="extra"/></imsss:objectives></imsss:sequencing></item>'
    '<item identifier="b" identifierref="r_b"><title>B</title>'
    '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.5"/>'
    '<imsss:sequencing IDRef="shared"/></item>'
    '<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>',
    '<resource identifier="r_a" type="webcontent" adlcp:scormType="sco" href="a.html"/>'
    '<resource identifier="r_b" type="webcontent" adlcp:scormType="sco" href="b.html"/>',
    version="2004 4th Edition", namespaces=NS_2004,
    extra='<imsss:sequencingCollection><imsss:sequencing ID="shared"><imsss:objectives>'
          '<imsss:primaryObjective objectiveID="b_main" satisfiedByMeasure="true"/>'
          "</imsss:objectives></imsss:sequencing></imsss:sequencingCollection>",
)


def test_scorm2004_item_values_for_the_runtime() -> None:
    first = parse_manifest(SEQUENCED_2004.encode()).items[0]
    assert first.completion_threshold == 0.75 and not first.completed_by_measure
    assert first.scaled_passing_score == 0.6
    assert first.max_time_allowed == "PT1H"
    assert first.time_limit_action == "continue,no message"
    assert first.data_from_lms == "start=3"
    assert [(objective.id, objective.primary) for objective in first.objectives] == [
        ("main", True), ("extra", False)]


def test_fourth_edition_threshold_and_shared_sequencing() -> None:
    second = parse_manifest(SEQUENCED_2004.encode()).items[1]
    assert second.completion_threshold == 0.5 and second.completed_by_measure
    # satisfiedByMeasure without minNormalizedMeasure means 1.0 (SN 5.1.7.1)
    assert second.scaled_passing_score == 1.0
    assert [objective.id for objective in second.objectives] == ["b_main"]


def test_sequencing_xml_is_kept_verbatim_and_self_contained() -> None:
    parsed = parse_manifest(SEQUENCED_2004.encode())
    xml = parsed.items[0].sequencing_xml
    assert xml is not None and xml.startswith("<imsss:sequencing")
    assert 'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"' in xml
    assert 'attemptAbsoluteDurationLimit="PT1H"' in xml
    assert parsed.organization_sequencing_xml is not None
    assert 'choice="true"' in parsed.organization_sequencing_xml
    assert parsed.sequencing_collection_xml is not None
    assert 'ID="shared"' in parsed.sequencing_collection_xml


def test_unknown_sequencing_reference_is_refused() -> None:
    broken = SEQUENCED_2004.replace('IDRef="shared"', 'IDRef="nowhere"')
    assert _rejected(broken).details["problem"] == "unknown_sequencing_reference"


def test_duplicate_identifiers_are_listed() -> None:
    text = manifest('<item identifier="same" identifierref="sco"><title>1</title></item>'
                    '<item identifier="same" identifierref="sco"><title>2</title></item>',
                    sco_12())
    error = _rejected(text)
    assert error.details == {"problem": "duplicate_identifier", "identifiers": ["same"]}
    assert "same" in error.message


def test_an_item_may_not_share_an_identifier_with_a_resource() -> None:
    text = manifest('<item identifier="sco" identifierref="sco"><title>1</title></item>',
                    sco_12())
    assert _rejected(text).details["problem"] == "duplicate_identifier"


@pytest.mark.parametrize(("text", "problem"), [
    ("<manifest", "manifest_not_well_formed"),
    ("<?xml version='1.0'?><notamanifest/>", "manifest_root"),
    ('<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
     '<manifest identifier="x">&b;</manifest>', "manifest_dtd"),
    (manifest("", sco_12()), "nothing_to_launch"),
    (manifest('<item identifier="i" identifierref="missing"><title>x</title></item>', sco_12()),
     "unknown_resource"),
    (manifest('<item identifierref="sco"><title>x</title></item>', sco_12()),
     "missing_identifier"),
    (simple_manifest(href="https://cdn.example.com/lesson.html"), "external_launch"),
    (simple_manifest(href="../outside.html"), "unsafe_path"),
    (simple_manifest(href="/etc/passwd"), "unsafe_path"),
    (manifest('<item identifier="i" identifierref="sco"><title>x</title>'
              "<adlcp:masteryscore>lots</adlcp:masteryscore></item>", sco_12()), "bad_value"),
    (manifest('<item identifier="i" identifierref="sco"><title>x</title>'
              "<adlcp:timelimitaction>explode</adlcp:timelimitaction></item>", sco_12()),
     "bad_value"),
    (manifest('<item identifier="i" identifierref="sco"><title>x</title>'
              "<adlcp:maxtimeallowed>half an hour</adlcp:maxtimeallowed></item>", sco_12()),
     "bad_value"),
])
def test_malformed_manifests_are_refused_with_a_named_problem(text: str, problem: str) -> None:
    assert _rejected(text).details["problem"] == problem


def test_external_entities_are_never_fetched() -> None:
    text = ('<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<manifest identifier="x">&x;</manifest>')
    assert _rejected(text).details["problem"] == "manifest_dtd"


def test_default_organization_is_chosen_among_several() -> None:
    text = (f'<manifest identifier="m" {NS_12}><metadata><schemaversion>1.2</schemaversion>'
            '</metadata><organizations default="second">'
            '<organization identifier="first"><title>First</title>'
            '<item identifier="i1" identifierref="sco"><title>1</title></item></organization>'
            '<organization identifier="second"><title>Second</title>'
            '<item identifier="i2" identifierref="sco"><title>2</title></item></organization>'
            f"</organizations><resources>{sco_12()}</resources></manifest>")
    parsed = parse_manifest(text.encode())
    assert parsed.title == "Second" and [item.identifier for item in parsed.items] == ["i2"]


@pytest.mark.parametrize(("href", "parameters", "expected"), [
    ("a.html", None, "a.html"),
    ("a.html", "?x=1", "a.html?x=1"),
    ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
    ("a.html", "&x=1", "a.html?x=1"),
    ("a.html", "x=1", "a.html?x=1"),
    ("a.html", "#part", "a.html#part"),
    ("a.html#top", "#part", "a.html#top"),
])
def test_parameters_join_the_launch_href(href: str, parameters: str | None,
                                         expected: str) -> None:
    assert join_parameters(href, parameters) == expected
