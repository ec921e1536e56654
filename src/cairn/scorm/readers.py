"""Reading a validated CMI snapshot into the columns and rows sessions store.

Both versions end up in one vocabulary: completion (completed, incomplete,
not attempted, unknown) and success (passed, failed, unknown) as SCORM 2004
and xAPI have them, a score with scaled/raw/min/max, interactions and
objectives as rows. The LMS-side rules of each version are applied here:

* 2004 (RTE 4.2.4, 4.2.22): with a ``completion_threshold`` and a
  ``progress_measure`` the LMS decides completion; with a
  ``scaled_passing_score`` and a ``score.scaled`` it decides success.
* 1.2 (RTE 3.4.4, cmi.core.lesson_status): at LMSFinish a SCO that never
  set a status is ``completed`` (``browsed`` in browse mode), and with a
  mastery score and a raw score in a credit session the status is passed or
  failed by comparison; the decided status is written back into the
  snapshot, so the next session starts from it. 1.2 ``lesson_status``
  folds into completion/success (failed is a completed attempt that did not
  succeed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cairn.scorm import time
from cairn.scorm.datamodel import indexed_rows
from cairn.sessions.events import Score
from cairn.sessions.models import InteractionRow, ObjectiveRow, SessionUpdate

STATUS_12: dict[str, tuple[str, str]] = {
    "passed": ("completed", "passed"),
    "completed": ("completed", "unknown"),
    "failed": ("completed", "failed"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("incomplete", "unknown"),
    "not attempted": ("not attempted", "unknown"),
}


def number(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _score(values: Mapping[str, str], prefix: str, *, scale_12: bool = False) -> Score | None:
    raw, low, high = (number(values.get(f"{prefix}.{part}")) for part in ("raw", "min", "max"))
    scaled = number(values.get(f"{prefix}.scaled"))
    if scale_12 and raw is not None:
        scaled = _scaled_12(raw, low, high)
    if all(value is None for value in (scaled, raw, low, high)):
        return None
    return Score(scaled=scaled, raw=raw, min=low, max=high)


def _scaled_12(raw: float, low: float | None, high: float | None) -> float | None:
    """1.2 has no scaled score: raw against min..max, or the 0..100 range raw is normed to."""
    if low is not None and high is not None and high > low:
        scaled = (raw - low) / (high - low)
    else:
        scaled = raw / 100
    return scaled if -1 <= scaled <= 1 else None


def lesson_status_12(values: Mapping[str, str], launch: Mapping[str, str], *,
                     terminating: bool) -> str:
    """The 1.2 status after the LMS's rules at LMSFinish (RTE 3.4.4)."""
    status = values.get("cmi.core.lesson_status", "") or "not attempted"
    if not terminating:
        return status
    if status == "not attempted":
        status = "browsed" if launch.get("cmi.core.lesson_mode") == "browse" else "completed"
    mastery = number(launch.get("cmi.student_data.mastery_score"))
    raw = number(values.get("cmi.core.score.raw"))
    credit = launch.get("cmi.core.credit", "credit") == "credit"
    if credit and mastery is not None and raw is not None:
        status = "passed" if raw >= mastery else "failed"
    return status


def read_12(values: Mapping[str, str], launch: Mapping[str, str], *,
            terminating: bool) -> SessionUpdate:
    status = lesson_status_12(values, launch, terminating=terminating)
    completion, success = STATUS_12.get(status, ("unknown", "unknown"))
    if terminating and status != values.get("cmi.core.lesson_status"):
        values = {**values, "cmi.core.lesson_status": status}
    session_time = values.get("cmi.core.session_time", "")
    return SessionUpdate(
        cmi=values, session_time_cs=time.parse_timespan(session_time) if session_time else 0,
        completion_status=completion, success_status=success,
        score=_score(values, "cmi.core.score", scale_12=True),
        location=values.get("cmi.core.lesson_location") or None,
        suspend_data=values.get("cmi.suspend_data") or None,
        exit=values.get("cmi.core.exit", ""),
        interactions=_interactions(values, response="student_response", latency=_timespan),
        objectives=[ObjectiveRow(
            position=index, identifier=row.get("id", ""),
            completion_status=STATUS_12.get(row.get("status", ""), (None, None))[0],
            success_status=STATUS_12.get(row.get("status", ""), (None, None))[1],
            score=_score({f"s.{k}": v for k, v in row.items()}, "s.score", scale_12=True))
            for index, row in indexed_rows(values, "cmi.objectives").items()])


def _decided(state: str, measure: float | None, threshold: float | None,
             words: tuple[str, str]) -> str:
    """2004: a threshold and a measure decide the state; without either, the SCO's word."""
    if threshold is None or measure is None:
        return state or "unknown"
    return words[0] if measure >= threshold else words[1]


def read_2004(values: Mapping[str, str], launch: Mapping[str, str], *,
              terminating: bool) -> SessionUpdate:
    del terminating  # 2004 rules hold at every commit, not only at Terminate
    progress = number(values.get("cmi.progress_measure"))
    score = _score(values, "cmi.score")
    session_time = values.get("cmi.session_time", "")
    return SessionUpdate(
        cmi=values, session_time_cs=time.parse_duration(session_time) if session_time else 0,
        completion_status=_decided(values.get("cmi.completion_status", ""), progress,
                                   number(launch.get("cmi.completion_threshold")),
                                   ("completed", "incomplete")),
        success_status=_decided(values.get("cmi.success_status", ""),
                                score.scaled if score else None,
                                number(launch.get("cmi.scaled_passing_score")),
                                ("passed", "failed")),
        score=score, progress_measure=progress,
        location=values.get("cmi.location") or None,
        suspend_data=values.get("cmi.suspend_data") or None,
        exit=values.get("cmi.exit", ""), nav_request=values.get("adl.nav.request", ""),
        interactions=_interactions(values, response="learner_response", latency=_duration),
        objectives=[ObjectiveRow(
            position=index, identifier=row.get("id", ""),
            success_status=row.get("success_status") or None,
            completion_status=row.get("completion_status") or None,
            score=_score({f"s.{k}": v for k, v in row.items()}, "s.score"),
            progress_measure=number(row.get("progress_measure")),
            description=row.get("description") or None)
            for index, row in indexed_rows(values, "cmi.objectives").items()])


def _timespan(value: str) -> int | None:
    return time.parse_timespan(value) if value else None


def _duration(value: str) -> int | None:
    return time.parse_duration(value) if value else None


def _interactions(values: Mapping[str, str], *, response: str,
                  latency: Callable[[str], int | None]) -> list[InteractionRow]:
    rows = []
    for index, row in indexed_rows(values, "cmi.interactions").items():
        patterns = indexed_rows({f"p.{k}": v for k, v in row.items()}, "p.correct_responses")
        objectives = indexed_rows({f"o.{k}": v for k, v in row.items()}, "o.objectives")
        rows.append(InteractionRow(
            position=index, identifier=row.get("id", ""), type=row.get("type") or None,
            learner_response=row.get(response) or None,
            correct_responses=[entry.get("pattern", "") for entry in patterns.values()],
            objective_ids=[entry.get("id", "") for entry in objectives.values()],
            result=row.get("result") or None, weighting=number(row.get("weighting")),
            latency_cs=latency(row.get("latency", "")),
            description=row.get("description") or None,
            timestamp=row.get("timestamp") or row.get("time") or None))
    return rows


def read(version: time.ScormVersion, values: Mapping[str, str], launch: Mapping[str, str], *,
         terminating: bool) -> SessionUpdate:
    reader = read_12 if version == "1.2" else read_2004
    return reader(values, launch, terminating=terminating)
