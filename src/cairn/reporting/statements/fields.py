"""The common fields of a stored statement: who did what to what, with what result.

People filter and chart on a dozen values out of a statement; these functions
pick them out once, for the JSON items and for the CSV rows. The CSV path
runs for every statement of an export (a million rows), so it reads the
parsed statement with plain ``dict.get`` calls and no intermediate objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from cairn.clock import us_to_iso
from cairn.reporting.tabular import text_cell

# Which text of a language map a flat field shows: English, else the first.
PREFERRED_LANGUAGES = ("en-US", "en", "en-GB", "und")
IFI_KINDS = ("mbox", "mbox_sha1sum", "openid")
_NOTHING: Mapping[str, Any] = {}

CSV_HEADER: Sequence[str] = (
    "id", "stored", "timestamp", "actor_name", "actor_ifi", "verb_id", "verb_display",
    "object_id", "object_type", "object_name", "result_completion", "result_success",
    "result_score_scaled", "result_score_raw", "result_duration", "registration",
    "authority_name", "version", "voided")
# Columns that hold text a person typed (or could have): the ones checked for
# formulas. The others are numbers, UUIDs, times Cairn wrote, or true/false.
CSV_TEXT_COLUMNS = frozenset({
    "timestamp", "actor_name", "actor_ifi", "verb_id", "verb_display", "object_id",
    "object_type", "object_name", "result_duration", "authority_name", "version"})


def display(language_map: Any) -> str | None:
    """One text of a language map: English if there is one, else the first given."""
    if language_map.__class__ is not dict or not language_map:
        return None
    for language in PREFERRED_LANGUAGES:
        text = language_map.get(language)
        if text is not None:
            return str(text)
    return str(next(iter(language_map.values())))


def ifi(agent: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(kind, value) of an agent's identifier; an account reads ``homePage|name``.

    ``kind=value`` is accepted back as the ``agent`` filter, so a value read
    from one answer can narrow the next request.
    """
    for kind in IFI_KINDS:
        value = agent.get(kind)
        if value is not None:
            return kind, str(value)
    account = agent.get("account")
    if account.__class__ is dict:
        return "account", f"{account.get('homePage')}|{account.get('name')}"
    return None, None


def _target(statement: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """The object's (id, type, name): an Activity's definition type and name, an
    agent's identifier and name, or a StatementRef/SubStatement's kind."""
    target = statement.get("object") or _NOTHING
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        definition = target.get("definition") or _NOTHING
        return target.get("id"), definition.get("type") or kind, display(definition.get("name"))
    if kind in ("Agent", "Group"):
        return ifi(target)[1], kind, target.get("name")
    return target.get("id"), kind, None


def _flag(value: Any) -> str:
    return "" if value is None else "true" if value else "false"


def csv_row(stored_us: int, payload: str, voided: bool) -> tuple[Any, ...]:
    """One statement as a row of text cells under :data:`CSV_HEADER` ("" when missing,
    booleans as true/false): rows of text take the CSV writer's fast path.

    Text cells are checked for formulas by the stream (CSV_TEXT_COLUMNS).
    """
    statement = orjson.loads(payload)
    actor = statement.get("actor") or _NOTHING
    verb = statement.get("verb") or _NOTHING
    result = statement.get("result") or _NOTHING
    score = result.get("score") or _NOTHING
    object_id, object_type, object_name = _target(statement)
    # The LRS writes ``stored`` into every statement from the same clock reading
    # as the column; reading it back saves formatting a time per row.
    # The LRS validated every one of these as a string; a value that is not one anyway
    # fails the writer's fast path and is written by the csv module.
    return (statement.get("id") or "", statement.get("stored") or us_to_iso(stored_us),
            statement.get("timestamp") or "", actor.get("name") or "", ifi(actor)[1] or "",
            verb.get("id") or "", display(verb.get("display")) or "", object_id or "",
            object_type or "", object_name or "", _flag(result.get("completion")),
            _flag(result.get("success")), text_cell(score.get("scaled")),
            text_cell(score.get("raw")), result.get("duration") or "",
            (statement.get("context") or _NOTHING).get("registration") or "",
            (statement.get("authority") or _NOTHING).get("name") or "",
            statement.get("version") or "", "true" if voided else "false")


def json_item(stored_us: int, payload: str, voided: bool) -> dict[str, Any]:
    """One statement as a JSON list item: the common fields grouped, and the statement."""
    statement = orjson.loads(payload)
    actor = statement.get("actor") or _NOTHING
    verb = statement.get("verb") or _NOTHING
    result = statement.get("result") or _NOTHING
    score = result.get("score") or _NOTHING
    ifi_kind, ifi_value = ifi(actor)
    object_id, object_type, object_name = _target(statement)
    return {
        "id": statement.get("id"), "stored": us_to_iso(stored_us),
        "timestamp": statement.get("timestamp"), "voided": voided,
        "actor": {"name": actor.get("name"), "object_type": actor.get("objectType", "Agent"),
                  "ifi_kind": ifi_kind, "ifi": ifi_value},
        "verb": {"id": verb.get("id"), "display": display(verb.get("display"))},
        "object": {"id": object_id, "type": object_type, "name": object_name},
        "result": {"completion": result.get("completion"), "success": result.get("success"),
                   "score_scaled": score.get("scaled"), "score_raw": score.get("raw"),
                   "duration": result.get("duration")},
        "context": {"registration": (statement.get("context") or _NOTHING).get("registration")},
        "authority_name": (statement.get("authority") or _NOTHING).get("name"),
        "version": statement.get("version"), "statement": statement}
