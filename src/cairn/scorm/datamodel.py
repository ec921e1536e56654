"""What both SCORM data models share: element tables, commit flattening, validation.

A data model is a table of elements (``cmi.core.lesson_status``,
``cmi.interactions.n.id`` ...) with an access mode and a value type, plus a
few rules that look across elements (an interaction needs an id before its
other fields mean anything). :meth:`DataModel.check` validates one commit
against that table and returns the learner's new CMI snapshot, or raises
:class:`InvalidCmi` listing every element that is wrong. Nothing is stored
by a caller until the whole commit passed, so a bad commit writes nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cairn.errors import InvalidInput
from cairn.scorm.datatypes import ValueType
from cairn.scorm.time import ScormVersion

Snapshot = dict[str, str]
"""A learner's CMI data: element name (``cmi.interactions.0.id``) -> value."""

_INDEX = re.compile(r"\.\d+(?=\.|$)")
_TARGET = re.compile(r"\.\{target=[^}]*\}$")


class Access(StrEnum):
    READ_ONLY = "read-only"
    WRITE_ONLY = "write-only"
    READ_WRITE = "read-write"


@dataclass(frozen=True)
class Element:
    """One row of an element table; ``name`` writes array indices as ``n``.

    ``value_type`` is ``None`` for the keywords the LMS computes itself
    (``_children``, ``_count``, ``_version``). ``spm`` is the smallest
    permitted maximum of the specification: a length the LMS must store at
    least, kept here for the docs and the player.
    """

    name: str
    access: Access
    value_type: ValueType | None
    spm: int | None = None

    @property
    def readable(self) -> bool:
        return self.access is not Access.WRITE_ONLY

    @property
    def writable(self) -> bool:
        return self.access is not Access.READ_ONLY

    @property
    def is_keyword(self) -> bool:
        return self.value_type is None


@dataclass(frozen=True)
class Violation:
    element: str
    problem: str

    def describe(self) -> str:
        return f"{self.element}: {self.problem}"


class InvalidCmi(InvalidInput):
    """A commit that breaks the data model; ``details`` lists each element and problem."""

    code = "invalid_cmi"

    def __init__(self, violations: Sequence[Violation]) -> None:
        shown = "; ".join(violation.describe() for violation in violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        super().__init__(f"the commit breaks the SCORM data model: {shown}{more}",
                         details=[{"element": v.element, "problem": v.problem}
                                  for v in violations])
        self.violations = list(violations)


Rule = Callable[[Mapping[str, str]], Iterable[Violation]]
"""A check across elements, run on the snapshot a commit would produce."""


def pattern_of(name: str) -> str:
    """``cmi.interactions.3.objectives.0.id`` -> ``cmi.interactions.n.objectives.n.id``."""
    return _INDEX.sub(".n", _TARGET.sub(".{target=}", name))


@dataclass
class DataModel:
    """One version's element table and cross-element rules."""

    version: ScormVersion
    elements: Sequence[Element]
    rules: Sequence[Rule] = ()
    # Read-only elements the browser-side API recomputes (total_time): their
    # echo in a commit is expected to differ from what the LMS handed out.
    recomputed: frozenset[str] = frozenset()
    _by_name: dict[str, Element] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {element.name: element for element in self.elements}

    def element(self, name: str) -> Element | None:
        return self._by_name.get(pattern_of(name))

    def check(self, committed: Mapping[str, str], *, before: Mapping[str, str] | None = None,
              given: Mapping[str, str] | None = None) -> Snapshot:
        """Validate ``committed`` and return ``before`` updated with its writable values.

        ``given`` holds the read-only values the LMS handed to the player at
        launch (learner id, mode, credit ...): an echo of one of them that
        differs means content tried to change it. Read-only values are never
        part of the returned snapshot; the server owns them.
        """
        violations: list[Violation] = []
        snapshot: Snapshot = dict(before or {})
        for name, value in committed.items():
            problem = self._problem(name, value, given or {})
            if problem is not None:
                violations.append(Violation(name, problem))
                continue
            element = self.element(name)
            if element is not None and element.writable and not element.is_keyword:
                snapshot[name] = value
        for rule in self.rules:
            violations.extend(rule(snapshot))
        if violations:
            raise InvalidCmi(violations)
        return snapshot

    def _problem(self, name: str, value: str, given: Mapping[str, str]) -> str | None:
        element = self.element(name)
        if element is None:
            return f"is not an element of the SCORM {self.version} data model"
        if element.is_keyword:
            return None
        if not element.writable:
            expected = given.get(name, "")
            if expected and value != expected and element.name not in self.recomputed:
                return f"is read-only; the LMS set it to {expected!r}, the content sent {value!r}"
        if value == "" or element.value_type is None:
            return None
        return element.value_type.problem(value)

    def readable_names(self) -> Iterator[str]:
        return (element.name for element in self.elements
                if element.readable and not element.is_keyword)


def flatten(payload: Mapping[str, Any]) -> dict[str, str]:
    """Turn a commit body into ``{element: value}``.

    scorm-again sends either nested JSON (``{"cmi": {"core": {...}}}``, arrays
    as objects keyed ``"0"``, ``"1"`` ...) or already-flattened keys; both end
    up as dotted element names. ``null`` means "not sent"; numbers become their
    decimal text; anything else that is not a string is refused.
    """
    flat: dict[str, str] = {}
    _walk(payload, "", flat)
    return flat


def _walk(node: Any, prefix: str, flat: dict[str, str]) -> None:
    if isinstance(node, Mapping):
        for key, child in node.items():
            _walk(child, f"{prefix}.{key}" if prefix else str(key), flat)
    elif isinstance(node, list):
        for index, child in enumerate(node):
            _walk(child, f"{prefix}.{index}", flat)
    elif node is None:
        return
    elif isinstance(node, bool):
        raise InvalidCmi([Violation(prefix, "must be a string, not a JSON boolean")])
    elif isinstance(node, int | float):
        flat[prefix] = _number_text(node, prefix)
    elif isinstance(node, str):
        flat[prefix] = node
    else:
        raise InvalidCmi([Violation(prefix, "must be a string")])


def _number_text(number: float, element: str) -> str:
    if isinstance(number, int):
        return str(number)
    if not math.isfinite(number):
        raise InvalidCmi([Violation(element, f"{number} is not a finite number")])
    return format(Decimal(repr(number)).normalize(), "f")


def indexed_rows(snapshot: Mapping[str, str], array: str) -> dict[int, dict[str, str]]:
    """Group ``cmi.interactions.0.id``-style names into ``{0: {"id": ...}}`` by index."""
    prefix = array + "."
    rows: dict[int, dict[str, str]] = {}
    for name, value in snapshot.items():
        if not name.startswith(prefix):
            continue
        index, _, rest = name[len(prefix):].partition(".")
        if index.isdigit() and rest:
            rows.setdefault(int(index), {})[rest] = value
    return dict(sorted(rows.items()))
