"""Sorting and keyset cursors, run against a real SQLite table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, create_engine, select

from cairn.errors import InvalidInput
from cairn.reporting.paging import SortKey, check_limit, parse_sort

METADATA = MetaData()
ROWS = Table("rows", METADATA, Column("id", Integer, primary_key=True),
             Column("team", String(10), nullable=False), Column("score", Integer, nullable=False))
KEYS = {"id": SortKey("id", ROWS.c.id), "team": SortKey("team", ROWS.c.team),
        "score": SortKey("score", ROWS.c.score)}


@pytest.fixture
def conn(tmp_path: object) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{tmp_path}/paging.db")
    METADATA.create_all(engine)
    with engine.begin() as connection:
        connection.execute(ROWS.insert(), [
            {"id": index, "team": "abc"[index % 3], "score": index % 4} for index in range(1, 41)])
        yield connection
    engine.dispose()


def _walk(conn: Connection, sort_text: str, page: int) -> list[int]:
    sort = parse_sort(sort_text, KEYS, "id", KEYS["id"])
    seen: list[int] = []
    cursor: str | None = None
    while True:
        query = select(ROWS, *sort.columns()).order_by(*sort.order_by()).limit(page)
        if cursor is not None:
            query = query.where(sort.after(sort.read_cursor(cursor)))
        rows = list(conn.execute(query).mappings())
        seen.extend(row["id"] for row in rows)
        if len(rows) < page:
            return seen
        cursor = sort.cursor_for(rows[-1])


@pytest.mark.parametrize("sort_text", ["id", "-id", "team", "-team,score", "score,-team",
                                       "-score"])
def test_pages_follow_the_full_order_without_skips_or_repeats(conn: Connection,
                                                              sort_text: str) -> None:
    sort = parse_sort(sort_text, KEYS, "id", KEYS["id"])
    expected = [row.id for row in conn.execute(select(ROWS.c.id).order_by(*sort.order_by()))]
    assert _walk(conn, sort_text, 7) == expected
    assert len(set(expected)) == 40


def test_a_row_added_between_pages_neither_shifts_nor_repeats(conn: Connection) -> None:
    sort = parse_sort("score", KEYS, "id", KEYS["id"])
    first = list(conn.execute(select(ROWS, *sort.columns()).order_by(*sort.order_by())
                              .limit(10)).mappings())
    conn.execute(ROWS.insert().values(id=0, team="a", score=0))
    after = sort.read_cursor(sort.cursor_for(first[-1]))
    second = list(conn.execute(select(ROWS).where(sort.after(after))
                               .order_by(*sort.order_by()).limit(10)).mappings())
    assert not {row["id"] for row in first} & {row["id"] for row in second}
    assert 0 not in {row["id"] for row in second}


def test_unknown_or_repeated_sort_names_are_refused() -> None:
    with pytest.raises(InvalidInput, match="'colour' is not a sortable column; choose from"):
        parse_sort("colour", KEYS, "id", KEYS["id"])
    with pytest.raises(InvalidInput, match="named twice"):
        parse_sort("team,-team", KEYS, "id", KEYS["id"])


def test_cursor_for_another_sort_or_tampered_is_refused() -> None:
    by_team = parse_sort("team", KEYS, "id", KEYS["id"])
    cursor = by_team.cursor_for({"sort_team": "a", "sort_id": 3})
    with pytest.raises(InvalidInput, match="another sort order"):
        parse_sort("score", KEYS, "id", KEYS["id"]).read_cursor(cursor)
    for bad in ("not-a-cursor!", "eyJ4IjoxfQ", cursor[:-3]):
        with pytest.raises(InvalidInput, match="cursor"):
            by_team.read_cursor(bad)


def test_limit_bounds() -> None:
    assert check_limit(1) == 1
    assert check_limit(1000) == 1000
    for bad in (0, 1001, -5):
        with pytest.raises(InvalidInput, match="limit"):
            check_limit(bad)
