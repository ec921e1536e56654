"""The runtime journal (traced learners only), its search and retention; the worker jobs;
session webhooks queued in the same transaction."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest
from sqlalchemy import select

from cairn.catalog.models import Lesson
from cairn.clock import now_us
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.db.tables import outbound_deliveries
from cairn.errors import InvalidInput, NotFound
from cairn.outbound import service as outbound
from cairn.outbound.crypto import secret_box
from cairn.sessions import jobs, journal, service, store
from cairn.sessions.journal import JournalEntry
from cairn.sessions.journal_store import LineFilter
from cairn.sessions.service import LaunchTarget
from cairn.worker.runner import default_jobs

Target = Callable[[int, Lesson], LaunchTarget]
DAY_US = 86_400 * 1_000_000
BASE = "http://cairn.test"


def _open(database: Database, target: LaunchTarget) -> int:
    with database.writing() as conn:
        return service.open_session(conn=conn, target=target, mode="normal",
                                    base_url=BASE).session_id


def _lines(count: int, *, call: str = "SetValue", start: int = 0,
           at: int = 1_000) -> list[JournalEntry]:
    return [JournalEntry(seq=start + index, call=call, element="cmi.location", value=str(index),
                         result="true", error_code=0, occurred_us=at + index)
            for index in range(count)]


def _record(database: Database, session_id: int, entries: list[JournalEntry],
            now: int | None = None) -> int:
    with database.writing() as conn:
        row = service.session_for_update(conn=conn, session_id=session_id)
        return journal.record(conn=conn, session=row, entries=entries, now=now)


def test_untraced_learners_leave_no_journal(database: Database, make_target: Target,
                                            learner_id: int, lesson_12: Lesson) -> None:
    session_id = _open(database, make_target(learner_id, lesson_12))
    assert _record(database, session_id, _lines(3)) == 0
    with database.reading() as conn:
        assert journal.lines_of(conn=conn, session_id=session_id) == []


def test_traced_learners_have_every_call_kept_once(database: Database, make_target: Target,
                                                   learner_id: int, lesson_12: Lesson) -> None:
    with database.writing() as conn:
        tracing = journal.change_tracing(conn=conn, by="admin", add=[learner_id, learner_id])
    assert [entry.learner_id for entry in tracing.learners] == [learner_id]
    session_id = _open(database, make_target(learner_id, lesson_12))
    assert _record(database, session_id, _lines(3)) == 3
    _record(database, session_id, _lines(4))  # a resent commit repeats lines 0..2
    with database.reading() as conn:
        lines = journal.lines_of(conn=conn, session_id=session_id)
    assert [line.seq for line in lines] == [0, 1, 2, 3]
    assert lines[0].call == "SetValue" and lines[0].value == "0" and lines[0].result == "true"


def test_trace_everyone_and_untracing(database: Database, make_target: Target,
                                      make_learner: Callable[[str], int],
                                      lesson_12: Lesson) -> None:
    listed, other = make_learner("listed"), make_learner("other")
    with database.writing() as conn:
        journal.change_tracing(conn=conn, by="admin", trace_everyone=True, add=[listed])
        assert journal.is_traced(conn=conn, learner_id=other)
        journal.change_tracing(conn=conn, by="admin", trace_everyone=False, remove=[listed])
        assert not journal.is_traced(conn=conn, learner_id=listed)
        assert journal.tracing(conn=conn).trace_everyone is False
        with pytest.raises(NotFound):
            journal.change_tracing(conn=conn, by="admin", add=[999_999])


def test_a_line_that_is_not_a_scorm_call_is_refused(database: Database, make_target: Target,
                                                    learner_id: int, lesson_12: Lesson) -> None:
    session_id = _open(database, make_target(learner_id, lesson_12))
    with pytest.raises(InvalidInput, match=r"journal\[1\]: call 'eval'"):
        _record(database, session_id, [*_lines(1), *_lines(1, call="eval", start=1)])


def test_the_journal_is_searchable(database: Database, make_target: Target,
                                   make_learner: Callable[[str], int], lesson_12: Lesson,
                                   lesson_2004: Lesson) -> None:
    ann, bob = make_learner("ann"), make_learner("bob")
    with database.writing() as conn:
        journal.change_tracing(conn=conn, by="admin", trace_everyone=True)
    first = _open(database, make_target(ann, lesson_12))
    second = _open(database, make_target(bob, lesson_2004))
    _record(database, first, _lines(2, call="LMSSetValue", at=1_000))
    _record(database, second, [*_lines(1, call="Initialize", at=5_000),
                               *_lines(1, call="SetValue", start=1, at=6_000)])

    def found(**wanted: object) -> list[tuple[int, int]]:
        with database.reading() as conn:
            lines = journal.search(conn=conn, wanted=LineFilter(**wanted))  # type: ignore[arg-type]
        return [(line.session_id, line.seq) for line in lines]

    assert found(learner_id=ann) == [(first, 0), (first, 1)]
    assert found(course_id=lesson_2004.course_id) == [(second, 0), (second, 1)]
    assert found(lesson_id=lesson_12.id, call="LMSSetValue") == [(first, 0), (first, 1)]
    assert found(call="Initialize") == [(second, 0)]
    assert found(since_us=5_000, until_us=6_000) == [(second, 0)]
    assert found(session_id=second) == [(second, 0), (second, 1)]
    with pytest.raises(InvalidInput, match="call"), database.reading() as conn:
        journal.search(conn=conn, wanted=LineFilter(call="DROP TABLE"))


def test_old_journal_lines_are_purged(database: Database, make_target: Target,
                                      learner_id: int, lesson_12: Lesson) -> None:
    with database.writing() as conn:
        journal.change_tracing(conn=conn, by="admin", add=[learner_id])
    session_id = _open(database, make_target(learner_id, lesson_12))
    now = now_us()
    _record(database, session_id, _lines(2), now=now - 31 * DAY_US)
    _record(database, session_id, _lines(1, start=2), now=now)
    with database.writing() as conn:
        assert journal.purge(conn=conn, older_than_days=30, now=now) == 2
        assert [line.seq for line in journal.lines_of(conn=conn, session_id=session_id)] == [2]


def test_the_worker_runs_the_session_jobs(database: Database, make_target: Target,
                                          learner_id: int, lesson_12: Lesson,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert {jobs.close_stale_sessions, jobs.purge_journal} <= {
        getattr(job, "job", job) for job in default_jobs()}
    session_id = _open(database, make_target(learner_id, lesson_12))
    with database.writing() as conn:
        store.update_session(conn, session_id, updated_us=now_us() - 3 * DAY_US)
    monkeypatch.setenv("CAIRN_SESSION_AUTO_CLOSE_DAYS", "5")
    assert jobs.close_stale_sessions(database) == 0
    monkeypatch.setenv("CAIRN_SESSION_AUTO_CLOSE_DAYS", "2")
    assert jobs.close_stale_sessions(database) == 1
    assert jobs.purge_journal(database) == 0


def test_session_events_queue_webhooks_in_the_same_transaction(
        database: Database, settings: Settings, make_target: Target, learner_id: int,
        lesson_12: Lesson) -> None:
    with database.writing() as conn:
        outbound.create_subscription(
            conn=conn, box=secret_box(settings.resolved_secret_key()),
            url="http://127.0.0.1:9/hook", event_types=["session.launched", "session.closed",
                                                         "session.abandoned"],
            filters={"course": [str(lesson_12.course_id)]}, allow_private=True)
    first = _open(database, make_target(learner_id, lesson_12))
    with database.writing() as conn:
        service.close_session(conn=conn, session_id=first, closed_by="admin", reason="test",
                              base_url=BASE)
    with database.reading() as conn:
        rows = conn.execute(select(outbound_deliveries.c.event_type, outbound_deliveries.c.payload)
                            .order_by(outbound_deliveries.c.id)).all()
    assert [row.event_type for row in rows] == ["session.launched", "session.abandoned",
                                                "session.closed"]
    body = orjson.loads(rows[1].payload)
    assert body["data"]["session_id"] == first
    assert body["data"]["learner"]["external_id"] == "learner-1"
    assert body["data"]["data"] == {"reason": "test", "closed_by": "admin"}
