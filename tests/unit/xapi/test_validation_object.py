"""The statement's object (Data 2.4.4): Activities and their definitions
(2.4.4.1), interactions, Agents and Groups as objects (2.4.4.2), StatementRefs
and SubStatements (2.4.4.3)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cairn.errors import InvalidInput
from cairn.xapi.validation import validate_statement
from cairn.xapi.validation.activities import INTERACTION_COMPONENT_LISTS

ACTOR = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended"}}
ACTIVITY_ID = "http://www.example.com/meetings/occurances/34534"
REF = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}
COMPONENTS = [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}]


def statement(obj: object) -> dict[str, Any]:
    return copy.deepcopy({"actor": ACTOR, "verb": VERB, "object": obj})


def with_definition(**definition: Any) -> dict[str, Any]:
    return statement({"objectType": "Activity", "id": ACTIVITY_ID, "definition": definition})


def reject(value: object, path: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_statement(value)
    message = caught.value.message
    assert message.startswith(path), message
    assert message[len(path)] in ":.[", message
    return message


# --- 2.4.4.1: Activities --------------------------------------------------------------


def test_activity_object_type_is_optional() -> None:
    validate_statement(statement({"id": ACTIVITY_ID}))
    validate_statement(statement({"objectType": "Activity", "id": ACTIVITY_ID}))


def test_activity_requires_an_id() -> None:
    reject(statement({"objectType": "Activity"}), "statement.object.id")


@pytest.mark.parametrize("activity_id", ["www.example.com/meetings", "", 12345])
def test_activity_id_must_be_an_iri(activity_id: object) -> None:
    reject(statement({"id": activity_id}), "statement.object.id")


@pytest.mark.parametrize(
    "object_type",
    ["activity", "ACTIVITY", "Activities", "agent", "statementref", "substatement", "group", 12345],
)
def test_object_type_must_match_exactly(object_type: object) -> None:
    reject(statement({"objectType": object_type, "id": ACTIVITY_ID}), "statement.object.objectType")


def test_activity_definition_may_be_empty_or_full() -> None:
    validate_statement(with_definition())
    validate_statement(
        with_definition(
            name={"en-US": "Example"},
            description={"en-US": "An example"},
            type="http://adlnet.gov/expapi/activities/meeting",
            moreInfo="http://virtualmeeting.example.com/345256",
            extensions={"http://example.com/profiles/meetings/extension/location": "X:\\meetings"},
        )
    )


@pytest.mark.parametrize("definition", ["should fail", 12345, []])
def test_activity_definition_must_be_an_object(definition: object) -> None:
    reject(statement({"id": ACTIVITY_ID, "definition": definition}), "statement.object.definition")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", 12345),
        ("name", "should fail"),
        ("name", {"something": "x"}),
        ("description", 12345),
        ("description", "should fail"),
        ("description", {"en": None}),
        ("type", "adlnet.gov/expapi/activities/meeting"),
        ("type", 12345),
        ("moreInfo", "virtualmeeting.example.com/345256"),
        ("extensions", "should fail"),
        ("extensions", {"not.valid.com/extension": 1234}),
        ("interactions", []),
        ("Name", {"en": "x"}),
    ],
)
def test_activity_definition_property_formats(key: str, value: object) -> None:
    reject(with_definition(**{key: value}), f"statement.object.definition.{key}")


# --- 2.4.4.1: interaction activities --------------------------------------------------


@pytest.mark.parametrize("interaction_type", sorted(INTERACTION_COMPONENT_LISTS))
def test_interaction_type_each_value_is_accepted(interaction_type: str) -> None:
    validate_statement(
        with_definition(
            type="http://adlnet.gov/expapi/activities/cmi.interaction",
            interactionType=interaction_type,
            correctResponsesPattern=["x"],
        )
    )


@pytest.mark.parametrize(
    "interaction_type",
    [
        "true-faLse",
        "choiCe",
        "fill-iN",
        "long-fiLl-in",
        "matchIng",
        "perfOrmance",
        "seqUencing",
        "liKert",
        "nUmeric",
        "Other",
        "essay",
        "http://example.com/choice",
        12345,
        {"a": "b"},
    ],
)
def test_interaction_type_outside_the_vocabulary_is_rejected(interaction_type: object) -> None:
    reject(
        with_definition(interactionType=interaction_type),
        "statement.object.definition.interactionType",
    )


@pytest.mark.parametrize(
    "key", ["correctResponsesPattern", "choices", "scale", "source", "target", "steps"]
)
def test_interaction_properties_require_an_interaction_type(key: str) -> None:
    value = ["a"] if key == "correctResponsesPattern" else COMPONENTS
    message = reject(with_definition(**{key: value}), "statement.object.definition.interactionType")
    assert key in message


@pytest.mark.parametrize(
    ("interaction_type", "lists"),
    [
        ("choice", ["choices"]),
        ("sequencing", ["choices"]),
        ("likert", ["scale"]),
        ("matching", ["source", "target"]),
        ("performance", ["steps"]),
    ],
)
def test_component_lists_of_the_interaction_type_are_accepted(
    interaction_type: str, lists: list[str]
) -> None:
    definition = {key: COMPONENTS for key in lists}
    validate_statement(with_definition(interactionType=interaction_type, **definition))


@pytest.mark.parametrize(
    ("interaction_type", "key"),
    [
        ("true-false", "choices"),
        ("choice", "scale"),
        ("likert", "choices"),
        ("matching", "steps"),
        ("performance", "source"),
        ("fill-in", "target"),
        ("numeric", "steps"),
        ("other", "choices"),
    ],
)
def test_component_lists_of_another_interaction_type_are_rejected(
    interaction_type: str, key: str
) -> None:
    message = reject(
        with_definition(interactionType=interaction_type, **{key: COMPONENTS}),
        f"statement.object.definition.{key}",
    )
    assert interaction_type in message


@pytest.mark.parametrize("pattern", ["true", [True], [1], [None], {"0": "a"}])
def test_correct_responses_pattern_must_be_an_array_of_strings(pattern: object) -> None:
    reject(
        with_definition(interactionType="true-false", correctResponsesPattern=pattern),
        "statement.object.definition.correctResponsesPattern",
    )


def test_correct_responses_pattern_may_be_empty() -> None:
    validate_statement(with_definition(interactionType="choice", correctResponsesPattern=[]))


@pytest.mark.parametrize(
    ("components", "path"),
    [
        ("a", "choices"),
        ([{"description": {"en": "x"}}], "choices[0].id"),
        ([{"id": 1}], "choices[0].id"),
        ([{"id": "a", "description": "x"}], "choices[0].description"),
        ([{"id": "a", "description": {"something": "x"}}], "choices[0].description"),
        ([{"id": "a", "name": {"en": "x"}}], "choices[0].name"),
        ([{"id": "a"}, {"id": "a"}], "choices[1].id"),
        (["a"], "choices[0]"),
    ],
)
def test_interaction_components_format(components: object, path: str) -> None:
    reject(
        with_definition(interactionType="choice", choices=components),
        f"statement.object.definition.{path}",
    )


# --- 2.4.4.2: Agents and Groups as objects --------------------------------------------


def test_agent_and_group_objects_with_object_type_are_accepted() -> None:
    validate_statement(statement({"objectType": "Agent", "mbox": "mailto:a@example.com"}))
    validate_statement(statement({"objectType": "Group", "member": [ACTOR]}))
    validate_statement(statement({"objectType": "Group", "openid": "http://openid.example.org/1"}))


@pytest.mark.parametrize(
    "obj",
    [
        {"mbox": "mailto:a@example.com"},
        {"name": "G", "member": [ACTOR]},
        {"account": {"homePage": "http://example.com", "name": "a"}},
    ],
)
def test_agent_or_group_object_requires_object_type(obj: dict[str, Any]) -> None:
    assert "is required" in reject(statement(obj), "statement.object.objectType")


def test_agent_object_must_be_a_valid_agent() -> None:
    reject(statement({"objectType": "Agent", "name": "no ifi"}), "statement.object")
    reject(statement({"objectType": "Group"}), "statement.object.member")


# --- 2.4.4.3: StatementRefs -----------------------------------------------------------


def test_statement_ref_is_accepted() -> None:
    validate_statement(statement(REF))


@pytest.mark.parametrize(
    ("obj", "path"),
    [
        ({"objectType": "statementref", "id": REF["id"]}, "statement.object.objectType"),
        ({"objectType": "StatementRef"}, "statement.object.id"),
        ({"objectType": "StatementRef", "id": "not-a-uuid"}, "statement.object.id"),
        ({"objectType": "StatementRef", "id": 12345}, "statement.object.id"),
        ({**REF, "definition": {}}, "statement.object.definition"),
    ],
)
def test_statement_ref_rules(obj: dict[str, Any], path: str) -> None:
    reject(statement(obj), path)


# --- 2.4.4.3: SubStatements -----------------------------------------------------------


def sub_statement(**overrides: Any) -> dict[str, Any]:
    sub: dict[str, Any] = {
        "objectType": "SubStatement",
        "actor": ACTOR,
        "verb": VERB,
        "object": {"id": ACTIVITY_ID},
    }
    sub.update(overrides)
    return sub


@pytest.mark.parametrize(
    "inner",
    [
        {"id": ACTIVITY_ID},
        {"objectType": "Agent", "mbox": "mailto:a@example.com"},
        {"objectType": "Group", "member": [ACTOR]},
        REF,
    ],
)
def test_sub_statement_with_each_object_kind_is_accepted(inner: dict[str, Any]) -> None:
    validate_statement(statement(sub_statement(object=inner)))


def test_sub_statement_may_have_result_context_timestamp_and_attachments() -> None:
    validate_statement(
        statement(
            sub_statement(
                result={"success": True, "duration": "PT1H0M0.1S"},
                context={"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7", "platform": "x"},
                timestamp="2031-11-24T21:05:58.076Z",
            )
        )
    )


@pytest.mark.parametrize("object_type", ["substatement", "Substatement", "SUBSTATEMENT"])
def test_sub_statement_object_type_must_match_exactly(object_type: str) -> None:
    reject(statement(sub_statement(objectType=object_type)), "statement.object.objectType")


@pytest.mark.parametrize("required", ["actor", "verb", "object"])
def test_sub_statement_requires_actor_verb_and_object(required: str) -> None:
    sub = sub_statement()
    del sub[required]
    reject(statement(sub), f"statement.object.{required}")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("id", "8f87ccde-bb56-4c2e-ab83-44982ef22df0"),
        ("stored", "2013-05-18T05:32:34.804Z"),
        ("version", "1.0.0"),
        ("authority", ACTOR),
    ],
)
def test_sub_statement_must_not_have_lrs_owned_properties(key: str, value: object) -> None:
    message = reject(statement(sub_statement(**{key: value})), f"statement.object.{key}")
    assert "SubStatement" in message


def test_sub_statement_cannot_be_nested() -> None:
    message = reject(statement(sub_statement(object=sub_statement())), "statement.object.object")
    assert "cannot contain another SubStatement" in message


def test_sub_statement_is_validated_like_a_statement() -> None:
    reject(statement(sub_statement(verb={"id": "not an iri"})), "statement.object.verb.id")
    reject(statement(sub_statement(actor={"name": "no ifi"})), "statement.object.actor")
    reject(
        statement(sub_statement(object={"mbox": "mailto:a@example.com"})),
        "statement.object.object.objectType",
    )
    reject(
        statement(sub_statement(result={"completion": "true"})),
        "statement.object.result.completion",
    )
    reject(statement(sub_statement(timestamp="01/011/2015")), "statement.object.timestamp")


def test_sub_statement_context_revision_needs_an_activity_object() -> None:
    reject(
        statement(sub_statement(object=REF, context={"revision": "1"})),
        "statement.object.context.revision",
    )
