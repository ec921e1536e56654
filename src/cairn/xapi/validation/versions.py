"""Which statement rules apply to a request, by its xAPI version (one table, no if-chains).

A request speaks the version of its X-Experience-API-Version header; the
statement rules follow the "major.minor" of that version, since patch
releases never change the data model. What xAPI 2.0 (IEEE 9274.1.1) changes
for statements:

- ``context.contextAgents`` and ``context.contextGroups`` (4.2.2.5), also in
  SubStatements, which share the statement tables;
- timestamps (``timestamp``, ``stored``) must be RFC 3339 date-times with
  seconds and a time zone (4.2.7); 1.0.3 takes any ISO 8601 date and time;
- the statement ``version`` property may be 1.0.x or 2.0.x: a 2.0 LRS still
  accepts statements that say they were written for 1.0 (the ADL suite posts
  "1.0" and "1.0.9" with a 2.0.0 header and expects them stored).

Everything else (agents, activities, results, scores, durations, attachments,
language maps, extensions) is the same in both versions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from cairn.xapi.validation.context_agents import CONTEXT_2_0_ADDITIONS
from cairn.xapi.validation.primitives import Checker, validate_rfc3339_timestamp
from cairn.xapi.validation.statement import (
    CONTEXT_1_0,
    RULES_1_0,
    Rules,
    build_statement_table,
)

RULES_2_0 = Rules(
    versions=re.compile(r"[12]\.0(?:\.\d+)?", re.ASCII),
    version_problem="must be '1.0', '1.0.x', '2.0' or '2.0.x' (this request speaks xAPI 2.0.x)",
    timestamp=validate_rfc3339_timestamp,
    context={**CONTEXT_1_0, **CONTEXT_2_0_ADDITIONS},
)

_RULES: Mapping[str, Rules] = MappingProxyType({"1.0": RULES_1_0, "2.0": RULES_2_0})
_TABLES: Mapping[str, Mapping[str, Checker]] = MappingProxyType(
    {line: build_statement_table(rules) for line, rules in _RULES.items()}
)
_VERSION = re.compile(r"(\d+\.\d+)(?:\.\d+)?", re.ASCII)
SUPPORTED_LINES = tuple(_RULES)
"""The "major.minor" version lines whose statement rules are implemented."""


def _line(version: str) -> str:
    match = _VERSION.fullmatch(version)
    if match is None or match.group(1) not in _RULES:
        raise ValueError(
            f"unsupported xAPI version {version!r}: statement rules exist for "
            + ", ".join(f"{known}.x" for known in SUPPORTED_LINES)
        )
    return match.group(1)


def validation_rules_for(version: str) -> Rules:
    """The statement rules of the xAPI ``version`` a request speaks (e.g. "1.0.3", "2.0.0").

    Raises ValueError for a version without rules: the caller must have
    refused such a request (400) before validating anything.
    """
    return _RULES[_line(version)]


def statement_table_for(version: str) -> Mapping[str, Checker]:
    """The prebuilt statement property table for ``version`` (see validation_rules_for)."""
    return _TABLES[_line(version)]
