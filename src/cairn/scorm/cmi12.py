"""The SCORM 1.2 data model (SCORM 1.2 RTE chapter 3.4, the AICC CMI001 elements).

The one setting-dependent rule is the length of ``cmi.suspend_data``: the
specification types it CMIString4096, real courses write far more, and
silently cutting it would corrupt the learner's resume state. So the
operator chooses (``CAIRN_SCORM12_SUSPEND_DATA_LIMIT``): ``strict`` refuses
a commit over 4,096 characters with an error naming the element, ``lenient``
stores any length. Neither ever truncates.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from cairn.scorm.datamodel import Access, DataModel, Element
from cairn.scorm.datatypes import (
    IDENTIFIER_12,
    TIME_OF_DAY_12,
    TIMESPAN_12,
    ValueType,
    characters,
    either,
    number,
    vocabulary,
)

SuspendDataLimit = Literal["strict", "lenient"]
SUSPEND_DATA_SPM = 4096

RO, WO, RW = Access.READ_ONLY, Access.WRITE_ONLY, Access.READ_WRITE

STATUS = vocabulary("CMIVocabulary (Status)", "passed", "completed", "failed", "incomplete",
                    "browsed", "not attempted")
SCORE = number("CMIDecimal (0..100)", 0, 100)
# Interaction responses (CMIFeedback) have a format per interaction type, but
# content writes every shape and scorm-again accepts any text: stored as sent.
FEEDBACK = characters("CMIFeedback")
STRING_255 = characters("CMIString255", 255)
STRING_4096 = characters("CMIString4096", SUSPEND_DATA_SPM)
INTERACTION_TYPE = vocabulary("CMIVocabulary (Interaction)", "true-false", "choice", "fill-in",
                              "matching", "performance", "sequencing", "likert", "numeric")
RESULT = either("CMIVocabulary (Result) or CMIDecimal",
                vocabulary("CMIVocabulary (Result)", "correct", "wrong", "unanticipated",
                           "neutral"),
                number("CMIDecimal"))


def _keyword(name: str) -> Element:
    return Element(name, RO, None)


def _elements(suspend_data: ValueType) -> list[Element]:
    core = [
        _keyword("cmi._version"), _keyword("cmi.core._children"),
        Element("cmi.core.student_id", RO, IDENTIFIER_12, 255),
        Element("cmi.core.student_name", RO, STRING_255, 255),
        Element("cmi.core.lesson_location", RW, STRING_255, 255),
        Element("cmi.core.credit", RO, vocabulary("CMIVocabulary (Credit)", "credit",
                                                  "no-credit")),
        Element("cmi.core.lesson_status", RW, STATUS),
        Element("cmi.core.entry", RO, vocabulary("CMIVocabulary (Entry)", "ab-initio",
                                                 "resume")),
        _keyword("cmi.core.score._children"),
        Element("cmi.core.score.raw", RW, SCORE),
        Element("cmi.core.score.max", RW, SCORE),
        Element("cmi.core.score.min", RW, SCORE),
        Element("cmi.core.total_time", RO, TIMESPAN_12),
        Element("cmi.core.lesson_mode", RO, vocabulary("CMIVocabulary (Mode)", "browse",
                                                       "normal", "review")),
        Element("cmi.core.exit", WO, vocabulary("CMIVocabulary (Exit)", "time-out", "suspend",
                                                "logout")),
        Element("cmi.core.session_time", WO, TIMESPAN_12),
        Element("cmi.suspend_data", RW, suspend_data, SUSPEND_DATA_SPM),
        Element("cmi.launch_data", RO, characters("CMIString4096"), SUSPEND_DATA_SPM),
        Element("cmi.comments", RW, STRING_4096, SUSPEND_DATA_SPM),
        Element("cmi.comments_from_lms", RO, characters("CMIString4096"), SUSPEND_DATA_SPM),
    ]
    return core + _objectives() + _student() + _interactions()


def _objectives() -> list[Element]:
    return [
        _keyword("cmi.objectives._children"), _keyword("cmi.objectives._count"),
        Element("cmi.objectives.n.id", RW, IDENTIFIER_12, 255),
        _keyword("cmi.objectives.n.score._children"),
        Element("cmi.objectives.n.score.raw", RW, SCORE),
        Element("cmi.objectives.n.score.max", RW, SCORE),
        Element("cmi.objectives.n.score.min", RW, SCORE),
        Element("cmi.objectives.n.status", RW, STATUS),
    ]


def _student() -> list[Element]:
    return [
        _keyword("cmi.student_data._children"),
        Element("cmi.student_data.mastery_score", RO, SCORE),
        Element("cmi.student_data.max_time_allowed", RO, TIMESPAN_12),
        Element("cmi.student_data.time_limit_action", RO, vocabulary(
            "CMIVocabulary (Time Limit Action)", "exit,message", "exit,no message",
            "continue,message", "continue,no message")),
        _keyword("cmi.student_preference._children"),
        Element("cmi.student_preference.audio", RW, number("CMISInteger (-1..100)", -1, 100,
                                                           integer=True)),
        Element("cmi.student_preference.language", RW, STRING_255, 255),
        Element("cmi.student_preference.speed", RW, number("CMISInteger (-100..100)", -100, 100,
                                                           integer=True)),
        Element("cmi.student_preference.text", RW, number("CMISInteger (-1..1)", -1, 1,
                                                          integer=True)),
    ]


def _interactions() -> list[Element]:
    return [
        _keyword("cmi.interactions._children"), _keyword("cmi.interactions._count"),
        Element("cmi.interactions.n.id", WO, IDENTIFIER_12, 255),
        _keyword("cmi.interactions.n.objectives._count"),
        Element("cmi.interactions.n.objectives.n.id", WO, IDENTIFIER_12, 255),
        Element("cmi.interactions.n.time", WO, TIME_OF_DAY_12),
        Element("cmi.interactions.n.type", WO, INTERACTION_TYPE),
        _keyword("cmi.interactions.n.correct_responses._count"),
        Element("cmi.interactions.n.correct_responses.n.pattern", WO, FEEDBACK, 255),
        Element("cmi.interactions.n.weighting", WO, number("CMIDecimal")),
        Element("cmi.interactions.n.student_response", WO, FEEDBACK, 255),
        Element("cmi.interactions.n.result", WO, RESULT),
        Element("cmi.interactions.n.latency", WO, TIMESPAN_12),
    ]


@cache
def data_model(suspend_data_limit: SuspendDataLimit = "strict") -> DataModel:
    """The SCORM 1.2 model, with ``cmi.suspend_data`` limited as the operator chose."""
    if suspend_data_limit == "strict":
        suspend_data = characters("CMIString4096", SUSPEND_DATA_SPM,
                                  why="CAIRN_SCORM12_SUSPEND_DATA_LIMIT=strict")
    else:
        suspend_data = characters("CMIString (any length)")
    return DataModel("1.2", _elements(suspend_data),
                     recomputed=frozenset({"cmi.core.total_time"}))
