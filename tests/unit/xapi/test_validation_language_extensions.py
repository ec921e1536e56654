"""Language tags and maps (Data 2.2.s4.b2, 4.2), extensions (4.1) and the JSON
paths that error messages name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.xapi_checks import rejected

from cairn.errors import InvalidInput
from cairn.xapi.validation import validate_language_map, validate_uuid
from cairn.xapi.validation.primitives import (
    is_language_tag,
    key_path,
    validate_extensions,
    validate_language_tag,
)

# --- 2.2.s4.b2 / 4.2: language tags and language maps ---------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "en",
        "de",
        "de-DE",
        "en-US",
        "zh-Hant",
        "zh-Hans-CN",
        "sr-Latn-RS",
        "sr-Cyrl",
        "es-419",
        "cmn",
        "ase",
        "tlh",
        "fr-CA",
        "zh-yue-HK",
        "de-CH-1901",
        "sl-rozaj-biske",
        "en-US-u-islamcal",
        "en-a-bbb-x-a-ccc",
        "x-whatever",
        "qaa-Qaaa-QM-x-southern",
        "i-klingon",
        "en-GB-oed",
        "EN-us",
    ],
)
def test_language_tag_well_formed_rfc5646_is_accepted(tag: str) -> None:
    assert is_language_tag(tag)
    validate_language_tag(tag, "statement.context.language")


@pytest.mark.parametrize(
    "tag",
    [
        "something",
        "en-something-AU",
        "zh-something-ccc",
        "s-something",
        "a12345678",
        "zh-z-aaa-z-bbb-c-ccc",  # the same extension singleton twice
        "de-1901-1901",  # the same variant twice
        "en_US",
        "en-",
        "-en",
        "",
        "e",
        "en-US-",
        "en--US",
        "x",
        "en-x",
        "123",
    ],
)
def test_language_tag_malformed_is_rejected(tag: str) -> None:
    assert not is_language_tag(tag)
    message = rejected(validate_language_tag, tag, "statement.context.language")
    assert "RFC 5646" in message


def test_language_tag_that_is_not_a_string_is_rejected() -> None:
    rejected(validate_language_tag, 12345, "statement.context.language")
    rejected(validate_language_tag, {"a12345": "should fail"}, "statement.context.language")


def test_language_map_with_valid_tags_and_strings_is_accepted() -> None:
    validate_language_map({"en-US": "attended", "es": "asistió", "ja-JP": "出席した"}, "d")
    validate_language_map({}, "d")


@pytest.mark.parametrize("value", ["should fail", 12345, ["en-US"], True])
def test_language_map_that_is_not_an_object_is_rejected(value: object) -> None:
    assert "JSON object" in rejected(validate_language_map, value, "statement.verb.display")


def test_language_map_key_must_be_a_language_tag() -> None:
    message = rejected(
        validate_language_map, {"en-US": "ok", "something": "no"}, "statement.verb.display"
    )
    assert message.startswith("statement.verb.display.something: ")


def test_language_map_and_extension_keys_that_are_not_strings_are_rejected() -> None:
    rejected(validate_language_map, {1: "x"}, "display")
    rejected(validate_extensions, {None: "x"}, "extensions")


def test_language_map_value_must_be_a_string() -> None:
    for value in (12345, None, {"en": "x"}, ["x"], True):
        message = rejected(validate_language_map, {"en-US": value}, "statement.verb.display")
        assert message.startswith('statement.verb.display["en-US"]: must be a string')


_simple_tags = st.from_regex(r"[a-z]{2,3}(-[A-Z]{2})?", fullmatch=True)


@given(st.dictionaries(_simple_tags, st.text(), max_size=8))
def test_language_map_any_simple_tags_with_text_are_accepted(language_map: dict[str, str]) -> None:
    validate_language_map(language_map, "display")


# --- 4.1: extensions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [None, "", {}, [], 0, True, "text", {"nested": {"deep": [1, None]}}],
)
def test_extensions_values_are_never_checked(value: object) -> None:
    validate_extensions({"http://example.com/ex": value}, "statement.result.extensions")


def test_extensions_may_be_empty() -> None:
    validate_extensions({}, "statement.context.extensions")


@pytest.mark.parametrize("key", ["example.com/extension/wrong", "not.valid.com/extension", ""])
def test_extensions_keys_must_be_iris(key: str) -> None:
    message = rejected(validate_extensions, {key: 1234}, "statement.context.extensions")
    assert "extension keys must be absolute IRIs" in message


@pytest.mark.parametrize("value", ["should fail", 12345, ["http://example.com/ex"]])
def test_extensions_that_are_not_an_object_are_rejected(value: object) -> None:
    rejected(validate_extensions, value, "statement.result.extensions")


# --- error paths ----------------------------------------------------------------------


def test_key_path_quotes_keys_that_are_not_plain_names() -> None:
    assert key_path("a.b", "name") == "a.b.name"
    assert key_path("a", "en-US") == 'a["en-US"]'
    assert key_path("a", 'say "hi"') == 'a["say \\"hi\\""]'


def test_error_carries_the_path_in_details() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_uuid("nope", "context.registration")
    assert caught.value.details == {"path": "context.registration"}
