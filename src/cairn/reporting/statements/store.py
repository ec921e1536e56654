"""SQL of the statements report: the LRS's own statement query, narrowed by role.

The statement query itself is the LRS's (``cairn.xapi.statements.store.matching``:
one join per filter on the ``xapi_statement_filters`` primary key, walked in
seq order); this module only adds who may see what, and the learner lookup.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, any_, func, literal, select

from cairn.db.tables import learners
from cairn.db.tables import xapi_statement_filters as facet_rows
from cairn.db.tables import xapi_statements as statement_rows
from cairn.reporting.audience import Audience
from cairn.xapi.statements import facets


def learner_external_id(conn: Connection, learner_id: int) -> str | None:
    query = select(learners.c.external_id).where(learners.c.id == learner_id)
    value = conn.execute(query).scalar_one_or_none()
    return None if value is None else str(value)


def visible(conn: Connection, audience: Audience, key_prefix: str
            ) -> list[ColumnElement[bool]]:
    """Statements about (as actor or as object) a learner the caller may see.

    A learner's statements are found by the LRS's agent key of the account
    Cairn's runtimes give them, ``key_prefix`` + external id: the database
    gathers the visible learners' statement seqs once, from the filter
    table's primary key alone (a range per learner), then reads only the
    statements of the page. On PostgreSQL the seqs go in as one array
    (``seq = ANY(ARRAY(...))``), which the primary key walks in order, so a
    page stops after its last row; ``IN (subquery)`` would make it join every
    visible statement and then sort. SQLite walks its ``IN`` list in order.
    """
    condition = audience.learner_filter(learners.c.id)
    if condition is None:
        return []
    keys = select(literal(key_prefix) + learners.c.external_id).where(condition)
    about = select(facet_rows.c.statement_seq).where(facet_rows.c.kind == facets.AGENT,
                                                     facet_rows.c.value.in_(keys))
    if conn.dialect.name == "postgresql":
        return [statement_rows.c.seq == any_(func.array(about.scalar_subquery()))]
    return [statement_rows.c.seq.in_(about)]


def first(conn: Connection, query: Select[Any], count: int) -> list[Row[Any]]:
    return list(conn.execute(query.limit(count)))
