"""xAPI scopes (Communication 4.1): parsing and what each implies."""

from __future__ import annotations

import pytest

from cairn.accounts.models import Principal, Scope, expand_scopes, parse_scopes


def test_all_implies_every_scope() -> None:
    assert expand_scopes(frozenset({Scope.ALL})) == frozenset(Scope)


def test_all_read_implies_reading_statements_but_not_writing() -> None:
    granted = expand_scopes(frozenset({Scope.ALL_READ}))
    assert Scope.STATEMENTS_READ in granted
    assert Scope.STATEMENTS_WRITE not in granted
    assert Scope.STATE not in granted


def test_statements_read_implies_read_mine() -> None:
    principal = Principal(kind="credential", id=1, name="x",
                          scopes=frozenset({Scope.STATEMENTS_READ}))
    assert principal.has_scope(Scope.STATEMENTS_READ_MINE)
    assert not principal.has_scope(Scope.STATEMENTS_WRITE)


def test_parse_accepts_commas_and_spaces() -> None:
    assert parse_scopes("statements/write, state profile") == {
        Scope.STATEMENTS_WRITE, Scope.STATE, Scope.PROFILE}


@pytest.mark.parametrize("text", ["", "statements/delete", "all nonsense"])
def test_parse_names_unknown_scopes(text: str) -> None:
    with pytest.raises(ValueError, match="unknown scope"):
        parse_scopes(text)
