"""What the runtime needs from an item's SCORM 2004 ``imsss:sequencing`` (SN book, 5).

The full sequencing XML is kept verbatim for a later sequencing engine; this
module only reads the few values the run-time data model is initialised from:
the objective ids (``cmi.objectives``), the scaled passing score
(``cmi.scaled_passing_score``, from the primary objective when it is
satisfied by measure) and the attempt duration limit (``cmi.max_time_allowed``).
An item's sequencing may point at a shared definition in the manifest's
``imsss:sequencingCollection`` (``IDRef``); the item's own elements win.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cairn.catalog.errors import rejected
from cairn.scorm.manifest_xml import IMSSS, child, children, local_name


@dataclass(frozen=True)
class ObjectiveSpec:
    """An objective declared for an activity (SN 5.1.7 ``imsss:objectives``)."""

    id: str
    primary: bool
    satisfied_by_measure: bool
    min_normalized_measure: float | None


@dataclass(frozen=True)
class SequencingFacts:
    objectives: tuple[ObjectiveSpec, ...] = ()
    scaled_passing_score: float | None = None
    attempt_duration_limit: str | None = None


def sequencing_of(element: Any) -> Any | None:
    """The ``imsss:sequencing`` child of an item or organization, if any."""
    for found in element:
        if local_name(found) == "sequencing" and _in_imsss(found):
            return found
    return None


def collection_index(root: Any) -> dict[str, Any]:
    """The manifest's reusable sequencing definitions, by their ``ID``."""
    collection = child(root, "sequencingCollection")
    if collection is None:
        return {}
    return {str(entry.get("ID")): entry for entry in children(collection, "sequencing")
            if entry.get("ID")}


def facts(sequencing: Any | None, collection: dict[str, Any], item_id: str) -> SequencingFacts:
    """Read objectives, scaled passing score and duration limit, resolving ``IDRef``."""
    if sequencing is None:
        return SequencingFacts()
    shared = None
    reference = sequencing.get("IDRef")
    if reference:
        shared = collection.get(reference)
        if shared is None:
            raise rejected("unknown_sequencing_reference", f"item '{item_id}' refers to "
                           f"sequencing '{reference}', which the sequencingCollection does "
                           "not define", item=item_id)
    objectives_element = _own_or_shared(sequencing, shared, "objectives")
    objectives = _objectives(objectives_element, item_id) if objectives_element is not None else ()
    limits = _own_or_shared(sequencing, shared, "limitConditions")
    return SequencingFacts(
        objectives=objectives,
        scaled_passing_score=_passing_score(objectives),
        attempt_duration_limit=limits.get("attemptAbsoluteDurationLimit")
        if limits is not None else None,
    )


def _own_or_shared(sequencing: Any, shared: Any | None, name: str) -> Any | None:
    own = child(sequencing, name)
    if own is not None or shared is None:
        return own
    return child(shared, name)


def _objectives(element: Any, item_id: str) -> tuple[ObjectiveSpec, ...]:
    found: list[ObjectiveSpec] = []
    for objective in element:
        name = local_name(objective)
        if name not in ("primaryObjective", "objective"):
            continue
        objective_id = (objective.get("objectiveID") or "").strip()
        if not objective_id and name == "objective":
            raise rejected("objective_without_id", f"item '{item_id}' declares an objective "
                           "with no objectiveID", item=item_id)
        by_measure = (objective.get("satisfiedByMeasure") or "false").strip() == "true"
        measure_text = _text(child(objective, "minNormalizedMeasure"))
        found.append(ObjectiveSpec(
            id=objective_id, primary=name == "primaryObjective", satisfied_by_measure=by_measure,
            min_normalized_measure=_measure(measure_text, item_id),
        ))
    return tuple(found)


def _passing_score(objectives: tuple[ObjectiveSpec, ...]) -> float | None:
    for objective in objectives:
        if objective.primary and objective.satisfied_by_measure:
            # SN 5.1.7.1: minNormalizedMeasure defaults to 1.0.
            measure = objective.min_normalized_measure
            return 1.0 if measure is None else measure
    return None


def _measure(text: str | None, item_id: str) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not -1.0 <= value <= 1.0:
        raise rejected("bad_value", f"item '{item_id}': minNormalizedMeasure '{text}' is not a "
                       "number from -1 to 1", item=item_id)
    return value


def _text(element: Any | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _in_imsss(element: Any) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag.startswith("{" + IMSSS + "}")
