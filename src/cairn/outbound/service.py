"""Managing webhook subscriptions and their deliveries.

Secrets are generated here, shown once (create, rotate) and stored sealed
with the server secret. Target URLs are checked before anything is written.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection

from cairn.clock import HOUR_US, now_us, us_to_iso
from cairn.errors import Conflict, InvalidInput, NotFound
from cairn.outbound import events, outbox, store
from cairn.outbound.crypto import SecretBox
from cairn.outbound.events import EventType
from cairn.outbound.models import Subscription, delivery_json
from cairn.outbound.targets import TargetRefused, check_target

SECRET_PREFIX = "whsec_"  # noqa: S105 (a visible prefix, not a secret)
MAX_ATTEMPTS_SHOWN = 100
# After a rotation the old secret signs too for this long (a week at most).
KEEP_OLD_SECRET_HOURS = 24.0
KEEP_OLD_SECRET_MAX_HOURS = 168.0


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def check_url(url: str, *, allow_private: bool) -> str:
    url = url.strip()
    try:
        check_target(url, allow_private=allow_private)
    except TargetRefused as exc:
        raise InvalidInput(f"url: {exc}") from exc
    return url


def _checked_choice(event_types: Sequence[str],
                    filters: Mapping[str, Sequence[str]]) -> tuple[list[str], str]:
    types = events.parse_event_types(event_types)
    parsed = events.parse_filters(filters)
    if parsed and EventType.STATEMENT_STORED in types:
        raise InvalidInput("filters: statement.stored events carry no course, package or team, "
                           "so a filtered subscription would never receive them; use a "
                           "separate subscription without filters for statements")
    return [event.value for event in types], orjson.dumps(parsed).decode()


def create_subscription(*, conn: Connection, box: SecretBox, url: str,
                        event_types: Sequence[str], filters: Mapping[str, Sequence[str]],
                        description: str = "", active: bool = True,
                        allow_private: bool) -> tuple[Subscription, str]:
    """Create a subscription; return it and its secret (shown this once)."""
    checked = check_url(url, allow_private=allow_private)
    types, filters_json = _checked_choice(event_types, filters)
    secret = new_secret()
    now = now_us()
    subscription_id = store.insert_subscription(
        conn, event_types=types, url=checked, description=description.strip(),
        filters=filters_json, secret_encrypted=box.seal(secret), is_active=active,
        created_us=now, updated_us=now)
    return get_subscription(conn=conn, webhook_id=subscription_id), secret


def get_subscription(*, conn: Connection, webhook_id: int) -> Subscription:
    row = store.subscription(conn, webhook_id)
    if row is None:
        raise NotFound(f"webhook {webhook_id} does not exist")
    return Subscription.from_row(row, store.event_types_of(conn, [webhook_id])[webhook_id])


def list_subscriptions(*, conn: Connection) -> list[Subscription]:
    rows = store.list_subscriptions(conn)
    types = store.event_types_of(conn, [row["id"] for row in rows])
    return [Subscription.from_row(row, types[row["id"]]) for row in rows]


def update_subscription(*, conn: Connection, webhook_id: int, changes: Mapping[str, Any],
                        allow_private: bool) -> Subscription:
    """Apply the given fields; re-activating clears the disabled reason and failure count."""
    current = get_subscription(conn=conn, webhook_id=webhook_id)
    values: dict[str, Any] = {"updated_us": now_us()}
    if changes.get("url") is not None:
        values["url"] = check_url(changes["url"], allow_private=allow_private)
    types, filters_json = _checked_choice(
        changes.get("event_types") or current.event_types,
        current.filters if changes.get("filters") is None else changes["filters"])
    values["filters"] = filters_json
    if changes.get("description") is not None:
        values["description"] = changes["description"].strip()
    if changes.get("active") is not None:
        values["is_active"] = changes["active"]
        if changes["active"]:
            values.update(consecutive_failures=0, disabled_reason=None, disabled_us=None)
    store.update_subscription(conn, webhook_id, **values)
    if types != current.event_types:
        store.set_event_types(conn, webhook_id, types)
    return get_subscription(conn=conn, webhook_id=webhook_id)


def delete_subscription(*, conn: Connection, webhook_id: int) -> None:
    """Delete a subscription and, with it, its pending and past deliveries."""
    if not store.delete_subscription(conn, webhook_id):
        raise NotFound(f"webhook {webhook_id} does not exist")


def rotate_secret(*, conn: Connection, box: SecretBox, webhook_id: int,
                  keep_old_hours: float = KEEP_OLD_SECRET_HOURS) -> tuple[str, int | None]:
    """Replace the secret; return it and until when the old one still signs (or None).

    For ``keep_old_hours`` every delivery carries a signature with each secret, so
    receivers can switch to the new one without refusing anything meanwhile; 0 ends
    the old secret at once (it leaked). A second rotation within the window keeps
    only the secret it replaces.
    """
    if not 0 <= keep_old_hours <= KEEP_OLD_SECRET_MAX_HOURS:
        raise InvalidInput(f"keep_old_hours: must be between 0 and {KEEP_OLD_SECRET_MAX_HOURS}")
    current = store.subscription(conn, webhook_id)
    if current is None:
        raise NotFound(f"webhook {webhook_id} does not exist")
    secret, moment = new_secret(), now_us()
    until = moment + int(keep_old_hours * HOUR_US) if keep_old_hours else None
    store.update_subscription(
        conn, webhook_id, secret_encrypted=box.seal(secret), updated_us=moment,
        previous_secret_encrypted=current["secret_encrypted"] if until else None,
        previous_secret_until_us=until)
    return secret, until


def send_test(*, conn: Connection, webhook_id: int) -> dict[str, Any]:
    """Queue a ``webhook.test`` event for this subscription only; the worker sends it."""
    subscription = get_subscription(conn=conn, webhook_id=webhook_id)
    if not subscription.active:
        raise Conflict(f"webhook {webhook_id} is disabled; set active to true first")
    now = now_us()
    event_id = str(uuid.uuid4())
    body = events.event_body(event_id=event_id, event_type=events.TEST_EVENT,
                             occurred_at=us_to_iso(now),
                             data={"webhook_id": webhook_id, "message": "Cairn test event"})
    [delivery_id] = store.insert_deliveries(conn, [store.webhook_row(
        subscription_id=webhook_id, event_id=event_id, event_type=events.TEST_EVENT,
        session_key=None, payload=body, occurred_us=now, now=now)])
    return get_delivery(conn=conn, delivery_id=delivery_id, with_log=False)


def list_deliveries(*, conn: Connection, webhook_id: int, status: str | None = None,
                    limit: int = 50, before: int | None = None) -> list[dict[str, Any]]:
    get_subscription(conn=conn, webhook_id=webhook_id)
    if status is not None and status not in store.STATUSES:
        raise InvalidInput(f"status: {status!r} is not one of {', '.join(store.STATUSES)}")
    rows = outbox.list_deliveries(conn, subscription_id=webhook_id, status=status,
                                  limit=limit, before=before)
    return [delivery_json(row) for row in rows]


def get_delivery(*, conn: Connection, delivery_id: int, with_log: bool = True) -> dict[str, Any]:
    row = outbox.delivery(conn, delivery_id)
    if row is None or row["subscription_id"] is None:
        raise NotFound(f"webhook delivery {delivery_id} does not exist")
    log = outbox.attempts_of(conn, delivery_id, MAX_ATTEMPTS_SHOWN) if with_log else None
    return delivery_json(row, log)


def redeliver(*, conn: Connection, delivery_id: int) -> dict[str, Any]:
    """Send a finished delivery again (same event id), with a fresh retry window."""
    current = get_delivery(conn=conn, delivery_id=delivery_id, with_log=False)
    if current["status"] == store.PENDING:
        raise Conflict(f"webhook delivery {delivery_id} is still pending")
    outbox.requeue(conn, now=now_us(), delivery_id=delivery_id)
    return get_delivery(conn=conn, delivery_id=delivery_id, with_log=False)


def redeliver_failed(*, conn: Connection, webhook_id: int) -> int:
    """Queue every failed delivery of a subscription again; returns how many."""
    get_subscription(conn=conn, webhook_id=webhook_id)
    return outbox.requeue(conn, now=now_us(), subscription_id=webhook_id)
