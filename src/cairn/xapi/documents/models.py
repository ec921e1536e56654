"""The values the document resources pass around (Communication 2.2).

A document is opaque bytes plus the Content-Type it was sent with; only the
POST merge ever looks inside, and only when both sides are JSON objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DocumentKind(StrEnum):
    """Which of the three document resources a document belongs to."""

    STATE = "state"
    ACTIVITY_PROFILE = "activity_profile"
    AGENT_PROFILE = "agent_profile"


@dataclass(frozen=True)
class DocumentAddress:
    """Where a document lives; unused parts are "" so the unique key has no NULLs.

    ``document_id`` is the stateId or profileId. It is "" when the address
    names a set of documents (the id list, or DELETE of all states), and
    ``registration`` is "" when none was given.
    """

    kind: DocumentKind
    activity_id: str = ""
    agent_ifi: str = ""
    registration: str = ""
    document_id: str = ""


@dataclass(frozen=True)
class Document:
    """A stored document. ``etag`` is the bare SHA-1 hex; headers add the quotes."""

    content: bytes
    content_type: str
    etag: str
    updated_us: int


@dataclass(frozen=True)
class Preconditions:
    """The If-Match / If-None-Match headers of one request (Communication 3.1).

    Each is None when the header is absent, else its entity tags without
    quotes, lowercased; ``*`` stays ``*`` and a weak tag keeps its ``w/``
    prefix, so it can never match strongly.
    """

    if_match: tuple[str, ...] | None = None
    if_none_match: tuple[str, ...] | None = None
    # xAPI 2.0 (4.1.4): a PUT without either header may not replace an
    # existing document of any kind, State included.
    guard_every_put: bool = False

    @property
    def absent(self) -> bool:
        return self.if_match is None and self.if_none_match is None


@dataclass(frozen=True)
class DocumentIds:
    """The answer to a multiple-document GET: ids and the newest update among them."""

    ids: list[str]
    last_modified_us: int | None
