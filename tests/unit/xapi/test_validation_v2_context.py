"""xAPI 2.0 context (IEEE 9274.1.1 4.2.2.5): contextAgents and contextGroups.

The entries are validated for requests speaking 2.0.x, in statements and in
SubStatements alike; a 1.0.x request still refuses them as unknown properties.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.validation import validate_statement

V2 = "2.0.0"
ACTOR = {"objectType": "Agent", "mbox": "mailto:xapi@adlnet.gov"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended"}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
PLAYER = {"objectType": "Agent", "mbox": "mailto:player-1@example.com"}
TEAM = {
    "objectType": "Group",
    "mbox": "mailto:team-1@example.com",
    "member": [PLAYER, {"objectType": "Agent", "mbox": "mailto:player-2@example.com"}],
}
QUARTERBACK = "https://example.com/xapi/american-football/activity-types/position/quarterback"
CONTEXT_AGENT = {"objectType": "contextAgent", "agent": PLAYER, "relevantTypes": [QUARTERBACK]}
CONTEXT_GROUP = {
    "objectType": "contextGroup",
    "group": TEAM,
    "relevantTypes": ["https://example.com/xapi/american-football/activity-types/team/a"],
}


def statement(context: dict[str, Any], *, nested: bool = False) -> dict[str, Any]:
    """A statement carrying ``context``, or a SubStatement carrying it when ``nested``."""
    inner: dict[str, Any] = {"actor": ACTOR, "verb": VERB, "object": ACTIVITY, "context": context}
    if nested:
        inner = {"actor": ACTOR, "verb": VERB, "object": {"objectType": "SubStatement", **inner}}
    return copy.deepcopy(inner)


def context_path(nested: bool) -> str:
    return "statement.object.context" if nested else "statement.context"


def reject(value: object, path: str, version: str = V2) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_statement(value, version=version)
    message = caught.value.message
    assert message.startswith(path), message
    assert message[len(path)] in ":.[", message
    return message


both_levels = pytest.mark.parametrize("nested", [False, True], ids=["statement", "substatement"])


# --- accepted shapes ------------------------------------------------------------------


@both_levels
def test_context_agents_and_groups_with_relevant_types_are_accepted(nested: bool) -> None:
    validate_statement(
        statement({"contextAgents": [CONTEXT_AGENT], "contextGroups": [CONTEXT_GROUP]},
                  nested=nested),
        version=V2,
    )


@both_levels
def test_relevant_types_are_optional(nested: bool) -> None:
    agent = {"objectType": "contextAgent", "agent": PLAYER}
    group = {"objectType": "contextGroup", "group": TEAM}
    validate_statement(
        statement({"contextAgents": [agent], "contextGroups": [group]}, nested=nested),
        version=V2,
    )


def test_context_groups_take_anonymous_groups_and_several_entries() -> None:
    anonymous = {"objectType": "Group", "member": [PLAYER]}
    entries = [CONTEXT_GROUP, {"objectType": "contextGroup", "group": anonymous}]
    validate_statement(statement({"contextGroups": entries}), version=V2)


def test_empty_arrays_and_the_1_0_context_properties_still_work_together() -> None:
    context = {
        "contextAgents": [],
        "contextGroups": [],
        "instructor": PLAYER,
        "team": TEAM,
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {"parent": [ACTIVITY]},
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "extensions": {"http://example.com/profiles/meetings/extension": "x"},
    }
    validate_statement(statement(context), version=V2)


@given(
    st.lists(
        st.from_regex(r"https://example\.com/types/[a-z0-9/]{1,20}", fullmatch=True),
        min_size=1,
        max_size=5,
    )
)
def test_any_non_empty_list_of_iris_is_accepted_as_relevant_types(types: list[str]) -> None:
    entry = {**CONTEXT_AGENT, "relevantTypes": types}
    validate_statement(statement({"contextAgents": [entry]}), version=V2)


# --- rejected entries -----------------------------------------------------------------


@both_levels
@pytest.mark.parametrize(
    ("key", "entry", "where", "problem"),
    [
        ("contextAgents", {**CONTEXT_AGENT, "objectType": "Should fail"}, "[0].objectType",
         "must be 'contextAgent'"),
        ("contextAgents", {**CONTEXT_AGENT, "objectType": "contextagent"}, "[0].objectType",
         "must be 'contextAgent'"),
        ("contextAgents", {**CONTEXT_AGENT, "agent": {"key": "Should fail"}}, "[0].agent",
         "is not an allowed property"),
        ("contextAgents", {**CONTEXT_AGENT, "relevantTypes": []}, "[0].relevantTypes",
         "at least one IRI"),
        ("contextAgents", {**CONTEXT_AGENT, "relevantTypes": ["abc"]}, "[0].relevantTypes[0]",
         "absolute IRI"),
        ("contextGroups", {**CONTEXT_GROUP, "objectType": "Should fail"}, "[0].objectType",
         "must be 'contextGroup'"),
        ("contextGroups", {**CONTEXT_GROUP, "group": {"key": "Should fail"}}, "[0].group",
         "is not an allowed property"),
        ("contextGroups", {**CONTEXT_GROUP, "relevantTypes": []}, "[0].relevantTypes",
         "at least one IRI"),
        ("contextGroups", {**CONTEXT_GROUP, "relevantTypes": ["abc"]}, "[0].relevantTypes[0]",
         "absolute IRI"),
    ],
)
def test_invalid_entries_are_rejected_naming_the_property(
    nested: bool, key: str, entry: dict[str, Any], where: str, problem: str
) -> None:
    path = f"{context_path(nested)}.{key}{where}"
    assert problem in reject(statement({key: [entry]}, nested=nested), path)


@pytest.mark.parametrize(
    ("key", "member"), [("contextAgents", "agent"), ("contextGroups", "group")]
)
@pytest.mark.parametrize("missing", ["objectType", "member"])
def test_object_type_and_the_agent_or_group_are_required(
    key: str, member: str, missing: str
) -> None:
    entry = dict(CONTEXT_AGENT if key == "contextAgents" else CONTEXT_GROUP)
    name = member if missing == "member" else missing
    del entry[name]
    message = reject(statement({key: [entry]}), f"statement.context.{key}[0].{name}")
    assert message.endswith("is required")


def test_a_group_in_context_agents_points_to_context_groups() -> None:
    entry = {**CONTEXT_AGENT, "agent": TEAM}
    message = reject(statement({"contextAgents": [entry]}),
                     "statement.context.contextAgents[0].agent.objectType")
    assert "contextGroups" in message


def test_an_agent_in_context_groups_is_rejected() -> None:
    entry = {**CONTEXT_GROUP, "group": PLAYER}
    reject(statement({"contextGroups": [entry]}), "statement.context.contextGroups[0].group")


def test_an_agent_without_identifier_is_rejected() -> None:
    entry = {**CONTEXT_AGENT, "agent": {"objectType": "Agent", "name": "nobody"}}
    message = reject(statement({"contextAgents": [entry]}),
                     "statement.context.contextAgents[0].agent")
    assert "inverse functional identifier" in message


@pytest.mark.parametrize("key", ["contextAgents", "contextGroups"])
@pytest.mark.parametrize("value", [{"objectType": "contextAgent"}, "x", 1, [None], ["x"]])
def test_the_lists_must_be_arrays_of_objects(key: str, value: object) -> None:
    reject(statement({key: value}), f"statement.context.{key}")


@pytest.mark.parametrize("extra", ["name", "member", "AGENT", "relevanttypes"])
def test_unknown_or_miscased_entry_properties_are_rejected(extra: str) -> None:
    entry = {**CONTEXT_AGENT, extra: "x"}
    reject(statement({"contextAgents": [entry]}), "statement.context.contextAgents[0]")


def test_null_entry_properties_are_rejected() -> None:
    entry = {**CONTEXT_AGENT, "relevantTypes": None}
    message = reject(statement({"contextAgents": [entry]}),
                     "statement.context.contextAgents[0].relevantTypes")
    assert "null" in message


# --- the same properties under 1.0.3 --------------------------------------------------


@both_levels
@pytest.mark.parametrize("key", ["contextAgents", "contextGroups"])
def test_a_1_0_request_rejects_the_2_0_properties(nested: bool, key: str) -> None:
    entry = CONTEXT_AGENT if key == "contextAgents" else CONTEXT_GROUP
    message = reject(statement({key: [entry]}, nested=nested),
                     f"{context_path(nested)}.{key}", version="1.0.3")
    assert "is not an allowed property" in message
