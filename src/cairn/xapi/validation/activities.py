"""Activities and their definitions, interactions included (Data 2.4.4.1).

Interaction definitions come from SCORM's cmi.interactions; the spec lets an
LRS refuse component lists that make no sense for the interaction type
(2.4.4.1.s13.b3), and we do, so bad interaction data is caught at the door
rather than in reports. Response pattern strings themselves are not parsed:
the spec says characterstring parameters are not validated by the LRS.
"""

from __future__ import annotations

from typing import Any

from cairn.xapi.validation.primitives import (
    Checker,
    check_properties,
    constant,
    expect_array,
    expect_object,
    fail,
    require,
    validate_extensions,
    validate_iri,
    validate_irl,
    validate_language_map,
    validate_string,
)

# interactionType -> the interaction component lists it supports (2.4.4.1.s15).
INTERACTION_COMPONENT_LISTS: dict[str, frozenset[str]] = {
    "true-false": frozenset(),
    "choice": frozenset({"choices"}),
    "fill-in": frozenset(),
    "long-fill-in": frozenset(),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "numeric": frozenset(),
    "other": frozenset(),
}
COMPONENT_LIST_KEYS = ("choices", "scale", "source", "target", "steps")
_INTERACTION_KEYS = ("correctResponsesPattern", *COMPONENT_LIST_KEYS)
_INTERACTION_TYPES = ", ".join(INTERACTION_COMPONENT_LISTS)


def _validate_interaction_type(value: object, path: str) -> None:
    if not isinstance(value, str) or value not in INTERACTION_COMPONENT_LISTS:
        fail(path, f"must be one of: {_INTERACTION_TYPES} (exact case)")


def _validate_response_patterns(value: object, path: str) -> None:
    for index, pattern in enumerate(expect_array(value, path)):
        if not isinstance(pattern, str):
            fail(f"{path}[{index}]", "must be a string")


_COMPONENT: dict[str, Checker] = {"id": validate_string, "description": validate_language_map}


def _validate_components(value: object, path: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(expect_array(value, path)):
        item_path = f"{path}[{index}]"
        component = expect_object(item, item_path)
        check_properties(component, item_path, _COMPONENT)
        require(component, item_path, ("id",))
        if component["id"] in seen:
            fail(f"{item_path}.id", "interaction component ids must be distinct within a list")
        seen.add(component["id"])


_DEFINITION: dict[str, Checker] = {
    "name": validate_language_map,
    "description": validate_language_map,
    "type": validate_iri,
    "moreInfo": validate_irl,
    "extensions": validate_extensions,
    "interactionType": _validate_interaction_type,
    "correctResponsesPattern": _validate_response_patterns,
    **{key: _validate_components for key in COMPONENT_LIST_KEYS},
}


def _validate_interaction_fit(definition: dict[str, Any], path: str) -> None:
    kind = definition.get("interactionType")
    if kind is None:
        for key in _INTERACTION_KEYS:
            if key in definition:
                fail(f"{path}.interactionType", f"is required when '{key}' is present")
        return
    allowed = INTERACTION_COMPONENT_LISTS[kind]
    for key in COMPONENT_LIST_KEYS:
        if key in definition and key not in allowed:
            fail(f"{path}.{key}", f"is not a component list of interactionType '{kind}'")


def validate_definition(value: object, path: str) -> None:
    definition = expect_object(value, path)
    check_properties(definition, path, _DEFINITION)
    _validate_interaction_fit(definition, path)


_ACTIVITY: dict[str, Checker] = {
    "objectType": constant("Activity"),
    "id": validate_iri,
    "definition": validate_definition,
}


def validate_activity(value: object, path: str) -> None:
    """An Activity: an IRI id and an optional definition (Data 2.4.4.1)."""
    activity = expect_object(value, path)
    check_properties(activity, path, _ACTIVITY)
    require(activity, path, ("id",))
