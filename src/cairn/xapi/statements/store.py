"""SQL for statements and their filter rows.

Duplicate ids are caught by the unique constraint (``ON CONFLICT DO NOTHING``
then a comparison of what was already there), never by read-then-write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, Row, Select, and_, literal, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from cairn.clock import now_us
from cairn.db.tables import xapi_activities, xapi_attachments
from cairn.db.tables import xapi_statement_filters as filters
from cairn.db.tables import xapi_statements as statements
from cairn.xapi.statements.facets import INHERITED_KINDS
from cairn.xapi.statements.query import StatementQuery

STATEMENT_WRITE_LOCK = 0x43A1_0001
WRITE_SLACK_US = 1_000_000


def _insert(conn: Connection, table: Any) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_statements(conn: Connection, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert rows whose id is new; return {id: seq} for the ones inserted."""
    if not rows:
        return {}
    query = (_insert(conn, statements).on_conflict_do_nothing(index_elements=["id"])
             .returning(statements.c.id, statements.c.seq))
    result = conn.execute(query, list(rows))
    return {row.id: row.seq for row in result}


def payloads_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    query = select(statements.c.id, statements.c.payload).where(statements.c.id.in_(wanted))
    return {row.id: row.payload for row in conn.execute(query)}


_SQLITE_FACET_INSERT = (
    "INSERT INTO xapi_statement_filters (kind, value, statement_seq) VALUES (?, ?, ?)")
# One statement with three arrays: psycopg would otherwise send one INSERT per row.
_POSTGRES_FACET_INSERT = (
    "INSERT INTO xapi_statement_filters (kind, value, statement_seq) "
    "SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[])")


def insert_facets(conn: Connection, rows: Sequence[tuple[str, str, int]]) -> None:
    """Filter rows of brand-new statements: (kind, value, seq), unique by construction.

    This is the widest write of an ingest (a dozen rows per statement), so it
    goes to the driver's executemany as plain tuples, skipping SQLAlchemy's
    per-row parameter processing, which costs more than the insert itself.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        kinds, values, seqs = (list(column) for column in zip(*rows, strict=True))
        conn.exec_driver_sql(_POSTGRES_FACET_INSERT, (kinds, values, seqs))
    else:
        conn.exec_driver_sql(_SQLITE_FACET_INSERT, list(rows))


def inherit_facets(conn: Connection, *, referrer_seq: int, target_seq: int) -> None:
    """Give a StatementRef's statement every filter row its target has."""
    source = select(filters.c.kind, filters.c.value, literal(referrer_seq)).where(
        filters.c.statement_seq == target_seq, filters.c.kind.in_(INHERITED_KINDS))
    query = _insert(conn, filters).from_select(["kind", "value", "statement_seq"], source)
    conn.execute(query.on_conflict_do_nothing())


def seqs_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """{id: (seq, verb_id)} of the stored statements among ``ids``."""
    wanted = list(ids)
    if not wanted:
        return {}
    query = (select(statements.c.id, statements.c.seq, statements.c.verb_id)
             .where(statements.c.id.in_(wanted)))
    return {row.id: (row.seq, row.verb_id) for row in conn.execute(query)}


def referrers_of(conn: Connection, ids: Iterable[str]) -> list[Row[Any]]:
    """Statements already stored whose object is a StatementRef to one of ``ids``."""
    wanted = list(ids)
    if not wanted:
        return []
    query = (select(statements.c.seq, statements.c.object_ref, statements.c.verb_id)
             .where(statements.c.object_ref.in_(wanted)))
    return list(conn.execute(query))


def mark_voided(conn: Connection, ids: Iterable[str]) -> None:
    wanted = list(ids)
    if wanted:
        conn.execute(update(statements).where(statements.c.id.in_(wanted)).values(voided=True))


def upsert_activities(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    query = _insert(conn, xapi_activities)
    query = query.on_conflict_do_update(
        index_elements=["id"],
        set_={"definition": query.excluded.definition, "updated_us": query.excluded.updated_us})
    conn.execute(query, list(rows))


def insert_attachments(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(_insert(conn, xapi_attachments).on_conflict_do_nothing(), list(rows))


def attachments_by_sha2(conn: Connection, hashes: Iterable[str]) -> list[Row[Any]]:
    query = select(xapi_attachments).where(xapi_attachments.c.sha2.in_(list(hashes)))
    return list(conn.execute(query))


def activity_definition(conn: Connection, activity_id: str) -> str | None:
    query = select(xapi_activities.c.definition).where(xapi_activities.c.id == activity_id)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else str(value)


def activity_definitions(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    query = select(xapi_activities.c.id, xapi_activities.c.definition).where(
        xapi_activities.c.id.in_(list(ids)))
    return {row.id: orjson.loads(row.definition) for row in conn.execute(query)}


def one_statement(conn: Connection, statement_id: str, *, voided: bool) -> Any:
    query = select(statements.c.seq, statements.c.stored_us, statements.c.payload).where(
        statements.c.id == statement_id, statements.c.voided == voided)
    return conn.execute(query).first()


def latest(conn: Connection) -> tuple[int, int]:
    """(seq of the newest visible statement, the consistent-through time).

    Writers are serialized and take their stored time after the lock, so no
    statement still being written can be older than the newest visible one:
    that time is always consistent. A write transaction that is still open
    when this runs can only be older than that by its own (short) duration,
    so "now minus WRITE_SLACK_US" is consistent too, and keeps the header
    current while nothing is being written.
    """
    query = select(statements.c.seq, statements.c.stored_us).order_by(
        statements.c.seq.desc()).limit(1)
    row = conn.execute(query).first()
    recent = now_us() - WRITE_SLACK_US
    return (row.seq, max(row.stored_us, recent)) if row is not None else (0, recent)


def credential_of(conn: Connection, seq: int) -> int | None:
    query = select(statements.c.credential_id).where(statements.c.seq == seq)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else int(value)


def find_statements(conn: Connection, q: StatementQuery, *, limit: int,
                    credential_id: int | None) -> list[Row[Any]]:
    """One page of matching, non-voided statements, ordered by seq."""
    return list(conn.execute(matching(conn, q, credential_id=credential_id).limit(limit)))


def matching(conn: Connection, q: StatementQuery, *, credential_id: int | None,
             where: Sequence[Any] = (), voided: bool | None = False) -> Select[Any]:
    """Matching statements as (seq, stored_us, payload, voided), ordered by seq.

    ``voided=False`` leaves voided statements out, as every statement list of
    the LRS does; the reporting API may ask for only them (True) or for both
    (None). ``where`` adds conditions on ``xapi_statements`` (the reporting API
    narrows to the statements a caller may see this way).
    """
    seq = statements.c.seq
    conditions: list[Any] = [*where]
    if voided is not None:
        conditions.append(statements.c.voided.is_(voided))
    query = select(seq, statements.c.stored_us, statements.c.payload, statements.c.voided)
    for index, (kind, value) in enumerate(q.filters):
        alias = filters.alias(f"f{index}")
        query = query.join(alias, and_(alias.c.statement_seq == seq, alias.c.kind == kind,
                                       alias.c.value == value))
        if index == 0:
            seq = alias.c.statement_seq
    conditions += _bounds(conn, q, seq)
    if credential_id is not None:
        conditions.append(statements.c.credential_id == credential_id)
    order = seq.asc() if q.ascending else seq.desc()
    return query.where(*conditions).order_by(order)


def _bounds(conn: Connection, q: StatementQuery, seq: Any) -> list[Any]:
    bounds: list[Any] = []
    # Statement writers are serialized and take their stored time under the
    # lock, so seq order is stored order: a time bound is exactly a seq bound,
    # which every plan can apply to the index it already walks.
    if q.since_us is not None:
        bounds.append(seq > seq_at(conn, q.since_us))
    if q.until_us is not None:
        bounds.append(seq <= seq_at(conn, q.until_us))
    if q.bound_seq is not None:
        bounds.append(seq <= q.bound_seq)
    if q.after_seq is not None:
        bounds.append(seq > q.after_seq if q.ascending else seq < q.after_seq)
    return bounds


def seq_at(conn: Connection, moment_us: int) -> int:
    """The last seq stored at or before a moment: turns a time bound into a seq bound."""
    query = (select(statements.c.seq).where(statements.c.stored_us <= moment_us)
             .order_by(statements.c.stored_us.desc()).limit(1))
    return int(conn.execute(query).scalar_one_or_none() or 0)


def serialize_writers(conn: Connection) -> None:
    """Make statement writes one at a time so seq order equals stored order.

    SQLite already has one writer at a time (BEGIN IMMEDIATE). On PostgreSQL a
    transaction-scoped advisory lock gives the same guarantee, which keeps
    ``more`` cursors and X-Experience-API-Consistent-Through exact.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STATEMENT_WRITE_LOCK})


