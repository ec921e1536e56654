"""The one place that knows which xAPI versions Cairn speaks.

A request's ``X-Experience-API-Version`` header picks the version; every
response says which version it answers with. Adding 2.0 means adding a row
to :data:`VERSIONS`, not editing handlers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cairn.errors import InvalidInput

HEADER = "X-Experience-API-Version"


@dataclass(frozen=True)
class XapiVersion:
    """A version family Cairn serves: what requests may say, and what we answer."""

    answer: str
    accepts: re.Pattern[str]


V1_0_3 = XapiVersion(answer="1.0.3", accepts=re.compile(r"1\.0(\.\d+)?"))
VERSIONS: tuple[XapiVersion, ...] = (V1_0_3,)
LATEST = V1_0_3


def negotiate(header: str | None) -> XapiVersion:
    """Pick the version for a request, or refuse it (Communication 3.3, "Versioning")."""
    if header is None or not header.strip():
        raise InvalidInput(f"{HEADER} header is required")
    value = header.strip()
    for version in VERSIONS:
        if version.accepts.fullmatch(value):
            return version
    supported = ", ".join(version.answer for version in VERSIONS)
    raise InvalidInput(f"{HEADER} {value!r} is not supported; this LRS speaks {supported}")


def supported_answers() -> list[str]:
    return [version.answer for version in VERSIONS]
