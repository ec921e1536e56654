"""Sorting by any listed column and cursor pagination that stays stable.

A cursor carries the sort and the last row's sort values, and the next page
is "rows after these values" (keyset pagination), so pages neither skip nor
repeat rows when new sessions arrive between requests, and page 1,000 costs
what page 1 costs. The primary key is always the last sort key, so every
position is unique. Sort expressions must never be NULL (wrap nullable
columns in ``coalesce``): NULL compares as unknown and would break the keyset.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, and_, or_

from cairn.errors import InvalidInput

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class SortKey:
    """A column a list may be sorted by, under its public name."""

    name: str
    expression: ColumnElement[Any]


@dataclass(frozen=True)
class Ordering:
    key: SortKey
    descending: bool


@dataclass(frozen=True)
class Sort:
    """The parsed ``sort`` parameter plus the id tie-breaker."""

    text: str
    orderings: tuple[Ordering, ...]

    def columns(self) -> list[ColumnElement[Any]]:
        """The sort expressions, labelled, to select beside a row so its cursor can be made."""
        return [ordering.key.expression.label(_label(ordering.key))
                for ordering in self.orderings]

    def order_by(self) -> list[ColumnElement[Any]]:
        return [ordering.key.expression.desc() if ordering.descending
                else ordering.key.expression.asc() for ordering in self.orderings]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after the row whose sort values are ``values``."""
        alternatives = []
        for index, ordering in enumerate(self.orderings):
            expression = ordering.key.expression
            beyond = expression < values[index] if ordering.descending \
                else expression > values[index]
            equal_before = [self.orderings[j].key.expression == values[j] for j in range(index)]
            alternatives.append(and_(*equal_before, beyond))
        return or_(*alternatives)

    def cursor_for(self, row: Mapping[str, Any] | RowMapping) -> str:
        """The cursor of the page after ``row``, selected with :meth:`columns`."""
        values = [row[_label(ordering.key)] for ordering in self.orderings]
        raw = json.dumps({"sort": self.text, "after": values}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def read_cursor(self, cursor: str) -> list[Any]:
        """The sort values in ``cursor``; refuses a cursor made for another sort."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()))
            values = data["after"]
            sort_text = data["sort"]
        except (ValueError, binascii.Error, KeyError, TypeError) as exc:
            raise InvalidInput("cursor: not a cursor this server gave out") from exc
        if sort_text != self.text:
            raise InvalidInput("cursor: it was made for another sort order; "
                               f"repeat the request with sort={sort_text}")
        if (not isinstance(values, list) or len(values) != len(self.orderings)
                or not all(isinstance(value, (int, float, str)) for value in values)):
            raise InvalidInput("cursor: not a cursor this server gave out")
        return values


def _label(key: SortKey) -> str:
    return f"sort_{key.name}"


def parse_sort(text: str | None, allowed: Mapping[str, SortKey], default: str,
               tie_breaker: SortKey) -> Sort:
    """``sort=-started_at,learner_id``: comma-separated names, ``-`` for descending."""
    chosen = (text or default).strip()
    orderings: list[Ordering] = []
    for part in chosen.split(","):
        name = part.strip()
        descending = name.startswith("-")
        name = name.lstrip("-+")
        if name not in allowed:
            raise InvalidInput(f"sort: {name!r} is not a sortable column; choose from "
                               f"{', '.join(sorted(allowed))}")
        if any(ordering.key.name == name for ordering in orderings):
            raise InvalidInput(f"sort: {name!r} is named twice")
        orderings.append(Ordering(allowed[name], descending))
    if not any(ordering.key.name == tie_breaker.name for ordering in orderings):
        orderings.append(Ordering(tie_breaker, orderings[-1].descending))
    return Sort(text=chosen, orderings=tuple(orderings))


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: must be between 1 and {MAX_LIMIT}")
    return limit
