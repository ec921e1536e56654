"""Storing statements (with voiding and StatementRef rules) and reading them back.

Everything one request writes happens in the caller's single transaction: a
failure anywhere (validation of statement 57 of 100, a 409, a bad voiding
target) rolls back every row, so a batch is stored whole or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, Row

from cairn.clock import datetime_to_us, now_us, us_to_iso
from cairn.errors import Conflict, InvalidInput
from cairn.outbound import events as outbound_events
from cairn.xapi.attachments import AttachmentPart, check_attachments
from cairn.xapi.comparison import statements_equivalent
from cairn.xapi.signature import verify_statement_signatures
from cairn.xapi.statements import definitions, facets, store
from cairn.xapi.validation import (
    agent_ifi,
    normalize_statement,
    parse_timestamp,
    validate_statement,
)
from cairn.xapi.version import V1_0_3, XapiVersion

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"


@dataclass
class Prepared:
    """One validated statement, completed with LRS-set properties, ready to insert."""

    id: str
    statement: dict[str, Any]
    payload: str
    row: dict[str, Any]
    facets: set[facets.Facet] = field(default_factory=set)


@dataclass(frozen=True)
class Writer:
    """Who is writing: the authority stamped on statements and the credential id."""

    authority: dict[str, Any]
    credential_id: int | None


@dataclass(frozen=True)
class CheckedBatch:
    """Statements that passed every check that needs no database.

    Checking happens before the write transaction opens, so the single
    statement-writer lock (see ``store.serialize_writers``) is held only for
    the writes themselves, not for validation and signature checks.
    """

    statements: list[dict[str, Any]]
    parts: dict[str, AttachmentPart]
    version: XapiVersion


def check_statements(*, statements: Sequence[object], version: XapiVersion,
                     parts: dict[str, AttachmentPart] | None = None) -> CheckedBatch:
    """Validate a batch, its attachments and signatures; raise InvalidInput naming a problem."""
    checked = _validated(statements, version.answer)
    check_attachments(checked, parts or {})
    verify_statement_signatures(checked, parts or {})
    return CheckedBatch(checked, parts or {}, version)


def store_statements(*, conn: Connection, statements: Sequence[object], writer: Writer,
                     version: XapiVersion, parts: dict[str, AttachmentPart] | None = None
                     ) -> list[str]:
    """Check and store a batch in one go; return the ids in request order."""
    batch = check_statements(statements=statements, version=version, parts=parts)
    return store_checked(conn=conn, batch=batch, writer=writer)


def store_checked(*, conn: Connection, batch: CheckedBatch, writer: Writer) -> list[str]:
    """Store a checked batch in the caller's transaction; return the ids in request order."""
    store.serialize_writers(conn)
    stored_us = now_us()
    prepared = [_prepare(statement, writer, stored_us, batch.version)
                for statement in batch.statements]
    inserted = store.insert_statements(conn, [item.row for item in prepared])
    _check_repeats(conn, [item for item in prepared if item.id not in inserted])
    fresh = [item for item in prepared if item.id in inserted]
    referrers = store.referrers_of(conn, inserted)
    _index(conn, fresh, inserted, referrers)
    _apply_voiding(conn, fresh, referrers)
    definitions.record_definitions(conn, (item.statement for item in fresh), stored_us)
    _store_attachment_parts(conn, fresh, batch.parts)
    outbound_events.statements_stored(conn=conn, statements=[item.statement for item in fresh])
    return [item.id for item in prepared]


def _validated(statements: Sequence[object], version: str) -> list[dict[str, Any]]:
    if not statements:
        raise InvalidInput("statements: the batch is empty")
    seen: set[str] = set()
    checked: list[dict[str, Any]] = []
    for index, statement in enumerate(statements):
        try:
            validate_statement(statement, version=version)
        except InvalidInput as exc:
            prefix = f"statements[{index}] " if len(statements) > 1 else ""
            raise InvalidInput(prefix + exc.message, details=exc.details) from exc
        assert isinstance(statement, dict)
        statement_id = str(statement.get("id", "")).lower()
        if statement_id and statement_id in seen:
            raise InvalidInput(f"statements[{index}].id: {statement_id} appears twice in the batch")
        seen.add(statement_id)
        checked.append(statement)
    return checked


def _prepare(raw: dict[str, Any], writer: Writer, stored_us: int,
             version: XapiVersion = V1_0_3) -> Prepared:
    statement = normalize_statement(raw)
    statement_id = str(statement.get("id") or uuid.uuid4()).lower()
    stored = us_to_iso(stored_us)
    statement["id"] = statement_id
    statement["stored"] = stored
    statement["authority"] = writer.authority
    statement.setdefault("version", version.statement_version)
    statement.setdefault("timestamp", stored)
    obj = statement["object"]
    object_ref = obj["id"].lower() if obj.get("objectType") == "StatementRef" else None
    context = statement.get("context") or {}
    payload = orjson.dumps(statement).decode()
    row = {
        "id": statement_id, "stored_us": stored_us,
        "timestamp_us": _timestamp_us(statement["timestamp"], stored_us),
        "verb_id": statement["verb"]["id"], "actor_ifi": agent_ifi(statement["actor"]),
        "registration": (context.get("registration") or "").lower() or None,
        "object_ref": object_ref, "voided": False, "credential_id": writer.credential_id,
        "payload": payload,
    }
    return Prepared(statement_id, statement, payload, row, facets.statement_facets(statement))


def _timestamp_us(value: str, fallback: int) -> int:
    try:
        return datetime_to_us(parse_timestamp(value, "statement.timestamp"))
    except InvalidInput:
        return fallback


def _check_repeats(conn: Connection, repeats: list[Prepared]) -> None:
    """Same id again: a no-op when it is the same statement, a 409 otherwise."""
    if not repeats:
        return
    stored = store.payloads_by_id(conn, [item.id for item in repeats])
    for item in repeats:
        existing = orjson.loads(stored[item.id])
        if not statements_equivalent(existing, item.statement):
            raise Conflict(f"statement {item.id} already exists with different content")


def _index(conn: Connection, fresh: list[Prepared], seqs: dict[str, int],
           referrers: list[Row[Any]]) -> None:
    """Write filter rows, including those a StatementRef inherits from its target."""
    store.insert_facets(conn, [(kind, value, seqs[item.id])
                               for item in fresh for kind, value in item.facets])
    refs = [item for item in fresh if item.row["object_ref"]]
    targets = store.seqs_by_id(conn, {item.row["object_ref"] for item in refs})
    for item in refs:
        target = targets.get(item.row["object_ref"])
        if target is not None:
            store.inherit_facets(conn, referrer_seq=seqs[item.id], target_seq=target[0])
    new_seqs = set(seqs.values())
    for referrer in referrers:
        if referrer.seq not in new_seqs:
            store.inherit_facets(conn, referrer_seq=referrer.seq,
                                 target_seq=seqs[referrer.object_ref])


def _apply_voiding(conn: Connection, fresh: list[Prepared], referrers: list[Row[Any]]) -> None:
    """Data 2.5.3: a voiding statement hides its target; voiding statements can't be voided."""
    voids = {item.row["object_ref"]: item.id for item in fresh
             if item.row["verb_id"] == VOIDED_VERB and item.row["object_ref"]}
    targets = store.seqs_by_id(conn, voids)
    for target_id, (_seq, verb_id) in targets.items():
        if verb_id == VOIDED_VERB:
            raise InvalidInput(f"statement {voids[target_id]}: a voiding statement cannot "
                               f"target another voiding statement ({target_id})")
    # A voiding statement may have arrived before its target.
    late = [r.object_ref for r in referrers if r.verb_id == VOIDED_VERB]
    store.mark_voided(conn, list(targets) + late)


def _store_attachment_parts(conn: Connection, fresh: list[Prepared],
                            parts: dict[str, AttachmentPart]) -> None:
    """Keep the raw bytes of every part a new statement references, once per hash."""
    declared = {a["sha2"].lower(): a["contentType"]
                for item in fresh for a in item.statement.get("attachments") or ()}
    store.insert_attachments(conn, [
        {"sha2": sha2, "content_type": part.content_type or declared[sha2],
         "content": part.content}
        for sha2, part in parts.items() if sha2 in declared])
