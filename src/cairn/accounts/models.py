"""Who may call Cairn: roles for people and tokens, xAPI scopes for LRS clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    """A person's (or a REST token's) role; each later feature checks one of these."""

    ADMIN = "admin"
    MANAGER = "manager"
    AUTHOR = "author"
    AUDITOR = "auditor"
    LEARNER = "learner"


class Scope(StrEnum):
    """xAPI 1.0.3 Communication 4.1 (OAuth scope values), used for LRS credentials."""

    STATEMENTS_WRITE = "statements/write"
    STATEMENTS_READ = "statements/read"
    STATEMENTS_READ_MINE = "statements/read/mine"
    STATE = "state"
    DEFINE = "define"
    PROFILE = "profile"
    ALL_READ = "all/read"
    ALL = "all"


# What each scope implies, so a check asks one question: "is X granted?"
SCOPE_IMPLIES: dict[Scope, frozenset[Scope]] = {
    Scope.ALL: frozenset(Scope),
    Scope.ALL_READ: frozenset({Scope.ALL_READ, Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE}),
    Scope.STATEMENTS_READ: frozenset({Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE}),
}


def expand_scopes(scopes: frozenset[Scope]) -> frozenset[Scope]:
    granted: set[Scope] = set()
    for scope in scopes:
        granted |= SCOPE_IMPLIES.get(scope, frozenset({scope}))
    return frozenset(granted)


def parse_scopes(text: str) -> frozenset[Scope]:
    """Parse a comma/space separated list, refusing unknown names with a clear message."""
    names = [part for part in text.replace(",", " ").split() if part]
    known = {scope.value for scope in Scope}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ValueError(
            f"unknown scope(s) {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(sorted(known))}"
        )
    return frozenset(Scope(name) for name in names)


PrincipalKind = Literal["user", "token", "credential"]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    kind: PrincipalKind
    id: int
    name: str
    role: Role | None = None
    scopes: frozenset[Scope] = field(default_factory=frozenset)

    def has_scope(self, scope: Scope) -> bool:
        return scope in expand_scopes(self.scopes)
