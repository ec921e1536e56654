"""Which statements a report reads: the LRS query, the caller's reach, voided or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select

from cairn.xapi.statements import store as lrs_store
from cairn.xapi.statements.query import StatementQuery


@dataclass(frozen=True)
class Selection:
    """The statements asked for and visible to the caller (kept apart, rather than as
    one SELECT, so an export can read them a range of seqs at a time)."""

    query: StatementQuery
    where: tuple[ColumnElement[bool], ...]
    voided: bool | None
    extra: tuple[ColumnElement[Any], ...] = ()

    def select(self, conn: Connection, query: StatementQuery | None = None) -> Select[Any]:
        """The SELECT of (seq, stored_us, payload, voided, *extra), in seq order;
        ``query`` replaces the LRS query (an export's block of seqs)."""
        found = lrs_store.matching(conn, query or self.query, credential_id=None,
                                   where=self.where, voided=self.voided)
        return found.add_columns(*self.extra) if self.extra else found
