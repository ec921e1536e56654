"""Validation of xAPI statements and values: 1.0.3 (Part Two, "Experience API Data")
and 2.0 (IEEE 9274.1.1-2023, section 4.2), chosen by the request's version.

The LRS must refuse anything the spec does not allow (Data 2.2.s4), so this
package is strict: unknown properties, wrong types, wrong case and malformed
formats all raise :class:`~cairn.errors.InvalidInput` naming the JSON path of
the offending value. The checks are hand-written tables of property ->
checker with precompiled patterns, because they run on every statement.
"""

from __future__ import annotations

from cairn.xapi.validation.agents import agent_ifi, validate_agent
from cairn.xapi.validation.normalize import normalize_statement
from cairn.xapi.validation.primitives import (
    parse_rfc3339_timestamp,
    parse_timestamp,
    validate_iri,
    validate_language_map,
    validate_timestamp,
    validate_uuid,
)
from cairn.xapi.validation.statement import Rules, validate_statement_at
from cairn.xapi.validation.versions import (
    SUPPORTED_LINES,
    statement_table_for,
    validation_rules_for,
)

__all__ = [
    "SUPPORTED_LINES",
    "Rules",
    "agent_ifi",
    "normalize_statement",
    "parse_rfc3339_timestamp",
    "parse_timestamp",
    "validate_agent",
    "validate_iri",
    "validate_language_map",
    "validate_statement",
    "validate_timestamp",
    "validate_uuid",
    "validation_rules_for",
]


def validate_statement(statement: object, *, version: str = "1.0.3") -> None:
    """Raise InvalidInput for any breach of the xAPI Data rules by a statement sent to an LRS.

    ``version`` is the xAPI version the request speaks (its negotiated
    X-Experience-API-Version): 1.0.x gets the 1.0.3 rules and 2.0.x the
    9274.1.1 ones (see :mod:`cairn.xapi.validation.versions`). Any other
    version raises ValueError: a programming error in the caller, which must
    have refused the request already.
    """
    validate_statement_at(statement, "statement", statement_table_for(version))
