"""The SCORM 2004 data model (RTE 4th edition, chapter 4; 2nd and 3rd are subsets).

Besides the element table this module holds the rules that look across
elements: an interaction or objective needs its ``id`` before any other
field (RTE 4.1.6 / 4.1.9, error 408 "data model dependency not
established"), a response needs the interaction's ``type`` to be read, and
objective identifiers are unique within an attempt.

SPMs here are floors the LMS must store, not limits (RTE 4.1.1): Cairn
stores longer strings whole, including ``cmi.suspend_data`` beyond 64,000
characters. Only identifiers, being keys, are capped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cairn.scorm import responses2004
from cairn.scorm.datamodel import Access, DataModel, Element, Violation, indexed_rows
from cairn.scorm.datatypes import (
    DURATION_2004,
    LANGUAGE,
    LOCALIZED,
    TIMESTAMP_2004,
    ValueType,
    characters,
    either,
    long_identifier,
    matching,
    number,
    vocabulary,
)

RO, WO, RW = Access.READ_ONLY, Access.WRITE_ONLY, Access.READ_WRITE

SUSPEND_DATA_SPM = 64_000
COMPLETION = vocabulary("state (completion)", "completed", "incomplete", "not attempted",
                        "unknown")
SUCCESS = vocabulary("state (success)", "passed", "failed", "unknown")
REAL = number("real(10,7)")
SCALED = number("real(10,7) range (-1..1)", -1, 1)
UNIT = number("real(10,7) range (0..1)", 0, 1)
NON_NEGATIVE = number("real(10,7) range (0..*)", 0)
LONG_ID = long_identifier("long_identifier_type", 4000)
TEXT = characters("characterstring")
INTERACTION_TYPES = ("true-false", "choice", "fill-in", "long-fill-in", "likert", "matching",
                     "performance", "sequencing", "numeric", "other")
RESULT = either("result", vocabulary("state (result)", "correct", "incorrect", "unanticipated",
                                     "neutral"), REAL)
NAV_REQUEST = matching(
    "adl.nav.request vocabulary",
    r"_?(?:start|resumeAll|previous|continue|exit|exitAll|abandon|abandonAll|suspendAll"
    r"|retry|retryAll)|_none_|\{target=\S+\}(?:choice|jump)",
    "a navigation request (continue, previous, {target=ID}choice, exit, suspendAll ...)")
NAV_VALID = vocabulary("state (true, false, unknown)", "true", "false", "unknown")


def _keyword(name: str) -> Element:
    return Element(name, RO, None)


def _element(name: str, access: Access, value_type: ValueType, spm: int | None = None
             ) -> Element:
    return Element(name, access, value_type, spm)


def _comments(array: str, access: Access) -> list[Element]:
    return [_keyword(f"{array}._children"), _keyword(f"{array}._count"),
            _element(f"{array}.n.comment", access, LOCALIZED, 4000),
            _element(f"{array}.n.location", access, TEXT, 250),
            _element(f"{array}.n.timestamp", access, TIMESTAMP_2004)]


def _score(prefix: str) -> list[Element]:
    return [_keyword(f"{prefix}._children"), _element(f"{prefix}.scaled", RW, SCALED),
            _element(f"{prefix}.raw", RW, REAL), _element(f"{prefix}.min", RW, REAL),
            _element(f"{prefix}.max", RW, REAL)]


def _learner() -> list[Element]:
    return [
        _element("cmi.learner_id", RO, LONG_ID, 4000),
        _element("cmi.learner_name", RO, LOCALIZED, 250),
        _keyword("cmi.learner_preference._children"),
        _element("cmi.learner_preference.audio_level", RW, NON_NEGATIVE),
        _element("cmi.learner_preference.language", RW, LANGUAGE, 250),
        _element("cmi.learner_preference.delivery_speed", RW, NON_NEGATIVE),
        _element("cmi.learner_preference.audio_captioning", RW,
                 vocabulary("state (-1, 0, 1)", "-1", "0", "1")),
    ]


def _attempt() -> list[Element]:
    return [
        _keyword("cmi._version"),
        _element("cmi.completion_status", RW, COMPLETION),
        _element("cmi.completion_threshold", RO, UNIT),
        _element("cmi.credit", RO, vocabulary("state (credit)", "credit", "no-credit")),
        _element("cmi.entry", RO, vocabulary("state (entry)", "ab-initio", "resume")),
        _element("cmi.exit", WO, vocabulary("state (exit)", "time-out", "suspend", "logout",
                                            "normal")),
        _element("cmi.launch_data", RO, TEXT, 4000),
        _element("cmi.location", RW, TEXT, 1000),
        _element("cmi.max_time_allowed", RO, DURATION_2004),
        _element("cmi.mode", RO, vocabulary("state (mode)", "browse", "normal", "review")),
        _element("cmi.progress_measure", RW, UNIT),
        _element("cmi.scaled_passing_score", RO, SCALED),
        _element("cmi.session_time", WO, DURATION_2004),
        _element("cmi.success_status", RW, SUCCESS),
        _element("cmi.suspend_data", RW, TEXT, SUSPEND_DATA_SPM),
        _element("cmi.time_limit_action", RO, vocabulary(
            "state (time limit action)", "exit,message", "continue,message", "exit,no message",
            "continue,no message")),
        _element("cmi.total_time", RO, DURATION_2004),
        *_score("cmi.score"),
    ]


def _objectives() -> list[Element]:
    base = "cmi.objectives.n"
    return [
        _keyword("cmi.objectives._children"), _keyword("cmi.objectives._count"),
        _element(f"{base}.id", RW, LONG_ID, 4000), *_score(f"{base}.score"),
        _element(f"{base}.success_status", RW, SUCCESS),
        _element(f"{base}.completion_status", RW, COMPLETION),
        _element(f"{base}.progress_measure", RW, UNIT),
        _element(f"{base}.description", RW, LOCALIZED, 250),
    ]


def _interactions() -> list[Element]:
    base = "cmi.interactions.n"
    return [
        _keyword("cmi.interactions._children"), _keyword("cmi.interactions._count"),
        _element(f"{base}.id", RW, LONG_ID, 4000),
        _element(f"{base}.type", RW, vocabulary("state (interaction type)", *INTERACTION_TYPES)),
        _keyword(f"{base}.objectives._count"),
        _element(f"{base}.objectives.n.id", RW, LONG_ID, 4000),
        _element(f"{base}.timestamp", RW, TIMESTAMP_2004),
        _keyword(f"{base}.correct_responses._count"),
        # The format depends on the type; checked by the rules below.
        _element(f"{base}.correct_responses.n.pattern", RW, TEXT),
        _element(f"{base}.weighting", RW, REAL),
        _element(f"{base}.learner_response", RW, TEXT),
        _element(f"{base}.result", RW, RESULT),
        _element(f"{base}.latency", RW, DURATION_2004),
        _element(f"{base}.description", RW, LOCALIZED, 250),
    ]


def _adl() -> list[Element]:
    return [
        _element("adl.nav.request", RW, NAV_REQUEST),
        _element("adl.nav.request_valid.continue", RO, NAV_VALID),
        _element("adl.nav.request_valid.previous", RO, NAV_VALID),
        _element("adl.nav.request_valid.choice.{target=}", RO, NAV_VALID),
        _element("adl.nav.request_valid.jump.{target=}", RO, NAV_VALID),
        _keyword("adl.data._children"), _keyword("adl.data._count"),
        _element("adl.data.n.id", RO, LONG_ID, 4000),
        _element("adl.data.n.store", RW, TEXT, 64_000),
    ]


# --- rules across elements ------------------------------------------------------------


def _needs_id(snapshot: Mapping[str, str], array: str, what: str) -> Iterator[Violation]:
    for index, row in indexed_rows(snapshot, array).items():
        others = [field for field, value in row.items() if field != "id" and value]
        if others and not row.get("id"):
            yield Violation(f"{array}.{index}.id",
                            f"is missing, but {array}.{index}.{others[0]} is set; "
                            f"{what} needs an id first (RTE 4.1: dependency not established)")


def _unique_ids(snapshot: Mapping[str, str], array: str) -> Iterator[Violation]:
    seen: dict[str, int] = {}
    for index, row in indexed_rows(snapshot, array).items():
        identifier = row.get("id", "")
        if identifier and identifier in seen:
            yield Violation(f"{array}.{index}.id",
                            f"{identifier!r} is already the id of {array}.{seen[identifier]}")
        seen.setdefault(identifier, index)


def _responses(snapshot: Mapping[str, str]) -> Iterator[Violation]:
    for index, row in indexed_rows(snapshot, "cmi.interactions").items():
        base = f"cmi.interactions.{index}"
        kind = row.get("type", "")
        patterns = {name: value for name, value in row.items()
                    if name.startswith("correct_responses.") and name.endswith(".pattern")}
        if not kind:
            for name, value in [("learner_response", row.get("learner_response", "")),
                                *patterns.items()]:
                if value:
                    yield Violation(f"{base}.{name}",
                                    f"needs {base}.type first: its format depends on the type")
            continue
        if response := row.get("learner_response", ""):
            problem = responses2004.learner_response_problem(kind, response)
            if problem:
                yield Violation(f"{base}.learner_response", f"{problem} (type {kind})")
        for name, value in patterns.items():
            problem = responses2004.pattern_problem(kind, value)
            if problem:
                yield Violation(f"{base}.{name}", f"{problem} (type {kind})")
        if kind in responses2004.SINGLE_PATTERN_TYPES and len(patterns) > 1:
            yield Violation(f"{base}.correct_responses",
                            f"has {len(patterns)} patterns; type {kind} allows one")


def _rules(snapshot: Mapping[str, str]) -> Iterator[Violation]:
    yield from _needs_id(snapshot, "cmi.objectives", "an objective")
    yield from _needs_id(snapshot, "cmi.interactions", "an interaction")
    yield from _unique_ids(snapshot, "cmi.objectives")
    yield from _responses(snapshot)
    for index in indexed_rows(snapshot, "cmi.interactions"):
        yield from _needs_id(snapshot, f"cmi.interactions.{index}.objectives",
                             "an interaction objective")
        yield from _unique_ids(snapshot, f"cmi.interactions.{index}.objectives")


DATA_MODEL = DataModel(
    "2004",
    [*_attempt(), *_comments("cmi.comments_from_learner", RW),
     *_comments("cmi.comments_from_lms", RO), *_learner(), *_objectives(), *_interactions(),
     *_adl()],
    rules=(_rules,),
    recomputed=frozenset({"cmi.total_time"}),
)


def data_model() -> DataModel:
    return DATA_MODEL
