"""SQL for webhook subscriptions and for writing outbox rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    RowMapping,
    delete,
    insert,
    literal,
    select,
    union_all,
    update,
)

from cairn.db.tables import (
    forwarding_rules,
    outbound_deliveries,
    webhook_subscription_events,
    webhook_subscriptions,
)

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
STATUSES = (PENDING, DELIVERED, FAILED)
subs = webhook_subscriptions
sub_events = webhook_subscription_events
deliveries = outbound_deliveries


@dataclass(frozen=True)
class Subscriber:
    """An active subscription that wants some event type, with its filters."""

    id: int
    filters: dict[str, list[str]]


def subscribers(conn: Connection, event_type: str) -> list[Subscriber]:
    """Active subscriptions wanting ``event_type``: one walk of the (event_type, id) key."""
    query = (select(subs.c.id, subs.c.filters)
             .join(sub_events, sub_events.c.subscription_id == subs.c.id)
             .where(sub_events.c.event_type == event_type, subs.c.is_active.is_(True))
             .order_by(subs.c.id))
    return [Subscriber(row.id, orjson.loads(row.filters)) for row in conn.execute(query)]


def statement_targets(conn: Connection, event_type: str
                      ) -> tuple[list[Subscriber], list[tuple[int, list[str], list[str]]]]:
    """Who wants stored statements: subscribers and active forwarding rules, in ONE query.

    This runs on every statement write, so when nobody wants statements it
    must cost no more than one indexed lookup.
    """
    webhooks = (select(literal("w").label("kind"), subs.c.id, subs.c.filters.label("a"),
                       literal("[]").label("b"))
                .join(sub_events, sub_events.c.subscription_id == subs.c.id)
                .where(sub_events.c.event_type == event_type, subs.c.is_active.is_(True)))
    rules = (select(literal("f").label("kind"), forwarding_rules.c.id,
                    forwarding_rules.c.verbs.label("a"), forwarding_rules.c.activities.label("b"))
             .where(forwarding_rules.c.is_active.is_(True)))
    found = conn.execute(union_all(webhooks, rules)).all()
    subscribers = sorted((Subscriber(row.id, orjson.loads(row.a)) for row in found
                          if row.kind == "w"), key=lambda sub: sub.id)
    forwarding = sorted((row.id, orjson.loads(row.a), orjson.loads(row.b)) for row in found
                        if row.kind == "f")
    return subscribers, forwarding


def webhook_row(*, subscription_id: int, event_id: str, event_type: str,
                session_key: str | None, payload: str, occurred_us: int,
                now: int) -> dict[str, Any]:
    """An outbox row for one subscription; rows of one session share an order key."""
    order_key = f"w{subscription_id}:{session_key}" if session_key is not None else None
    return {"event_id": event_id, "subscription_id": subscription_id, "rule_id": None,
            "event_type": event_type, "order_key": order_key, "payload": payload,
            "occurred_us": occurred_us, "created_us": now, "window_start_us": now,
            "status": PENDING, "attempts": 0, "next_attempt_us": now}


def insert_deliveries(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    query = insert(deliveries).returning(deliveries.c.id, sort_by_parameter_order=True)
    result = conn.execute(query, list(rows))
    return [int(row.id) for row in result]


def insert_subscription(conn: Connection, *, event_types: Iterable[str],
                        **values: Any) -> int:
    result = conn.execute(insert(subs).values(**values).returning(subs.c.id))
    subscription_id = int(result.scalar_one())
    set_event_types(conn, subscription_id, event_types)
    return subscription_id


def set_event_types(conn: Connection, subscription_id: int, event_types: Iterable[str]) -> None:
    conn.execute(delete(sub_events).where(sub_events.c.subscription_id == subscription_id))
    conn.execute(insert(sub_events), [{"event_type": name, "subscription_id": subscription_id}
                                      for name in event_types])


def update_subscription(conn: Connection, subscription_id: int, **values: Any) -> None:
    conn.execute(update(subs).where(subs.c.id == subscription_id).values(**values))


def delete_subscription(conn: Connection, subscription_id: int) -> bool:
    result = conn.execute(delete(subs).where(subs.c.id == subscription_id))
    return result.rowcount > 0


def subscription(conn: Connection, subscription_id: int) -> RowMapping | None:
    return conn.execute(select(subs).where(subs.c.id == subscription_id)).mappings().first()


def list_subscriptions(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(subs).order_by(subs.c.id)).mappings())


def event_types_of(conn: Connection, subscription_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {sub_id: [] for sub_id in subscription_ids}
    query = (select(sub_events.c.subscription_id, sub_events.c.event_type)
             .where(sub_events.c.subscription_id.in_(subscription_ids))
             .order_by(sub_events.c.event_type))
    for row in conn.execute(query):
        found[row.subscription_id].append(row.event_type)
    return found
