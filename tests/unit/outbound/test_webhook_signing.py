"""Webhook signatures: what a receiver checks, and every way the check refuses."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from cairn.outbound.signing import InvalidSignature, signed_headers, verify

SECRET = "whsec_test"
BODY = b'{"id":"e1","type":"session.passed"}'


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    headers = signed_headers(SECRET, event_id="e1", timestamp=1_700_000_000, body=BODY)
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert headers == {"Cairn-Webhook-Id": "e1", "Cairn-Webhook-Timestamp": "1700000000",
                       "Cairn-Webhook-Signature": f"v1={expected}"}


def test_verify_accepts_any_header_case_and_text_bodies() -> None:
    headers = signed_headers(SECRET, event_id="e1", timestamp=1_700_000_000, body=BODY)
    lowered = {key.lower(): value for key, value in headers.items()}
    verify(SECRET, lowered, BODY.decode(), tolerance_seconds=60, now=1_700_000_030)


def test_one_matching_signature_among_several_is_enough() -> None:
    headers = signed_headers(SECRET, event_id="e1", timestamp=1_700_000_000, body=BODY)
    headers["Cairn-Webhook-Signature"] = "v1=deadbeef, " + headers["Cairn-Webhook-Signature"]
    verify(SECRET, headers, BODY, now=1_700_000_000)


@pytest.mark.parametrize(("change", "message"), [
    ({"Cairn-Webhook-Timestamp": ""}, "missing"),
    ({"Cairn-Webhook-Timestamp": "12abc"}, "not a number"),
    ({"Cairn-Webhook-Timestamp": "1699999000"}, "replay"),
    ({"Cairn-Webhook-Timestamp": "1700001000"}, "replay"),
    ({"Cairn-Webhook-Signature": ""}, "no v1 signature"),
    ({"Cairn-Webhook-Signature": "v0=abc"}, "no v1 signature"),
    ({"Cairn-Webhook-Timestamp": "1700000001"}, "matches"),
])
def test_verify_refuses(change: dict[str, str], message: str) -> None:
    headers = {**signed_headers(SECRET, event_id="e1", timestamp=1_700_000_000, body=BODY),
               **change}
    with pytest.raises(InvalidSignature, match=message):
        verify(SECRET, headers, BODY, tolerance_seconds=300, now=1_700_000_000)


def test_verify_refuses_another_secret_or_body() -> None:
    headers = signed_headers(SECRET, event_id="e1", timestamp=1_700_000_000, body=BODY)
    with pytest.raises(InvalidSignature):
        verify("whsec_other", headers, BODY, now=1_700_000_000)
    with pytest.raises(InvalidSignature):
        verify(SECRET, headers, BODY + b" ", now=1_700_000_000)
