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


def common(stored_us: int, statement: Mapping[str, Any]) -> tuple[Any, ...]:
    """The common fields of a statement, in :data:`CSV_HEADER` order."""
    actor = statement.get("actor") or {}
    verb = statement.get("verb") or {}
    result = statement.get("result") or {}
    score = result.get("score") or {}
    object_id, object_type, object_name = _object(statement)
    return (statement.get("id"), us_to_iso(stored_us), statement.get("timestamp"),
            actor.get("name"), ifi(actor), verb.get("id"), display(verb.get("display")),
            object_id, object_type, object_name, result.get("completion"),
            result.get("success"), score.get("scaled"), score.get("raw"),
            result.get("duration"), (statement.get("context") or {}).get("registration"),
            (statement.get("authority") or {}).get("name"), statement.get("version"))


def csv_row(stored_us: int, payload: str) -> tuple[Any, ...]:
    return common(stored_us, orjson.loads(payload))


def flat(stored_us: int, payload: str) -> dict[str, Any]:
    """The common fields of one statement, grouped, and the statement itself."""
    statement = orjson.loads(payload)
    (statement_id, stored, timestamp, actor_name, actor_ifi, verb_id, verb_display, object_id,
     object_type, object_name, completion, success, scaled, raw, duration, registration,
     authority_name, version) = common(stored_us, statement)
    return {
        "id": statement_id, "stored": stored, "timestamp": timestamp,
        "actor": {"name": actor_name, "ifi": actor_ifi,
                  "object_type": (statement.get("actor") or {}).get("objectType", "Agent")},
        "verb": {"id": verb_id, "display": verb_display},
        "object": {"id": object_id, "type": object_type, "name": object_name},
        "result": {"completion": completion, "success": success, "score_scaled": scaled,
                   "score_raw": raw, "duration": duration},
        "context": {"registration": registration}, "authority_name": authority_name,
        "version": version, "statement": statement}
