"""Answering GET /xapi/statements: one statement, or a StatementResult page.

Stored payloads are already the exact JSON to return, so the ``exact``
format splices them into the response without parsing them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from sqlalchemy import Connection, Row

from cairn.errors import NotFound
from cairn.xapi.attachments import AttachmentPart
from cairn.xapi.conversion import for_client, needs_conversion
from cairn.xapi.formats import to_canonical_format, to_ids_format
from cairn.xapi.statements import store
from cairn.xapi.statements.query import SingleQuery, StatementQuery, encode_more
from cairn.xapi.version import XapiVersion

MORE_PATH = "/xapi/statements?more="


@dataclass
class StatementAnswer:
    """What the route sends back: JSON bytes, times for headers, attachment parts."""

    body: bytes
    last_modified_us: int
    consistent_through_us: int
    parts: list[AttachmentPart] = field(default_factory=list)


@dataclass(frozen=True)
class Reader:
    """Who reads and how: the 'mine' restriction, the page size cap, languages."""

    credential_id: int | None
    max_limit: int
    accept_language: str | None
    version: XapiVersion
    root_path: str = ""


def read(*, conn: Connection, query: StatementQuery | SingleQuery, reader: Reader
         ) -> StatementAnswer:
    if isinstance(query, SingleQuery):
        return _read_one(conn, query, reader)
    return _read_page(conn, query, reader)


def consistent_through(conn: Connection) -> int:
    return store.latest(conn)[1]


def _read_one(conn: Connection, query: SingleQuery, reader: Reader) -> StatementAnswer:
    row = store.one_statement(conn, query.statement_id, voided=query.voided)
    if row is None or not _visible(conn, row, reader):
        kind = "voided statement" if query.voided else "statement"
        raise NotFound(f"no {kind} with id {query.statement_id}")
    consistent_us = store.latest(conn)[1]
    body = _render(row.payload, query.format, reader).encode()
    parts = _parts(conn, [row.payload]) if query.attachments else []
    return StatementAnswer(body, row.stored_us, consistent_us, parts)


def _visible(conn: Connection, row: Row[Any], reader: Reader) -> bool:
    if reader.credential_id is None:
        return True
    return store.credential_of(conn, row.seq) == reader.credential_id


def _read_page(conn: Connection, query: StatementQuery, reader: Reader) -> StatementAnswer:
    latest_seq, consistent_us = store.latest(conn)
    if query.bound_seq is None:
        query = replace(query, bound_seq=latest_seq)
    limit = min(query.limit or reader.max_limit, reader.max_limit)
    rows = store.find_statements(conn, query, limit=limit + 1,
                                 credential_id=reader.credential_id)
    more = ""
    if len(rows) > limit:
        rows = rows[:limit]
        assert query.bound_seq is not None
        more = reader.root_path + MORE_PATH + encode_more(
            query.next_page(last_seq=rows[-1].seq, bound_seq=query.bound_seq))
    rendered = [_render(row.payload, query.format, reader) for row in rows]
    body = ('{"statements":[' + ",".join(rendered) + '],"more":' +
            orjson.dumps(more).decode() + "}").encode()
    newest = max((row.stored_us for row in rows), default=consistent_us)
    parts = _parts(conn, [row.payload for row in rows]) if query.attachments else []
    return StatementAnswer(body, newest, consistent_us, parts)


def _render(payload: str, fmt: str, reader: Reader) -> str:
    converting = needs_conversion(payload, reader.version)
    if fmt == "exact" and not converting:
        return payload
    statement = for_client(orjson.loads(payload), reader.version)
    if fmt == "exact":
        return orjson.dumps(statement).decode()
    if fmt == "ids":
        return orjson.dumps(to_ids_format(statement)).decode()
    return orjson.dumps(to_canonical_format(statement, reader.accept_language)).decode()


def _parts(conn: Connection, payloads: list[str]) -> list[AttachmentPart]:
    hashes: set[str] = set()
    for payload in payloads:
        statement = orjson.loads(payload)
        for attachment in statement.get("attachments") or ():
            hashes.add(attachment["sha2"].lower())
    rows = store.attachments_by_sha2(conn, hashes) if hashes else []
    return [AttachmentPart(sha2=row.sha2, content_type=row.content_type, content=row.content)
            for row in rows]
