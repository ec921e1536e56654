"""Event types and the calls that put events in the outbox.

:func:`enqueue` is what the session code calls when something happens to a
session; :func:`statements_stored` is what the LRS calls after storing a
batch (for webhooks and forwarding rules alike). Both write in the CALLER's
transaction, so an event exists exactly when the change that caused it was
committed (no lost events, no phantom events). Finding who wants an event is
one indexed query; when nobody does, that query is the whole cost.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import Connection

from cairn.clock import now_us, us_to_iso
from cairn.errors import InvalidInput
from cairn.outbound import store
from cairn.outbound.forwarding import service as forwarding


class EventType(StrEnum):
    """What a subscription can ask for. ``statement.stored`` must be chosen explicitly."""

    SESSION_LAUNCHED = "session.launched"
    SESSION_COMPLETED = "session.completed"
    SESSION_PASSED = "session.passed"
    SESSION_FAILED = "session.failed"
    SESSION_SCORE_UPDATED = "session.score_updated"
    SESSION_ABANDONED = "session.abandoned"
    SESSION_CLOSED = "session.closed"
    STATEMENT_STORED = "statement.stored"


TEST_EVENT = "webhook.test"
FILTER_KEYS = ("course", "package", "team")
MAX_FILTER_VALUES = 100
FilterValue = str | int | Sequence[str | int] | None


def parse_event_types(names: Iterable[str]) -> list[EventType]:
    """Validate a subscription's event types, naming the unknown ones."""
    wanted = list(dict.fromkeys(name.strip() for name in names))
    known = {event.value for event in EventType}
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        named = ", ".join(map(repr, unknown)) or "(none given)"
        raise InvalidInput(f"event_types: unknown {named}; "
                           f"choose from {', '.join(sorted(known))}")
    return [EventType(name) for name in wanted]


def parse_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Validate subscription filters: ``{"course": [...], "package": [...], "team": [...]}``."""
    parsed: dict[str, list[str]] = {}
    for key, values in filters.items():
        if key not in FILTER_KEYS:
            raise InvalidInput(f"filters.{key}: unknown filter; use {', '.join(FILTER_KEYS)}")
        cleaned = sorted({str(value).strip() for value in values if str(value).strip()})
        if not cleaned or len(cleaned) > MAX_FILTER_VALUES:
            raise InvalidInput(f"filters.{key}: give between 1 and {MAX_FILTER_VALUES} values")
        parsed[key] = cleaned
    return parsed


def matches(wanted: Mapping[str, Sequence[str]], attributes: Mapping[str, FilterValue]) -> bool:
    """Every filter the subscription sets must match one of the event's values for that key.

    An event that does not carry a filtered key (a statement has no course)
    does not match: a filter narrows, it never widens.
    """
    return all(_values(attributes.get(key)) & set(allowed) for key, allowed in wanted.items())


def _values(value: FilterValue) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str | int):
        return {str(value)}
    return {str(item) for item in value}


def event_body(*, event_id: str, event_type: str, occurred_at: str, data: Any) -> str:
    """The JSON every receiver gets; serialized once, so retries send identical bytes."""
    return orjson.dumps({"id": event_id, "type": event_type, "occurred_at": occurred_at,
                         "data": data}).decode()


def enqueue(*, conn: Connection, event_type: EventType | str, payload: Mapping[str, Any],
            session_key: str | None, occurred_us: int,
            filters: Mapping[str, FilterValue]) -> list[int]:
    """Write one outbox row per active subscription wanting ``event_type`` whose filters match.

    ``payload`` becomes the event's ``data``; ``session_key`` orders delivery
    (a subscription receives a session's events in the order they were
    enqueued); ``filters`` are the event's attributes (course, package, team:
    a value or a list of values). Returns the new delivery ids.
    """
    kind = EventType(event_type)
    subscribers = [sub for sub in store.subscribers(conn, kind.value)
                   if matches(sub.filters, filters)]
    if not subscribers:
        return []
    event_id = str(uuid.uuid4())
    body = event_body(event_id=event_id, event_type=kind.value,
                      occurred_at=us_to_iso(occurred_us), data=dict(payload))
    created = now_us()
    return store.insert_deliveries(conn, [
        store.webhook_row(subscription_id=sub.id, event_id=event_id, event_type=kind.value,
                          session_key=session_key, payload=body, occurred_us=occurred_us,
                          now=created)
        for sub in subscribers])


def statements_stored(*, conn: Connection, statements: Sequence[Mapping[str, Any]]) -> None:
    """Queue newly stored statements for opted-in webhooks and matching forwarding rules."""
    if not statements:
        return
    subscribers, rules = store.statement_targets(conn, EventType.STATEMENT_STORED.value)
    subscribers = [sub for sub in subscribers if matches(sub.filters, {})]
    if not subscribers and not rules:
        return
    created = now_us()
    rows: list[dict[str, Any]] = []
    for statement in statements if subscribers else ():
        event_id = str(uuid.uuid4())
        body = event_body(event_id=event_id, event_type=EventType.STATEMENT_STORED.value,
                          occurred_at=statement["stored"], data={"statement": statement})
        rows.extend(store.webhook_row(
            subscription_id=sub.id, event_id=event_id,
            event_type=EventType.STATEMENT_STORED.value, session_key=None, payload=body,
            occurred_us=created, now=created) for sub in subscribers)
    targets = [forwarding.RuleTarget(rule_id, frozenset(verbs), frozenset(activities))
               for rule_id, verbs, activities in rules]
    rows.extend(forwarding.rows_for(targets, statements, created))
    store.insert_deliveries(conn, rows)
