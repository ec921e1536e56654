"""The statements report, answered by the LRS's own query machinery.

Filters become the LRS's (kind, value) facets, so "statements about this
agent" means exactly what it means on ``GET /xapi/statements``. What differs
is who asks (REST tokens, narrowed to the learners a caller may see), the
friendlier filter forms, voided statements on request, and the answer's
shape (flat fields, cursors, CSV).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection

from cairn.db.tables import xapi_statements
from cairn.errors import InvalidInput, NotFound
from cairn.reporting.audience import Audience
from cairn.reporting.paging import Sort, SortKey, check_limit, parse_sort
from cairn.reporting.statements import export, store
from cairn.reporting.statements.fields import json_item
from cairn.reporting.statements.models import StatementFilters
from cairn.reporting.statements.selection import Selection
from cairn.xapi.statements import facets
from cairn.xapi.statements.query import StatementQuery
from cairn.xapi.statements.query import agent_key as json_agent_key
from cairn.xapi.validation import agent_ifi, validate_agent, validate_iri, validate_uuid

# Statement writers are serialized, so seq order is stored order: "stored"
# sorts (and pages) by seq, the column every filter's index walk yields.
STORED = SortKey("stored", xapi_statements.c.seq)
SEQ_MAX = 2**63 - 1
VOIDED_FLAG = {"exclude": False, "only": True, "include": None}
EXPLICIT_IFI_KINDS = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_FORMS = ("an email, mailto:…, homePage|name, mbox=…, mbox_sha1sum=…, openid=…, "
               "account=homePage|name, or an Agent as JSON")


def agent_key(text: str) -> str:
    """The LRS's key of an agent given in any of :data:`AGENT_FORMS`.

    Every form becomes an Agent object checked by the LRS's own validation,
    so a bad address or IRI is refused the way the LRS refuses it.
    """
    value = text.strip()
    if value.startswith("{"):
        return json_agent_key(value)
    kind, equals, rest = value.partition("=")
    if equals and kind in EXPLICIT_IFI_KINDS:
        agent = _explicit(kind, rest)
    elif value[:7].lower() == "mailto:":
        agent = {"mbox": value}
    elif "|" in value:
        agent = _account(value)
    elif "@" in value and ":" not in value:
        agent = {"mbox": "mailto:" + value}
    else:
        raise InvalidInput(f"agent: {text!r} is not an agent; give {AGENT_FORMS}")
    validate_agent(agent, "agent")
    key = agent_ifi(agent)
    assert key is not None  # an Agent that passed validation has an identifier
    return key


def _explicit(kind: str, value: str) -> dict[str, Any]:
    if kind == "account":
        return _account(value)
    if kind == "mbox" and value[:7].lower() != "mailto:":
        return {"mbox": "mailto:" + value}
    return {kind: value}


def _account(text: str) -> dict[str, Any]:
    home_page, bar, name = text.partition("|")
    if not bar or not name:
        raise InvalidInput("agent: an account is homePage|name, e.g. https://hr.example.org|E123")
    return {"account": {"homePage": home_page, "name": name}}


def learner_key_prefix(base_url: str) -> str:
    """The LRS key of Cairn's learner accounts (``{homePage: base_url, name}``)
    without the name, which the key ends with."""
    key = agent_ifi({"account": {"homePage": base_url, "name": ""}})
    assert key is not None
    return key


def _facets(conn: Connection, audience: Audience, wanted: StatementFilters,
            base_url: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    agent_kind = facets.RELATED_AGENT if wanted.related_agents else facets.AGENT
    if wanted.agent is not None:
        found.append((agent_kind, agent_key(wanted.agent)))
    if wanted.learner_id is not None:
        audience.check_learner(conn, wanted.learner_id)
        external_id = store.learner_external_id(conn, wanted.learner_id)
        if external_id is None:  # removed since check_learner looked
            raise NotFound(f"there is no learner {wanted.learner_id}")
        found.append((agent_kind, learner_key_prefix(base_url) + external_id))
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


def sort_for(text: str | None) -> Sort:
    """``-stored`` (newest first, the default) or ``stored``."""
    return parse_sort(text, {"stored": STORED}, "-stored", tie_breaker=STORED)


def _after(sort: Sort, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    [after] = sort.read_cursor(cursor)
    if not isinstance(after, int) or not 0 <= after <= SEQ_MAX:
        raise InvalidInput("cursor: not a cursor this server gave out")
    return after


def build(*, conn: Connection, audience: Audience, wanted: StatementFilters, sort: Sort,
          base_url: str, cursor: str | None) -> Selection:
    """The statements the caller asked for and may see, in the sort's order."""
    query = StatementQuery(
        filters=tuple(_facets(conn, audience, wanted, base_url)), since_us=wanted.since_us,
        until_us=wanted.until_us, ascending=not sort.orderings[0].descending,
        after_seq=_after(sort, cursor))
    visible = store.visible(conn, audience, learner_key_prefix(base_url))
    return Selection(query=query, where=tuple(visible), voided=VOIDED_FLAG[wanted.voided],
                     extra=tuple(sort.columns()))


def page(*, conn: Connection, selection: Selection, sort: Sort, limit: int
         ) -> tuple[list[dict[str, Any]], str | None]:
    """One page of JSON items, and the cursor of the next (None on the last page)."""
    check_limit(limit)
    rows = store.first(conn, selection.select(conn), limit + 1)
    following = sort.cursor_for(rows[limit - 1]._mapping) if len(rows) > limit else None
    return [json_item(row.stored_us, row.payload, row.voided) for row in rows[:limit]], following


def csv_producer(selection: Selection, limit: int | None
                 ) -> Callable[[Connection], Iterator[Sequence[Any]]]:
    """The CSV rows, read in the stream's own transaction: every row unless ``limit``."""
    count = None if limit is None else check_limit(limit)

    def produce(conn: Connection) -> Iterator[Sequence[Any]]:
        return itertools.islice(export.rows(conn, selection), count)

    return produce
