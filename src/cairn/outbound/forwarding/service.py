"""Forwarding rules: which stored statements go to which other LRS.

The target's password is sealed with the server secret (Cairn must send it,
so it cannot be hashed) and never shown again. Each stored statement that a
rule wants becomes one outbox row keyed by (rule, statement id), so it is
forwarded once per rule however often workers restart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from cairn.clock import now_us
from cairn.errors import InvalidInput, NotFound
from cairn.outbound import outbox
from cairn.outbound import store as outbound_store
from cairn.outbound.crypto import SecretBox
from cairn.outbound.forwarding import store
from cairn.outbound.forwarding.models import Rule
from cairn.outbound.models import delivery_json
from cairn.outbound.targets import TargetRefused, check_target

FORWARD_EVENT = "statement.forward"
# The target LRS sets these itself; sending ours would be ignored or refused.
LRS_SET_PROPERTIES = ("stored", "authority")


@dataclass(frozen=True)
class RuleTarget:
    """An active rule with the filters the enqueue path applies."""

    id: int
    verbs: frozenset[str]
    activities: frozenset[str]


def check_endpoint(endpoint: str, *, allow_private: bool) -> str:
    """An LRS base URL such as ``https://lrs.example.org/xapi/`` (a trailing / is added)."""
    endpoint = endpoint.strip()
    try:
        check_target(endpoint, allow_private=allow_private)
    except TargetRefused as exc:
        raise InvalidInput(f"endpoint: {exc}") from exc
    if "?" in endpoint or "#" in endpoint:
        raise InvalidInput("endpoint: must be the LRS base URL, without query or fragment")
    return endpoint if endpoint.endswith("/") else endpoint + "/"


def _iris(field: str, values: Iterable[str]) -> list[str]:
    cleaned = sorted({value.strip() for value in values})
    bad = [value for value in cleaned if ":" not in value or " " in value]
    if bad:
        raise InvalidInput(f"{field}: {bad[0]!r} is not an absolute IRI")
    return cleaned


def _username(value: str) -> str:
    if ":" in value:
        raise InvalidInput("username: must not contain ':' (HTTP Basic uses it as separator)")
    return value.strip()


def create_rule(*, conn: Connection, box: SecretBox, name: str, endpoint: str, username: str,
                password: str, xapi_version: str, verbs: Sequence[str] = (),
                activities: Sequence[str] = (), active: bool = True,
                allow_private: bool) -> Rule:
    now = now_us()
    rule_id = store.insert_rule(
        conn, name=name.strip(), endpoint=check_endpoint(endpoint, allow_private=allow_private),
        username=_username(username), password_encrypted=box.seal(password),
        xapi_version=xapi_version, verbs=orjson.dumps(_iris("verbs", verbs)).decode(),
        activities=orjson.dumps(_iris("activities", activities)).decode(), is_active=active,
        created_us=now, updated_us=now)
    return get_rule(conn=conn, rule_id=rule_id)


def get_rule(*, conn: Connection, rule_id: int) -> Rule:
    row = store.rule(conn, rule_id)
    if row is None:
        raise NotFound(f"forwarding rule {rule_id} does not exist")
    return Rule.from_row(row)


def list_rules(*, conn: Connection) -> list[Rule]:
    return [Rule.from_row(row) for row in store.list_rules(conn)]


def update_rule(*, conn: Connection, box: SecretBox, rule_id: int, changes: Mapping[str, Any],
                allow_private: bool) -> Rule:
    """Apply the given fields; re-activating clears the disabled reason and failure count."""
    get_rule(conn=conn, rule_id=rule_id)
    given = {key: value for key, value in changes.items() if value is not None}
    values: dict[str, Any] = {"updated_us": now_us()}
    if "name" in given:
        values["name"] = given["name"].strip()
    if "endpoint" in given:
        values["endpoint"] = check_endpoint(given["endpoint"], allow_private=allow_private)
    if "username" in given:
        values["username"] = _username(given["username"])
    if "password" in given:
        values["password_encrypted"] = box.seal(given["password"])
    if "xapi_version" in given:
        values["xapi_version"] = given["xapi_version"]
    for field in ("verbs", "activities"):
        if field in given:
            values[field] = orjson.dumps(_iris(field, given[field])).decode()
    if "active" in given:
        values["is_active"] = given["active"]
        if given["active"]:
            values.update(consecutive_failures=0, disabled_reason=None, disabled_us=None)
    store.update_rule(conn, rule_id, **values)
    return get_rule(conn=conn, rule_id=rule_id)


def delete_rule(*, conn: Connection, rule_id: int) -> None:
    if not store.delete_rule(conn, rule_id):
        raise NotFound(f"forwarding rule {rule_id} does not exist")


def list_deliveries(*, conn: Connection, rule_id: int, status: str | None = None,
                    limit: int = 50, before: int | None = None) -> list[dict[str, Any]]:
    get_rule(conn=conn, rule_id=rule_id)
    if status is not None and status not in outbound_store.STATUSES:
        raise InvalidInput(f"status: {status!r} is not one of "
                           f"{', '.join(outbound_store.STATUSES)}")
    rows = outbox.list_deliveries(conn, rule_id=rule_id, status=status, limit=limit,
                                  before=before)
    return [delivery_json(row) for row in rows]


def redeliver_failed(*, conn: Connection, rule_id: int) -> int:
    get_rule(conn=conn, rule_id=rule_id)
    return outbox.requeue(conn, now=now_us(), rule_id=rule_id)


def wants(target: RuleTarget, statement: Mapping[str, Any]) -> bool:
    """The verb filter and the activity filter (the statement's object), when set."""
    if target.verbs and statement["verb"]["id"] not in target.verbs:
        return False
    if target.activities:
        obj = statement["object"]
        if obj.get("objectType", "Activity") != "Activity" or obj["id"] not in target.activities:
            return False
    return True


def rows_for(targets: Sequence[RuleTarget], statements: Sequence[Mapping[str, Any]],
             now: int) -> list[dict[str, Any]]:
    """Outbox rows for every (rule, statement) pair the rule wants, in statement order."""
    rows: list[dict[str, Any]] = []
    for statement in statements:
        wanted = [target for target in targets if wants(target, statement)]
        if not wanted:
            continue
        forwarded = {key: value for key, value in statement.items()
                     if key not in LRS_SET_PROPERTIES}
        payload = orjson.dumps(forwarded).decode()
        rows.extend({"event_id": statement["id"], "subscription_id": None, "rule_id": target.id,
                     "event_type": FORWARD_EVENT, "order_key": f"f{target.id}",
                     "payload": payload, "occurred_us": now, "created_us": now,
                     "window_start_us": now, "status": outbound_store.PENDING, "attempts": 0,
                     "next_attempt_us": now} for target in wanted)
    return rows
