"""Whole statements: formatting rules (Data 2.2), id (2.4.1), verb (2.4.3),
timestamp and stored (2.4.7, 2.4.8), version (2.4.10), attachments (2.4.11),
voiding (2.3.2), and the stored form (2.4.6.2.s4.b3)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.validation import normalize_statement, validate_statement

ACTOR = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended"}}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
ATTACHMENT = {
    "usageType": "http://example.com/attachment-usage/test",
    "display": {"en-US": "A test attachment"},
    "description": {"en-US": "A test attachment (description)"},
    "contentType": "text/plain; charset=ascii",
    "length": 27,
    "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
    "fileUrl": "http://over.there.com/file.txt",
}


def statement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"actor": ACTOR, "verb": VERB, "object": ACTIVITY}
    base.update(overrides)
    return copy.deepcopy(base)


def reject(value: object, path: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_statement(value)
    message = caught.value.message
    assert message.startswith(path), message
    assert message[len(path)] in ":.[", message
    return message


# --- 2.2: formatting requirements -----------------------------------------------------


def test_minimal_statement_is_accepted() -> None:
    validate_statement(statement())


def test_spec_example_statement_is_accepted() -> None:
    validate_statement(
        {
            "id": "12345678-1234-5678-1234-567812345678",
            "actor": {"mbox": "mailto:xapi@adlnet.gov"},
            "verb": {
                "id": "http://adlnet.gov/expapi/verbs/created",
                "display": {"en-US": "created"},
            },
            "object": {"id": "http://example.adlnet.gov/xapi/example/activity"},
        }
    )


@pytest.mark.parametrize("required", ["actor", "verb", "object"])
def test_statement_requires_actor_verb_and_object(required: str) -> None:
    value = statement()
    del value[required]
    assert reject(value, f"statement.{required}").endswith("is required")


@pytest.mark.parametrize("value", [[statement()], "statement", 12345, None])
def test_statement_must_be_a_json_object(value: object) -> None:
    reject(value, "statement")


@pytest.mark.parametrize(
    "key",
    [
        "actor",
        "verb",
        "object",
        "context",
        "result",
        "id",
        "timestamp",
        "authority",
        "version",
        "attachments",
    ],
)
def test_statement_null_values_are_rejected(key: str) -> None:
    assert reject(statement(**{key: None}), f"statement.{key}").endswith("must not be null")


@pytest.mark.parametrize(
    "key",
    [
        "iD",
        "Actor",
        "veRb",
        "oBject",
        "RESULT",
        "conText",
        "timeStamp",
        "STOred",
        "auTHORity",
        "Version",
        "attachmentS",
    ],
)
def test_statement_keys_in_the_wrong_case_are_rejected(key: str) -> None:
    assert "case-sensitive" in reject(statement(**{key: {}}), f"statement.{key}")


@pytest.mark.parametrize("key", ["extensions", "objectType", "foo", "@context"])
def test_statement_additional_properties_are_rejected(key: str) -> None:
    assert "not an allowed property" in reject(statement(**{key: "x"}), "statement")


def test_numbers_sent_as_strings_are_rejected() -> None:
    reject(statement(result={"score": {"raw": "12"}}), "statement.result.score.raw")
    reject(statement(result={"score": {"scaled": "0.5"}}), "statement.result.score.scaled")


def test_booleans_sent_as_strings_or_numbers_are_rejected() -> None:
    reject(statement(result={"success": "true"}), "statement.result.success")
    reject(statement(result={"completion": "false"}), "statement.result.completion")
    reject(statement(result={"success": 1}), "statement.result.success")


def test_empty_string_where_a_format_is_required_is_rejected() -> None:
    reject(statement(id=""), "statement.id")
    reject(statement(verb={"id": ""}), "statement.verb.id")
    reject(statement(actor={"mbox": ""}), "statement.actor.mbox")


# --- 2.4.1: id ------------------------------------------------------------------------


def test_id_uuid_is_accepted_in_either_case() -> None:
    validate_statement(statement(id="fd41c918-b88b-4b20-a0a5-a4c32391aaa0"))
    validate_statement(statement(id="FD41C918-B88B-4B20-A0A5-A4C32391AAA0"))


@pytest.mark.parametrize(
    "value",
    [
        12345,
        {"key": "should fail"},
        "AA97B177-9383-4934-8543-0F91A7A028368",
        "MA97B177-9383-4934-8543-0F91A7A02836",
    ],
)
def test_id_not_a_uuid_is_rejected(value: object) -> None:
    reject(statement(id=value), "statement.id")


# --- 2.4.3: verb ----------------------------------------------------------------------


def test_verb_requires_id() -> None:
    reject(statement(verb={"display": {"en-US": "attended"}}), "statement.verb.id")


def test_verb_id_must_be_an_iri() -> None:
    reject(statement(verb={"id": "adlnet.gov/expapi/verbs/attended"}), "statement.verb.id")


@pytest.mark.parametrize("display", [12345, "should fail", {"something": "x"}, {"en": 1}])
def test_verb_display_must_be_a_language_map(display: object) -> None:
    reject(statement(verb={"id": VERB["id"], "display": display}), "statement.verb.display")


def test_verb_display_is_optional_and_other_properties_are_not() -> None:
    validate_statement(statement(verb={"id": VERB["id"]}))
    reject(statement(verb={"id": VERB["id"], "name": "x"}), "statement.verb.name")


# --- 2.4.7 / 2.4.8: timestamp and stored ----------------------------------------------


@pytest.mark.parametrize("key", ["timestamp", "stored"])
def test_timestamp_and_stored_accept_iso8601(key: str) -> None:
    validate_statement(statement(**{key: "2011-07-15T04:00:00.000Z"}))
    validate_statement(statement(**{key: "2031-11-24T21:05:58.076+05:00"}))


@pytest.mark.parametrize("key", ["timestamp", "stored"])
@pytest.mark.parametrize(
    "value",
    ["should fail", "01/011/2015", "2008-09-15T15:53:00.601-00:00", "2008-09-15", 1234567890],
)
def test_timestamp_and_stored_reject_malformed_values(key: str, value: object) -> None:
    reject(statement(**{key: value}), f"statement.{key}")


# --- 2.4.10: version ------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.3", "1.0.9", "1.0.10"])
def test_version_starting_with_1_0_is_accepted(version: str) -> None:
    validate_statement(statement(version=version))


@pytest.mark.parametrize(
    "version", ["0.9.9", "0.95", "1.1.0", "2.0.0", "1.0.", "1", "1.0.x", "should fail", 1.0, ""]
)
def test_version_not_1_0_is_rejected(version: object) -> None:
    reject(statement(version=version), "statement.version")


def test_validate_statement_refuses_an_unsupported_api_version() -> None:
    validate_statement(statement(), version="1.0.0")
    with pytest.raises(ValueError, match=r"unsupported xAPI version '1\.1\.0'"):
        validate_statement(statement(), version="1.1.0")


# --- 2.4.11: attachments --------------------------------------------------------------


def test_attachments_array_is_accepted() -> None:
    validate_statement(statement(attachments=[ATTACHMENT]))
    minimal = {
        key: ATTACHMENT[key] for key in ("usageType", "display", "contentType", "length", "sha2")
    }
    validate_statement(statement(attachments=[minimal, {**minimal, "display": {"es": "Un"}}]))


@pytest.mark.parametrize("value", [ATTACHMENT, "should fail", 12345])
def test_attachments_must_be_an_array(value: object) -> None:
    reject(statement(attachments=value), "statement.attachments")


@pytest.mark.parametrize("item", [12345, "should fail", [ATTACHMENT]])
def test_attachment_must_be_an_object(item: object) -> None:
    reject(statement(attachments=[item]), "statement.attachments[0]")


@pytest.mark.parametrize("key", ["usageType", "display", "contentType", "length", "sha2"])
def test_attachment_required_properties(key: str) -> None:
    item = {k: v for k, v in ATTACHMENT.items() if k != key}
    assert reject(statement(attachments=[item]), f"statement.attachments[0].{key}").endswith(
        "is required"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("usageType", "example.com/attachment-usage/test"),
        ("usageType", "should fail"),
        ("contentType", 12345),
        ("contentType", "not a media type"),
        ("length", "27"),
        ("length", 27.5),
        ("length", -1),
        ("length", True),
        ("sha2", "should fail"),
        ("sha2", 12345),
        ("sha2", "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848"),
        ("fileUrl", "over.there.com/file.txt"),
        ("display", {"something": "x"}),
        ("display", 12345),
        ("description", "should fail"),
        ("description", {"es-MX": 1}),
        ("extra", "x"),
    ],
)
def test_attachment_property_formats(key: str, value: object) -> None:
    reject(statement(attachments=[{**ATTACHMENT, key: value}]), f"statement.attachments[0].{key}")


@pytest.mark.parametrize("sha2", ["a" * 56, "A" * 64, "0" * 96, "f" * 128])
def test_attachment_sha2_accepts_every_sha2_length(sha2: str) -> None:
    validate_statement(statement(attachments=[{**ATTACHMENT, "sha2": sha2}]))


@pytest.mark.parametrize(
    "content_type",
    ["application/octet-stream", "image/svg+xml", 'text/plain; charset="utf-8"', "application/pdf"],
)
def test_attachment_content_type_accepts_media_types(content_type: str) -> None:
    validate_statement(statement(attachments=[{**ATTACHMENT, "contentType": content_type}]))


def test_attachment_error_names_the_position() -> None:
    bad = {**ATTACHMENT, "length": "x"}
    reject(statement(attachments=[ATTACHMENT, bad]), "statement.attachments[1].length")


# --- 2.3.2: voiding -------------------------------------------------------------------

VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}}


def test_voiding_statement_with_statement_ref_is_accepted() -> None:
    ref = {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
    validate_statement(statement(verb=VOIDED, object=ref))


def test_voiding_statement_must_target_a_statement_ref() -> None:
    message = reject(statement(verb=VOIDED), "statement.object.objectType")
    assert "StatementRef" in message


# --- 2.4.6.2.s4.b3: the stored form ---------------------------------------------------


def test_normalize_turns_single_context_activities_into_arrays() -> None:
    other = {"id": "http://example.com/other"}
    original = statement(context={"contextActivities": {"parent": ACTIVITY, "other": [other]}})
    snapshot = copy.deepcopy(original)
    normalized = normalize_statement(original)
    assert normalized["context"]["contextActivities"] == {"parent": [ACTIVITY], "other": [other]}
    assert original == snapshot  # the input is untouched


def test_normalize_also_applies_to_a_sub_statement() -> None:
    sub = {
        "objectType": "SubStatement",
        "actor": ACTOR,
        "verb": VERB,
        "object": ACTIVITY,
        "context": {"contextActivities": {"category": ACTIVITY}},
    }
    normalized = normalize_statement(statement(object=sub))
    assert normalized["object"]["context"]["contextActivities"] == {"category": [ACTIVITY]}


def test_normalize_leaves_everything_else_alone() -> None:
    value = statement(result={"success": True}, context={"registration": "x"})
    assert normalize_statement(value) == value
    assert "id" not in normalize_statement(value)
    assert "stored" not in normalize_statement(value)


@given(st.sets(st.sampled_from(["parent", "grouping", "category", "other"])), st.booleans())
def test_normalize_result_is_valid_and_idempotent(kinds: set[str], as_arrays: bool) -> None:
    activities = {kind: [ACTIVITY] if as_arrays else ACTIVITY for kind in kinds}
    value = statement(context={"contextActivities": activities})
    once = normalize_statement(value)
    validate_statement(once)
    assert normalize_statement(once) == once
    assert all(isinstance(v, list) for v in once["context"]["contextActivities"].values())
