"""Rules of the document resources: storing, merging, listing, and concurrency.

Communication 2.2 (documents, JSON merge), 2.3 / 2.6 / 2.7 (the three
resources) and 3.1 (ETags, If-Match, If-None-Match). Every write reads the
stored version, decides, then writes only if that version is still the one
stored (:func:`cairn.xapi.documents.store.save`); if another request got in
between, the decision is taken again on what is now there. So preconditions
and merges are always judged against the document actually replaced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Connection

from cairn.clock import now_us
from cairn.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from cairn.xapi.documents import store
from cairn.xapi.documents.models import (
    Document,
    DocumentAddress,
    DocumentIds,
    DocumentKind,
    Preconditions,
)

JSON_TYPE = "application/json"
DEFAULT_TYPE = "application/octet-stream"
MAX_ATTEMPTS = 5

# Communication 3.1.s3: the State resource may be written without concurrency
# headers; the two profile resources may not.
HEADERS_REQUIRED_ON_PUT = frozenset({DocumentKind.ACTIVITY_PROFILE, DocumentKind.AGENT_PROFILE})
LABELS = {DocumentKind.STATE: "State", DocumentKind.ACTIVITY_PROFILE: "Activity Profile",
          DocumentKind.AGENT_PROFILE: "Agent Profile"}


def etag_of(content: bytes) -> str:
    """SHA-1 hex of the content, as Communication 3.1.s4.b2 requires (not a security use)."""
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == JSON_TYPE


def get_document(*, conn: Connection, address: DocumentAddress) -> Document:
    document = store.get(conn, address)
    if document is None:
        raise NotFound(f"no {LABELS[address.kind]} document {address.document_id!r} "
                       "is stored for these parameters")
    return document


def list_document_ids(*, conn: Connection, address: DocumentAddress,
                      since_us: int | None) -> DocumentIds:
    """Ids in the context of ``address``, updated after ``since_us`` (exclusive)."""
    rows = store.list_ids(conn, address, since_us)
    newest = max((updated for _, updated in rows), default=None)
    return DocumentIds(ids=[document_id for document_id, _ in rows], last_modified_us=newest)


def put_document(*, conn: Connection, address: DocumentAddress, content: bytes,
                 content_type: str, preconditions: Preconditions) -> None:
    """Store the content as the whole document, replacing any stored one."""
    content_type = _checked_type(content, content_type)

    def decide(current: Document | None) -> Document:
        check_preconditions(current, preconditions)
        if preconditions.absent and address.kind in HEADERS_REQUIRED_ON_PUT:
            _refuse_unguarded_put(current, address)
        if preconditions.absent and preconditions.guard_every_put and current is not None:
            _refuse_unguarded_put(current, address)
        return _document(content, content_type)

    _write(conn, address, decide)


def post_document(*, conn: Connection, address: DocumentAddress, content: bytes,
                  content_type: str, preconditions: Preconditions) -> None:
    """Merge JSON objects into the stored document, or store it as PUT would if none."""
    content_type = _checked_type(content, content_type)

    def decide(current: Document | None) -> Document:
        check_preconditions(current, preconditions)
        if current is None:
            return _document(content, content_type)
        return _merged(current, content, content_type)

    _write(conn, address, decide)


def delete_document(*, conn: Connection, address: DocumentAddress,
                    preconditions: Preconditions) -> None:
    """Delete one document; deleting one that is not there is not an error."""
    for _ in range(MAX_ATTEMPTS):
        current = store.get(conn, address)
        check_preconditions(current, preconditions)
        if current is None or store.delete_one(conn, address, expected=current.etag):
            return
    raise _kept_changing()


def delete_documents(*, conn: Connection, address: DocumentAddress,
                     preconditions: Preconditions) -> int:
    """Delete every State document of an Activity and Agent (+ registration)."""
    if not preconditions.absent:
        raise InvalidInput("If-Match / If-None-Match: preconditions apply to one document; "
                           "add stateId to delete that document alone")
    return store.delete_set(conn, address)


def check_preconditions(current: Document | None, preconditions: Preconditions) -> None:
    """RFC 2616 14.24 / 14.26 against the stored document; 412 when one does not hold."""
    if preconditions.if_match is not None and not _matches(current, preconditions.if_match):
        if current is None:
            raise PreconditionFailed("If-Match: there is no document here to match")
        raise PreconditionFailed(f'If-Match: the document has changed; its ETag is now '
                                 f'"{current.etag}". GET it again before writing')
    none_match = preconditions.if_none_match
    if none_match is not None and _matches(current, none_match, weak=True):
        raise PreconditionFailed("If-None-Match: a document matching it is already stored")


def _matches(current: Document | None, tags: tuple[str, ...], *, weak: bool = False) -> bool:
    if current is None:
        return False
    if "*" in tags:
        return True
    candidates = {tag.removeprefix("w/") for tag in tags} if weak else set(tags)
    return current.etag in candidates


def _refuse_unguarded_put(current: Document | None, address: DocumentAddress) -> None:
    label = LABELS[address.kind]
    if current is not None:
        raise Conflict(f"this {label} document already exists and the PUT carried neither "
                       "If-Match nor If-None-Match. GET the document to check its current "
                       f'state, then PUT again with If-Match: "{current.etag}" (its current '
                       "ETag) to replace it (Communication 3.1.s4.b13-b14)")
    raise InvalidInput(f"If-Match / If-None-Match: a PUT to the {label} resource must carry "
                       "one of them; send If-None-Match: * to create a document "
                       "(Communication 3.1.s3.b1)")


def _checked_type(content: bytes, content_type: str) -> str:
    """The type to store; a body declared as JSON must be JSON (Communication 3.2.s3.b6)."""
    content_type = content_type.strip() or DEFAULT_TYPE
    if is_json(content_type):
        _parse(content, "the document")
    return content_type


def _merged(current: Document, content: bytes, content_type: str) -> Document:
    """Communication 2.2.s7: top-level properties of the posted object replace stored ones."""
    if not (is_json(current.content_type) and is_json(content_type)):
        raise InvalidInput(
            "Content-Type: POST merges JSON objects, so the stored and the posted document "
            f"must both be {JSON_TYPE} (stored: {current.content_type}, posted: "
            f"{content_type}); use PUT to replace the document (Communication 2.2.s8.b1)")
    stored = _json_object(current.content, "the stored document")
    posted = _json_object(content, "the posted document")
    return _document(orjson.dumps({**stored, **posted}), JSON_TYPE)


def _json_object(content: bytes, what: str) -> dict[str, Any]:
    value = _parse(content, what)
    if not isinstance(value, dict):
        raise InvalidInput(f"document: {what} is JSON but not an object, so it cannot be "
                           "merged (Communication 2.2.s8.b1)")
    return value


def _parse(content: bytes, what: str) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"document: {what} is declared {JSON_TYPE} but is not valid "
                           f"JSON ({exc})") from exc


def _document(content: bytes, content_type: str) -> Document:
    return Document(content=content, content_type=content_type, etag=etag_of(content),
                    updated_us=now_us())


def _write(conn: Connection, address: DocumentAddress,
           decide: Callable[[Document | None], Document]) -> None:
    for _ in range(MAX_ATTEMPTS):
        current = store.get(conn, address)
        document = decide(current)
        expected = None if current is None else current.etag
        if store.save(conn, address, document, expected=expected):
            return
    raise _kept_changing()


def _kept_changing() -> Conflict:
    return Conflict("the document kept changing while this request was applied; try again")
