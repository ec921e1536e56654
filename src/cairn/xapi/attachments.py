"""Attachment transport for the Statement resource (``multipart/mixed``).

xAPI 1.0.3 carries attachment data in an RFC 2046 ``multipart/mixed`` body: the
first part holds the statement(s) as ``application/json`` and every further
part holds the raw octets of one attachment, identified by the SHA-2 hash its
statement declares (Data 2.4.11, Communication 1.5.2).

Parsing is split in two steps on purpose. :func:`parse_multipart` checks what
can be checked from the body alone (framing, part headers, that each part's
hash really is the hash of its octets). :func:`check_attachments` runs once the
statements have been validated and ties the two together: every attachment
without a ``fileUrl`` needs a part, and every part needs an attachment.
:func:`build_multipart` produces the same framing for ``GET ?attachments=true``.

Everything here works on whole ``bytes``: the request size limit is enforced
before the body reaches this module.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from cairn.errors import InvalidInput

__all__ = [
    "AttachmentPart",
    "MultipartBody",
    "build_multipart",
    "check_attachments",
    "parse_multipart",
]

CRLF = b"\r\n"
HASH_HEADER = "x-experience-api-hash"
STATEMENTS_MEDIA_TYPE = "application/json"
FALLBACK_MEDIA_TYPE = "application/octet-stream"

# SHA-2 variants by the length of their hex digest. The spec only says "SHA-2"
# (and recommends 256/384/512), so the digest length is what tells them apart.
_SHA2_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}
_HEX = re.compile(r"[0-9a-fA-F]+")
# RFC 2046 section 5.1.1: 1 to 70 "bchars", the last one not a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_PARAMETER = re.compile(r";\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^;\s]*)")
_QUOTED_PAIR = re.compile(r"\\(.)")
# Headers that mean something to us; a second copy would make the part ambiguous.
_SINGLE_HEADERS = frozenset(
    {"content-type", "content-transfer-encoding", "content-length", HASH_HEADER}
)


@dataclass(frozen=True)
class AttachmentPart:
    """The raw data of one attachment, as received in (or sent as) one body part.

    ``sha2`` is the hash exactly as the part declared it; ``content_type`` is the
    part's ``Content-Type`` header, or ``""`` when the part had none (the
    attachment object's ``contentType`` is then the only statement of its type).
    ``declared_length`` is the part's ``Content-Length`` header when present; it
    takes no part in equality because it is transport detail, not data.
    """

    sha2: str
    content_type: str
    content: bytes
    declared_length: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class MultipartBody:
    """A parsed request: the decoded JSON of the first part and the attachment parts.

    ``parts`` is keyed by the lower-cased ``X-Experience-API-Hash`` so that a hex
    digest matches whatever case the statement used for its ``sha2``.
    """

    statements: object
    parts: dict[str, AttachmentPart]


@dataclass(frozen=True)
class _RawPart:
    """One body part split into its header fields and its octets."""

    index: int
    headers: dict[str, str]
    content: bytes


# --------------------------------------------------------------------------- parsing


def parse_multipart(body: bytes, content_type_header: str) -> MultipartBody:
    """Parse a ``multipart/mixed`` Statement request body.

    Raises :class:`InvalidInput` naming the first problem found: a media type
    other than ``multipart/mixed``, a missing or invalid boundary, broken
    framing, a first part that is not ``application/json`` or not valid JSON,
    or an attachment part without ``X-Experience-API-Hash``, without
    ``Content-Transfer-Encoding: binary`` or whose octets do not hash to the
    declared value.
    """
    boundary = _boundary_from_header(content_type_header)
    raw_parts = [_split_part(index, chunk) for index, chunk in _body_parts(body, boundary)]
    if not raw_parts:
        raise InvalidInput(
            "the multipart body contains no parts; the first must hold the statements"
        )
    statements = _statements_from(raw_parts[0])
    parts: dict[str, AttachmentPart] = {}
    for raw in raw_parts[1:]:
        part = _attachment_from(raw)
        # Two parts with one hash carry the same octets (the hash was verified),
        # so keeping the first loses nothing.
        parts.setdefault(part.sha2.lower(), part)
    return MultipartBody(statements=statements, parts=parts)


def _boundary_from_header(content_type_header: str) -> bytes:
    """Return the boundary of a ``multipart/mixed`` Content-Type header value."""
    media_type, parameters = _split_media_type(content_type_header)
    if media_type != "multipart/mixed":
        raise InvalidInput(
            "Content-Type must be multipart/mixed to send attachments, "
            f"got {media_type or 'nothing'!r}"
        )
    boundary = parameters.get("boundary")
    if not boundary:
        raise InvalidInput("the multipart/mixed Content-Type header has no boundary parameter")
    if _BOUNDARY.fullmatch(boundary) is None:
        raise InvalidInput(
            "the multipart boundary must be 1 to 70 characters from the RFC 2046 set "
            "(letters, digits, '()+_,-./:=? and inner spaces)"
        )
    return boundary.encode("ascii")


def _split_media_type(header_value: str) -> tuple[str, dict[str, str]]:
    """Split a Content-Type value into its lower-cased media type and parameters."""
    media_type, _, rest = header_value.partition(";")
    parameters: dict[str, str] = {}
    for match in _PARAMETER.finditer(";" + rest):
        value = match.group(2)
        if value.startswith('"'):
            value = _QUOTED_PAIR.sub(r"\1", value[1:-1])
        parameters[match.group(1).lower()] = value
    return media_type.strip().lower(), parameters


def _media_type(header_value: str) -> str:
    """The ``type/subtype`` of a media type value, lower-cased, parameters dropped."""
    return header_value.partition(";")[0].strip().lower()


def _body_parts(body: bytes, boundary: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield ``(part number, octets)`` for each encapsulated part, RFC 2046 style.

    A delimiter is CRLF, ``--`` and the boundary; only the very first one may
    omit the CRLF when it opens the body. Whatever precedes the first delimiter
    is preamble and whatever follows the close delimiter is epilogue; both are
    ignored, as RFC 2046 requires.
    """
    dash_boundary = b"--" + boundary
    delimiter = CRLF + dash_boundary
    if body.startswith(dash_boundary):
        position = len(dash_boundary)
    else:
        found = body.find(delimiter)
        if found < 0:
            raise InvalidInput("the multipart body never contains the boundary from Content-Type")
        position = found + len(delimiter)
    index = 1
    while not body.startswith(b"--", position):
        start = _end_of_boundary_line(body, position)
        end = body.find(delimiter, start)
        if end < 0:
            raise InvalidInput(
                "the multipart body ends without its closing boundary (--boundary--)"
            )
        yield index, body[start:end]
        index += 1
        position = end + len(delimiter)


def _end_of_boundary_line(body: bytes, position: int) -> int:
    """Skip the transport padding after a delimiter and the CRLF that must end it."""
    while body[position : position + 1] in (b" ", b"\t"):
        position += 1
    if not body.startswith(CRLF, position):
        raise InvalidInput("a multipart boundary line must end with CRLF right after the boundary")
    return position + len(CRLF)


def _split_part(index: int, chunk: bytes) -> _RawPart:
    """Separate a part's header block from its content at the first empty line."""
    if chunk.startswith(CRLF):
        return _RawPart(index, {}, chunk[len(CRLF) :])
    separator = chunk.find(CRLF + CRLF)
    if separator < 0:
        raise InvalidInput(
            f"multipart part {index} has no empty line (CRLF CRLF) between its headers and content"
        )
    headers = _parse_headers(index, chunk[:separator])
    return _RawPart(index, headers, chunk[separator + 2 * len(CRLF) :])


def _parse_headers(index: int, block: bytes) -> dict[str, str]:
    """Parse a part's header block into lower-cased names and unfolded values."""
    # Header octets are ASCII by RFC; Latin-1 maps any stray byte 1:1 instead of failing,
    # which is fine because only ASCII-valued headers are interpreted.
    lines = block.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    name = ""
    for line in lines:
        if line[:1] in (" ", "\t") and name:
            headers[name] = f"{headers[name]} {line.strip()}"
            continue
        name, value = _header_field(index, line)
        if name in headers and name in _SINGLE_HEADERS:
            raise InvalidInput(f"multipart part {index} repeats its {name} header")
        headers[name] = value
    return headers


def _header_field(index: int, line: str) -> tuple[str, str]:
    """Split one ``Name: value`` header line, rejecting anything else."""
    name, colon, value = line.partition(":")
    if not colon or _HEADER_NAME.fullmatch(name) is None:
        raise InvalidInput(f"multipart part {index} has a malformed header line: {line[:80]!r}")
    return name.lower(), value.strip()


def _statements_from(part: _RawPart) -> object:
    """Decode the first part, which must be the statements as JSON."""
    content_type = part.headers.get("content-type")
    if content_type is None or _media_type(content_type) != STATEMENTS_MEDIA_TYPE:
        raise InvalidInput(
            "the first multipart part must have Content-Type application/json "
            f"and hold the statements, got {content_type or 'no Content-Type'!r}"
        )
    try:
        return orjson.loads(part.content)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"the first multipart part is not valid JSON: {error}") from error


def _attachment_from(part: _RawPart) -> AttachmentPart:
    """Check the headers of an attachment part and verify its hash."""
    declared_hash = part.headers.get(HASH_HEADER)
    if not declared_hash:
        raise InvalidInput(f"multipart part {part.index} has no X-Experience-API-Hash header")
    encoding = part.headers.get("content-transfer-encoding")
    if encoding is None or encoding.lower() != "binary":
        raise InvalidInput(
            f"multipart part {part.index} must have Content-Transfer-Encoding: binary, "
            f"got {encoding or 'none'!r}"
        )
    _verify_digest(part.index, declared_hash, part.content)
    return AttachmentPart(
        sha2=declared_hash,
        content_type=part.headers.get("content-type", ""),
        content=part.content,
        declared_length=_declared_length(part),
    )


def _verify_digest(index: int, declared_hash: str, content: bytes) -> None:
    """The LRS matches parts to attachments by hash only, so the hash must be true."""
    algorithm = _SHA2_BY_HEX_LENGTH.get(len(declared_hash))
    if algorithm is None or _HEX.fullmatch(declared_hash) is None:
        raise InvalidInput(
            f"multipart part {index}: X-Experience-API-Hash {declared_hash[:130]!r} "
            "is not a hex SHA-2 digest (SHA-224/256/384/512)"
        )
    actual = hashlib.new(algorithm, content).hexdigest()
    if actual != declared_hash.lower():
        raise InvalidInput(
            f"multipart part {index}: X-Experience-API-Hash {declared_hash} does not match "
            f"the {algorithm.upper()} of its content ({actual})"
        )


def _declared_length(part: _RawPart) -> int | None:
    """Return the part's Content-Length, which must agree with what was received."""
    value = part.headers.get("content-length")
    if value is None:
        return None
    if not value.isdigit():
        raise InvalidInput(
            f"multipart part {part.index} has a non-numeric Content-Length {value!r}"
        )
    if int(value) != len(part.content):
        raise InvalidInput(
            f"multipart part {part.index} declares Content-Length {value} "
            f"but carries {len(part.content)} octets"
        )
    return int(value)


# ----------------------------------------------------------------- cross-checking


def check_attachments(
    statements: list[dict[str, Any]], parts: Mapping[str, AttachmentPart]
) -> None:
    """Tie received parts to the attachment objects of already-validated statements.

    Each attachment without a ``fileUrl`` needs a part whose hash equals its
    ``sha2``; attachments with a ``fileUrl`` may have one too. Each part must be
    claimed by at least one attachment (Communication 1.5.2: the extra parts are
    the attachments' data and nothing else). Where a part header and an
    attachment property describe the same thing (Content-Type/``contentType``,
    Content-Length/``length``) they must agree. The ``length`` property is *not*
    compared with the received size when the part gives no Content-Length: the
    spec asks for no such check and the conformance suite posts a statement whose
    ``length`` differs from its part's size and expects it to be stored.
    """
    by_hash = {key.lower(): part for key, part in parts.items()}
    claimed: set[str] = set()
    for attachment in _attachment_objects(statements):
        sha2 = attachment.get("sha2")
        if not isinstance(sha2, str):
            continue  # shape errors belong to statement validation
        claimed.add(sha2.lower())
        part = by_hash.get(sha2.lower())
        if part is not None:
            _check_part_matches(attachment, part)
        elif not _has_file_url(attachment):
            raise InvalidInput(
                f"attachment with sha2 {sha2} has no fileUrl and no multipart part carries its data"
            )
    unclaimed = sorted(set(by_hash) - claimed)
    if unclaimed:
        raise InvalidInput(
            "multipart part(s) with X-Experience-API-Hash "
            f"{', '.join(unclaimed)} match no attachment of the statements"
        )


def _attachment_objects(statements: Iterable[object]) -> Iterator[dict[str, Any]]:
    """Every attachment object of the statements, including those of SubStatements."""
    for statement in statements:
        if not isinstance(statement, dict):
            continue
        yield from _own_attachments(statement)
        target = statement.get("object")
        if isinstance(target, dict) and target.get("objectType") == "SubStatement":
            yield from _own_attachments(target)


def _own_attachments(statement: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The attachment objects directly on one statement, skipping malformed entries."""
    attachments = statement.get("attachments")
    if isinstance(attachments, list):
        yield from (item for item in attachments if isinstance(item, dict))


def _has_file_url(attachment: Mapping[str, Any]) -> bool:
    """True when the attachment says where its data can be fetched instead."""
    file_url = attachment.get("fileUrl")
    return isinstance(file_url, str) and bool(file_url)


def _check_part_matches(attachment: Mapping[str, Any], part: AttachmentPart) -> None:
    """Reject a part whose headers contradict the attachment object it carries.

    Content types are compared on ``type/subtype`` only: the spec's own example
    pairs ``contentType: "text/plain; charset=ascii"`` with a part header of
    ``Content-Type: text/plain``.
    """
    content_type = attachment.get("contentType")
    if (
        part.content_type
        and isinstance(content_type, str)
        and _media_type(content_type) != _media_type(part.content_type)
    ):
        raise InvalidInput(
            f"attachment {part.sha2} declares contentType {content_type!r} "
            f"but its multipart part says {part.content_type!r}"
        )
    length = attachment.get("length")
    if (
        part.declared_length is not None
        and isinstance(length, int)
        and not isinstance(length, bool)
        and length != part.declared_length
    ):
        raise InvalidInput(
            f"attachment {part.sha2} declares length {length} "
            f"but its multipart part has Content-Length {part.declared_length}"
        )


# ----------------------------------------------------------------------- building


def build_multipart(statements_json: bytes, parts: list[AttachmentPart]) -> tuple[bytes, str]:
    """Frame a statements document and attachment data as ``multipart/mixed``.

    Returns the body and the matching Content-Type header value. The boundary
    is an unquoted token (some clients split the header naively) chosen so it
    occurs in none of the payloads. Parts sharing a hash are sent once, as the
    spec recommends. No per-part Content-Length is sent, because a stored
    attachment's ``length`` is not guaranteed to equal its size and the two
    would then contradict each other.
    """
    unique = _unique_by_hash(parts)
    boundary = _fresh_boundary([statements_json, *(part.content for part in unique)])
    dash_boundary = b"--" + boundary
    chunks = [dash_boundary, CRLF, b"Content-Type: application/json", CRLF, CRLF, statements_json]
    for part in unique:
        chunks += [CRLF, dash_boundary, CRLF, *_part_header_lines(part), CRLF, part.content]
    chunks += [CRLF, dash_boundary, b"--", CRLF]
    return b"".join(chunks), f"multipart/mixed; boundary={boundary.decode('ascii')}"


def _unique_by_hash(parts: Iterable[AttachmentPart]) -> list[AttachmentPart]:
    """Keep the first part for each (case-insensitive) hash, in the given order."""
    seen: dict[str, AttachmentPart] = {}
    for part in parts:
        seen.setdefault(part.sha2.lower(), part)
    return list(seen.values())


def _part_header_lines(part: AttachmentPart) -> list[bytes]:
    """The header lines of one attachment part, each terminated by CRLF."""
    if _HEX.fullmatch(part.sha2) is None:
        raise ValueError(f"refusing to send an attachment whose hash is not hex: {part.sha2!r}")
    return [
        b"Content-Type: " + _safe_content_type(part.content_type).encode("ascii") + CRLF,
        b"Content-Transfer-Encoding: binary" + CRLF,
        b"X-Experience-API-Hash: " + part.sha2.encode("ascii") + CRLF,
    ]


def _safe_content_type(content_type: str) -> str:
    """Use the stored type unless it could break the header block."""
    printable = content_type.isascii() and content_type.isprintable()
    return content_type if content_type.strip() and printable else FALLBACK_MEDIA_TYPE


def _fresh_boundary(payloads: list[bytes]) -> bytes:
    """A random boundary that appears in none of the payloads."""
    while True:
        candidate = b"cairn-" + secrets.token_hex(16).encode("ascii")
        if not any(candidate in payload for payload in payloads):
            return candidate
