"""When an attempt ends, and what ``cmi.entry`` the next session starts with.

Pure rules, so they are tested without a database:

* SCORM 2004 (RTE 4.2.8, ``cmi.exit``): the attempt ends when the content
  terminates without suspending -- any exit but ``suspend``, unless the SCO
  asked to ``suspendAll`` through ``adl.nav.request``. ADL's conformance
  suite (DMB) expects exactly that: time-out, normal, "" and logout start
  the next visit ``ab-initio``.
* SCORM 1.2 has no attempt boundary in the data model; Cairn starts a new
  attempt when the previous session ended completed or passed and exited
  normally (``""`` or ``logout``). Otherwise the attempt continues with
  entry ``resume`` after a suspend, ``""`` otherwise (RTE 3.4.2.1.4).
* A session that never terminated (a closed tab, closed by hand or by the
  worker) did not end its attempt: the next launch resumes it.
* Browse and review sessions never end or start attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Entry = Literal["ab-initio", "resume", ""]
NORMAL_EXITS_12 = frozenset({"", "logout"})


@dataclass(frozen=True)
class SessionOutcome:
    """How a session left things: what the attempt rules look at."""

    standard: str          # "scorm12" | "scorm2004"
    state: str             # "open" | "terminated" | "closed"
    exit: str              # cmi.exit / cmi.core.exit as last committed ("" when unset)
    nav_request: str       # 2004 adl.nav.request at the end ("" when unset)
    completion_status: str
    success_status: str
    committed: bool        # did the content commit anything at all?
    entry: str             # the entry that session started with


def suspended(outcome: SessionOutcome) -> bool:
    return outcome.exit == "suspend" or (
        outcome.standard == "scorm2004" and outcome.nav_request == "suspendAll")


def ends_attempt(outcome: SessionOutcome) -> bool:
    """Does terminating this (normal mode) session end its attempt?"""
    if outcome.state != "terminated" or suspended(outcome):
        return False
    if outcome.standard == "scorm2004":
        return True
    finished = outcome.completion_status == "completed" and outcome.success_status != "failed"
    return finished and outcome.exit in NORMAL_EXITS_12


def next_entry(previous: SessionOutcome | None) -> Entry:
    """``cmi.entry`` for a new session continuing the attempt ``previous`` belonged to."""
    if previous is None:
        return "ab-initio"
    if not previous.committed:
        # The content never stored anything: start where that session started.
        return "resume" if previous.entry == "resume" else (
            "ab-initio" if previous.entry == "ab-initio" else "")
    if previous.state != "terminated" or suspended(previous):
        return "resume"
    return ""


def ended_reason(outcome: SessionOutcome) -> str:
    exit_word = outcome.exit or "(not set)"
    return f"terminated with exit {exit_word}, {outcome.completion_status}"
