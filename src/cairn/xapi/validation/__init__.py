"""Validation of xAPI 1.0.3 statements and values (Part Two, "Experience API Data").

The LRS must refuse anything the spec does not allow (Data 2.2.s4), so this
package is strict: unknown properties, wrong types, wrong case and malformed
formats all raise :class:`~cairn.errors.InvalidInput` naming the JSON path of
the offending value. The checks are hand-written tables of property ->
checker with precompiled patterns, because they run on every statement.
"""

from __future__ import annotations

import re

from cairn.xapi.validation.agents import agent_ifi, validate_agent
from cairn.xapi.validation.normalize import normalize_statement
from cairn.xapi.validation.primitives import (
    parse_timestamp,
    validate_iri,
    validate_language_map,
    validate_timestamp,
    validate_uuid,
)
from cairn.xapi.validation.statement import validate_statement_at

__all__ = [
    "agent_ifi",
    "normalize_statement",
    "parse_timestamp",
    "validate_agent",
    "validate_iri",
    "validate_language_map",
    "validate_statement",
    "validate_timestamp",
    "validate_uuid",
]

_SUPPORTED_VERSION = re.compile(r"1\.0(?:\.\d+)?", re.ASCII)


def validate_statement(statement: object, *, version: str = "1.0.3") -> None:
    """Raise InvalidInput for any breach of the xAPI 1.0.3 Data rules by a statement sent to an LRS.

    ``version`` is the xAPI version the request speaks (its
    X-Experience-API-Version header); only 1.0.x is implemented, and all 1.0.x
    versions share one statement data model. Anything else is a programming
    error in the caller, which must have refused the request already.
    """
    if not _SUPPORTED_VERSION.fullmatch(version):
        raise ValueError(f"unsupported xAPI version {version!r}: only 1.0.x is implemented")
    validate_statement_at(statement, "statement")
