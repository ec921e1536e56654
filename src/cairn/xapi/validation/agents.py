"""Agents and Groups (Data 2.4.2), wherever a statement names a person or team.

The same object shape appears as actor, object, instructor, team, authority
and as the ``agent`` parameter of the query and document resources, each with
a slightly different rule about Groups; the rules live here once and the
callers pick the variant they need. :func:`agent_ifi` turns the identifier
into the string the LRS indexes, so matching agents is a string comparison.
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
    validate_iri,
    validate_irl,
    validate_mbox,
    validate_sha1_hex,
    validate_string,
)

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
_IFI_LIST = "mbox, mbox_sha1sum, openid or account"

_ACCOUNT: dict[str, Checker] = {"homePage": validate_irl, "name": validate_string}


def _validate_account(value: object, path: str) -> None:
    account = expect_object(value, path)
    check_properties(account, path, _ACCOUNT)
    require(account, path, ("homePage", "name"))


def _validate_openid(value: object, path: str) -> None:
    validate_iri(value, path)


def _validate_members(value: object, path: str) -> None:
    members = expect_array(value, path)
    for index, member in enumerate(members):
        member_path = f"{path}[{index}]"
        if isinstance(member, dict) and member.get("objectType") == "Group":
            fail(f"{member_path}.objectType", "Group members must be Agents, not Groups")
        validate_plain_agent(member, member_path)


_IFI_CHECKERS: dict[str, Checker] = {
    "mbox": validate_mbox,
    "mbox_sha1sum": validate_sha1_hex,
    "openid": _validate_openid,
    "account": _validate_account,
}
_AGENT: dict[str, Checker] = {
    "objectType": constant("Agent"),
    "name": validate_string,
    **_IFI_CHECKERS,
}
_GROUP: dict[str, Checker] = {
    "objectType": constant("Group"),
    "name": validate_string,
    "member": _validate_members,
    **_IFI_CHECKERS,
}


def count_ifis(obj: dict[str, Any]) -> int:
    return sum(1 for key in IFI_KEYS if key in obj)


def validate_plain_agent(value: object, path: str) -> None:
    """An Agent: exactly one inverse functional identifier (Data 2.4.2.1)."""
    agent = expect_object(value, path)
    check_properties(agent, path, _AGENT)
    found = count_ifis(agent)
    if found == 0:
        fail(path, f"an Agent must have an inverse functional identifier ({_IFI_LIST})")
    if found > 1:
        fail(path, f"an Agent must have exactly one of {_IFI_LIST}, not {found}")


def validate_group(value: object, path: str) -> None:
    """A Group: anonymous with members, or identified by exactly one IFI (2.4.2.2)."""
    group = expect_object(value, path)
    check_properties(group, path, _GROUP)
    require(group, path, ("objectType",))
    found = count_ifis(group)
    if found > 1:
        fail(path, f"an identified Group must have exactly one of {_IFI_LIST}, not {found}")
    if found == 0 and not group.get("member"):
        fail(f"{path}.member", "must list the Agents of an anonymous Group (one without an IFI)")


def validate_actor(value: object, path: str) -> None:
    """An Agent or a Group, told apart by ``objectType`` (absent means Agent)."""
    obj = expect_object(value, path)
    kind = obj.get("objectType", "Agent")
    if kind == "Agent":
        validate_plain_agent(obj, path)
    elif kind == "Group":
        validate_group(obj, path)
    else:
        fail(f"{path}.objectType", "must be 'Agent' or 'Group'")


def validate_agent(value: object, path: str = "agent") -> None:
    """An Agent or an identified Group, as the ``agent`` parameter must be.

    An anonymous Group has no identifier to match statements or address
    documents by, so it is refused here even though statements may carry one.
    """
    obj = expect_object(value, path)
    validate_actor(obj, path)
    if obj.get("objectType") == "Group" and count_ifis(obj) == 0:
        fail(path, f"must be an Agent or an identified Group (with {_IFI_LIST})")


def validate_team(value: object, path: str) -> None:
    """``context.team`` must be a Group (Data 2.4.6.s3)."""
    obj = expect_object(value, path)
    if obj.get("objectType") != "Group":
        fail(f"{path}.objectType", "must be 'Group': a team is a Group")
    validate_group(obj, path)


def validate_authority(value: object, path: str) -> None:
    """An Agent, or for 3-legged OAuth an anonymous Group of two Agents (Data 2.4.9.s3)."""
    authority = expect_object(value, path)
    validate_actor(authority, path)
    if authority.get("objectType") != "Group":
        return
    if count_ifis(authority) != 0:
        fail(path, "a Group authority must be anonymous: an OAuth application and a user")
    if len(authority["member"]) != 2:
        fail(f"{path}.member", "a Group authority must have exactly two Agents")


def agent_ifi(agent: dict[str, Any]) -> str | None:
    """Canonical key of an Agent's or Group's identifier; None for an anonymous Group.

    E-mail domains and the ``mailto:`` scheme are case-insensitive, and so is
    a hex digest; they are lowercased so the same person always gets the same key.
    """
    mbox = agent.get("mbox")
    if isinstance(mbox, str):
        return f"mbox:{canonical_mbox(mbox)}"
    sha1 = agent.get("mbox_sha1sum")
    if isinstance(sha1, str):
        return f"mbox_sha1sum:{sha1.lower()}"
    openid = agent.get("openid")
    if isinstance(openid, str):
        return f"openid:{openid}"
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')}|{account.get('name')}"
    return None


def canonical_mbox(mbox: str) -> str:
    """``mailto:`` in lowercase and the e-mail domain in lowercase: both are case-insensitive."""
    address = mbox[len("mailto:") :] if mbox[:7].lower() == "mailto:" else mbox
    local, at, domain = address.rpartition("@")
    if not at:
        return f"mailto:{address}"
    return f"mailto:{local}@{domain.lower()}"
