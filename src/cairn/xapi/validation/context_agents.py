"""Context Agents and Context Groups, the context properties xAPI 2.0 added (9274.1.1 4.2.2.5).

Each entry ties one Agent (``contextAgents``) or one Group (``contextGroups``)
to the statement, optionally saying how through ``relevantTypes`` IRIs. The
entries carry their own ``objectType`` ("contextAgent" / "contextGroup"),
which we require, as the reference LRS does: without it a client could not
tell an entry from an Agent. ``relevantTypes`` is optional, but when present it
must list at least one IRI (an empty list says nothing; the ADL suite rejects it).
A Group put where an Agent belongs is refused with a hint rather than a bare
"must be 'Agent'", because mixing the two lists is the likely mistake.
"""

from __future__ import annotations

from cairn.xapi.validation.agents import validate_group, validate_plain_agent
from cairn.xapi.validation.primitives import (
    Checker,
    check_properties,
    constant,
    expect_array,
    expect_object,
    fail,
    require,
    validate_iri,
)


def _validate_relevant_types(value: object, path: str) -> None:
    types = expect_array(value, path)
    if not types:
        fail(path, "must list at least one IRI when present (leave it out to mean no type)")
    for index, iri in enumerate(types):
        validate_iri(iri, f"{path}[{index}]")


def _validate_context_agent_agent(value: object, path: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        fail(f"{path}.objectType", "must be 'Agent': put Groups in context.contextGroups")
    validate_plain_agent(value, path)


_CONTEXT_AGENT: dict[str, Checker] = {
    "objectType": constant("contextAgent"),
    "agent": _validate_context_agent_agent,
    "relevantTypes": _validate_relevant_types,
}
_CONTEXT_GROUP: dict[str, Checker] = {
    "objectType": constant("contextGroup"),
    "group": validate_group,
    "relevantTypes": _validate_relevant_types,
}


def _entries_checker(table: dict[str, Checker], member: str) -> Checker:
    """Checker of an array whose items follow ``table`` and must name ``member``."""
    required = ("objectType", member)

    def validate_entries(value: object, path: str) -> None:
        for index, item in enumerate(expect_array(value, path)):
            item_path = f"{path}[{index}]"
            entry = expect_object(item, item_path)
            check_properties(entry, item_path, table)
            require(entry, item_path, required)

    return validate_entries


validate_context_agents = _entries_checker(_CONTEXT_AGENT, "agent")
validate_context_groups = _entries_checker(_CONTEXT_GROUP, "group")

CONTEXT_2_0_ADDITIONS: dict[str, Checker] = {
    "contextAgents": validate_context_agents,
    "contextGroups": validate_context_groups,
}
"""The context properties xAPI 2.0 adds to the 1.0.3 ones."""
