"""Statement comparison (Data 2.3.1 "Statement Comparison Requirements"): what a
repeated statement id may differ in and still be the same statement."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cairn.xapi.comparison import statements_equivalent
from cairn.xapi.validation import normalize_statement, validate_statement

ID = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
ACTOR = {"objectType": "Agent", "name": "Jane", "mbox": "mailto:jane@example.com"}
VERB = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}}
ACTIVITY = {
    "objectType": "Activity",
    "id": "http://example.com/meetings/1",
    "definition": {"name": {"en-US": "Meeting"}},
}


def base(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": ID,
        "actor": ACTOR,
        "verb": VERB,
        "object": ACTIVITY,
        "timestamp": "2015-06-30T12:00:00.000Z",
    }
    value.update(overrides)
    return copy.deepcopy(value)


def stored(statement: dict[str, Any], when: str = "2015-06-30T12:00:05.000Z") -> dict[str, Any]:
    """What the LRS keeps: normalized, with id, stored, authority, version and timestamp set."""
    out = normalize_statement(statement)
    out.setdefault("id", ID)
    out["stored"] = when
    out["authority"] = {
        "objectType": "Agent",
        "account": {"homePage": "http://lrs.example.com", "name": "client"},
    }
    out.setdefault("version", "1.0.0")
    out.setdefault("timestamp", when)
    return out


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    result = statements_equivalent(a, b)
    assert statements_equivalent(b, a) == result  # the relation is symmetric
    return result


# --- identical, and the properties the LRS owns (2.3.1.b1) ----------------------------


def test_identical_statements_are_equivalent() -> None:
    assert same(base(), base())


def test_stored_authority_and_version_are_ignored() -> None:
    assert same(stored(base()), base())
    assert same(stored(base(), "2020-01-01T00:00:00Z"), stored(base(version="1.0.3")))


def test_id_case_is_ignored_but_a_different_id_is_not() -> None:
    assert same(base(id=ID.upper()), base())
    assert not same(base(id="6e8bc430-9c3a-11d9-9669-0800200c9a66"), base())
    assert same(base(), {k: v for k, v in base().items() if k != "id"})


def test_timestamp_assigned_by_the_lrs_is_ignored() -> None:
    first = stored({k: v for k, v in base().items() if k != "timestamp"}, "2015-06-30T12:00:05Z")
    again = stored({k: v for k, v in base().items() if k != "timestamp"}, "2015-07-01T09:00:00Z")
    assert same(first, again)
    assert same(first, stored(base()))  # the client now sends one: the LRS made the difference


# --- 2.3.1.b4: timestamp serialization ------------------------------------------------


def test_timestamp_in_another_zone_at_the_same_instant_is_equivalent() -> None:
    assert same(base(timestamp="2015-06-30T14:00:00+02:00"), base())
    assert same(base(timestamp="2015-06-30T12:00:00Z"), base())


def test_timestamp_digits_beyond_milliseconds_are_ignored() -> None:
    assert same(base(timestamp="2015-06-30T12:00:00.0004Z"), base())


def test_timestamp_at_another_instant_is_a_difference() -> None:
    assert not same(base(timestamp="2015-06-30T12:00:00.001Z"), base())
    assert not same(stored(base(timestamp="2015-06-30T13:00:00Z")), stored(base()))


# --- 2.3.1.b2/b3: Activity definitions and Verb display are not part of the statement ---


def test_verb_display_is_ignored() -> None:
    assert same(base(verb={"id": VERB["id"], "display": {"fr": "a assisté"}}), base())
    assert same(base(verb={"id": VERB["id"]}), base())


def test_verb_id_difference_counts() -> None:
    assert not same(base(verb={"id": "different value"}), base())


def test_activity_definitions_are_ignored_everywhere() -> None:
    other = {**ACTIVITY, "definition": {"name": {"en-US": "Renamed"}}}
    assert same(base(object=other), base())
    assert same(
        base(context={"contextActivities": {"parent": [other]}}),
        base(context={"contextActivities": {"parent": [ACTIVITY]}}),
    )


def test_activity_id_and_object_type_differences_count() -> None:
    assert not same(base(object={**ACTIVITY, "id": "http://example.com/meetings/2"}), base())
    assert not same(
        base(object={"id": ACTIVITY["id"]}),
        base(object={"objectType": "Activity", "id": ACTIVITY["id"]}),
    )


# --- 2.3.1.b5: Group members are unordered --------------------------------------------


def test_group_member_order_is_ignored() -> None:
    one, two = {"mbox": "mailto:one@example.com"}, {"mbox": "mailto:two@example.com"}
    assert same(
        base(actor={"objectType": "Group", "member": [one, two]}),
        base(actor={"objectType": "Group", "member": [two, one]}),
    )
    assert not same(
        base(actor={"objectType": "Group", "member": [one, two]}),
        base(actor={"objectType": "Group", "member": [one]}),
    )


def test_context_activities_order_is_significant() -> None:
    first, second = {"id": "http://example.com/a"}, {"id": "http://example.com/b"}
    assert not same(
        base(context={"contextActivities": {"grouping": [first, second]}}),
        base(context={"contextActivities": {"grouping": [second, first]}}),
    )


def test_single_context_activity_equals_a_one_element_array() -> None:
    assert same(
        base(context={"contextActivities": {"parent": ACTIVITY}}),
        stored(base(context={"contextActivities": {"parent": [ACTIVITY]}})),
    )


# --- 2.3.1.b7: case-insensitive values ------------------------------------------------


def test_email_domain_case_is_ignored_but_not_the_local_part() -> None:
    assert same(
        base(actor={"mbox": "MAILTO:jane@EXAMPLE.com"}),
        base(actor={"mbox": "mailto:jane@example.com"}),
    )
    assert not same(
        base(actor={"mbox": "mailto:JANE@example.com"}),
        base(actor={"mbox": "mailto:jane@example.com"}),
    )


def test_uuid_hex_digest_and_language_tag_case_is_ignored() -> None:
    lower = {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "language": "en-us",
        "statement": {"objectType": "StatementRef", "id": ID},
        "instructor": {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"},
    }
    upper = {
        "registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7",
        "language": "en-US",
        "statement": {"objectType": "StatementRef", "id": ID.upper()},
        "instructor": {"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"},
    }
    assert same(base(context=lower), base(context=upper))
    ref = {"objectType": "StatementRef", "id": ID}
    assert same(base(object=ref), base(object={**ref, "id": ID.upper()}))


def test_attachment_language_tags_are_case_insensitive_but_order_counts() -> None:
    attachment = {
        "usageType": "http://example.com/u",
        "display": {"en-US": "A"},
        "contentType": "text/plain",
        "length": 1,
        "sha2": "a" * 64,
    }
    other = {**attachment, "usageType": "http://example.com/v"}
    assert same(
        base(attachments=[attachment]),
        base(attachments=[{**attachment, "display": {"EN-us": "A"}}]),
    )
    assert not same(base(attachments=[attachment, other]), base(attachments=[other, attachment]))
    assert not same(base(attachments=[attachment]), base())


# --- 2.3.1.b8: result duration is a string, to 0.01 s ---------------------------------


def test_duration_is_compared_as_a_string_to_hundredths() -> None:
    assert same(base(result={"duration": "PT1.234S"}), base(result={"duration": "PT1.239S"}))
    assert not same(base(result={"duration": "PT1.23S"}), base(result={"duration": "PT1.24S"}))
    assert not same(base(result={"duration": "PT1H"}), base(result={"duration": "PT60M"}))


# --- everything else counts -----------------------------------------------------------


def test_json_booleans_are_not_numbers() -> None:
    assert not same(base(result={"success": True}), base(result={"success": 1}))
    assert not same(
        base(context={"extensions": {"http://example.com/x": True}}),
        base(context={"extensions": {"http://example.com/x": 1}}),
    )
    assert same(base(result={"score": {"raw": 1}}), base(result={"score": {"raw": 1.0}}))


def test_extension_and_result_differences_count() -> None:
    assert not same(base(result={"response": "a"}), base(result={"response": "b"}))
    assert not same(
        base(context={"extensions": {"http://example.com/x": [1, 2]}}),
        base(context={"extensions": {"http://example.com/x": [2, 1]}}),
    )
    assert not same(base(result={"success": True}), base())


def test_agent_name_difference_counts() -> None:
    assert not same(base(actor={**ACTOR, "name": "Janet"}), base())


def test_sub_statement_timestamp_is_compared_as_an_instant() -> None:
    sub = {
        "objectType": "SubStatement",
        "actor": ACTOR,
        "verb": VERB,
        "object": ACTIVITY,
        "timestamp": "2031-01-01T00:00:00Z",
    }
    assert same(base(object=sub), base(object={**sub, "timestamp": "2031-01-01T01:00:00+01:00"}))
    assert not same(base(object=sub), base(object={**sub, "timestamp": "2031-01-02T00:00:00Z"}))
    without = {k: v for k, v in sub.items() if k != "timestamp"}
    assert not same(base(object=sub), base(object=without))


# --- properties -----------------------------------------------------------------------

_texts = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
_agents = st.builds(
    lambda name, local: {"name": name, "mbox": f"mailto:{local}@example.com"}, _texts, _texts
)
_groups = st.builds(
    lambda members: {"objectType": "Group", "member": members},
    st.lists(_agents, min_size=1, max_size=4),
)
_activities = st.builds(
    lambda path, name: {"id": f"http://example.com/{path}", "definition": {"name": {"en": name}}},
    _texts,
    _texts,
)
_statements = st.builds(
    lambda actor, activity, parents, success, minutes: {
        "actor": actor,
        "verb": {"id": "http://example.com/verbs/did", "display": {"en": "did"}},
        "object": activity,
        "context": {"contextActivities": {"parent": parents}},
        "result": {"success": success, "duration": f"PT{minutes}M"},
        "timestamp": "2020-02-02T02:02:02.020Z",
    },
    st.one_of(_agents, _groups),
    _activities,
    st.lists(_activities, max_size=3),
    st.booleans(),
    st.integers(min_value=0, max_value=600),
)


@given(_statements)
def test_any_statement_is_equivalent_to_its_stored_form(statement: dict[str, Any]) -> None:
    validate_statement(statement)
    assert same(statement, stored(statement))


@given(_statements, st.randoms())
def test_shuffled_group_members_stay_equivalent(statement: dict[str, Any], rng: Any) -> None:
    shuffled = copy.deepcopy(statement)
    if "member" in shuffled["actor"]:
        rng.shuffle(shuffled["actor"]["member"])
    assert same(statement, shuffled)


@given(_statements, _statements)
def test_equivalence_is_symmetric(first: dict[str, Any], second: dict[str, Any]) -> None:
    assert statements_equivalent(first, second) == statements_equivalent(second, first)
