"""The ids a request may name, bounded by the width of the columns that hold them.

Catalog, account and webhook tables number their rows with 32-bit integers,
sessions, attempts, deliveries and the journal with 64-bit ones. A larger
number in a URL, a query or a body can name no row, and passed on to the
database it is a driver error (PostgreSQL: "integer out of range"; SQLite:
"Python int too large"), i.e. a 500. These types refuse it up front with a
400 that names the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

ID32_MAX = 2**31 - 1
ID64_MAX = 2**63 - 1

# In a path: /learners/{learner_id}
Id32 = Annotated[int, Path(ge=1, le=ID32_MAX)]
Id64 = Annotated[int, Path(ge=1, le=ID64_MAX)]

# In a JSON body.
Id32Field = Annotated[int, Field(ge=1, le=ID32_MAX)]


def id32_query(description: str | None = None) -> object:
    """A query parameter holding a 32-bit id (``Annotated[int | None, id32_query()]``)."""
    return Query(ge=1, le=ID32_MAX, description=description)


def id64_query(description: str | None = None) -> object:
    """A query parameter holding a 64-bit id."""
    return Query(ge=1, le=ID64_MAX, description=description)
