"""The ``ids`` and ``canonical`` formats of GET /statements (Communication 2.1.3,
"format" parameter, and 2.1.3.s4 language filtering for canonical statements)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.xapi.formats import (
    best_language,
    parse_accept_language,
    to_canonical_format,
    to_ids_format,
)
from cairn.xapi.validation import validate_statement

AGENT = {"objectType": "Agent", "name": "Jane", "mbox": "mailto:jane@example.com"}
GROUP = {
    "objectType": "Group",
    "name": "Team",
    "mbox": "mailto:team@example.com",
    "member": [{"name": "Bob", "mbox": "mailto:bob@example.com"}],
}
ANONYMOUS = {
    "objectType": "Group",
    "name": "Ad hoc",
    "member": [
        {"objectType": "Agent", "name": "Bob", "mbox": "mailto:bob@example.com"},
        {"name": "Ann", "account": {"homePage": "http://example.com", "name": "ann"}},
    ],
}
MAP = {"en-US": "attended", "en-GB": "attended (GB)", "fr": "a assisté"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": MAP}
ACTIVITY: dict[str, Any] = {
    "objectType": "Activity",
    "id": "http://example.com/questions/1",
    "definition": {
        "name": MAP,
        "description": MAP,
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "moreInfo": "http://example.com/more",
        "interactionType": "choice",
        "correctResponsesPattern": ["a"],
        "choices": [{"id": "a", "description": MAP}, {"id": "b", "description": {"de": "B"}}],
        "extensions": {"http://example.com/ext": {"en-US": "kept", "fr": "gardé"}},
    },
}
REF = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}


def full_statement() -> dict[str, Any]:
    value = {
        "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "actor": AGENT,
        "verb": VERB,
        "object": {
            "objectType": "SubStatement",
            "actor": GROUP,
            "verb": VERB,
            "object": ACTIVITY,
            "context": {"contextActivities": {"parent": [ACTIVITY]}},
        },
        "result": {"success": True, "score": {"scaled": 0.5}},
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": ANONYMOUS,
            "team": GROUP,
            "contextActivities": {"parent": [ACTIVITY], "category": [ACTIVITY]},
            "statement": REF,
            "language": "en",
        },
        "timestamp": "2015-06-30T12:00:00Z",
        "stored": "2015-06-30T12:00:01Z",
        "authority": {
            "objectType": "Group",
            "member": [
                {"account": {"homePage": "http://example.com/OAuth/Token", "name": "consumer"}},
                AGENT,
            ],
        },
        "version": "1.0.0",
        "attachments": [
            {
                "usageType": "http://example.com/u",
                "display": MAP,
                "description": MAP,
                "contentType": "text/plain",
                "length": 1,
                "sha2": "a" * 64,
            }
        ],
    }
    validate_statement(value)
    return copy.deepcopy(value)


# --- format=ids -----------------------------------------------------------------------


def test_ids_reduces_agents_to_their_identifier() -> None:
    out = to_ids_format(full_statement())
    assert out["actor"] == {"objectType": "Agent", "mbox": "mailto:jane@example.com"}
    assert to_ids_format({**full_statement(), "actor": {"mbox": "mailto:a@b.c", "name": "A"}})[
        "actor"
    ] == {"mbox": "mailto:a@b.c"}


def test_ids_reduces_identified_groups_to_type_and_identifier() -> None:
    out = to_ids_format(full_statement())
    assert out["object"]["actor"] == {"objectType": "Group", "mbox": "mailto:team@example.com"}
    assert out["context"]["team"] == {"objectType": "Group", "mbox": "mailto:team@example.com"}


def test_ids_keeps_the_member_identifiers_of_anonymous_groups() -> None:
    out = to_ids_format(full_statement())
    assert out["context"]["instructor"] == {
        "objectType": "Group",
        "member": [
            {"objectType": "Agent", "mbox": "mailto:bob@example.com"},
            {"account": {"homePage": "http://example.com", "name": "ann"}},
        ],
    }
    assert out["authority"]["member"][1] == {
        "objectType": "Agent",
        "mbox": "mailto:jane@example.com",
    }


def test_ids_reduces_activities_and_verbs_to_their_id() -> None:
    out = to_ids_format(full_statement())
    assert out["verb"] == {"id": VERB["id"]}
    assert out["object"]["verb"] == {"id": VERB["id"]}
    assert out["object"]["object"] == {"id": ACTIVITY["id"]}
    assert out["context"]["contextActivities"] == {
        "parent": [{"id": ACTIVITY["id"]}],
        "category": [{"id": ACTIVITY["id"]}],
    }
    assert out["object"]["context"]["contextActivities"] == {"parent": [{"id": ACTIVITY["id"]}]}


def test_ids_matches_what_the_conformance_suite_counts() -> None:
    out = to_ids_format(full_statement())
    assert 1 <= len(out["actor"]) <= 2
    assert len(out["object"]["actor"]) == 2
    assert len(out["object"]["object"]) == 1


def test_ids_keeps_everything_that_is_not_an_agent_activity_or_verb() -> None:
    original = full_statement()
    out = to_ids_format(original)
    for key in ("id", "result", "timestamp", "stored", "version", "attachments"):
        assert out[key] == original[key]
    assert out["object"]["objectType"] == "SubStatement"
    assert out["context"]["statement"] == REF
    assert out["context"]["registration"] == original["context"]["registration"]
    assert to_ids_format({**original, "object": REF})["object"] == REF


def test_ids_handles_agent_objects_and_single_context_activities() -> None:
    value = {
        **full_statement(),
        "object": AGENT,
        "context": {"contextActivities": {"other": ACTIVITY}},
    }
    out = to_ids_format(value)
    assert out["object"] == {"objectType": "Agent", "mbox": "mailto:jane@example.com"}
    assert out["context"]["contextActivities"] == {"other": {"id": ACTIVITY["id"]}}


def test_ids_does_not_modify_its_input() -> None:
    original = full_statement()
    to_ids_format(original)
    assert original == full_statement()


# --- format=canonical -----------------------------------------------------------------


def test_canonical_keeps_the_requested_language_in_every_map() -> None:
    out = to_canonical_format(full_statement(), "en-GB")
    gb = {"en-GB": "attended (GB)"}
    assert out["verb"]["display"] == gb
    assert out["object"]["verb"]["display"] == gb
    definition = out["object"]["object"]["definition"]
    assert definition["name"] == gb and definition["description"] == gb
    assert definition["choices"] == [
        {"id": "a", "description": gb},
        {"id": "b", "description": {"de": "B"}},
    ]
    for activity in out["context"]["contextActivities"]["parent"]:
        assert activity["definition"]["name"] == gb
    assert out["object"]["context"]["contextActivities"]["parent"][0]["definition"]["name"] == gb
    assert out["attachments"][0]["display"] == gb
    assert out["attachments"][0]["description"] == gb


def test_canonical_leaves_agents_extensions_and_other_properties_exact() -> None:
    original = full_statement()
    out = to_canonical_format(original, "fr")
    assert out["actor"] == original["actor"]
    assert out["context"]["instructor"] == original["context"]["instructor"]
    assert (
        out["object"]["object"]["definition"]["extensions"] == ACTIVITY["definition"]["extensions"]
    )
    assert out["object"]["object"]["definition"]["type"] == ACTIVITY["definition"]["type"]
    assert out["result"] == original["result"]


def test_canonical_without_accept_language_takes_the_first_entry() -> None:
    assert to_canonical_format(full_statement(), None)["verb"]["display"] == {"en-US": "attended"}
    assert to_canonical_format(full_statement(), "")["verb"]["display"] == {"en-US": "attended"}


def test_canonical_without_a_match_takes_the_first_entry() -> None:
    assert to_canonical_format(full_statement(), "ja, ko;q=0.5")["verb"]["display"] == {
        "en-US": "attended"
    }


def test_canonical_does_not_modify_its_input() -> None:
    original = full_statement()
    to_canonical_format(original, "fr")
    assert original == full_statement()


def test_canonical_handles_an_agent_object_and_single_context_activity() -> None:
    value = {
        **full_statement(),
        "object": AGENT,
        "context": {"contextActivities": {"other": ACTIVITY}},
    }
    out = to_canonical_format(value, "fr")
    assert out["object"] == AGENT
    assert out["context"]["contextActivities"]["other"]["definition"]["name"] == {"fr": "a assisté"}


# --- Accept-Language (RFC 2616 14.4) --------------------------------------------------

TAGS = ["en-US", "en-GB", "fr", "da-DK"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB", "en-GB"),
        ("EN-gb", "en-GB"),
        ("fr", "fr"),
        ("en", "en-US"),  # a range matches every tag it prefixes; ties go to map order
        ("da, en-gb;q=0.8, en;q=0.7", "da-DK"),
        ("fr;q=0.5, en-GB;q=0.9", "en-GB"),
        ("en-GB, fr", "en-GB"),
        ("fr, en-GB", "fr"),  # equal quality: the range listed first wins
        ("*", "en-US"),
        ("*;q=0.1, fr;q=0.5", "fr"),
        ("en;q=1, en-US;q=0", "en-GB"),  # the longest matching range decides en-US's quality
        ("*, fr;q=0", "en-US"),
        ("en-AU", "en-US"),  # no match: shorten en-AU to en
        ("de-CH-1996", "en-US"),  # nothing at all: first entry
        ("garbage;;, fr;q=abc, fr;q=2, fr;level=1", "en-US"),  # malformed ranges are skipped
    ],
)
def test_best_language_follows_accept_language(header: str, expected: str) -> None:
    assert best_language(TAGS, parse_accept_language(header)) == expected


def test_parse_accept_language_orders_by_quality() -> None:
    assert parse_accept_language("da, en-gb;q=0.8, en;q=0.7") == (
        ("da", 1.0),
        ("en-gb", 0.8),
        ("en", 0.7),
    )
    assert parse_accept_language("en;q=0.3, fr") == (("fr", 1.0), ("en", 0.3))
    assert parse_accept_language("") == ()


_maps = st.dictionaries(
    st.sampled_from(["en", "en-US", "en-GB", "fr", "fr-CA", "de", "ja"]),
    st.text(max_size=5),
    min_size=1,
)
_headers = st.lists(
    st.tuples(
        st.sampled_from(["en", "en-US", "fr", "de-AT", "*", "ja", "es"]),
        st.sampled_from(["", ";q=0", ";q=0.5", ";q=1"]),
    ),
    max_size=4,
).map(lambda parts: ", ".join(tag + q for tag, q in parts))


@given(_maps, _headers)
def test_canonical_always_keeps_exactly_one_entry_of_the_original(
    language_map: dict[str, str], header: str
) -> None:
    value = {**full_statement(), "verb": {"id": VERB["id"], "display": language_map}}
    display = to_canonical_format(value, header)["verb"]["display"]
    assert len(display) == 1
    ((tag, text),) = display.items()
    assert language_map[tag] == text
