"""The ``ids`` and ``canonical`` statement formats of GET /statements (Communication 2.1.3).

``exact`` is the statement as stored. The other two are derived from it on the
way out, never stored, so the stored statement stays immutable:

- ``ids`` keeps only what identifies each Agent, Group, Activity and Verb: an
  Agent or identified Group its identifier (and objectType when present), an
  anonymous Group its members' identifiers, an Activity or Verb its id.
- ``canonical`` keeps every language map down to the one language that best
  fits the request's Accept-Language (RFC 2616 14.4, applied to each map on
  its own, 2.1.3.s4.b5). The caller substitutes the LRS's canonical Activity
  definitions first, if it keeps them; Agents and Groups stay exact.

Both expect a normalized statement (contextActivities as arrays) but cope with
single objects. Neither modifies its input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cairn.xapi.validation.activities import COMPONENT_LIST_KEYS
from cairn.xapi.validation.agents import IFI_KEYS

LanguageMap = dict[str, Any]
_Chooser = Callable[[LanguageMap], LanguageMap]
_LANGUAGE_RANGE = re.compile(r"\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*")


# --- format=ids -----------------------------------------------------------------------


def to_ids_format(statement: dict[str, Any]) -> dict[str, Any]:
    """The statement with Agents, Groups, Activities and Verbs reduced to their identifiers."""
    out = dict(statement)
    for key in ("actor", "authority"):
        if isinstance(out.get(key), dict):
            out[key] = _ids_agent(out[key])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}
    if isinstance(out.get("object"), dict):
        out["object"] = _ids_object(out["object"])
    if isinstance(out.get("context"), dict):
        out["context"] = _ids_context(out["context"])
    return out


def _ids_agent(agent: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for key in IFI_KEYS:
        if key in agent:
            out[key] = agent[key]
            return out
    members = agent.get("member")
    if isinstance(members, list):  # an anonymous Group: identify each member instead
        out["member"] = [_ids_agent(member) for member in members if isinstance(member, dict)]
    return out


def _ids_activity(activity: Any) -> Any:
    return {"id": activity.get("id")} if isinstance(activity, dict) else activity


def _ids_object(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return _ids_agent(obj)
    if kind == "SubStatement":
        return to_ids_format(obj)
    if kind == "StatementRef":
        return obj
    return {"id": obj.get("id")}


def _ids_context(context: dict[str, Any]) -> dict[str, Any]:
    out = dict(context)
    for key in ("instructor", "team"):
        if isinstance(out.get(key), dict):
            out[key] = _ids_agent(out[key])
    activities = out.get("contextActivities")
    if isinstance(activities, dict):
        out["contextActivities"] = {
            kind: [_ids_activity(item) for item in value]
            if isinstance(value, list)
            else _ids_activity(value)
            for kind, value in activities.items()
        }
    return out


# --- format=canonical -----------------------------------------------------------------


def to_canonical_format(statement: dict[str, Any], accept_language: str | None) -> dict[str, Any]:
    """The statement with every language map cut to the single best language.

    Best is the highest-quality match for ``accept_language``; failing any
    match, the map's first entry. Extensions are left alone: what they hold is
    for their owner to define.
    """
    ranges = parse_accept_language(accept_language or "")
    return _canonical_statement(statement, lambda language_map: _pick(language_map, ranges))


def _canonical_statement(statement: dict[str, Any], choose: _Chooser) -> dict[str, Any]:
    out = dict(statement)
    verb = out.get("verb")
    if isinstance(verb, dict) and isinstance(verb.get("display"), dict):
        out["verb"] = {**verb, "display": choose(verb["display"])}
    obj = out.get("object")
    if isinstance(obj, dict):
        out["object"] = _canonical_object(obj, choose)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        out["context"] = {
            **context,
            "contextActivities": _canonical_context_activities(
                context["contextActivities"], choose
            ),
        }
    if isinstance(out.get("attachments"), list):
        out["attachments"] = [_canonical_attachment(item, choose) for item in out["attachments"]]
    return out


def _canonical_object(obj: dict[str, Any], choose: _Chooser) -> Any:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return _canonical_activity(obj, choose)
    if kind == "SubStatement":
        return _canonical_statement(obj, choose)
    return obj


def _canonical_context_activities(activities: dict[str, Any], choose: _Chooser) -> dict[str, Any]:
    return {
        kind: [_canonical_activity(item, choose) for item in value]
        if isinstance(value, list)
        else _canonical_activity(value, choose)
        for kind, value in activities.items()
    }


def _canonical_activity(activity: Any, choose: _Chooser) -> Any:
    if not isinstance(activity, dict) or not isinstance(activity.get("definition"), dict):
        return activity
    definition = _with_maps_chosen(activity["definition"], ("name", "description"), choose)
    for key in COMPONENT_LIST_KEYS:
        if isinstance(definition.get(key), list):
            definition[key] = [
                _with_maps_chosen(component, ("description",), choose)
                for component in definition[key]
            ]
    return {**activity, "definition": definition}


def _canonical_attachment(attachment: Any, choose: _Chooser) -> Any:
    return _with_maps_chosen(attachment, ("display", "description"), choose)


def _with_maps_chosen(obj: Any, keys: tuple[str, ...], choose: _Chooser) -> Any:
    if not isinstance(obj, dict):
        return obj
    out = dict(obj)
    for key in keys:
        if isinstance(out.get(key), dict):
            out[key] = choose(out[key])
    return out


# --- Accept-Language ------------------------------------------------------------------


@lru_cache(maxsize=512)
def parse_accept_language(header: str) -> tuple[tuple[str, float], ...]:
    """The header's language ranges (lowercase) with their q values, best first.

    Malformed entries are skipped rather than failing the request: choosing a
    language is a preference, not a validation.
    """
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        language, _, parameters = part.partition(";")
        language = language.strip().lower()
        quality = _quality(parameters)
        if quality is not None and _LANGUAGE_RANGE.fullmatch(language):
            ranges.append((language, quality))
    ranges.sort(key=lambda item: -item[1])  # stable: equal q keeps header order
    return tuple(ranges)


def _quality(parameters: str) -> float | None:
    name, _, value = parameters.strip().partition("=")
    if not name:
        return 1.0
    if name.strip().lower() != "q":
        return None
    try:
        quality = float(value)
    except ValueError:
        return None
    return quality if 0.0 <= quality <= 1.0 else None


def _pick(language_map: LanguageMap, ranges: tuple[tuple[str, float], ...]) -> LanguageMap:
    if len(language_map) <= 1:
        return language_map
    tag = best_language(list(language_map), ranges)
    return {tag: language_map[tag]}


def best_language(tags: list[str], ranges: tuple[tuple[str, float], ...]) -> str:
    """The tag the ranges prefer; ``tags`` must not be empty.

    A tag's quality is that of the longest range matching it (RFC 2616 14.4);
    ties go to the range listed first, then to the tag listed first. If no
    range matches, ranges are shortened ("en-GB" -> "en") before giving up
    and taking the first tag.
    """
    best: str | None = None
    best_rank: tuple[float, int] = (0.0, 0)
    for tag in tags:
        rank = _rank(tag.lower(), ranges)
        if rank is not None and rank[0] > 0 and (best is None or rank > best_rank):
            best, best_rank = tag, rank
    return best or _truncated_match(tags, ranges) or tags[0]


def _rank(tag: str, ranges: tuple[tuple[str, float], ...]) -> tuple[float, int] | None:
    matched: tuple[int, float, int] | None = None  # (range length, q, -position)
    for position, (language, quality) in enumerate(ranges):
        if language == "*" or tag == language or tag.startswith(language + "-"):
            length = 0 if language == "*" else len(language)
            if matched is None or length > matched[0]:
                matched = (length, quality, -position)
    return None if matched is None else (matched[1], matched[2])


def _truncated_match(tags: list[str], ranges: tuple[tuple[str, float], ...]) -> str | None:
    lowered = [tag.lower() for tag in tags]
    for language, quality in ranges:
        if language == "*" or quality <= 0:
            continue
        while "-" in language:
            language = language.rsplit("-", 1)[0]
            for tag, low in zip(tags, lowered, strict=True):
                if low == language or low.startswith(language + "-"):
                    return tag
    return None
