"""What the player hands scorm-again before ``Initialize``: the learner's prior state.

Two parts. The *launch values* are the read-only elements the LMS owns
(learner id and name, mode, credit, ``cmi.entry`` as the attempt rules
decided, ``total_time`` as the server summed it, mastery score, launch
data, time limits); they are also kept with the session, since a commit
may echo them but never change them. The *carried state* is what the
attempt had so far (location, suspend data, scores, objectives, and in 2004
interactions), minus what belongs to one session only (exit, session time,
navigation requests) and what content may not read back (1.2 interactions).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from cairn.catalog.learners.models import Learner
from cairn.catalog.models import Lesson
from cairn.scorm import cmi12, cmi2004, time
from cairn.scorm.datamodel import DataModel
from cairn.scorm.time import ScormVersion

log = logging.getLogger(__name__)
SESSION_ONLY = frozenset({"adl.nav.request"})


def version_of(lesson: Lesson) -> ScormVersion:
    return "1.2" if lesson.standard == "scorm12" else "2004"


def model_for(version: ScormVersion, suspend_data_limit: cmi12.SuspendDataLimit) -> DataModel:
    return cmi12.data_model(suspend_data_limit) if version == "1.2" else cmi2004.data_model()


def _number(value: float | None, *, whole: bool = False) -> str:
    """A manifest number as the SCO reads it: 1.2 scores whole when they are ("70"),
    2004 measures as decimals ("1.0", "0.8"), the way ADL's test LMS hands them out."""
    if value is None:
        return ""
    return str(int(value)) if whole and float(value).is_integer() else repr(float(value))


def launch_values(*, lesson: Lesson, learner: Learner, mode: str, credit: str, entry: str,
                  total_time_cs: int) -> dict[str, str]:
    """The read-only elements for this launch, in the lesson's version."""
    version = version_of(lesson)
    name = learner.name or learner.external_id
    if version == "1.2":
        values = {
            "cmi.core.student_id": learner.external_id, "cmi.core.student_name": name,
            "cmi.core.credit": credit, "cmi.core.lesson_mode": mode, "cmi.core.entry": entry,
            "cmi.core.total_time": time.format_timespan(total_time_cs),
            "cmi.launch_data": lesson.data_from_lms or "",
            "cmi.student_data.mastery_score": _number(lesson.mastery_score, whole=True),
            "cmi.student_data.max_time_allowed": lesson.max_time_allowed or "",
            "cmi.student_data.time_limit_action": lesson.time_limit_action or ""}
    else:
        values = {
            "cmi.learner_id": learner.external_id, "cmi.learner_name": name,
            "cmi.credit": credit, "cmi.mode": mode, "cmi.entry": entry,
            "cmi.total_time": time.format_duration(total_time_cs),
            "cmi.launch_data": lesson.data_from_lms or "",
            "cmi.completion_threshold": _number(lesson.completion_threshold),
            "cmi.scaled_passing_score": _number(lesson.scaled_passing_score),
            "cmi.max_time_allowed": lesson.max_time_allowed or "",
            "cmi.time_limit_action": lesson.time_limit_action or ""}
    return _valid(version, {name: value for name, value in values.items() if value})


def _valid(version: ScormVersion, values: dict[str, str]) -> dict[str, str]:
    """Drop manifest values scorm-again would refuse (a bad max time from a package)."""
    model = model_for(version, "lenient")
    kept: dict[str, str] = {}
    for name, value in values.items():
        element = model.element(name)
        problem = element.value_type.problem(value) if element and element.value_type else None
        if problem:
            log.warning("not handing %s=%r to the player: %s", name, value, problem)
            continue
        kept[name] = value
    return kept


def carry_over(version: ScormVersion) -> Callable[[Mapping[str, str]], dict[str, str]]:
    """The filter sessions use to pick what a continued attempt starts with."""
    model = model_for(version, "lenient")

    def pick(snapshot: Mapping[str, str]) -> dict[str, str]:
        kept = {}
        for name, value in snapshot.items():
            element = model.element(name)
            if element is not None and element.readable and name not in SESSION_ONLY:
                kept[name] = value
        return kept

    return pick


def initial_state(*, lesson: Lesson, launch: Mapping[str, str], carried: Mapping[str, str]
                  ) -> dict[str, str]:
    """Flattened CMI for ``loadFromFlattenedJSON``: launch values over the carried state.

    A 2004 attempt that has no objectives yet gets the manifest's objective
    ids (RTE 4.2.17: the LMS initializes ``cmi.objectives.n.id``). A 1.2
    status of "not attempted" is left out: scorm-again then knows the SCO
    never set one and completes it at LMSFinish (RTE 3.4.4).
    """
    state = {name: value for name, value in carried.items() if value != ""}
    if version_of(lesson) == "1.2":
        if state.get("cmi.core.lesson_status") == "not attempted":
            del state["cmi.core.lesson_status"]
    elif not any(name.startswith("cmi.objectives.") for name in state):
        for index, objective in enumerate(item for item in lesson.objectives if item.id):
            state[f"cmi.objectives.{index}.id"] = objective.id
    return {**state, **launch}
