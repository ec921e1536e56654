"""Property tests over statements assembled from valid parts (Data 2.4): they pass,
before and after normalization, and stop passing once an unknown property or a
null (Data 2.2.s4.b1) is slipped in anywhere outside extensions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.validation import normalize_statement, validate_statement

_names = st.text(alphabet="abcdefghijklmnop", min_size=1, max_size=8)
_iris = _names.map(lambda name: f"http://example.com/{name}")
_maps = st.dictionaries(
    st.sampled_from(["en", "en-US", "fr-CA", "zh-Hant", "sr-Latn-RS"]),
    st.text(max_size=10),
    max_size=3,
)
_ifis = st.one_of(
    _names.map(lambda n: {"mbox": f"mailto:{n}@example.com"}),
    st.text(alphabet="0123456789abcdef", min_size=40, max_size=40).map(
        lambda h: {"mbox_sha1sum": h}
    ),
    _iris.map(lambda iri: {"openid": iri}),
    st.tuples(_iris, _names).map(lambda a: {"account": {"homePage": a[0], "name": a[1]}}),
)
_agents = st.tuples(_ifis, st.booleans(), _names).map(
    lambda t: {**t[0], **({"objectType": "Agent", "name": t[2]} if t[1] else {})}
)
_groups = st.one_of(
    st.lists(_agents, min_size=1, max_size=3).map(lambda m: {"objectType": "Group", "member": m}),
    _ifis.map(lambda ifi: {"objectType": "Group", **ifi}),
)
_definitions = st.fixed_dictionaries(
    {},
    optional={
        "name": _maps,
        "description": _maps,
        "type": _iris,
        "moreInfo": _iris,
        "extensions": st.dictionaries(_iris, st.none() | st.integers() | st.text()),
    },
)
_COMPONENT_LISTS: dict[str, dict[str, Any]] = {
    "choice": {"choices": [{"id": "a"}, {"id": "b"}]},
    "sequencing": {"choices": [{"id": "a"}, {"id": "b"}]},
    "likert": {"scale": [{"id": "a"}]},
    "matching": {"source": [{"id": "a"}], "target": [{"id": "b"}]},
    "performance": {"steps": [{"id": "a", "description": {"en": "A"}}]},
    "true-false": {},
    "numeric": {},
}
_interactions = st.sampled_from(sorted(_COMPONENT_LISTS)).map(
    lambda kind: {
        "interactionType": kind,
        "correctResponsesPattern": ["a[,]b"],
        **_COMPONENT_LISTS[kind],
    }
)
_activities = st.tuples(_iris, st.none() | _definitions | _interactions).map(
    lambda t: {"id": t[0]} if t[1] is None else {"id": t[0], "definition": t[1]}
)
_scores = st.floats(min_value=-1, max_value=1).map(
    lambda s: {"scaled": s, "raw": s * 10, "min": -10, "max": 10}
)
_results = st.fixed_dictionaries(
    {},
    optional={
        "score": _scores,
        "success": st.booleans(),
        "completion": st.booleans(),
        "response": st.text(),
        "duration": st.sampled_from(["PT1H", "P3Y", "PT0.5S"]),
    },
)
_contexts = st.fixed_dictionaries(
    {},
    optional={
        "registration": st.uuids().map(str),
        "instructor": _agents | _groups,
        "team": _groups,
        "language": st.sampled_from(["en", "tlh", "zh-Hans-CN"]),
        "contextActivities": st.dictionaries(
            st.sampled_from(["parent", "grouping", "category", "other"]),
            _activities | st.lists(_activities, max_size=2),
        ),
        "platform": st.text(),
        "revision": st.text(),
    },
)


def _assemble(
    actor: dict[str, Any], verb: str, obj: dict[str, Any], result: Any, context: Any
) -> dict[str, Any]:
    value: dict[str, Any] = {"actor": actor, "verb": {"id": verb}, "object": obj}
    if result is not None:
        value["result"] = result
    if context is not None:
        if obj.get("objectType") == "Agent":  # revision and platform need an Activity
            context = {k: v for k, v in context.items() if k not in ("platform", "revision")}
        value["context"] = context
    return value


_statements = st.builds(
    _assemble,
    st.one_of(_agents, _groups),
    _iris,
    _activities | _agents.map(lambda a: {**a, "objectType": "Agent"}),
    st.none() | _results,
    st.none() | _contexts,
)


def _object_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths of every JSON object in a statement, except inside extension values."""
    if isinstance(value, dict):
        yield path
        for key, item in value.items():
            if key == "extensions":
                yield (*path, key)
            else:
                yield from _object_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _object_paths(item, (*path, index))


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@given(_statements)
def test_any_statement_built_from_valid_parts_is_accepted(statement: dict[str, Any]) -> None:
    validate_statement(statement)
    validate_statement(normalize_statement(statement))


@given(_statements, st.data())
def test_an_unexpected_property_anywhere_is_rejected(
    statement: dict[str, Any], data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(list(_object_paths(statement))))
    _at(statement, path)["unexpectedProperty"] = "x"
    with pytest.raises(InvalidInput, match="unexpectedProperty"):
        validate_statement(statement)


@given(_statements, st.data())
def test_a_null_anywhere_outside_extensions_is_rejected(
    statement: dict[str, Any], data: st.DataObject
) -> None:
    candidates = [
        (*path, key)
        for path in _object_paths(statement)
        if path[-1:] != ("extensions",)
        for key in _at(statement, path)
    ]
    path = data.draw(st.sampled_from(candidates))
    _at(statement, path[:-1])[path[-1]] = None
    with pytest.raises(InvalidInput):
        validate_statement(statement)
