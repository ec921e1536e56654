"""Tests for the multipart/mixed attachment transport (xAPI Data 2.4.11, Communication 1.5.2).

Bodies are assembled byte by byte the way the ADL conformance suite assembles
them (CRLF line ends, ``Name: value`` or ``Name:value`` headers, with or
without a preamble CRLF and a final CRLF) so the parser is held to what real
clients send.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.attachments import (
    AttachmentPart,
    MultipartBody,
    build_multipart,
    check_attachments,
    parse_multipart,
)

BOUNDARY = "-------314159265358979323846"
CONTENT_TYPE = f"multipart/mixed; boundary={BOUNDARY}"
TEXT = b"here is a simple attachment"
TEXT_SHA = hashlib.sha256(TEXT).hexdigest()
OTHER = b"here is another simple attachment"
OTHER_SHA = hashlib.sha256(OTHER).hexdigest()
# Octets that would trip a text-minded parser: CR, LF, NUL, a dash line, high bytes.
BINARY = b"\x89PNG\r\n\x1a\n\x00\xff\r\n--not-the-boundary\r\n\r\n\xfe"
BINARY_SHA = hashlib.sha256(BINARY).hexdigest()


def _attachment(sha2: str, *, content_type: str = "text/plain", **extra: Any) -> dict[str, Any]:
    return {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": content_type,
        "length": 27,
        "sha2": sha2,
        **extra,
    }


def _statement(*attachment_objects: dict[str, Any]) -> dict[str, Any]:
    return {
        "actor": {"objectType": "Agent", "mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "http://www.example.com/meetings/occurances/34534"},
        "attachments": list(attachment_objects),
    }


def _json_part(document: object, header: bytes = b"Content-Type: application/json") -> bytes:
    return header + b"\r\n\r\n" + json.dumps(document).encode()


def _data_part(
    content: bytes,
    sha2: str | None = None,
    *,
    content_type: str = "text/plain",
    encoding: str | None = "binary",
    extra: tuple[str, ...] = (),
) -> bytes:
    lines = [f"Content-Type: {content_type}"]
    if encoding is not None:
        lines.append(f"Content-Transfer-Encoding: {encoding}")
    if sha2 is not None:
        lines.append(f"X-Experience-API-Hash: {sha2}")
    lines.extend(extra)
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + content


def _frame(
    *parts: bytes, boundary: str = BOUNDARY, preamble: bytes = b"", end: bytes = b"\r\n"
) -> bytes:
    """Frame parts the way the suite's Communication 1.5 tests do."""
    dash = b"--" + boundary.encode()
    body = preamble + dash
    for part in parts:
        body += b"\r\n" + part + b"\r\n" + dash
    return body + b"--" + end


def _rejects(body: bytes, message: str, content_type: str = CONTENT_TYPE) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_multipart(body, content_type)


# ------------------------------------------------------------------------ parse


def test_parses_the_conformance_suite_framing() -> None:
    statement = _statement(_attachment(TEXT_SHA))
    body = _frame(_json_part(statement), _data_part(TEXT, TEXT_SHA))

    parsed = parse_multipart(body, CONTENT_TYPE)

    assert parsed == MultipartBody(
        statements=statement,
        parts={TEXT_SHA: AttachmentPart(sha2=TEXT_SHA, content_type="text/plain", content=TEXT)},
    )


def test_parses_the_signed_statement_framing_of_the_suite() -> None:
    """helper.signStatement: leading CRLF, no space after colons, no final CRLF."""
    statement = _statement(_attachment(BINARY_SHA, content_type="application/octet-stream"))
    body = (
        b"\r\n--" + BOUNDARY.encode() + b"\r\nContent-Type:application/json\r\n\r\n"
        + json.dumps(statement).encode()
        + b"\r\n--" + BOUNDARY.encode()
        + b"\r\nContent-Type:application/octet-stream\r\nContent-Transfer-Encoding:binary\r\n"
        + b"X-Experience-API-Hash:" + BINARY_SHA.encode() + b"\r\n\r\n"
        + BINARY
        + b"\r\n--" + BOUNDARY.encode() + b"--"
    )  # fmt: skip

    parsed = parse_multipart(body, CONTENT_TYPE)

    assert parsed.statements == statement
    assert parsed.parts[BINARY_SHA].content == BINARY
    assert parsed.parts[BINARY_SHA].content_type == "application/octet-stream"


def test_parses_the_example_of_the_specification() -> None:
    """Communication 1.5.2 example: quoted boundary full of special characters."""
    boundary = "abcABC0123'()+_,-./:=?"
    statement = _statement(_attachment(TEXT_SHA, content_type="text/plain; charset=ascii"))
    body = _frame(
        _json_part(statement, b"Content-Type:application/json"),
        b"Content-Type:text/plain\r\nContent-Transfer-Encoding:binary\r\n"
        b"X-Experience-API-Hash:" + TEXT_SHA.encode() + b"\r\n\r\n" + TEXT,
        boundary=boundary,
        preamble=b"\r\n",
        end=b"",
    )

    parsed = parse_multipart(body, f'multipart/mixed; boundary="{boundary}"')

    assert parsed.parts[TEXT_SHA].content == TEXT
    check_attachments([statement], parsed.parts)  # text/plain matches text/plain; charset=ascii


def test_ignores_preamble_epilogue_and_transport_padding() -> None:
    statement = _statement(_attachment(TEXT_SHA))
    body = _frame(
        _json_part(statement),
        _data_part(TEXT, TEXT_SHA),
        preamble=b"This is a preamble.\r\n",
        end=b"  \r\nand an epilogue\r\n",
    ).replace(b"846\r\nContent-Type: text", b"846 \t\r\nContent-Type: text")
    assert b"846 \t\r\n" in body

    parsed = parse_multipart(body, CONTENT_TYPE)

    assert parsed.statements == statement
    assert parsed.parts[TEXT_SHA].content == TEXT


def test_keeps_binary_content_byte_for_byte() -> None:
    body = _frame(_json_part([]), _data_part(BINARY, BINARY_SHA, content_type="image/png"))

    assert parse_multipart(body, CONTENT_TYPE).parts[BINARY_SHA].content == BINARY


def test_accepts_any_case_in_the_content_type_header_and_json_parameters() -> None:
    body = _frame(_json_part({}, b"content-type: Application/JSON; charset=UTF-8"))

    parsed = parse_multipart(body, f"Multipart/Mixed; charset=utf-8; BOUNDARY={BOUNDARY}")

    assert parsed == MultipartBody(statements={}, parts={})


def test_unfolds_continued_header_lines() -> None:
    part = _data_part(TEXT, TEXT_SHA, content_type="text/plain;\r\n charset=ascii")

    parsed = parse_multipart(_frame(_json_part([]), part), CONTENT_TYPE)

    assert parsed.parts[TEXT_SHA].content_type == "text/plain; charset=ascii"


@pytest.mark.parametrize("algorithm", ["sha224", "sha256", "sha384", "sha512"])
def test_accepts_every_sha2_digest_length(algorithm: str) -> None:
    digest = hashlib.new(algorithm, TEXT).hexdigest()

    parsed = parse_multipart(_frame(_json_part([]), _data_part(TEXT, digest)), CONTENT_TYPE)

    assert list(parsed.parts) == [digest]


def test_keys_parts_by_lower_case_hash_but_keeps_the_declared_one() -> None:
    upper = TEXT_SHA.upper()

    parsed = parse_multipart(_frame(_json_part([]), _data_part(TEXT, upper)), CONTENT_TYPE)

    assert list(parsed.parts) == [TEXT_SHA]
    assert parsed.parts[TEXT_SHA].sha2 == upper


def test_keeps_one_copy_of_repeated_parts_and_allows_empty_content() -> None:
    empty_sha = hashlib.sha256(b"").hexdigest()
    body = _frame(
        _json_part([]),
        _data_part(TEXT, TEXT_SHA),
        _data_part(TEXT, TEXT_SHA),
        _data_part(b"", empty_sha),
    )

    parsed = parse_multipart(body, CONTENT_TYPE)

    assert sorted(parsed.parts) == sorted([TEXT_SHA, empty_sha])
    assert parsed.parts[empty_sha].content == b""


def test_records_a_matching_content_length() -> None:
    part = _data_part(TEXT, TEXT_SHA, extra=(f"Content-Length: {len(TEXT)}",))

    parsed = parse_multipart(_frame(_json_part([]), part), CONTENT_TYPE)

    assert parsed.parts[TEXT_SHA].declared_length == len(TEXT)


def test_a_part_without_headers_is_plain_data_and_needs_a_hash() -> None:
    _rejects(_frame(_json_part([]), b"\r\n" + TEXT), "part 2 has no X-Experience-API-Hash")


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        (f"multipart/form-data; boundary={BOUNDARY}", "must be multipart/mixed"),
        (f"application/json; boundary={BOUNDARY}", "must be multipart/mixed"),
        ("", "must be multipart/mixed"),
        ("multipart/mixed;", "no boundary parameter"),
        ("multipart/mixed", "no boundary parameter"),
        ('multipart/mixed; boundary=""', "no boundary parameter"),
        ("multipart/mixed; boundary=" + "a" * 71, "1 to 70 characters"),
        ("multipart/mixed; boundary=abc#def", "1 to 70 characters"),
        ('multipart/mixed; boundary="ends with space "', "1 to 70 characters"),
    ],
)
def test_rejects_bad_content_type_headers(content_type: str, message: str) -> None:
    body = _frame(_json_part(_statement(_attachment(TEXT_SHA))), _data_part(TEXT, TEXT_SHA))

    _rejects(body, message, content_type)


def test_rejects_a_body_without_the_declared_boundary() -> None:
    body = _frame(_json_part([]), boundary="something-else")

    _rejects(body, "never contains the boundary")


def test_rejects_statements_sent_before_any_boundary() -> None:
    """Suite XAPI-00131: the statements sit in the preamble, so part 1 is the attachment."""
    body = (
        _json_part(_statement(_attachment(TEXT_SHA))) + b"\r\n" + _frame(_data_part(TEXT, TEXT_SHA))
    )

    _rejects(body, "first multipart part must have Content-Type application/json")


def test_rejects_a_missing_boundary_between_parts() -> None:
    """Suite XAPI-00130: the attachment headers end up inside the JSON part."""
    body = _frame(
        _json_part(_statement(_attachment(TEXT_SHA))) + b"\r\n" + _data_part(TEXT, TEXT_SHA)
    )

    _rejects(body, "first multipart part is not valid JSON")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"--" + BOUNDARY.encode() + b"--\r\n", "contains no parts"),
        (_frame(_json_part([]))[: -len(b"--\r\n")], "must end with CRLF"),
        (_frame(_json_part([]))[: -len(BOUNDARY) - 6], "ends without its closing boundary"),
        (_frame(_json_part([])).replace(b"846--", b"846X--"), "must end with CRLF"),
        (_frame(_json_part([])).replace(b"\r\n", b"\n"), "must end with CRLF"),
        (_frame(b"Content-Type: application/json\r\n[]"), "no empty line"),
        (_frame(b"Content-Type application/json\r\n\r\n[]"), "malformed header line"),
        (_frame(b" folded: first\r\n\r\n[]"), "malformed header line"),
    ],
)
def test_rejects_broken_framing(body: bytes, message: str) -> None:
    _rejects(body, message)


@pytest.mark.parametrize(
    ("first_part", "message"),
    [
        (_json_part([], b"Content-Type: text/plain"), "must have Content-Type application/json"),
        (_json_part([], b"X-Anything: 1"), "no Content-Type"),
        (b"Content-Type: application/json\r\n\r\n{not json", "is not valid JSON"),
        (b"Content-Type: application/json\r\n\r\n\xff\xfe", "is not valid JSON"),
    ],
)
def test_rejects_a_bad_statements_part(first_part: bytes, message: str) -> None:
    _rejects(_frame(first_part, _data_part(TEXT, TEXT_SHA)), message)


def test_rejects_statements_split_over_two_json_parts() -> None:
    """Suite XAPI-00133: the second JSON part is an attachment part without a hash."""
    statement = _statement(_attachment(TEXT_SHA))
    body = _frame(_json_part(statement), _json_part(statement), _data_part(TEXT, TEXT_SHA))

    _rejects(body, "part 2 has no X-Experience-API-Hash")


@pytest.mark.parametrize(
    ("part", "message"),
    [
        (_data_part(TEXT), "part 2 has no X-Experience-API-Hash"),
        (_data_part(TEXT, ""), "part 2 has no X-Experience-API-Hash"),
        (_data_part(TEXT, TEXT_SHA, encoding=None), "Content-Transfer-Encoding: binary"),
        (_data_part(TEXT, TEXT_SHA, encoding="base64"), "Content-Transfer-Encoding: binary"),
        (_data_part(TEXT, TEXT_SHA, encoding="8bit"), "Content-Transfer-Encoding: binary"),
        (
            _data_part(TEXT, "b018994f8bbe0f08992a65c48c8c8c56f09e9baceaa6227ed85c90ae52b73c89"),
            "does not match the SHA256 of its content",
        ),
        (_data_part(TEXT, hashlib.sha1(TEXT).hexdigest()), "not a hex SHA-2 digest"),
        (_data_part(TEXT, "z" * 64), "not a hex SHA-2 digest"),
        (_data_part(TEXT, TEXT_SHA, extra=("Content-Length: 3",)), "declares Content-Length 3"),
        (_data_part(TEXT, TEXT_SHA, extra=("Content-Length: -27",)), "non-numeric Content-Length"),
        (
            _data_part(TEXT, TEXT_SHA, extra=(f"X-Experience-API-Hash: {TEXT_SHA}",)),
            "repeats its x-experience-api-hash header",
        ),
    ],
)
def test_rejects_a_bad_attachment_part(part: bytes, message: str) -> None:
    _rejects(_frame(_json_part(_statement(_attachment(TEXT_SHA))), part), message)


def test_accepts_upper_case_binary_encoding_value() -> None:
    body = _frame(_json_part([]), _data_part(TEXT, TEXT_SHA, encoding="BINARY"))

    assert TEXT_SHA in parse_multipart(body, CONTENT_TYPE).parts


# ---------------------------------------------------------------- check_attachments


def _parts(*contents: bytes, content_type: str = "text/plain") -> dict[str, AttachmentPart]:
    result = {}
    for content in contents:
        digest = hashlib.sha256(content).hexdigest()
        result[digest] = AttachmentPart(sha2=digest, content_type=content_type, content=content)
    return result


def test_accepts_attachments_matched_by_parts_or_file_urls() -> None:
    statements = [
        _statement(_attachment(TEXT_SHA), _attachment("ab" * 32, fileUrl="http://x.example/f")),
        _statement(_attachment(TEXT_SHA), _attachment(OTHER_SHA)),  # one part serves two
    ]

    check_attachments(statements, _parts(TEXT, OTHER))


def test_accepts_a_part_for_an_attachment_that_also_has_a_file_url() -> None:
    """Suite XAPI-00161 sends exactly this and expects the data to be stored."""
    statement = _statement(_attachment(TEXT_SHA, fileUrl="http://over.there.com/file.txt"))

    check_attachments([statement], _parts(TEXT))


def test_accepts_json_only_statements_without_parts() -> None:
    check_attachments([_statement(), {"actor": {}}], {})


def test_rejects_an_attachment_without_data_or_file_url() -> None:
    """Suite XAPI-00129: two attachments, one part."""
    statement = _statement(_attachment(TEXT_SHA), _attachment(OTHER_SHA))

    with pytest.raises(
        InvalidInput, match=f"sha2 {OTHER_SHA} has no fileUrl and no multipart part"
    ):
        check_attachments([statement], _parts(TEXT))


def test_rejects_an_empty_file_url_as_no_file_url() -> None:
    statement = _statement(_attachment(TEXT_SHA, fileUrl=""))

    with pytest.raises(InvalidInput, match="has no fileUrl"):
        check_attachments([statement], {})


def test_rejects_parts_no_attachment_claims() -> None:
    """Suite XAPI-00128: three parts for two attachments."""
    third = b"here is a third simple attachment"
    statement = _statement(_attachment(TEXT_SHA), _attachment(OTHER_SHA))

    with pytest.raises(InvalidInput, match=hashlib.sha256(third).hexdigest()):
        check_attachments([statement], _parts(TEXT, OTHER, third))


def test_substatement_attachments_claim_parts() -> None:
    sub = {**_statement(_attachment(TEXT_SHA)), "objectType": "SubStatement"}
    statement = {**_statement(), "object": sub}

    check_attachments([statement], _parts(TEXT))


def test_matches_hashes_case_insensitively() -> None:
    statement = _statement(_attachment(TEXT_SHA.upper()))
    part = AttachmentPart(sha2=TEXT_SHA, content_type="text/plain", content=TEXT)

    check_attachments([statement], {TEXT_SHA.upper(): part})


def test_ignores_what_statement_validation_rejects() -> None:
    statements: list[Any] = [
        "not a statement",
        {"attachments": "not a list"},
        {"attachments": [42, {"sha2": 42, "fileUrl": "http://x.example"}]},
    ]

    check_attachments(statements, {})


def test_rejects_a_part_whose_content_type_contradicts_the_attachment() -> None:
    statement = _statement(_attachment(TEXT_SHA, content_type="image/jpeg"))

    with pytest.raises(InvalidInput, match="declares contentType 'image/jpeg'"):
        check_attachments([statement], _parts(TEXT, content_type="text/plain"))


def test_content_types_are_compared_without_parameters_or_case() -> None:
    statement = _statement(_attachment(TEXT_SHA, content_type="Text/Plain; charset=ascii"))

    check_attachments([statement], _parts(TEXT, content_type="text/plain;charset=utf-8"))
    check_attachments([statement], _parts(TEXT, content_type=""))  # header absent


def test_length_is_only_checked_against_a_content_length_header() -> None:
    """Suite XAPI-00127 sends a length that differs from the data and expects 200."""
    statement = _statement(_attachment(TEXT_SHA, length=999))
    check_attachments([statement], _parts(TEXT))

    declared = {
        TEXT_SHA: AttachmentPart(TEXT_SHA, "text/plain", TEXT, declared_length=len(TEXT)),
    }
    with pytest.raises(InvalidInput, match="declares length 999 but its multipart part has"):
        check_attachments([statement], declared)


def test_end_to_end_parse_then_check() -> None:
    statements = [_statement(_attachment(TEXT_SHA)), _statement(_attachment(OTHER_SHA))]
    body = _frame(_json_part(statements), _data_part(TEXT, TEXT_SHA), _data_part(OTHER, OTHER_SHA))

    parsed = parse_multipart(body, CONTENT_TYPE)
    check_attachments(statements, parsed.parts)

    assert parsed.statements == statements


# ----------------------------------------------------------------- build_multipart


def test_built_body_has_the_framing_clients_expect() -> None:
    statements = json.dumps({"statements": [], "more": ""}).encode()

    body, content_type = build_multipart(
        statements, [AttachmentPart(TEXT_SHA, "text/plain; charset=ascii", TEXT)]
    )

    match = re.fullmatch(r"multipart/mixed; boundary=([A-Za-z0-9-]+)", content_type)
    assert match is not None
    dash = b"--" + match.group(1).encode()
    assert body == (
        dash + b"\r\nContent-Type: application/json\r\n\r\n" + statements + b"\r\n"
        + dash + b"\r\nContent-Type: text/plain; charset=ascii\r\n"
        + b"Content-Transfer-Encoding: binary\r\n"
        + b"X-Experience-API-Hash: " + TEXT_SHA.encode() + b"\r\n\r\n" + TEXT + b"\r\n"
        + dash + b"--\r\n"
    )  # fmt: skip


def test_built_body_round_trips_and_sends_each_hash_once() -> None:
    statements = [_statement(_attachment(TEXT_SHA)), _statement(_attachment(TEXT_SHA))]
    parts = [
        AttachmentPart(TEXT_SHA, "text/plain", TEXT),
        AttachmentPart(BINARY_SHA, "application/octet-stream", BINARY),
        AttachmentPart(TEXT_SHA.upper(), "text/plain", TEXT),
    ]

    body, content_type = build_multipart(json.dumps(statements).encode(), parts)
    parsed = parse_multipart(body, content_type)

    assert parsed.statements == statements
    assert parsed.parts == {TEXT_SHA: parts[0], BINARY_SHA: parts[1]}
    assert body.count(TEXT_SHA.encode()) == 1 + 2  # the header once, the two statements


def test_built_body_without_parts_is_just_the_statements() -> None:
    body, content_type = build_multipart(b"[]", [])

    assert parse_multipart(body, content_type) == MultipartBody(statements=[], parts={})


def test_boundary_is_redrawn_when_it_occurs_in_a_payload(monkeypatch: pytest.MonkeyPatch) -> None:
    draws = iter(["0" * 32, "1" * 32])
    monkeypatch.setattr(secrets, "token_hex", lambda _size: next(draws))
    collision = b"data mentioning cairn-" + b"0" * 32
    digest = hashlib.sha256(collision).hexdigest()

    body, content_type = build_multipart(b"[]", [AttachmentPart(digest, "text/plain", collision)])

    assert content_type == "multipart/mixed; boundary=cairn-" + "1" * 32
    assert parse_multipart(body, content_type).parts[digest].content == collision


@pytest.mark.parametrize("stored_type", ["", "  ", "text/plain\r\nX-Injected: 1", "tëxt/plain"])
def test_unsafe_or_missing_content_types_are_sent_as_octet_stream(stored_type: str) -> None:
    body, _ = build_multipart(b"[]", [AttachmentPart(TEXT_SHA, stored_type, TEXT)])

    assert b"\r\nContent-Type: application/octet-stream\r\n" in body
    assert b"X-Injected" not in body


def test_refuses_to_send_a_hash_that_is_not_hex() -> None:
    with pytest.raises(ValueError, match="not hex"):
        build_multipart(b"[]", [AttachmentPart("abc\r\nX: y", "text/plain", TEXT)])


@given(
    contents=st.lists(st.binary(max_size=300), max_size=4),
    statements=st.lists(st.text(max_size=20), max_size=3),
)
def test_any_binary_data_round_trips(contents: list[bytes], statements: list[str]) -> None:
    parts = [
        AttachmentPart(hashlib.sha256(content).hexdigest(), "application/octet-stream", content)
        for content in contents
    ]

    body, content_type = build_multipart(json.dumps(statements).encode(), parts)
    parsed = parse_multipart(body, content_type)

    assert parsed.statements == statements
    assert {key: part.content for key, part in parsed.parts.items()} == {
        part.sha2: part.content for part in parts
    }
