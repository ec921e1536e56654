"""Answering a report as JSON or as CSV, the CSV streamed.

BI tools and spreadsheets pull whole tables, so CSV is written while the
database cursor is read, a few hundred rows at a time: memory stays flat
whether the answer has ten rows or ten million. Every text cell is guarded
against formula injection, because a learner's name or answer ends up in
someone's spreadsheet, and ``=HYPERLINK(...)`` there must stay text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any

from fastapi import Request
from sqlalchemy import Connection
from starlette.responses import StreamingResponse

from cairn.db.engine import Database
from cairn.errors import InvalidInput

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
FORMATS = ("json", "csv")
# Characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})
ROWS_PER_CHUNK = 500
DB_ROWS_PER_FETCH = 2000

RowProducer = Callable[[Connection], Iterable[Sequence[Any]]]


def wants_csv(request: Request, format_param: str | None) -> bool:
    """``format=csv|json`` decides; without it, an Accept naming text/csv does."""
    if format_param is not None:
        if format_param not in FORMATS:
            raise InvalidInput(f"format: {format_param!r} is not one of json, csv")
        return format_param == "csv"
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip() == "text/csv" for part in accept.split(","))


def safe_cells(row: Iterable[Any]) -> list[Any]:
    """A row's cells: text that could run as a formula gets a leading apostrophe,
    booleans become ``true``/``false``; None stays None (the csv module writes "").

    One comprehension rather than a call per cell: it runs for every cell of
    every exported row.
    """
    return ["'" + value if value.__class__ is str and value[:1] in FORMULA_STARTS
            else ("true" if value else "false") if value.__class__ is bool
            else value for value in row]


def csv_cell(value: Any) -> Any:
    """One value as the CSV cell it becomes."""
    return "" if value is None else safe_cells((value,))[0]


def text_cell(value: Any) -> str:
    """A value as the text its CSV cell shows (for rows of text, see :func:`csv_lines`):
    "" for None, true/false for booleans, numbers as the csv module writes them."""
    if value is None:
        return ""
    if value.__class__ is bool:
        return "true" if value else "false"
    return str(value)


Cells = Callable[[Sequence[Any]], Sequence[Any]]


def text_cells(header: Sequence[str], text_columns: Collection[str]) -> Cells:
    """A faster :func:`safe_cells` for rows whose only text is in ``text_columns``
    (the rest numbers or None, no booleans): only those cells are looked at."""
    positions = [index for index, name in enumerate(header) if name in text_columns]

    def cells(row: Sequence[Any]) -> list[Any]:
        out = list(row)
        for index in positions:
            value = out[index]
            if value and value[0] in FORMULA_STARTS:
                out[index] = "'" + value
        return out

    return cells


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]],
              cells: Cells = safe_cells, *, text_rows: bool = False) -> Iterator[bytes]:
    """The header and the rows as UTF-8 CSV chunks (RFC 4180 quoting, CRLF line ends).

    ``text_rows``: every cell is a str (a missing value is ""), as the statement
    export's rows are. Such a row joined with commas already *is* its CSV line
    unless a cell holds a comma, a quote or a line break, or starts like a
    formula; the join and a few substring scans (all in C) decide that, and
    only the rows that fail go through ``cells`` and the csv module. The
    output is byte for byte what the csv module alone would write.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_cells(header))
    separators = len(header) - 1
    pending = 0
    for row in rows:
        line = _joined(row) if text_rows and separators else None
        if (line is not None and line.count(",") == separators and '"' not in line
                and "\n" not in line and "\r" not in line and line[:1] not in FORMULA_STARTS
                and ",=" not in line and ",+" not in line and ",-" not in line
                and ",@" not in line and ",\t" not in line):
            buffer.write(line)
            buffer.write("\r\n")
        else:
            writer.writerow(cells(row))
        pending += 1
        if pending == ROWS_PER_CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


def _joined(row: Sequence[Any]) -> str | None:
    """The cells joined with commas; None when one is not text after all (the csv module
    then writes the row)."""
    try:
        return ",".join(row)
    except TypeError:
        return None


def csv_stream(db: Database, filename: str, header: Sequence[str],
               produce: RowProducer, cells: Cells = safe_cells, *,
               text_rows: bool = False) -> StreamingResponse:
    """A streamed CSV answer whose rows ``produce`` reads in its own read transaction.

    The connection lives exactly as long as the stream: it opens when the
    first chunk is asked for and closes when the last is sent or the client
    goes away (the generator is closed, which ends the ``with`` block).
    """

    def chunks() -> Iterator[bytes]:
        with db.reading() as conn:
            streaming = conn.execution_options(yield_per=DB_ROWS_PER_FETCH)
            yield from csv_lines(header, produce(streaming), cells, text_rows=text_rows)

    return StreamingResponse(chunks(), media_type=CSV_MEDIA_TYPE,
                             headers=_attachment(filename))


# For a route's ``responses=``: the OpenAPI schema then lists CSV beside JSON.
CSV_OPENAPI: dict[int | str, dict[str, Any]] = {
    200: {"description": "JSON by default; CSV with `format=csv` or `Accept: text/csv` "
                         "(streamed, header row, ISO 8601 times, formula-safe cells)",
          "content": {"text/csv": {"schema": {"type": "string"}}}}}


def csv_response(filename: str, header: Sequence[str],
                 rows: Iterable[Sequence[Any]]) -> StreamingResponse:
    """A CSV answer of rows already read (short lists such as one learner's courses)."""
    return StreamingResponse(csv_lines(header, rows), media_type=CSV_MEDIA_TYPE,
                             headers=_attachment(filename))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
