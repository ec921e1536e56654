"""SQL for the State, Activity Profile and Agent Profile documents (``xapi_documents``).

Writes are compare-and-set: the caller says what it expects to be stored
(nothing, or a given ETag) and the one INSERT .. ON CONFLICT DO NOTHING or
UPDATE .. WHERE etag = .. only takes effect if that still holds, so two
concurrent requests can never both win on the strength of one earlier read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from cairn.db.tables import xapi_documents as documents
from cairn.xapi.documents.models import Document, DocumentAddress

_ADDRESS_COLUMNS = ("kind", "activity_id", "agent_ifi", "registration", "document_id")


def _insert(conn: Connection) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(documents)


def _one(address: DocumentAddress) -> list[ColumnElement[bool]]:
    c = documents.c
    return [c.kind == address.kind.value, c.activity_id == address.activity_id,
            c.agent_ifi == address.agent_ifi, c.registration == address.registration,
            c.document_id == address.document_id]


def _set_of(address: DocumentAddress) -> list[ColumnElement[bool]]:
    """Every document in the context of ``address``; a registration narrows it if given."""
    c = documents.c
    conditions = [c.kind == address.kind.value, c.activity_id == address.activity_id,
                  c.agent_ifi == address.agent_ifi]
    if address.registration:
        conditions.append(c.registration == address.registration)
    return conditions


def get(conn: Connection, address: DocumentAddress) -> Document | None:
    c = documents.c
    query = select(c.content, c.content_type, c.etag, c.updated_us).where(*_one(address))
    row = conn.execute(query).first()
    if row is None:
        return None
    return Document(content=bytes(row.content), content_type=row.content_type,
                    etag=row.etag, updated_us=row.updated_us)


def list_ids(conn: Connection, address: DocumentAddress,
             since_us: int | None) -> list[tuple[str, int]]:
    """(document id, last update) of the set, ids distinct across registrations."""
    c = documents.c
    conditions = _set_of(address)
    if since_us is not None:
        conditions.append(c.updated_us > since_us)
    query = (select(c.document_id, func.max(c.updated_us).label("updated_us"))
             .where(*conditions).group_by(c.document_id).order_by(c.document_id))
    return [(row.document_id, row.updated_us) for row in conn.execute(query)]


def save(conn: Connection, address: DocumentAddress, document: Document,
         *, expected: str | None) -> bool:
    """Store ``document`` if the stored one is still as ``expected``; True if it was.

    ``expected`` None means "nothing stored yet": an insert that does nothing
    when the address is taken. An ETag means "exactly that version": an
    update of that version only, so a document changed or deleted meanwhile
    is neither overwritten nor brought back.
    """
    changes = {"content": document.content, "content_type": document.content_type,
               "etag": document.etag, "updated_us": document.updated_us}
    if expected is not None:
        query = (update(documents).where(*_one(address), documents.c.etag == expected)
                 .values(**changes))
        return conn.execute(query).rowcount > 0
    row = {**{name: getattr(address, name) for name in _ADDRESS_COLUMNS}, **changes}
    row["kind"] = address.kind.value
    insert = (_insert(conn).values(**row)
              .on_conflict_do_nothing(index_elements=list(_ADDRESS_COLUMNS)))
    return conn.execute(insert.returning(documents.c.id)).first() is not None


def delete_one(conn: Connection, address: DocumentAddress, *, expected: str) -> bool:
    """Delete the document if its ETag is still ``expected``."""
    query = delete(documents).where(*_one(address), documents.c.etag == expected)
    return conn.execute(query).rowcount > 0


def delete_set(conn: Connection, address: DocumentAddress) -> int:
    """Delete every document in the context of ``address``; return how many went."""
    return int(conn.execute(delete(documents).where(*_set_of(address))).rowcount)
