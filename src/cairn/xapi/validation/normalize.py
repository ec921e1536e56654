"""The stored form of a statement: contextActivities values always arrays.

Data 2.4.6.2.s4.b3/b4: a single Activity is accepted for 0.95 compatibility,
but the LRS returns every contextActivities value as an array. Converting once
on the way in means storage, comparison and every output format see one shape.
"""

from __future__ import annotations

from typing import Any


def normalize_statement(statement: dict[str, Any]) -> dict[str, Any]:
    """Copy of ``statement`` with single-object contextActivities made one-element arrays.

    Also applies to a SubStatement object. The input is not modified; parts
    that need no change are shared with it. id, stored, authority and version
    are left alone: the caller assigns them.
    """
    result = dict(statement)
    context = result.get("context")
    if isinstance(context, dict):
        result["context"] = _normalize_context(context)
    target = result.get("object")
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        result["object"] = normalize_statement(target)
    return result


def _normalize_context(context: dict[str, Any]) -> dict[str, Any]:
    activities = context.get("contextActivities")
    if not isinstance(activities, dict):
        return context
    if all(isinstance(value, list) for value in activities.values()):
        return context
    arrays = {
        key: value if isinstance(value, list) else [value] for key, value in activities.items()
    }
    return {**context, "contextActivities": arrays}
