"""CSV cells and the JSON-or-CSV decision."""

from __future__ import annotations

import csv
import io
import random

import pytest
from starlette.requests import Request

from cairn.errors import InvalidInput
from cairn.reporting.tabular import ROWS_PER_CHUNK, csv_cell, csv_lines, wants_csv


def _request(accept: str | None) -> Request:
    headers = [] if accept is None else [(b"accept", accept.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers,
                    "query_string": b""})


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+1", "-2+3", "@cmd", "\tx", "\rx",
                                  "=cmd|' /C calc'!A0"])
def test_text_that_a_spreadsheet_would_run_is_kept_as_text(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "cell"), [
    (None, ""), (True, "true"), (False, "false"), (3, 3), (-2.5, -2.5), ("plain", "plain"),
    ("a=b", "a=b"), ("", "")])
def test_other_values_pass_through(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_lines_parse_back_with_header_quotes_and_newlines() -> None:
    rows = [(1, 'say "hi", then go', None), (2, "two\nlines", True), (3, "=1+1", 0.5)]
    text = b"".join(csv_lines(("id", "text", "extra"), rows)).decode()
    assert text.startswith("id,text,extra\r\n")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [["id", "text", "extra"], ["1", 'say "hi", then go', ""],
                      ["2", "two\nlines", "true"], ["3", "'=1+1", "0.5"]]


def test_lines_come_in_bounded_chunks() -> None:
    rows = ((index, "x" * 10) for index in range(ROWS_PER_CHUNK * 3 + 7))
    chunks = list(csv_lines(("id", "text"), rows))
    assert len(chunks) == 4
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == ROWS_PER_CHUNK * 3 + 7 + 1


@pytest.mark.parametrize(("fmt", "accept", "expected"), [
    (None, None, False), (None, "text/csv", True), (None, "application/json", False),
    (None, "application/json, text/csv;q=0.9", True), ("json", "text/csv", False),
    ("csv", None, True)])
def test_format_parameter_wins_over_accept(fmt: str | None, accept: str | None,
                                           expected: bool) -> None:
    assert wants_csv(_request(accept), fmt) is expected


def test_unknown_format_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="format: 'xlsx'"):
        wants_csv(_request(None), "xlsx")


def _csv_module_only(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> bytes:
    """What the csv module writes for the rows, each through safe_cells."""
    return b"".join(csv_lines(header, rows))


@pytest.mark.parametrize("seed", range(5))
def test_text_rows_are_written_exactly_as_the_csv_module_writes_them(seed: int) -> None:
    chance = random.Random(seed)
    pieces = ["plain", "", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "=1+1", "+1", "-2",
              "@x", "\tx", "x=1", "mid-dash", "ünï", "  spaced ", "0.5", ",", '"']
    header = ("a", "b", "c", "d")
    rows = [tuple(chance.choice(pieces) for _ in header) for _ in range(400)]
    rows += [("plain", "text", "with", 3), ("plain", None, "x", "y")]  # not all text
    assert b"".join(csv_lines(header, rows, text_rows=True)) == _csv_module_only(header, rows)


def test_text_rows_of_one_column_keep_the_csv_modules_empty_cell() -> None:
    rows = [("",), ("x",), ("=y",)]
    assert (b"".join(csv_lines(("only",), rows, text_rows=True))
            == _csv_module_only(("only",), rows))
