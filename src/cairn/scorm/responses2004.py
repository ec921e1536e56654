"""SCORM 2004 interaction responses: the format of each interaction type.

``cmi.interactions.n.learner_response`` and
``cmi.interactions.n.correct_responses.n.pattern`` are strings whose shape
depends on ``cmi.interactions.n.type`` (RTE 4.1.6.x, tables "learner
response" and "correct response pattern"): ``[,]`` separates records,
``[.]`` joins the halves of a matching pair or a performance step, ``[:]``
bounds a numeric range, and patterns may start with ``{case_matters=...}``
or ``{order_matters=...}``. Each function returns a problem sentence or
``None``; :mod:`cairn.scorm.cmi2004` calls them once the type is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cairn.scorm.datatypes import LANGUAGE_TAG, Problem, as_decimal

RECORDS = "[,]"
PAIR = "[.]"
RANGE = "[:]"
SHORT_IDENTIFIER_SPM = 250

# At most one correct response pattern is meaningful for these types (RTE
# 4.1.6.4: the correct_responses SPM for true-false, likert, numeric, other is 1).
SINGLE_PATTERN_TYPES = frozenset({"true-false", "likert", "numeric", "other"})

_DELIMITER = re.compile(r"\{(case_matters|order_matters|lang)=([^}]*)\}")
_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_IDENTIFIER = re.compile(r"\S+")


def _identifier_problem(value: str, what: str = "identifier") -> Problem:
    if not _IDENTIFIER.fullmatch(value) or len(value) > SHORT_IDENTIFIER_SPM:
        return f"{value!r} is not a valid {what} (no blanks, 1 to 250 characters)"
    return None


def _identifiers(value: str, *, unique: bool) -> Problem:
    items = value.split(RECORDS)
    for item in items:
        if (problem := _identifier_problem(item)) is not None:
            return problem
    if unique and len(set(items)) != len(items):
        return "lists the same identifier twice"
    return None


def _strip_delimiters(value: str, allowed: frozenset[str]) -> tuple[str, Problem]:
    """Remove leading ``{case_matters=true}``-style delimiters, checking each."""
    rest = value
    while (match := _DELIMITER.match(rest)) and match.group(1) in allowed:
        if match.group(2) not in ("true", "false"):
            return rest, f"{{{match.group(1)}=...}} must be true or false"
        rest = rest[match.end():]
    return rest, None


def _localized(value: str) -> Problem:
    match = _DELIMITER.match(value)
    if match and match.group(1) == "lang" and not LANGUAGE_TAG.fullmatch(match.group(2)):
        return f"{{lang={match.group(2)}}} is not a language tag"
    return None


def _fill_in(value: str) -> Problem:
    for record in value.split(RECORDS):
        if (problem := _localized(record)) is not None:
            return problem
    return None


def _pairs(value: str, check_target: Callable[[str], Problem], what: str) -> Problem:
    for record in value.split(RECORDS):
        left, sep, right = record.partition(PAIR)
        if not sep:
            return f"{record!r} is not a {what} (two parts joined by [.])"
        if left and (problem := _identifier_problem(left)) is not None:
            return problem
        if (problem := check_target(right)) is not None:
            return problem
    return None


def _matching_target(value: str) -> Problem:
    return _identifier_problem(value, "matching target")


def _any_answer(_value: str) -> Problem:
    return None


def _number(value: str) -> Problem:
    return None if _DECIMAL.fullmatch(value) else f"{value!r} is not a number"


def _numeric_range(value: str) -> Problem:
    low, sep, high = value.partition(RANGE)
    if not sep:
        return _number(value)
    for bound in (low, high):
        if bound and (problem := _number(bound)) is not None:
            return problem
    if low and high and as_decimal(low) > as_decimal(high):
        return f"the range {value!r} has its minimum above its maximum"
    return None


def _true_false(value: str) -> Problem:
    return None if value in ("true", "false") else f"{value!r} is not 'true' or 'false'"


LEARNER_RESPONSE: dict[str, Callable[[str], Problem]] = {
    "true-false": _true_false,
    "choice": lambda value: _identifiers(value, unique=True),
    "fill-in": _fill_in,
    "long-fill-in": _localized,
    "likert": _identifier_problem,
    "matching": lambda value: _pairs(value, _matching_target, "matching pair"),
    "performance": lambda value: _pairs(value, _any_answer, "performance step"),
    "sequencing": lambda value: _identifiers(value, unique=False),
    "numeric": _number,
    "other": _any_answer,
}

PATTERN_DELIMITERS: dict[str, frozenset[str]] = {
    "fill-in": frozenset({"case_matters", "order_matters"}),
    "long-fill-in": frozenset({"case_matters"}),
    "performance": frozenset({"order_matters"}),
}


def learner_response_problem(interaction_type: str, value: str) -> Problem:
    check = LEARNER_RESPONSE.get(interaction_type)
    return None if check is None else check(value)


def pattern_problem(interaction_type: str, value: str) -> Problem:
    """A correct response pattern: like a response, after its optional delimiters."""
    rest, problem = _strip_delimiters(value, PATTERN_DELIMITERS.get(interaction_type,
                                                                     frozenset()))
    if problem is not None:
        return problem
    if interaction_type == "numeric":
        return _numeric_range(rest)
    if interaction_type == "choice" and rest == "":
        return None  # "no choice is correct" is a valid pattern
    return learner_response_problem(interaction_type, rest)
