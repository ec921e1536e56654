"""Verification of signed statements (xAPI 1.0.3 Data 2.6).

A signed statement carries a JSON Web Signature (RFC 7515) as an attachment
whose ``usageType`` is :data:`SIGNATURE_USAGE_TYPE` and whose ``contentType``
is ``application/octet-stream``. The LRS must reject malformed signatures with
400, which means: the JWS decodes, uses RS256/RS384/RS512, its payload is a
JSON serialization of the statement as it was before the signature attachment
was added, and, when the header carries an ``x5c`` certificate chain, the
signature verifies against the first certificate's public key.

The payload is compared with the received statement using the statement
comparison rules of Data 2.3.1: differences an LRS could legitimately have
introduced (assigned ``id``/``timestamp``/``version``, overwritten
``authority``/``stored``, timestamp serialization, Group member order, the
``display`` of Verbs and the definitions of Activities, array-wrapping of
context activities, case of e-mail domains and UUIDs) are ignored; anything
else must be identical, including JSON types.

As the spec notes, checking against the embedded certificate catches mistakes
and is not authentication: the certificate is neither trusted nor checked for
expiry here.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cairn.errors import InvalidInput
from cairn.xapi.attachments import AttachmentPart
from cairn.xapi.comparison import differing_properties

__all__ = [
    "SIGNATURE_CONTENT_TYPE",
    "SIGNATURE_USAGE_TYPE",
    "signature_attachments",
    "verify_signed_statement",
    "verify_statement_signatures",
]

SIGNATURE_USAGE_TYPE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_CONTENT_TYPE = "application/octet-stream"

_HASH_FOR_ALGORITHM: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# Properties an LRS sets on every statement it stores, whatever the client sent.
_ALWAYS_REASSIGNED = ("authority", "stored")
# Properties an LRS fills in only when the client left them out.
_ASSIGNED_WHEN_MISSING = ("id", "timestamp", "version")
_CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")


@dataclass(frozen=True)
class _Jws:
    """A decoded JWS with one signature."""

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes


# ------------------------------------------------------------------------ entry points


def signature_attachments(statement: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The attachment objects of a statement that claim to be its signature."""
    attachments = statement.get("attachments")
    if not isinstance(attachments, list):
        return []
    return [
        item
        for item in attachments
        if isinstance(item, dict) and item.get("usageType") == SIGNATURE_USAGE_TYPE
    ]


def verify_statement_signatures(
    statements: Iterable[Mapping[str, Any]], parts: Mapping[str, AttachmentPart]
) -> None:
    """Verify every signed statement of a request against the received parts.

    A statement is signed when it has an attachment with the signature
    usageType. Its JWS must have arrived as a multipart part: a ``fileUrl``
    alone leaves nothing to verify, and the conformance suite expects a
    signature attachment without data to be rejected (XAPI-00115).
    """
    by_hash = {key.lower(): part for key, part in parts.items()}
    for statement in statements:
        claimed = signature_attachments(statement)
        if not claimed:
            continue
        sha2 = claimed[0].get("sha2")
        part = by_hash.get(sha2.lower()) if isinstance(sha2, str) else None
        if part is None:
            raise InvalidInput("the signature attachment has no JWS in the multipart body")
        verify_signed_statement(dict(statement), part.content)


def verify_signed_statement(statement: dict[str, Any], jws: bytes) -> None:
    """Reject (InvalidInput) a signed statement whose signature is malformed.

    ``statement`` is the statement as received, signature attachment included;
    ``jws`` is the content of that attachment's part.
    """
    _check_signature_attachment(statement)
    token = _decode_jws(jws)
    hash_factory = _hash_for(token.header)
    signed = _signed_statement(token.payload)
    _check_equivalent(statement, signed)
    if "x5c" in token.header:
        _verify_with_certificate(token, hash_factory, token.header["x5c"])


def _check_signature_attachment(statement: Mapping[str, Any]) -> None:
    """Exactly one signature attachment, declared as application/octet-stream."""
    claimed = signature_attachments(statement)
    if not claimed:
        raise InvalidInput(f"the statement has no attachment with usageType {SIGNATURE_USAGE_TYPE}")
    if len(claimed) > 1:
        raise InvalidInput("a statement may carry only one signature attachment")
    content_type = claimed[0].get("contentType")
    declared = (
        content_type.partition(";")[0].strip().lower() if isinstance(content_type, str) else ""
    )
    if declared != SIGNATURE_CONTENT_TYPE:
        raise InvalidInput(
            f"a signature attachment must have contentType {SIGNATURE_CONTENT_TYPE}, "
            f"got {content_type!r}"
        )


# ------------------------------------------------------------------------ JWS decoding


def _decode_jws(data: bytes) -> _Jws:
    """Decode a JWS in compact serialization or, though discouraged, JSON serialization."""
    try:
        text = data.decode("ascii").strip()
    except UnicodeDecodeError as error:
        raise InvalidInput("the signature is not a JWS: it contains non-ASCII bytes") from error
    if text.startswith("{"):
        return _decode_json_serialization(text)
    segments = text.split(".")
    if len(segments) != 3:
        raise InvalidInput(
            "the signature is not a JWS compact serialization (three base64url segments "
            f"separated by dots); found {len(segments)} segment(s)"
        )
    protected, payload, signature = segments
    return _assemble(protected, {}, payload, signature)


def _decode_json_serialization(text: str) -> _Jws:
    """Accept the flattened or general JSON serialization carrying one signature."""
    document = _json_object(text.encode("ascii"), "the JWS JSON serialization")
    entry: Any = document
    if "signatures" in document:
        signatures = document["signatures"]
        if not isinstance(signatures, list) or len(signatures) != 1:
            raise InvalidInput("a JWS JSON serialization must carry exactly one signature here")
        entry = signatures[0]
    if not isinstance(entry, dict):
        raise InvalidInput("a JWS signature entry must be a JSON object")
    unprotected = entry.get("header", {})
    if not isinstance(unprotected, dict):
        raise InvalidInput("the JWS unprotected header must be a JSON object")
    return _assemble(
        _string_member(entry, "protected"),
        unprotected,
        _string_member(document, "payload"),
        _string_member(entry, "signature"),
    )


def _string_member(container: Mapping[str, Any], name: str) -> str:
    """A required string member of a JWS JSON serialization."""
    value = container.get(name)
    if not isinstance(value, str):
        raise InvalidInput(f"the JWS JSON serialization has no string {name!r} member")
    return value


def _assemble(protected: str, unprotected: dict[str, Any], payload: str, signature: str) -> _Jws:
    """Decode the base64url pieces and merge the protected and unprotected headers."""
    header = _json_object(_base64url(protected, "protected header"), "the JWS header")
    overlap = set(header) & set(unprotected)
    if overlap:
        raise InvalidInput(f"JWS header parameters appear twice: {', '.join(sorted(overlap))}")
    decoded_signature = _base64url(signature, "signature")
    if not decoded_signature:
        raise InvalidInput("the JWS signature segment is empty")
    return _Jws(
        header={**header, **unprotected},
        payload=_base64url(payload, "payload"),
        signing_input=f"{protected}.{payload}".encode("ascii"),
        signature=decoded_signature,
    )


def _base64url(segment: str, what: str) -> bytes:
    """Decode unpadded base64url (RFC 7515 section 2), rejecting other alphabets."""
    if _BASE64URL.fullmatch(segment) is None or len(segment) % 4 == 1:
        raise InvalidInput(f"the JWS {what} is not valid unpadded base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    """Parse JSON that must be an object."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"{what} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object")
    return value


def _hash_for(header: Mapping[str, Any]) -> Callable[[], hashes.HashAlgorithm]:
    """The digest for the header's ``alg``; xAPI allows only the RSA PKCS#1 v1.5 family."""
    if "crit" in header:
        raise InvalidInput("JWS critical header extensions ('crit') are not supported")
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in _HASH_FOR_ALGORITHM:
        raise InvalidInput(f"the JWS alg must be RS256, RS384 or RS512, got {algorithm!r}")
    return _HASH_FOR_ALGORITHM[algorithm]


def _signed_statement(payload: bytes) -> dict[str, Any]:
    """The statement serialized in the JWS payload."""
    return _json_object(payload, "the JWS payload (the signed statement)")


def _verify_with_certificate(
    token: _Jws, hash_factory: Callable[[], hashes.HashAlgorithm], chain: object
) -> None:
    """Check the signature with the public key of the first ``x5c`` certificate."""
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise InvalidInput("the JWS x5c header must be a non-empty array of base64 certificates")
    try:
        # x5c uses standard base64 (RFC 7515 section 4.1.6), not base64url.
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except (binascii.Error, ValueError) as error:
        raise InvalidInput(
            "the first JWS x5c entry is not a base64 DER X.509 certificate"
        ) from error
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise InvalidInput(
            "the x5c certificate does not hold an RSA key, which RS* signatures need"
        )
    try:
        public_key.verify(token.signature, token.signing_input, padding.PKCS1v15(), hash_factory())
    except InvalidSignature as error:
        raise InvalidInput("the JWS signature does not verify with the x5c certificate") from error




def _check_equivalent(received: Mapping[str, Any], signed: Mapping[str, Any]) -> None:
    """The signed payload must describe the received statement (Data 2.3.1, 2.6).

    "Describe" is the spec's statement comparison, the same one that decides
    whether a repeated statement id is a conflict.
    """
    left = _without_signature(received)
    right = dict(signed)
    if "attachments" not in right or right.get("attachments") == []:
        # Attachments are "not part of Statements" (Data 2.3.1); signers commonly
        # leave them out of the payload altogether.
        left.pop("attachments", None)
        right.pop("attachments", None)
    differing = differing_properties(left, right)
    if differing:
        raise InvalidInput("the JWS payload is not the signed statement: it differs in "
                           + ", ".join(differing))


def _without_signature(statement: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the statement as it was before its signature was attached."""
    result = copy.deepcopy(dict(statement))
    attachments = result.get("attachments")
    if isinstance(attachments, list):
        kept = [
            item
            for item in attachments
            if not (isinstance(item, dict) and item.get("usageType") == SIGNATURE_USAGE_TYPE)
        ]
        result["attachments"] = kept
    return result
