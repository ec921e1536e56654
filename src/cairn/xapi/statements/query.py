"""Parsing GET /xapi/statements parameters (Communication 2.1.3) and ``more`` tokens.

A ``more`` link carries the whole query plus a seq cursor and the highest
seq visible when the first page was read, so following it never repeats or
skips a statement however many arrive meanwhile.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

import orjson

from cairn.clock import datetime_to_us
from cairn.errors import InvalidInput
from cairn.xapi.statements import facets
from cairn.xapi.validation import (
    agent_ifi,
    validate_agent,
    validate_iri,
    validate_timestamp,
    validate_uuid,
)

FORMATS = ("exact", "ids", "canonical")
FILTER_PARAMS = frozenset({"agent", "verb", "activity", "registration", "related_activities",
                           "related_agents", "since", "until", "limit", "format",
                           "attachments", "ascending"})
SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId"})
SINGLE_COMPANIONS = frozenset({"format", "attachments"})
ALL_PARAMS = FILTER_PARAMS | SINGLE_PARAMS | {"more"}


@dataclass(frozen=True)
class StatementQuery:
    """A parsed statement query; facet filters are (kind, value) pairs."""

    filters: tuple[tuple[str, str], ...] = ()
    since_us: int | None = None
    until_us: int | None = None
    limit: int = 0
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    after_seq: int | None = None
    bound_seq: int | None = None

    def next_page(self, last_seq: int, bound_seq: int) -> StatementQuery:
        return replace(self, after_seq=last_seq, bound_seq=bound_seq)


@dataclass(frozen=True)
class SingleQuery:
    """A lookup of one statement by id (or one voided statement)."""

    statement_id: str
    voided: bool
    format: str = "exact"
    attachments: bool = False


def parse(params: dict[str, str]) -> StatementQuery | SingleQuery:
    unknown = sorted(set(params) - ALL_PARAMS)
    if unknown:
        raise InvalidInput(f"unknown query parameter(s): {', '.join(unknown)}")
    if "more" in params:
        return decode_more(params["more"])
    single = set(SINGLE_PARAMS & set(params))
    if single:
        return _parse_single(params, single)
    return _parse_filters(params)


def _parse_single(params: dict[str, str], single: set[str]) -> SingleQuery:
    extra = sorted(set(params) - single - SINGLE_COMPANIONS)
    if len(single) > 1 or extra:
        raise InvalidInput("statementId/voidedStatementId may only be combined with "
                           f"format and attachments (got {', '.join(sorted(single) + extra)})")
    name = single.pop()
    validate_uuid(params[name], name)
    return SingleQuery(statement_id=params[name].lower(), voided=name == "voidedStatementId",
                       format=_format(params), attachments=_flag(params, "attachments"))


def _parse_filters(params: dict[str, str]) -> StatementQuery:
    found: list[tuple[str, str]] = []
    if "agent" in params:
        kind = facets.RELATED_AGENT if _flag(params, "related_agents") else facets.AGENT
        found.append((kind, agent_key(params["agent"])))
    if "verb" in params:
        validate_iri(params["verb"], "verb")
        found.append((facets.VERB, params["verb"]))
    if "activity" in params:
        validate_iri(params["activity"], "activity")
        related = _flag(params, "related_activities")
        found.append((facets.RELATED_ACTIVITY if related else facets.ACTIVITY, params["activity"]))
    if "registration" in params:
        validate_uuid(params["registration"], "registration")
        found.append((facets.REGISTRATION, params["registration"].lower()))
    _flag(params, "related_agents")
    _flag(params, "related_activities")
    return StatementQuery(
        filters=tuple(found), since_us=_time(params, "since"), until_us=_time(params, "until"),
        limit=_limit(params), ascending=_flag(params, "ascending"), format=_format(params),
        attachments=_flag(params, "attachments"))


def agent_key(raw: str) -> str:
    """The filter key of an ``agent`` parameter (an Agent or identified Group as JSON)."""
    try:
        agent = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"agent: not valid JSON ({exc})") from exc
    validate_agent(agent, "agent")
    ifi = agent_ifi(agent)
    if ifi is None:
        raise InvalidInput("agent: must be an Agent or identified Group (an IFI is required)")
    return ifi


def _flag(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise InvalidInput(f"{name}: must be true or false, not {params[name]!r}")
    return value == "true"


def _format(params: dict[str, str]) -> str:
    value = params.get("format", "exact")
    if value not in FORMATS:
        raise InvalidInput(f"format: must be one of {', '.join(FORMATS)}, not {value!r}")
    return value


def _limit(params: dict[str, str]) -> int:
    raw = params.get("limit", "0")
    if not raw.isdigit():
        raise InvalidInput(f"limit: must be a non-negative integer, not {raw!r}")
    return int(raw)


def _time(params: dict[str, str], name: str) -> int | None:
    if name not in params:
        return None
    raw = params[name]
    validate_timestamp(raw, name)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{name}: {raw!r} is not an ISO 8601 timestamp") from exc
    return datetime_to_us(moment)


def encode_more(query: StatementQuery) -> str:
    data = asdict(query)
    data["filters"] = [list(pair) for pair in query.filters]
    return base64.urlsafe_b64encode(orjson.dumps(data)).decode().rstrip("=")


def decode_more(token: str) -> StatementQuery:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data: dict[str, Any] = orjson.loads(raw)
        data["filters"] = tuple(tuple(pair) for pair in data["filters"])
        return StatementQuery(**data)
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput("more: this token is not one this LRS issued") from exc
