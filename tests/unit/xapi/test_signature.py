"""Tests for signed statement verification (xAPI 1.0.3 Data 2.6).

Tokens are built here from first principles (base64url header, payload and an
RSA PKCS#1 v1.5 signature made with ``cryptography``) so every malformation
can be produced on purpose; one known-answer test uses the signed statement of
the specification's Appendix D, which was produced by other software.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from cairn.errors import InvalidInput
from cairn.xapi.attachments import AttachmentPart, check_attachments, parse_multipart
from cairn.xapi.signature import (
    SIGNATURE_USAGE_TYPE,
    signature_attachments,
    verify_signed_statement,
    verify_statement_signatures,
)

HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}

STATEMENT: dict[str, Any] = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"},
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/attended",
        "display": {"en-GB": "attended", "en-US": "attended"},
    },
    "object": {
        "objectType": "Activity",
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {"name": {"en-US": "A meeting"}},
    },
    "result": {"success": True, "duration": "PT1H"},
    "timestamp": "2024-05-01T12:00:00.000Z",
}


# ------------------------------------------------------------------------- helpers


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    """A self-signed certificate for the key, as an x5c entry (standard base64 DER)."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cairn test signer")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(private_key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


@pytest.fixture(scope="module")
def x5c(key: rsa.RSAPrivateKey) -> list[str]:
    return [_certificate(key)]


def _sign(
    private_key: rsa.RSAPrivateKey,
    payload: object,
    *,
    alg: str = "RS256",
    **header: Any,
) -> bytes:
    """A JWS compact serialization; ``payload`` bytes are used verbatim."""
    protected = _b64url(json.dumps({"alg": alg, **header}).encode())
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signing_input = f"{protected}.{_b64url(body)}".encode()
    signature = private_key.sign(signing_input, padding.PKCS1v15(), HASHES[alg]())
    return signing_input + b"." + _b64url(signature).encode()


def _signature_attachment(
    jws: bytes, content_type: str = "application/octet-stream"
) -> dict[str, Any]:
    return {
        "usageType": SIGNATURE_USAGE_TYPE,
        "display": {"en-US": "Signed by the test"},
        "contentType": content_type,
        "length": len(jws),
        "sha2": hashlib.sha256(jws).hexdigest(),
    }


def _signed(statement: dict[str, Any], jws: bytes, **changes: Any) -> dict[str, Any]:
    """The statement as sent: the signed one, changed, plus the signature attachment."""
    sent = {**copy.deepcopy(statement), **changes}
    sent["attachments"] = [*sent.get("attachments", []), _signature_attachment(jws)]
    return sent


def _rejected(statement: dict[str, Any], jws: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        verify_signed_statement(statement, jws)


# ---------------------------------------------------------------- accepted tokens


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_accepts_rsa_signatures_checked_against_x5c(
    key: rsa.RSAPrivateKey, x5c: list[str], alg: str
) -> None:
    jws = _sign(key, STATEMENT, alg=alg, x5c=x5c)

    verify_signed_statement(_signed(STATEMENT, jws), jws)


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_accepts_well_formed_signatures_without_a_certificate(
    key: rsa.RSAPrivateKey, alg: str
) -> None:
    """Like the conformance suite's tokens: nothing to check the signature with."""
    jws = _sign(key, STATEMENT, alg=alg)

    verify_signed_statement(_signed(STATEMENT, jws), jws)


def test_accepts_the_signed_statement_of_appendix_d() -> None:
    jws = APPENDIX_D_JWS.encode()
    statement = copy.deepcopy(APPENDIX_D_STATEMENT)

    verify_signed_statement(statement, jws)

    assert statement["attachments"][0]["sha2"] == hashlib.sha256(jws).hexdigest()
    statement["object"]["id"] = "https://www.youtube.com/watch?v=somethingelse"
    _rejected(statement, jws, "differs in object")


def test_accepts_the_json_serializations(key: rsa.RSAPrivateKey, x5c: list[str]) -> None:
    protected, payload, signature = _sign(key, STATEMENT, x5c=x5c).decode().split(".")
    flattened = {"protected": protected, "payload": payload, "signature": signature}
    general = {"payload": payload, "signatures": [{"protected": protected, "signature": signature}]}

    for document in (flattened, general):
        jws = json.dumps(document).encode()
        verify_signed_statement(_signed(STATEMENT, jws), jws)


def test_surrounding_whitespace_is_tolerated(key: rsa.RSAPrivateKey, x5c: list[str]) -> None:
    jws = _sign(key, STATEMENT, x5c=x5c) + b"\r\n"

    verify_signed_statement(_signed(STATEMENT, jws), jws)


# ---------------------------------------------------------------- malformed tokens


def test_rejects_hmac_signatures(key: rsa.RSAPrivateKey) -> None:
    """The suite signs with HS256 using the PEM text as the secret."""
    protected = _b64url(json.dumps({"alg": "HS256"}).encode())
    signing_input = f"{protected}.{_b64url(json.dumps(STATEMENT).encode())}"
    mac = hmac.new(b"secret", signing_input.encode(), hashlib.sha256).digest()
    jws = f"{signing_input}.{_b64url(mac)}".encode()

    _rejected(_signed(STATEMENT, jws), jws, "alg must be RS256, RS384 or RS512, got 'HS256'")


@pytest.mark.parametrize("header", [{"alg": "none"}, {"alg": "PS256"}, {"alg": "ES256"}, {}])
def test_rejects_other_algorithms(header: dict[str, str]) -> None:
    protected = _b64url(json.dumps(header).encode())
    jws = f"{protected}.{_b64url(json.dumps(STATEMENT).encode())}.c2ln".encode()

    _rejected(_signed(STATEMENT, jws), jws, "alg must be RS256, RS384 or RS512")


def test_rejects_critical_header_extensions(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT, crit=["b64"], b64=False)

    _rejected(_signed(STATEMENT, jws), jws, "'crit'")


def test_rejects_a_payload_that_is_not_json(key: rsa.RSAPrivateKey) -> None:
    """The suite's breakJson: the first double quote turned into a single one."""
    broken = json.dumps(STATEMENT).replace('"', "'", 1).encode()
    jws = _sign(key, broken)

    _rejected(_signed(STATEMENT, jws), jws, "payload .* is not valid JSON")


def test_rejects_a_payload_that_is_not_an_object(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, [STATEMENT])

    _rejected(_signed(STATEMENT, jws), jws, "must be a JSON object")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (b"only.two", "three base64url segments"),
        (b"a.b.c.d", "found 4 segment"),
        (b"", "found 1 segment"),
        ("h\u00e9ader.payload.sig".encode(), "non-ASCII"),
        (b"eyJhbGciOiJSUzI1NiJ9.e30.c2ln==", "signature is not valid unpadded base64url"),
        (b"eyJhbGciOiJSUzI1NiJ9.e3+0.c2ln", "payload is not valid unpadded base64url"),
        (b"eyJhbGciOiJSUzI1NiJ9.e30.c2lnY", "signature is not valid unpadded base64url"),
        (b"eyJhbGciOiJSUzI1NiJ9.e30.", "signature segment is empty"),
        (_b64url(b"not json").encode() + b".e30.c2ln", "JWS header is not valid JSON"),
        (_b64url(b'["RS256"]').encode() + b".e30.c2ln", "JWS header must be a JSON object"),
    ],
)
def test_rejects_tokens_that_are_not_jws(token: bytes, message: str) -> None:
    _rejected(_signed(STATEMENT, token), token, message)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"payload": "e30", "signatures": []}, "exactly one signature"),
        ({"payload": "e30", "signatures": ["x"]}, "entry must be a JSON object"),
        ({"payload": "e30", "signature": "c2ln"}, "no string 'protected'"),
        ({"protected": "e30", "signature": "c2ln"}, "no string 'payload'"),
        (
            {"protected": "e30", "payload": "e30", "signature": "c2ln", "header": []},
            "unprotected header must be a JSON object",
        ),
        (
            {
                "protected": _b64url(b'{"alg":"RS256"}'),
                "header": {"alg": "RS256"},
                "payload": "e30",
                "signature": "c2ln",
            },
            "appear twice: alg",
        ),
    ],
)
def test_rejects_malformed_json_serializations(document: dict[str, Any], message: str) -> None:
    jws = json.dumps(document).encode()

    _rejected(_signed(STATEMENT, jws), jws, message)


# ------------------------------------------------------------- x5c verification


def test_rejects_a_signature_made_with_another_key(
    other_key: rsa.RSAPrivateKey, x5c: list[str]
) -> None:
    jws = _sign(other_key, STATEMENT, x5c=x5c)

    _rejected(_signed(STATEMENT, jws), jws, "does not verify with the x5c certificate")


def test_rejects_a_corrupted_signature(key: rsa.RSAPrivateKey, x5c: list[str]) -> None:
    protected, payload, signature = _sign(key, STATEMENT, x5c=x5c).decode().split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    jws = f"{protected}.{payload}.{flipped}".encode()

    _rejected(_signed(STATEMENT, jws), jws, "does not verify")


def test_rejects_a_signature_over_a_different_hash(key: rsa.RSAPrivateKey, x5c: list[str]) -> None:
    """Signed with SHA-256 but labelled RS512."""
    protected = _b64url(json.dumps({"alg": "RS512", "x5c": x5c}).encode())
    signing_input = f"{protected}.{_b64url(json.dumps(STATEMENT).encode())}".encode()
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    jws = signing_input + b"." + _b64url(signature).encode()

    _rejected(_signed(STATEMENT, jws), jws, "does not verify")


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ([], "non-empty array"),
        ("MIIB", "non-empty array"),
        ([42], "non-empty array"),
        (["not base64!"], "not a base64 DER X.509 certificate"),
        ([base64.b64encode(b"not a certificate").decode()], "not a base64 DER X.509 certificate"),
    ],
)
def test_rejects_unusable_x5c(key: rsa.RSAPrivateKey, chain: object, message: str) -> None:
    jws = _sign(key, STATEMENT, x5c=chain)

    _rejected(_signed(STATEMENT, jws), jws, message)


def test_rejects_a_certificate_without_an_rsa_key(key: rsa.RSAPrivateKey) -> None:
    chain = [_certificate(ec.generate_private_key(ec.SECP256R1()))]
    jws = _sign(key, STATEMENT, x5c=chain)

    _rejected(_signed(STATEMENT, jws), jws, "does not hold an RSA key")


# --------------------------------------------------------- the signature attachment


def test_rejects_a_signature_attachment_that_is_not_octet_stream(key: rsa.RSAPrivateKey) -> None:
    """Suite XAPI-00115 "bad content type"."""
    jws = _sign(key, STATEMENT)
    statement = {
        **STATEMENT,
        "attachments": [_signature_attachment(jws, "text/plain; charset=ascii")],
    }

    _rejected(statement, jws, "must have contentType application/octet-stream")


def test_rejects_statements_with_no_or_two_signature_attachments(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT)

    _rejected(copy.deepcopy(STATEMENT), jws, "no attachment with usageType")
    twice = _signed(STATEMENT, jws)
    twice["attachments"].append(_signature_attachment(jws))
    _rejected(twice, jws, "only one signature attachment")


def test_signature_attachments_lists_only_signatures(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT)
    other = {"usageType": "http://example.com/usage", "sha2": "00" * 32}
    statement = _signed({**STATEMENT, "attachments": [other, "junk"]}, jws)

    assert signature_attachments(statement) == [_signature_attachment(jws)]
    assert signature_attachments({"attachments": "junk"}) == []


# -------------------------------------------------------------- statement comparison


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param(
            {
                "authority": {"objectType": "Agent", "mbox": "mailto:lrs@example.com"},
                "stored": "2024-05-01T12:00:01.000Z",
            },
            id="authority-and-stored-set-by-an-lrs",
        ),
        pytest.param({"id": STATEMENT["id"].upper()}, id="uuid-case"),
        pytest.param({"timestamp": "2024-05-01T14:00:00.000200+02:00"}, id="timestamp-offset"),
        pytest.param({"verb": {"id": STATEMENT["verb"]["id"]}}, id="verb-display"),
        pytest.param(
            {"object": {"objectType": "Activity", "id": STATEMENT["object"]["id"]}},
            id="activity-definition",
        ),
        pytest.param(
            {"actor": {**STATEMENT["actor"], "mbox": "mailto:xapi@ADLNET.gov"}}, id="mbox-domain"
        ),
    ],
)
def test_ignores_differences_an_lrs_may_introduce(
    key: rsa.RSAPrivateKey, x5c: list[str], changes: dict[str, Any]
) -> None:
    jws = _sign(key, STATEMENT, x5c=x5c)

    verify_signed_statement(_signed(STATEMENT, jws, **changes), jws)


def test_ignores_properties_the_lrs_assigns_when_the_signer_left_them_out(
    key: rsa.RSAPrivateKey,
) -> None:
    unsigned = {k: v for k, v in STATEMENT.items() if k not in ("id", "timestamp")}
    jws = _sign(key, unsigned)

    verify_signed_statement(_signed(STATEMENT, jws, version="1.0.0"), jws)


def test_ignores_group_member_order_and_context_activity_arrays(key: rsa.RSAPrivateKey) -> None:
    members = [
        {"objectType": "Agent", "mbox": "mailto:a@example.com"},
        {"objectType": "Agent", "mbox": "mailto:b@example.com"},
    ]
    group = {"objectType": "Group", "name": "Team", "member": members}
    parent = {"id": "http://example.com/course", "definition": {"name": {"en-US": "Course"}}}
    signed = {**STATEMENT, "actor": group, "context": {"contextActivities": {"parent": parent}}}
    jws = _sign(key, signed)

    received = _signed(
        signed,
        jws,
        actor={**group, "member": members[::-1]},
        context={"contextActivities": {"parent": [{"id": parent["id"]}]}},
    )

    verify_signed_statement(received, jws)


def test_compares_the_other_attachments_when_the_payload_lists_them(
    key: rsa.RSAPrivateKey,
) -> None:
    essay = {
        "usageType": "http://example.com/essay",
        "display": {"en-US": "Essay"},
        "contentType": "text/plain",
        "length": 5,
        "sha2": "ab" * 32,
    }
    jws_with = _sign(key, {**STATEMENT, "attachments": [essay]})
    jws_without = _sign(key, STATEMENT)

    verify_signed_statement(_signed({**STATEMENT, "attachments": [essay]}, jws_with), jws_with)
    verify_signed_statement(
        _signed({**STATEMENT, "attachments": [essay]}, jws_without), jws_without
    )
    tampered = _signed({**STATEMENT, "attachments": [{**essay, "length": 6}]}, jws_with)
    _rejected(tampered, jws_with, "differs in attachments")


@pytest.mark.parametrize(
    ("changes", "differing"),
    [
        ({"id": "00000000-0000-4000-8000-000000000000"}, "id"),
        ({"timestamp": "2024-05-01T12:00:01.000Z"}, "timestamp"),
        ({"result": {"success": 1, "duration": "PT1H"}}, "result"),
        ({"result": {"success": True, "duration": "PT60M"}}, "result"),
        ({"verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}}, "verb"),
        ({"object": {"objectType": "Activity", "id": "http://example.com/other"}}, "object"),
        ({"context": {"platform": "added later"}}, "context"),
    ],
)
def test_rejects_a_statement_that_differs_from_the_payload(
    key: rsa.RSAPrivateKey, changes: dict[str, Any], differing: str
) -> None:
    jws = _sign(key, {**STATEMENT, "version": "1.0.0"})

    _rejected(
        _signed({**STATEMENT, "version": "1.0.0"}, jws, **changes), jws, f"differs in {differing}$"
    )


def test_version_is_not_compared_as_the_comparison_rules_say(key: rsa.RSAPrivateKey) -> None:
    """Data 2.3.1: ``version`` is the LRS's to set, so it never makes a difference."""
    jws = _sign(key, {**STATEMENT, "version": "1.0.0"})

    verify_signed_statement(_signed({**STATEMENT, "version": "1.0.3"}, jws), jws)


def test_durations_are_compared_to_hundredths_of_a_second(key: rsa.RSAPrivateKey) -> None:
    """xAPI 2.0 4.2.7: precision beyond 0.01 s is not part of the comparison."""
    jws = _sign(key, {**STATEMENT, "result": {"duration": "PT1.2345S"}})

    verify_signed_statement(_signed({**STATEMENT, "result": {"duration": "PT1.23S"}}, jws), jws)


def test_rejects_a_statement_missing_a_signed_property(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT)
    received = _signed(STATEMENT, jws)
    del received["result"]

    _rejected(received, jws, "differs in result")


def test_substatements_are_normalised_too(key: rsa.RSAPrivateKey) -> None:
    sub = {
        "objectType": "SubStatement",
        "actor": STATEMENT["actor"],
        "verb": STATEMENT["verb"],
        "object": {"objectType": "StatementRef", "id": "AAAAAAAA-0000-4000-8000-000000000000"},
        "timestamp": "2024-05-01T12:00:00Z",
    }
    jws = _sign(key, {**STATEMENT, "object": sub})
    sent_sub = {
        **sub,
        "verb": {"id": STATEMENT["verb"]["id"]},
        "object": {"objectType": "StatementRef", "id": sub["object"]["id"].lower()},
        "timestamp": "2024-05-01T13:00:00+01:00",
    }

    verify_signed_statement(_signed(STATEMENT, jws, object=sent_sub), jws)
    _rejected(
        _signed(STATEMENT, jws, object={**sent_sub, "timestamp": "2024-05-02T12:00:00Z"}),
        jws,
        "object",
    )


def test_does_not_modify_the_statement(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT)
    received = _signed(STATEMENT, jws)
    before = copy.deepcopy(received)

    verify_signed_statement(received, jws)

    assert received == before


# ------------------------------------------------------ verify_statement_signatures


def _part(jws: bytes) -> AttachmentPart:
    return AttachmentPart(hashlib.sha256(jws).hexdigest(), "application/octet-stream", jws)


def test_verifies_each_signed_statement_of_a_batch(key: rsa.RSAPrivateKey, x5c: list[str]) -> None:
    good = _sign(key, STATEMENT, x5c=x5c)
    other = {**STATEMENT, "id": "11111111-1111-4111-8111-111111111111"}
    bad = _sign(key, other, x5c=x5c)
    parts = {part.sha2: part for part in (_part(good), _part(bad))}
    unsigned = copy.deepcopy(STATEMENT)

    verify_statement_signatures([unsigned, _signed(STATEMENT, good)], parts)
    with pytest.raises(InvalidInput, match="differs in id"):
        verify_statement_signatures([_signed(STATEMENT, good), _signed(STATEMENT, bad)], parts)


def test_a_signature_attachment_needs_its_jws_part(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT)
    statement = _signed(STATEMENT, jws)
    statement["attachments"][0]["fileUrl"] = "http://example.com/signature.jws"

    with pytest.raises(InvalidInput, match="has no JWS in the multipart body"):
        verify_statement_signatures([statement], {})


def test_finds_the_part_whatever_the_case_of_the_hash(key: rsa.RSAPrivateKey) -> None:
    jws = _sign(key, STATEMENT)
    statement = _signed(STATEMENT, jws)
    statement["attachments"][0]["sha2"] = statement["attachments"][0]["sha2"].upper()

    verify_statement_signatures([statement], {_part(jws).sha2: _part(jws)})


def test_end_to_end_like_the_conformance_suite(key: rsa.RSAPrivateKey) -> None:
    """Body framed exactly as the suite's helper.signStatement frames it."""
    jws = _sign(key, STATEMENT, alg="RS384")
    statement = _signed(STATEMENT, jws)
    boundary = b"-------------2718281828"
    body = (
        b"\r\n--" + boundary + b"\r\nContent-Type:application/json\r\n\r\n"
        + json.dumps(statement).encode()
        + b"\r\n--" + boundary + b"\r\nContent-Type:application/octet-stream\r\n"
        + b"Content-Transfer-Encoding:binary\r\nX-Experience-API-Hash:"
        + statement["attachments"][0]["sha2"].encode() + b"\r\n\r\n"
        + jws
        + b"\r\n--" + boundary + b"--"
    )  # fmt: skip

    parsed = parse_multipart(body, "multipart/mixed; boundary=" + boundary.decode())
    check_attachments([statement], parsed.parts)
    verify_statement_signatures([statement], parsed.parts)

    assert parsed.statements == statement


# ----------------------------------------------------------- xAPI Data, Appendix D

APPENDIX_D_STATEMENT: dict[str, Any] = {
    "version": "1.0.0",
    "id": "33cff416-e331-4c9d-969e-5373a1756120",
    "actor": {
        "mbox": "mailto:example@example.com",
        "name": "Example Learner",
        "objectType": "Agent",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/experienced",
        "display": {"en-US": "experienced"},
    },
    "object": {
        "id": "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
        "objectType": "Activity",
        "definition": {
            "name": {"en-US": "Tax Tips & Information : How to File a Tax Return "},
            "description": {
                "en-US": "Filing a tax return will require filling out either a 1040, "
                "1040A or 1040EZ form"
            },
        },
    },
    "timestamp": "2013-04-01T12:00:00Z",
    "attachments": [
        {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "Signature"},
            "description": {"en-US": "A test signature"},
            "contentType": "application/octet-stream",
            "length": 4235,
            "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
        }
    ],
}

# The example JWS of xAPI 1.0.3 Data Appendix D (alg RS256, x5c chain of two certificates).
APPENDIX_D_JWS = (
    "ew0KICAgICJhbGciOiAiUlMyNTYiLA0KICAgICJ4NWMiOiBbDQogICAgICAgICJNSUlEQVRDQ0FtcWdBd0lCQWdJ"
    "SkFNQjFjc051QTYra01BMEdDU3FHU0liM0RRRUJCUVVBTUhFeEN6QUpCZ05WQkFZVEFsVlRNUkl3RUFZRFZRUUlF"
    "d2xVWlc1dVpYTnpaV1V4R0RBV0JnTlZCQW9URDBWNFlXMXdiR1VnUTI5dGNHRnVlVEVRTUE0R0ExVUVBeE1IUlho"
    "aGJYQnNaVEVpTUNBR0NTcUdTSWIzRFFFSkFSWVRaWGhoYlhCc1pVQmxlR0Z0Y0d4bExtTnZiVEFlRncweE16QTBN"
    "RFF4TlRJNE16QmFGdzB4TkRBME1EUXhOVEk0TXpCYU1JR1dNUXN3Q1FZRFZRUUdFd0pWVXpFU01CQUdBMVVFQ0JN"
    "SlZHVnVibVZ6YzJWbE1SRXdEd1lEVlFRSEV3aEdjbUZ1YTJ4cGJqRVlNQllHQTFVRUNoTVBSWGhoYlhCc1pTQkRi"
    "MjF3WVc1NU1SQXdEZ1lEVlFRTEV3ZEZlR0Z0Y0d4bE1SQXdEZ1lEVlFRREV3ZEZlR0Z0Y0d4bE1TSXdJQVlKS29a"
    "SWh2Y05BUWtCRmhObGVHRnRjR3hsUUdWNFlXMXdiR1V1WTI5dE1JR2ZNQTBHQ1NxR1NJYjNEUUVCQVFVQUE0R05B"
    "RENCaVFLQmdRRGp4dlpYRjMwV0w0b0tqWllYZ1IwWnlhWCt1M3k2K0pxVHFpTmtGYS9WVG5ldDZMeTJPVDZabW1j"
    "SkVQbnEzVW5ld3BIb09RK0dmaGhUa1cxM2owNmo1aU5uNG9iY0NWV1RMOXlYTnZKSCtLbyt4dTRZbC95U1BScklQ"
    "eVRqdEhkRzBNMlh6SWxtbUxxbStDQVMrS0NiSmVINHRmNTQza0lXQzVwQzVwM2NWUUlEQVFBQm8zc3dlVEFKQmdO"
    "VkhSTUVBakFBTUN3R0NXQ0dTQUdHK0VJQkRRUWZGaDFQY0dWdVUxTk1JRWRsYm1WeVlYUmxaQ0JEWlhKMGFXWnBZ"
    "MkYwWlRBZEJnTlZIUTRFRmdRVVZzM3Y1YWZFZE9lb1llVmFqQVFFNHYwV1MxUXdId1lEVlIwakJCZ3dGb0FVeVZJ"
    "YzN5dnJhNEVCejIwSTRCRjM5SUFpeEJrd0RRWUpLb1pJaHZjTkFRRUZCUUFEZ1lFQWdTL0ZGNUQwSG5qNDRydlQ2"
    "a2duM2tKQXZ2MmxqL2Z5anp0S0lyWVMzM2xqWEduNmdHeUE0cXRiWEEyM1ByTzR1Yy93WUNTRElDRHBQb2JoNjJ4"
    "VENkOXFPYktoZ3dXT2kwNVBTQkxxVXUzbXdmQWUxNUxKQkpCcVBWWjRLMGtwcGVQQlU4bTZhSVpvSDU3TC85dDRP"
    "b2FMOHlLcy9xaktGZUkxT0ZXWnh2QT0iLA0KICAgICAgICAiTUlJRE56Q0NBcUNnQXdJQkFnSUpBTUIxY3NOdUE2"
    "K2pNQTBHQ1NxR1NJYjNEUUVCQlFVQU1IRXhDekFKQmdOVkJBWVRBbFZUTVJJd0VBWURWUVFJRXdsVVpXNXVaWE56"
    "WldVeEdEQVdCZ05WQkFvVEQwVjRZVzF3YkdVZ1EyOXRjR0Z1ZVRFUU1BNEdBMVVFQXhNSFJYaGhiWEJzWlRFaU1D"
    "QUdDU3FHU0liM0RRRUpBUllUWlhoaGJYQnNaVUJsZUdGdGNHeGxMbU52YlRBZUZ3MHhNekEwTURReE5USTFOVE5h"
    "RncweU16QTBNREl4TlRJMU5UTmFNSEV4Q3pBSkJnTlZCQVlUQWxWVE1SSXdFQVlEVlFRSUV3bFVaVzV1WlhOelpX"
    "VXhHREFXQmdOVkJBb1REMFY0WVcxd2JHVWdRMjl0Y0dGdWVURVFNQTRHQTFVRUF4TUhSWGhoYlhCc1pURWlNQ0FH"
    "Q1NxR1NJYjNEUUVKQVJZVFpYaGhiWEJzWlVCbGVHRnRjR3hsTG1OdmJUQ0JuekFOQmdrcWhraUc5dzBCQVFFRkFB"
    "T0JqUUF3Z1lrQ2dZRUExc0JuQldQWjBmN1dKVUZUSnk1KzAxU2xTNVo2RERENlV5ZTl2SzlBeWNnVjVCMytXQzhI"
    "QzV1NWg5MU11akFDMUFSUFZVT3RzdlBSczQ1cUtORklnSUdSWEtQQXdaamF3RUkyc0NKUlNLVjQ3aTZCOGJEdjRX"
    "a3VHdlFhdmVaR0kwcWxtTjVSMUVpbTJnVUl0UmoxaGdjQzlyUWF2amxuRktEWTJybFhHdWtDQXdFQUFhT0IxakNC"
    "MHpBZEJnTlZIUTRFRmdRVXlWSWMzeXZyYTRFQnoyMEk0QkYzOUlBaXhCa3dnYU1HQTFVZEl3U0JtekNCbUlBVXlW"
    "SWMzeXZyYTRFQnoyMEk0QkYzOUlBaXhCbWhkYVJ6TUhFeEN6QUpCZ05WQkFZVEFsVlRNUkl3RUFZRFZRUUlFd2xV"
    "Wlc1dVpYTnpaV1V4R0RBV0JnTlZCQW9URDBWNFlXMXdiR1VnUTI5dGNHRnVlVEVRTUE0R0ExVUVBeE1IUlhoaGJY"
    "QnNaVEVpTUNBR0NTcUdTSWIzRFFFSkFSWVRaWGhoYlhCc1pVQmxlR0Z0Y0d4bExtTnZiWUlKQU1CMWNzTnVBNitq"
    "TUF3R0ExVWRFd1FGTUFNQkFmOHdEUVlKS29aSWh2Y05BUUVGQlFBRGdZRUFEaHdUZWJHazczNXlLaG04RHFDeHZO"
    "bkVaME54c1lFWU9qZ1JHMXlYVGxXNXBFNjkxZlNINUFaK1Q2ZnB3cFpjV1k1UVlrb042RG53ak94R2tTZlFDMy95"
    "R21jVURLQlB3aVo1TzJzOUMrZkUxa1VFbnJYMlhlYTRhZ1ZuZ016UjhEUTZvT2F1TFdxZWhEQitnMkVOV1JMb1Zn"
    "UyttYTUvWWNzMEdUeXJFQ1k9Ig0KICAgIF0NCn0.ew0KICAgICJ2ZXJzaW9uIjogIjEuMC4wIiwNCiAgICAiaWQi"
    "OiAiMzNjZmY0MTYtZTMzMS00YzlkLTk2OWUtNTM3M2ExNzU2MTIwIiwNCiAgICAiYWN0b3IiOiB7DQogICAgICAg"
    "ICJtYm94IjogIm1haWx0bzpleGFtcGxlQGV4YW1wbGUuY29tIiwNCiAgICAgICAgIm5hbWUiOiAiRXhhbXBsZSBM"
    "ZWFybmVyIiwNCiAgICAgICAgIm9iamVjdFR5cGUiOiAiQWdlbnQiDQogICAgfSwNCiAgICAidmVyYiI6IHsNCiAg"
    "ICAgICAgImlkIjogImh0dHA6Ly9hZGxuZXQuZ292L2V4cGFwaS92ZXJicy9leHBlcmllbmNlZCIsDQogICAgICAg"
    "ICJkaXNwbGF5Ijogew0KICAgICAgICAgICAgImVuLVVTIjogImV4cGVyaWVuY2VkIg0KICAgICAgICB9DQogICAg"
    "fSwNCiAgICAib2JqZWN0Ijogew0KICAgICAgICAiaWQiOiAiaHR0cHM6Ly93d3cueW91dHViZS5jb20vd2F0Y2g_"
    "dj14aDRrSWlIM1NtOCIsDQogICAgICAgICJvYmplY3RUeXBlIjogIkFjdGl2aXR5IiwNCiAgICAgICAgImRlZmlu"
    "aXRpb24iOiB7DQogICAgICAgICAgICAibmFtZSI6IHsNCiAgICAgICAgICAgICAgICAiZW4tVVMiOiAiVGF4IFRp"
    "cHMgJiBJbmZvcm1hdGlvbiA6IEhvdyB0byBGaWxlIGEgVGF4IFJldHVybiAiDQogICAgICAgICAgICB9LA0KICAg"
    "ICAgICAgICAgImRlc2NyaXB0aW9uIjogew0KICAgICAgICAgICAgICAgICJlbi1VUyI6ICJGaWxpbmcgYSB0YXgg"
    "cmV0dXJuIHdpbGwgcmVxdWlyZSBmaWxsaW5nIG91dCBlaXRoZXIgYSAxMDQwLCAxMDQwQSBvciAxMDQwRVogZm9y"
    "bSINCiAgICAgICAgICAgIH0NCiAgICAgICAgfQ0KICAgIH0sDQogICAgInRpbWVzdGFtcCI6ICIyMDEzLTA0LTAx"
    "VDEyOjAwOjAwWiINCn0.FWuwaPhwUbkk7h9sKW5zSvjsYNugvxJ-TrVaEgt_DCUT0bmKhQScRrjMB6P9O50uznPw"
    "T66oF1NnU_G0HVhRzS5voiXE-y7tT3z0M3-8A6YK009Bk_digVUul-HA4Fpd5IjoBBGe3yzaQ2ZvzarvRuipvNEQ"
    "CI0onpfuZZJQ0d8"
)
