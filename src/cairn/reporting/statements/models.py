"""A stored statement read into the fields people filter and chart on.

The full statement stays available (``statement`` in JSON); the flat fields
pick the common parts: who, did what, to what, with what result, when.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from cairn.clock import us_to_iso

PREFERRED_LANGUAGES = ("en-US", "en", "en-GB", "und")

CSV_HEADER: Sequence[str] = (
    "id", "stored", "timestamp", "actor_name", "actor_ifi", "verb_id", "verb_display",
    "object_id", "object_type", "object_name", "result_completion", "result_success",
    "result_score_scaled", "result_score_raw", "result_duration", "registration",
    "authority_name", "version")


def display(language_map: Any) -> str | None:
    """One text from a language map: English if there is one, else the first."""
    if not isinstance(language_map, Mapping) or not language_map:
        return None
    for language in PREFERRED_LANGUAGES:
        if language in language_map:
            return str(language_map[language])
    return str(next(iter(language_map.values())))


def ifi(agent: Mapping[str, Any]) -> str | None:
    """The agent's identifier as one readable string (``mailto:…``, ``homePage|name`` …)."""
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(agent.get(key), str):
            return str(agent[key])
    account = agent.get("account")
    if isinstance(account, Mapping):
        return f"{account.get('homePage')}|{account.get('name')}"
    return None


def _object(statement: Mapping[str, Any]) -> tuple[str | None, str, str | None]:
    target = statement.get("object") or {}
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        definition = target.get("definition") or {}
        return target.get("id"), definition.get("type") or kind, display(definition.get("name"))
    if kind in ("Agent", "Group"):
        return ifi(target), kind, target.get("name")
    return target.get("id"), kind, None


def flat(stored_us: int, payload: str) -> dict[str, Any]:
    """The common fields of one statement (and the statement itself)."""
    statement = orjson.loads(payload)
    actor = statement.get("actor") or {}
    verb = statement.get("verb") or {}
    result = statement.get("result") or {}
    score = result.get("score") or {}
    object_id, object_type, object_name = _object(statement)
    return {
        "id": statement.get("id"), "stored": us_to_iso(stored_us),
        "timestamp": statement.get("timestamp"),
        "actor": {"name": actor.get("name"), "ifi": ifi(actor),
                  "object_type": actor.get("objectType", "Agent")},
        "verb": {"id": verb.get("id"), "display": display(verb.get("display"))},
        "object": {"id": object_id, "type": object_type, "name": object_name},
        "result": {"completion": result.get("completion"), "success": result.get("success"),
                   "score_scaled": score.get("scaled"), "score_raw": score.get("raw"),
                   "duration": result.get("duration")},
        "context": {"registration": (statement.get("context") or {}).get("registration")},
        "authority_name": (statement.get("authority") or {}).get("name"),
        "version": statement.get("version"), "statement": statement}


def csv_row(stored_us: int, payload: str) -> tuple[Any, ...]:
    item = flat(stored_us, payload)
    actor, verb, target, result = item["actor"], item["verb"], item["object"], item["result"]
    return (item["id"], item["stored"], item["timestamp"], actor["name"], actor["ifi"],
            verb["id"], verb["display"], target["id"], target["type"], target["name"],
            result["completion"], result["success"], result["score_scaled"],
            result["score_raw"], result["duration"], item["context"]["registration"],
            item["authority_name"], item["version"])
