"""What a statement can be found by: the rows of ``xapi_statement_filters``.

Communication 2.1.3 defines the GET filters. Each (kind, value) pair below is
one way a statement matches one filter, computed once at write time so a query
is an index range scan instead of JSON inspection:

=====  ==========================================================
kind   matched by
=====  ==========================================================
``a``  ``agent`` (the actor, or an Agent/Group object)
``ra`` ``agent`` + ``related_agents=true`` (also authority, instructor,
       team, and the same inside a SubStatement)
``v``  ``verb``
``o``  ``activity`` (the object Activity)
``ro`` ``activity`` + ``related_activities=true`` (also context activities
       and the SubStatement's object and context activities)
``r``  ``registration``
=====  ==========================================================

A statement whose object is a StatementRef also matches whatever its target
matches (Communication 2.1.3, "filter conditions ... StatementRef"); those
inherited rows are copied from the target when either side arrives.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cairn.xapi.validation import agent_ifi

AGENT, RELATED_AGENT, VERB, ACTIVITY, RELATED_ACTIVITY, REGISTRATION = (
    "a", "ra", "v", "o", "ro", "r")
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")

Facet = tuple[str, str]


def statement_facets(statement: dict[str, Any]) -> set[Facet]:
    """Every (kind, value) a stored statement is found by, before inheritance."""
    facets: set[Facet] = {(VERB, statement["verb"]["id"])}
    facets.update(_agent_facets(statement.get("actor"), direct=True))
    facets.update(_object_facets(statement["object"]))
    facets.update(_agent_facets(statement.get("authority"), direct=False))
    facets.update(_context_facets(statement.get("context")))
    substatement = statement["object"]
    if substatement.get("objectType") == "SubStatement":
        facets.update(_substatement_facets(substatement))
    return facets


def _object_facets(obj: dict[str, Any]) -> Iterator[Facet]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        yield ACTIVITY, obj["id"]
        yield RELATED_ACTIVITY, obj["id"]
    elif kind in ("Agent", "Group"):
        yield from _agent_facets(obj, direct=True)


def _substatement_facets(sub: dict[str, Any]) -> Iterator[Facet]:
    """A SubStatement's parts only count for the related_* variants."""
    yield from _agent_facets(sub.get("actor"), direct=False)
    obj = sub["object"]
    if obj.get("objectType", "Activity") == "Activity":
        yield RELATED_ACTIVITY, obj["id"]
    elif obj.get("objectType") in ("Agent", "Group"):
        yield from _agent_facets(obj, direct=False)
    yield from (f for f in _context_facets(sub.get("context")) if f[0] != REGISTRATION)


def _context_facets(context: dict[str, Any] | None) -> Iterator[Facet]:
    if not context:
        return
    if context.get("registration"):
        yield REGISTRATION, context["registration"].lower()
    for key in ("instructor", "team"):
        yield from _agent_facets(context.get(key), direct=False)
    for entry in context.get("contextAgents") or ():
        yield from _agent_facets(entry.get("agent"), direct=False)
    for entry in context.get("contextGroups") or ():
        yield from _agent_facets(entry.get("group"), direct=False)
    activities = context.get("contextActivities") or {}
    for key in CONTEXT_ACTIVITY_KEYS:
        for activity in activities.get(key) or ():
            yield RELATED_ACTIVITY, activity["id"]


def _agent_facets(agent: dict[str, Any] | None, *, direct: bool) -> Iterator[Facet]:
    if not agent:
        return
    ifi = agent_ifi(agent)
    if ifi is not None:
        yield RELATED_AGENT, ifi
        if direct:
            yield AGENT, ifi
    for member in agent.get("member") or ():
        member_ifi = agent_ifi(member)
        if member_ifi is not None:
            yield RELATED_AGENT, member_ifi


INHERITED_KINDS = (AGENT, RELATED_AGENT, VERB, ACTIVITY, RELATED_ACTIVITY, REGISTRATION)
