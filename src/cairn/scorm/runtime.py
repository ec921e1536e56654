"""The commit endpoint's service: one scorm-again commit, stored whole or not at all.

In one transaction: lock the session, validate every element against the
data model (merged onto what the session already has), store the snapshot,
columns, interaction and objective rows, recompute ``total_time``, keep the
journal lines of traced learners, apply the ProgressEvents the change
amounts to (session/attempt state, webhooks) and mirror them as xAPI
statements. Any problem rolls all of it back and answers 4xx.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection

from cairn.clock import now_us
from cairn.errors import InvalidInput
from cairn.scorm import cmi12, initial_state, progress, readers, time
from cairn.scorm.datamodel import flatten
from cairn.sessions import journal, statements
from cairn.sessions import service as sessions
from cairn.sessions.journal import JournalEntry
from cairn.sessions.models import InteractionRow
from cairn.sessions.progress import apply_events

DATA_KEYS = ("cmi", "adl")
# What scorm-again (or Cairn's player) may put next to the data in a commit body.
ENVELOPE_KEYS = frozenset({"sharedData", "commitSequence", "journal", "terminate"})
JOURNAL_FIELDS = ("seq", "call", "element", "value", "result", "error", "at")


@dataclass(frozen=True)
class Commit:
    session_id: int
    body: Mapping[str, Any]
    terminate: bool
    base_url: str
    suspend_data_limit: cmi12.SuspendDataLimit


@dataclass(frozen=True)
class Committed:
    session_id: int
    total_time: str
    events: list[str]


def split_body(body: Mapping[str, Any]) -> tuple[dict[str, str], list[JournalEntry], bool]:
    """The element values, the journal lines and the terminate flag of a commit body."""
    unknown = sorted(key for key in body if key not in ENVELOPE_KEYS
                     and key not in DATA_KEYS and not key.startswith(("cmi.", "adl.")))
    if unknown:
        raise InvalidInput(f"the commit has unknown keys: {', '.join(unknown)}; expected the "
                           "cmi object (scorm-again's JSON commit)")
    data = {key: value for key, value in body.items() if key not in ENVELOPE_KEYS}
    return flatten(data), parse_journal(body.get("journal", [])), body.get("terminate") is True


def parse_journal(lines: Any) -> list[JournalEntry]:
    if not isinstance(lines, list):
        raise InvalidInput("journal: must be a list of calls")
    entries = []
    for index, line in enumerate(lines):
        if not isinstance(line, dict) or not isinstance(line.get("call"), str) or not all(
                isinstance(line.get(name), int) for name in ("seq", "error", "at")):
            raise InvalidInput(f"journal[{index}]: needs seq, call, error and at (ms since "
                               "the epoch)")
        entries.append(JournalEntry(
            seq=line["seq"], call=line["call"], element=_text(line.get("element")),
            value=_text(line.get("value")), result=_text(line.get("result")),
            error_code=line["error"], occurred_us=line["at"] * 1000))
    return entries


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def commit(*, conn: Connection, request: Commit) -> Committed:
    session = sessions.session_for_update(conn=conn, session_id=request.session_id)
    context = sessions.context(conn=conn, session_id=request.session_id)
    version: time.ScormVersion = "1.2" if context.standard == "scorm12" else "2004"
    values, entries, terminate_flag = split_body(request.body)
    terminating = request.terminate or terminate_flag
    before = json.loads(session["cmi_json"])
    launch = json.loads(session["launch_json"])
    model = initial_state.model_for(version, request.suspend_data_limit)
    snapshot = model.check(values, before=before, given=launch)
    update = replace(readers.read(version, snapshot, launch, terminating=terminating),
                     rows_changed=session["commit_count"] == 0 or _rows(before) != _rows(snapshot))
    moment = now_us()
    total = sessions.record_update(conn=conn, session=session, update=update, now=moment)
    journal.record(conn=conn, session=session, entries=entries, now=moment)
    events = progress.derive(session=session, update=update, terminating=terminating,
                             total_time_cs=total, now=moment)
    apply_events(conn=conn, events=events, base_url=request.base_url, known=[context])
    mirror = statements.Mirror(context=context, base_url=statements.mirror_base(request.base_url))
    statements.store(conn, mirror, statements.for_interactions(
        mirror, _answered(before, update.interactions, version), moment))
    return Committed(session_id=request.session_id, total_time=time.render(version, total),
                     events=[event.kind.value for event in events])


def _rows(values: Mapping[str, str]) -> dict[str, str]:
    """The part of a snapshot that becomes interaction and objective rows."""
    return {name: value for name, value in values.items()
            if name.startswith(("cmi.interactions.", "cmi.objectives."))}


def _answered(before: Mapping[str, str], rows: Sequence[InteractionRow],
              version: time.ScormVersion) -> list[InteractionRow]:
    """Interactions whose id, response or result differ from the previous snapshot."""
    response = "student_response" if version == "1.2" else "learner_response"
    changed = []
    for row in rows:
        base = f"cmi.interactions.{row.position}"
        previous = (before.get(f"{base}.id"), before.get(f"{base}.{response}") or None,
                    before.get(f"{base}.result") or None)
        if (row.learner_response or row.result) and previous != (
                row.identifier, row.learner_response, row.result):
            changed.append(row)
    return changed
