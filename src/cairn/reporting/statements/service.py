"""Statement queries for the reporting API, run by the LRS's own query machinery.

Filters become the LRS's (kind, value) facets, so "statements about this
agent" means exactly what it means on ``GET /xapi/statements``. What differs
is who asks (REST tokens, scoped to the learners a caller may see), the
friendlier filter forms, and the answer's shape (flat fields, CSV).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Select, literal, select

from cairn.db.tables import learners
from cairn.db.tables import xapi_statement_filters as facet_rows
from cairn.db.tables import xapi_statements as statement_rows
from cairn.errors import InvalidInput, NotFound
from cairn.reporting.audience import Audience
from cairn.reporting.paging import check_limit
from cairn.reporting.statements.models import csv_row, flat
from cairn.xapi.statements import facets, store
from cairn.xapi.statements.query import StatementQuery
from cairn.xapi.statements.query import agent_key as json_agent_key
from cairn.xapi.validation import validate_iri, validate_uuid
from cairn.xapi.validation.agents import canonical_mbox

SORTS = ("-stored", "stored")


@dataclass(frozen=True)
class StatementFilters:
    agent: str | None = None
    learner_id: int | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_agents: bool = False
    related_activities: bool = False
    since_us: int | None = None
    until_us: int | None = None
    sort: str = "-stored"


def learner_ifi(external_id_column: Any, base_url: str) -> Any:
    """The LRS key of the actor Cairn's runtimes write for a learner (an account)."""
    return literal(f"account:{base_url}|") + external_id_column


def agent_key(text: str) -> str:
    """The LRS key of an agent given as JSON, ``mailto:``, a bare email, or ``homePage|name``."""
    value = text.strip()
    if value.startswith("{"):
        return json_agent_key(value)
    if value.startswith("mailto:") or ("@" in value and "|" not in value and ":" not in value):
        mbox = value if value.startswith("mailto:") else f"mailto:{value}"
        return f"mbox:{canonical_mbox(mbox)}"
    if "|" in value:
        home_page, _, name = value.partition("|")
        validate_iri(home_page, "agent (account homePage)")
        if not name:
            raise InvalidInput("agent: an account needs a name after '|'")
        return f"account:{home_page}|{name}"
    raise InvalidInput("agent: give an email, mailto:…, homePage|name, or an Agent as JSON")


def _facets(conn: Connection, wanted: StatementFilters, base_url: str
            ) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    agent_kind = facets.RELATED_AGENT if wanted.related_agents else facets.AGENT
    if wanted.agent is not None:
        found.append((agent_kind, agent_key(wanted.agent)))
    if wanted.learner_id is not None:
        external = conn.execute(select(learners.c.external_id)
                                .where(learners.c.id == wanted.learner_id)).scalar()
        if external is None:
            raise NotFound(f"there is no learner {wanted.learner_id}")
        found.append((agent_kind, f"account:{base_url}|{external}"))
    if wanted.verb is not None:
        validate_iri(wanted.verb, "verb")
        found.append((facets.VERB, wanted.verb))
    if wanted.activity is not None:
        validate_iri(wanted.activity, "activity")
        kind = facets.RELATED_ACTIVITY if wanted.related_activities else facets.ACTIVITY
        found.append((kind, wanted.activity))
    if wanted.registration is not None:
        validate_uuid(wanted.registration, "registration")
        found.append((facets.REGISTRATION, wanted.registration.lower()))
    return found


def _visible(audience: Audience, base_url: str) -> list[ColumnElement[bool]]:
    """Statements naming (as actor or otherwise) a learner the caller may see.

    A semi-join on the facet index: the database gathers the visible
    learners' statements once, rather than probing every statement it walks.
    """
    learner_condition = audience.learner_filter(learners.c.id)
    if learner_condition is None:
        return []
    keys = select(learner_ifi(learners.c.external_id, base_url)).where(learner_condition)
    naming = select(facet_rows.c.statement_seq).where(facet_rows.c.kind == facets.AGENT,
                                                      facet_rows.c.value.in_(keys))
    return [statement_rows.c.seq.in_(naming)]


def _cursor(after_seq: int, sort: str) -> str:
    raw = orjson.dumps({"after": after_seq, "sort": sort})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_cursor(cursor: str, sort: str) -> int:
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after, made_for = int(data["after"]), data["sort"]
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput("cursor: not a cursor this server gave out") from exc
    if made_for != sort:
        raise InvalidInput(f"cursor: it was made for sort={made_for}")
    return after


def build(*, conn: Connection, audience: Audience, wanted: StatementFilters, base_url: str,
          cursor: str | None) -> Select[Any]:
    if wanted.sort not in SORTS:
        raise InvalidInput(f"sort: {wanted.sort!r} is not one of {', '.join(SORTS)}")
    query = StatementQuery(
        filters=tuple(_facets(conn, wanted, base_url)), since_us=wanted.since_us,
        until_us=wanted.until_us, ascending=wanted.sort == "stored",
        after_seq=_read_cursor(cursor, wanted.sort) if cursor else None)
    return store.matching(conn, query, credential_id=None,
                          where=_visible(audience, base_url))


def page(*, conn: Connection, query: Select[Any], sort: str, limit: int
         ) -> tuple[list[dict[str, Any]], str | None]:
    check_limit(limit)
    rows = list(conn.execute(query.limit(limit)))
    following = _cursor(rows[-1].seq, sort) if len(rows) == limit else None
    return [flat(row.stored_us, row.payload) for row in rows], following


def csv_producer(query: Select[Any], limit: int | None
                 ) -> Callable[[Connection], Iterator[Sequence[Any]]]:
    if limit is not None:
        check_limit(limit)
        query = query.limit(limit)

    def produce(conn: Connection) -> Iterator[Sequence[Any]]:
        for _seq, stored_us, payload in conn.execute(query):
            yield csv_row(stored_us, payload)

    return produce
