"""The one place that knows which xAPI versions Cairn speaks.

A request's ``X-Experience-API-Version`` header picks the version; every
response says which version it answers with. Where the versions differ in
behaviour, the difference is a field of :class:`XapiVersion` read by the
code concerned, not a comparison of version strings scattered in handlers.
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
    # What a statement's own ``version`` property says when the client left it out.
    statement_version: str = "1.0.0"
    # Communication 1.3 of 1.0.3; IEEE 9274.1.1 dropped the alternate request syntax.
    alternate_syntax: bool = True
    # 2.0 (4.1.4) requires a concurrency header on every document write that
    # changes an existing document; 1.0.3 only on profile PUTs.
    documents_need_preconditions: bool = False


V1_0_3 = XapiVersion(answer="1.0.3", accepts=re.compile(r"1\.0(\.\d+)?"))
V2_0 = XapiVersion(answer="2.0.0", accepts=re.compile(r"2\.0(\.\d+)?"), statement_version="2.0.0",
                  alternate_syntax=False, documents_need_preconditions=True)
VERSIONS: tuple[XapiVersion, ...] = (V2_0, V1_0_3)
LATEST = V2_0


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


# xAPI 0.9 predates the version header, so a request without one comes from a
# 0.9 client as far as the protocol can tell: it is refused, and the refusal is
# labelled 0.9 so that client can read it (both ADL suites accept this label).
HEADERLESS_LABEL = "0.9"


def refusal_label(header: str | None) -> str:
    """The version a refused request's answer is labelled with."""
    return HEADERLESS_LABEL if header is None or not header.strip() else LATEST.answer


def optional(header: str | None) -> XapiVersion | None:
    """The version a request names, where naming one is optional (About, CORS preflight)."""
    try:
        return negotiate(header)
    except InvalidInput:
        return None


def supported_answers() -> list[str]:
    return [version.answer for version in VERSIONS]
