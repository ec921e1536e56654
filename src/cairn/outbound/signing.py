"""Webhook signatures: HMAC-SHA256 over ``"{timestamp}.{body}"``.

The timestamp is signed with the body so a receiver can refuse replays older
than its tolerance; the event id travels in its own header so a receiver can
drop duplicates (delivery is at-least-once). :func:`verify` is what a Python
receiver needs and what Cairn's own tests use; docs/webhooks.md shows the same
check in Node.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence

ID_HEADER = "Cairn-Webhook-Id"
TIMESTAMP_HEADER = "Cairn-Webhook-Timestamp"
SIGNATURE_HEADER = "Cairn-Webhook-Signature"
SCHEME = "v1"
DEFAULT_TOLERANCE_SECONDS = 300


class InvalidSignature(ValueError):
    """The headers do not prove the body came from Cairn within the tolerance."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of ``timestamp.body`` keyed with the subscription secret."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(secret: str, *, event_id: str, timestamp: int, body: bytes,
                   also_signing: Sequence[str] = ()) -> dict[str, str]:
    """The headers of a delivery; ``also_signing`` (a rotated-out secret in its grace
    period) adds a signature each, space-separated, so either secret verifies."""
    signatures = " ".join(f"{SCHEME}={signature(key, timestamp, body)}"
                          for key in (secret, *also_signing))
    return {ID_HEADER: event_id, TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signatures}


def verify(secret: str, headers: Mapping[str, str], body: bytes | str,
           tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
           now: float | None = None) -> None:
    """Raise :class:`InvalidSignature` unless ``headers`` sign ``body`` with ``secret``.

    ``now`` is the receiver's clock in seconds (defaults to the current time);
    a timestamp further than ``tolerance_seconds`` from it, either way, is refused.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    raw_timestamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    offered = lowered.get(SIGNATURE_HEADER.lower(), "")
    if not raw_timestamp.isdigit():
        raise InvalidSignature(f"{TIMESTAMP_HEADER} is missing or not a number")
    timestamp = int(raw_timestamp)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise InvalidSignature(f"{TIMESTAMP_HEADER} is more than {tolerance_seconds:g} s away "
                               "from now (a replay, or clocks out of sync)")
    data = body.encode() if isinstance(body, str) else body
    expected = signature(secret, timestamp, data)
    candidates = [part.strip()[len(SCHEME) + 1:] for part in offered.replace(",", " ").split()
                  if part.strip().startswith(SCHEME + "=")]
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise InvalidSignature(f"no {SCHEME} signature in {SIGNATURE_HEADER} matches the body")
