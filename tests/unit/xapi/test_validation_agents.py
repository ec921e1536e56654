"""Actors (Data 2.4.2): Agents, Groups, inverse functional identifiers, accounts;
the authority rules (2.4.9); the ``agent`` parameter and the IFI index key."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.errors import InvalidInput
from cairn.xapi.validation import agent_ifi, validate_agent, validate_statement

IFIS: dict[str, Any] = {
    "mbox": "mailto:xapi@adlnet.gov",
    "mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975",
    "openid": "http://openid.example.org/12345",
    "account": {"homePage": "http://www.example.com", "name": "xAPI account name"},
}
AGENT = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
MEMBER = {"name": "member", "mbox": "mailto:member@example.com"}


def statement_with_actor(actor: object) -> dict[str, Any]:
    return {
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "http://www.example.com/meetings/occurances/34534"},
    }


def reject_actor(actor: object, path: str = "statement.actor") -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_statement(statement_with_actor(actor))
    assert caught.value.message.startswith(path), caught.value.message
    return caught.value.message


# --- 2.4.2.1: Agents ------------------------------------------------------------------


@pytest.mark.parametrize("ifi", IFIS)
def test_agent_with_any_single_ifi_is_accepted(ifi: str) -> None:
    validate_statement(statement_with_actor({ifi: IFIS[ifi]}))
    validate_statement(statement_with_actor({"objectType": "Agent", "name": "n", ifi: IFIS[ifi]}))


def test_agent_does_not_require_object_type() -> None:
    validate_statement(statement_with_actor({"mbox": "mailto:a@example.com"}))


def test_agent_without_any_ifi_is_rejected() -> None:
    message = reject_actor({"objectType": "Agent", "name": "nobody"})
    assert "inverse functional identifier" in message


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(IFIS, 2)))
def test_agent_with_two_ifis_is_rejected(first: str, second: str) -> None:
    message = reject_actor({"objectType": "Agent", first: IFIS[first], second: IFIS[second]})
    assert "exactly one" in message


@pytest.mark.parametrize(
    "object_type", ["agent", "AGENT", "Person", 12345, {"key": "x"}, '"objectType": "Agent"', ""]
)
def test_agent_object_type_must_be_exactly_agent(object_type: object) -> None:
    reject_actor(
        {"objectType": object_type, "mbox": "mailto:a@example.com"}, "statement.actor.objectType"
    )


@pytest.mark.parametrize("name", [12345, {"key": "should fail"}, ["a"], True])
def test_agent_name_must_be_a_string(name: object) -> None:
    message = reject_actor({"name": name, "mbox": "mailto:a@example.com"})
    assert message == "statement.actor.name: must be a string"


def test_agent_null_property_is_rejected() -> None:
    message = reject_actor({"name": None, "mbox": "mailto:a@example.com"})
    assert message == "statement.actor.name: must not be null"


def test_agent_unknown_property_is_rejected() -> None:
    message = reject_actor({"mbox": "mailto:a@example.com", "age": 3})
    assert message == "statement.actor.age: is not an allowed property"


def test_agent_property_in_wrong_case_is_rejected_with_a_hint() -> None:
    message = reject_actor({"MBOX": "mailto:a@example.com"})
    assert "did you mean 'mbox'" in message


# --- 2.4.2.3: inverse functional identifiers ------------------------------------------


@pytest.mark.parametrize(
    "mbox",
    [
        "xapi@adlnet.gov",
        "http://xapi@adlnet.gov",
        "mailto:",
        "mailto:xapi",
        "mailto:@adlnet.gov",
        "mailto:a b@example.com",
        "mailto:a@example.com,b@example.com",
        "",
        12345,
    ],
)
def test_mbox_must_be_a_mailto_iri_with_one_address(mbox: object) -> None:
    assert "'mailto:' IRI" in reject_actor({"mbox": mbox}, "statement.actor.mbox")


def test_mbox_scheme_is_case_insensitive() -> None:
    validate_statement(statement_with_actor({"mbox": "MAILTO:Someone@Example.COM"}))


@pytest.mark.parametrize(
    "sha1",
    [
        "cd9b00a5611f94eaa7b1661edab976068e36497",
        "zz9b00a5611f94eaa7b1661edab976068e364975",
        "mailto:xapi@adlnet.gov",
        12345,
        "",
    ],
)
def test_mbox_sha1sum_must_be_40_hex_characters(sha1: object) -> None:
    reject_actor({"mbox_sha1sum": sha1}, "statement.actor.mbox_sha1sum")


def test_mbox_sha1sum_accepts_uppercase_hex() -> None:
    validate_statement(
        statement_with_actor({"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"})
    )


@pytest.mark.parametrize("openid", ["open.id.com/testUser", "", 12345])
def test_openid_must_be_an_absolute_uri(openid: object) -> None:
    reject_actor({"openid": openid}, "statement.actor.openid")


# --- 2.4.2.4: account objects ---------------------------------------------------------


@pytest.mark.parametrize("missing", ["homePage", "name"])
def test_account_requires_home_page_and_name(missing: str) -> None:
    account = dict(IFIS["account"])
    del account[missing]
    message = reject_actor({"account": account}, f"statement.actor.account.{missing}")
    assert message.endswith("is required")


@pytest.mark.parametrize("home_page", ["homePage.com/testUser", "www.example.com", 12345, ""])
def test_account_home_page_must_be_an_irl(home_page: object) -> None:
    reject_actor(
        {"account": {"homePage": home_page, "name": "a"}}, "statement.actor.account.homePage"
    )


@pytest.mark.parametrize("name", [{"key": "should fail"}, 12345, None])
def test_account_name_must_be_a_string(name: object) -> None:
    reject_actor(
        {"account": {"homePage": "http://example.com", "name": name}},
        "statement.actor.account.name",
    )


def test_account_must_be_an_object_without_extra_properties() -> None:
    reject_actor({"account": "http://example.com|name"}, "statement.actor.account")
    reject_actor(
        {"account": {"homePage": "http://example.com", "name": "a", "id": 1}},
        "statement.actor.account.id",
    )


# --- 2.4.2.2: Groups ------------------------------------------------------------------


def test_anonymous_group_with_members_is_accepted() -> None:
    validate_statement(statement_with_actor({"objectType": "Group", "member": [MEMBER, AGENT]}))


def test_anonymous_group_with_an_empty_member_list_is_rejected() -> None:
    reject_actor({"objectType": "Group", "member": []}, "statement.actor.member")


def test_identified_group_may_have_an_empty_member_list() -> None:
    validate_statement(
        statement_with_actor({"objectType": "Group", "openid": IFIS["openid"], "member": []})
    )


def test_anonymous_group_without_member_is_rejected() -> None:
    message = reject_actor(
        {"objectType": "Group", "name": "Group Anonymous"}, "statement.actor.member"
    )
    assert "anonymous Group" in message


@pytest.mark.parametrize("ifi", IFIS)
def test_identified_group_with_any_single_ifi_is_accepted(ifi: str) -> None:
    validate_statement(statement_with_actor({"objectType": "Group", ifi: IFIS[ifi]}))
    validate_statement(
        statement_with_actor({"objectType": "Group", ifi: IFIS[ifi], "member": [MEMBER]})
    )


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(IFIS, 2)))
def test_identified_group_with_two_ifis_is_rejected(first: str, second: str) -> None:
    reject_actor(
        {"objectType": "Group", first: IFIS[first], second: IFIS[second], "member": [MEMBER]}
    )


@pytest.mark.parametrize("member", [MEMBER, "should fail", 12345])
def test_group_member_must_be_an_array(member: object) -> None:
    reject_actor({"objectType": "Group", "member": member}, "statement.actor.member")


def test_group_member_must_not_be_a_group() -> None:
    inner = {"objectType": "Group", "mbox": "mailto:inner@example.com"}
    message = reject_actor(
        {"objectType": "Group", "member": [MEMBER, inner]}, "statement.actor.member[1].objectType"
    )
    assert "not Groups" in message


def test_group_member_must_be_a_valid_agent() -> None:
    reject_actor(
        {"objectType": "Group", "member": [{"name": "no ifi"}]}, "statement.actor.member[0]"
    )
    reject_actor(
        {"objectType": "Group", "member": [{"mbox": "xapi@adlnet.gov"}]},
        "statement.actor.member[0].mbox",
    )


@pytest.mark.parametrize("name", [12345, {"key": "x"}])
def test_group_name_must_be_a_string(name: object) -> None:
    reject_actor({"objectType": "Group", "name": name, "member": [MEMBER]}, "statement.actor.name")


# --- the agent parameter (Communication 2.1.3, 2.3, 2.6) ------------------------------


@pytest.mark.parametrize(
    "agent",
    [
        {"mbox": "mailto:a@example.com"},
        {"objectType": "Agent", "account": IFIS["account"]},
        {"objectType": "Group", "openid": "http://openid.example.org/g"},
    ],
)
def test_agent_parameter_accepts_agents_and_identified_groups(agent: object) -> None:
    validate_agent(agent)
    validate_agent(agent, "agent")


@pytest.mark.parametrize(
    "agent",
    [
        True,
        "wrong",
        12345,
        None,
        [],
        {"objectType": "Agent", "name": "no account"},
        {"objectType": "Group", "member": [MEMBER]},
        {"objectType": "Person", "mbox": "mailto:a@b.c"},
    ],
)
def test_agent_parameter_rejects_anything_else(agent: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_agent(agent, "agent")
    assert caught.value.message.startswith("agent")


def test_agent_parameter_default_path_is_agent() -> None:
    with pytest.raises(InvalidInput, match=r"^agent\.mbox: "):
        validate_agent({"mbox": "nope"})


# --- 2.4.9: authority -----------------------------------------------------------------

OAUTH_CONSUMER = {
    "account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}
}


def statement_with_authority(authority: object) -> dict[str, Any]:
    return {**statement_with_actor(AGENT), "authority": authority}


def test_authority_agent_is_accepted() -> None:
    validate_statement(statement_with_authority(AGENT))


def test_authority_anonymous_group_of_two_agents_is_accepted() -> None:
    group = {"objectType": "Group", "member": [OAUTH_CONSUMER, {"mbox": "mailto:bob@example.com"}]}
    validate_statement(statement_with_authority(group))


@pytest.mark.parametrize("ifi", IFIS)
def test_authority_identified_group_is_rejected(ifi: str) -> None:
    group = {
        "objectType": "Group",
        ifi: IFIS[ifi],
        "member": [OAUTH_CONSUMER, {"mbox": "mailto:bob@example.com"}],
    }
    with pytest.raises(InvalidInput, match=r"^statement\.authority: .*anonymous"):
        validate_statement(statement_with_authority(group))


@pytest.mark.parametrize("count", [1, 3])
def test_authority_group_must_have_exactly_two_members(count: int) -> None:
    members = [{"mbox": f"mailto:m{i}@example.com"} for i in range(count)]
    group = {"objectType": "Group", "name": "Group Anonymous", "member": members}
    with pytest.raises(InvalidInput, match=r"^statement\.authority\.member: .*exactly two"):
        validate_statement(statement_with_authority(group))


def test_authority_group_without_members_is_rejected() -> None:
    with pytest.raises(InvalidInput, match=r"^statement\.authority\.member: must list the Agents"):
        validate_statement(statement_with_authority({"objectType": "Group", "name": "G"}))


def test_authority_object_type_must_be_agent_or_group() -> None:
    with pytest.raises(InvalidInput, match=r"^statement\.authority\.objectType: "):
        validate_statement(statement_with_authority({**AGENT, "objectType": "agent"}))


# --- the IFI index key ----------------------------------------------------------------


def test_agent_ifi_of_each_identifier() -> None:
    assert agent_ifi({"mbox": "mailto:xapi@adlnet.gov"}) == "mbox:mailto:xapi@adlnet.gov"
    assert agent_ifi({"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}) == (
        "mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975"
    )
    assert agent_ifi({"openid": "http://openid.example.org/12345"}) == (
        "openid:http://openid.example.org/12345"
    )
    assert agent_ifi({"objectType": "Group", "account": IFIS["account"]}) == (
        "account:http://www.example.com|xAPI account name"
    )


def test_agent_ifi_lowercases_scheme_and_domain_but_not_the_local_part() -> None:
    assert agent_ifi({"mbox": "MAILTO:Jane.Doe@Example.COM"}) == "mbox:mailto:Jane.Doe@example.com"


def test_agent_ifi_of_anonymous_group_is_none() -> None:
    assert agent_ifi({"objectType": "Group", "member": [MEMBER]}) is None


def test_agent_ifi_ignores_name_and_object_type() -> None:
    assert agent_ifi(AGENT) == agent_ifi({"mbox": "mailto:xapi@adlnet.gov", "name": "other"})


@given(st.emails())
def test_agent_ifi_is_the_same_whatever_the_domain_case(email: str) -> None:
    local, _, domain = email.rpartition("@")
    key = agent_ifi({"mbox": f"mailto:{local}@{domain.upper()}"})
    assert key == agent_ifi({"mbox": f"mailto:{local}@{domain.lower()}"})
    assert key is not None and key.startswith("mbox:mailto:")
