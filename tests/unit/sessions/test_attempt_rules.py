"""Attempt rules: when a terminated session ends its attempt, and the next cmi.entry."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cairn.sessions.attempts import SessionOutcome, ends_attempt, next_entry

BASE = SessionOutcome(standard="scorm2004", state="terminated", exit="", nav_request="",
                      completion_status="incomplete", success_status="unknown", committed=True,
                      entry="ab-initio")


@pytest.mark.parametrize(("changes", "ends"), [
    ({}, True),                                          # 2004: "" ends the attempt
    ({"exit": "normal"}, True),
    ({"exit": "time-out"}, True),
    ({"exit": "logout"}, True),
    ({"exit": "suspend"}, False),
    ({"nav_request": "suspendAll"}, False),
    ({"state": "open"}, False),                          # never terminated: resumable
    ({"state": "closed"}, False),
    ({"standard": "scorm12", "completion_status": "completed"}, True),
    ({"standard": "scorm12", "completion_status": "completed", "success_status": "passed",
      "exit": "logout"}, True),
    ({"standard": "scorm12", "completion_status": "completed", "exit": "time-out"}, False),
    ({"standard": "scorm12", "completion_status": "completed", "success_status": "failed"},
     False),
    ({"standard": "scorm12"}, False),
    ({"standard": "scorm12", "nav_request": "suspendAll", "completion_status": "completed"},
     True),                                              # 1.2 has no adl.nav.request
])
def test_ends_attempt(changes: dict[str, str], ends: bool) -> None:
    assert ends_attempt(replace(BASE, **changes)) is ends  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "entry"), [
    ({"exit": "suspend"}, "resume"),
    ({"nav_request": "suspendAll"}, "resume"),
    ({"state": "open"}, "resume"),
    ({"state": "closed"}, "resume"),
    ({"standard": "scorm12"}, ""),
    ({"committed": False}, "ab-initio"),
    ({"committed": False, "entry": "resume"}, "resume"),
    ({"committed": False, "entry": ""}, ""),
])
def test_next_entry(changes: dict[str, object], entry: str) -> None:
    assert next_entry(replace(BASE, **changes)) == entry  # type: ignore[arg-type]


def test_the_first_session_starts_ab_initio() -> None:
    assert next_entry(None) == "ab-initio"
