"""Keeping the Activity definitions that GET /xapi/activities returns (Communication 2.5).

Statements may each carry part of a definition (a French name here, a
description there); the LRS keeps the union, later values winning, with
language maps merged per language rather than replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Connection

from cairn.xapi.statements import store

LANGUAGE_MAPS = ("name", "description")


def merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = {**old, **new}
    for key in LANGUAGE_MAPS:
        if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
            merged[key] = {**old[key], **new[key]}
    return merged


def record_definitions(conn: Connection, statements: Iterable[dict[str, Any]],
                       stored_us: int) -> None:
    """Fold the definitions in ``statements`` into the stored ones.

    Statement writers are serialized (see ``store.serialize_writers``), so
    reading the current definitions and writing the merge cannot race.
    """
    incoming: dict[str, dict[str, Any]] = {}
    for statement in statements:
        obj = statement["object"]
        if obj.get("objectType", "Activity") == "Activity" and obj.get("definition"):
            incoming[obj["id"]] = merge_definition(incoming.get(obj["id"], {}),
                                                   obj["definition"])
    if not incoming:
        return
    stored = store.activity_definitions(conn, incoming)
    changed = {activity_id: merge_definition(stored.get(activity_id, {}), definition)
               for activity_id, definition in incoming.items()}
    store.upsert_activities(conn, [
        {"id": activity_id, "definition": orjson.dumps(merged).decode(), "updated_us": stored_us}
        for activity_id, merged in changed.items() if merged != stored.get(activity_id)])
