"""Sessions and attempts on a real database: opening, commits, terminating, resuming."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from cairn.catalog.models import Lesson
from cairn.db.engine import Database
from cairn.db.tables import attempts, session_interactions, session_objectives
from cairn.errors import Conflict, InvalidInput
from cairn.sessions import service, store
from cairn.sessions.events import ProgressEvent, ProgressKind, Score
from cairn.sessions.models import InteractionRow, ObjectiveRow, SessionUpdate
from cairn.sessions.progress import apply_events
from cairn.sessions.service import LaunchTarget, Opened

Target = Callable[[int, Lesson], LaunchTarget]
LAUNCH = {"cmi.learner_id": "learner-1"}
BASE = "http://cairn.test"


@pytest.fixture()
def open_session(database: Database) -> Callable[..., Opened]:
    def open_(target: LaunchTarget, mode: Any = "normal", **options: Any) -> Opened:
        with database.writing() as conn:
            opened = service.open_session(conn=conn, target=target, mode=mode, base_url=BASE,
                                          **options)
            service.set_launch_values(conn=conn, session_id=opened.session_id,
                                      values={**LAUNCH, "cmi.entry": opened.entry})
            return opened
    return open_


@pytest.fixture()
def commit(database: Database) -> Callable[..., int]:
    """Record an update and, with ``terminate=True``, the content's Terminate."""

    def run(session_id: int, *, terminate: bool = False, **fields: Any) -> int:
        update = SessionUpdate(cmi=fields.pop("cmi", {}),
                               session_time_cs=fields.pop("session_time_cs", 0), **fields)
        with database.writing() as conn:
            row = service.session_for_update(conn=conn, session_id=session_id)
            total = service.record_update(conn=conn, session=row, update=update)
            if terminate:
                apply_events(conn=conn, base_url=BASE, events=[ProgressEvent(
                    kind=ProgressKind.TERMINATED, learner_id=row["learner_id"],
                    lesson_id=row["lesson_id"], session_id=session_id, occurred_us=1)])
            return total
    return run


def _attempt(database: Database, attempt_id: int) -> Any:
    with database.reading() as conn:
        return store.attempt_by_id(conn, attempt_id)


def _session(database: Database, session_id: int) -> Any:
    with database.reading() as conn:
        return service.get_session(conn=conn, session_id=session_id)


def test_the_first_launch_opens_attempt_1_ab_initio(
        open_session: Callable[..., Opened], make_target: Target, learner_id: int,
        lesson_2004: Lesson, database: Database) -> None:
    opened = open_session(make_target(learner_id, lesson_2004))
    assert (opened.attempt_number, opened.entry, opened.credit) == (1, "ab-initio", "credit")
    assert opened.new_attempt and opened.cmi == {} and opened.resumed_session_id is None
    session = _session(database, opened.session_id)
    assert (session.state, session.mode, session.entry) == ("open", "normal", "ab-initio")
    with database.reading() as conn:
        assert service.launch_values(conn=conn, session_id=opened.session_id) == {
            **LAUNCH, "cmi.entry": "ab-initio"}


def test_a_commit_stores_columns_rows_and_the_server_total_time(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_2004: Lesson, database: Database) -> None:
    opened = open_session(make_target(learner_id, lesson_2004))
    interactions = [InteractionRow(position=0, identifier="q1", type="choice",
                                   learner_response="a", correct_responses=["a", "b"],
                                   objective_ids=["o1"], result="correct", weighting=1.0,
                                   latency_cs=250, description="Q1",
                                   timestamp="2026-01-01T10:00:00")]
    objectives = [ObjectiveRow(position=0, identifier="o1", success_status="passed",
                               completion_status="completed", score=Score(scaled=0.9),
                               progress_measure=1.0)]
    fields: dict[str, Any] = {
        "cmi": {"cmi.location": "p2"}, "completion_status": "incomplete",
        "success_status": "unknown", "score": Score(scaled=0.5, raw=5, min=0, max=10),
        "progress_measure": 0.5, "location": "p2", "suspend_data": "s" * 70_000,
        "exit": "suspend", "interactions": interactions, "objectives": objectives}
    assert commit(opened.session_id, session_time_cs=6000, **fields) == 6000
    # The latest session_time wins: a second commit is not added to the first.
    assert commit(opened.session_id, session_time_cs=9000, **fields) == 9000
    session = _session(database, opened.session_id)
    assert session.commit_count == 2 and session.total_time_seconds == 90
    assert session.score.scaled == 0.5 and session.location == "p2"
    assert _attempt(database, opened.attempt_id)["total_time_cs"] == 9000
    with database.reading() as conn:
        detail = service.session_detail(conn=conn, session_id=opened.session_id)
        assert conn.execute(select(session_interactions)).mappings().one()["identifier"] == "q1"
        assert len(conn.execute(select(session_objectives)).all()) == 1
    assert detail.suspend_data == "s" * 70_000
    assert detail.interactions[0].correct_responses == ["a", "b"]
    assert detail.interactions[0].latency_seconds == 2.5
    assert detail.objectives[0].score.scaled == 0.9
    assert detail.cmi == {"cmi.location": "p2"}


def test_a_suspended_2004_session_is_resumed_in_the_same_attempt(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_2004: Lesson) -> None:
    target = make_target(learner_id, lesson_2004)
    first = open_session(target)
    commit(first.session_id, terminate=True, session_time_cs=6000, exit="suspend",
           cmi={"cmi.suspend_data": "visit=2", "cmi.exit": "suspend"}, suspend_data="visit=2")
    second = open_session(target, carry_over=lambda cmi: {
        name: value for name, value in cmi.items() if name != "cmi.exit"})
    assert (second.attempt_id, second.entry, second.new_attempt) == (first.attempt_id, "resume",
                                                                     False)
    assert second.cmi == {"cmi.suspend_data": "visit=2"}
    assert second.prior_total_time_cs == 6000


@pytest.mark.parametrize("exit_value", ["normal", "", "time-out", "logout"])
def test_a_2004_session_that_does_not_suspend_ends_its_attempt(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_2004: Lesson, database: Database, exit_value: str) -> None:
    target = make_target(learner_id, lesson_2004)
    first = open_session(target)
    commit(first.session_id, terminate=True, session_time_cs=100, exit=exit_value,
           cmi={"cmi.suspend_data": "x"})
    ended = _attempt(database, first.attempt_id)
    assert ended["state"] == "ended" and f"exit {exit_value or '(not set)'}" in \
        ended["ended_reason"]
    second = open_session(target)
    assert (second.attempt_number, second.entry, second.cmi) == (2, "ab-initio", {})
    assert second.prior_total_time_cs == 0


def test_suspend_all_through_navigation_suspends_a_2004_attempt(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_2004: Lesson) -> None:
    target = make_target(learner_id, lesson_2004)
    first = open_session(target)
    commit(first.session_id, terminate=True, exit="", nav_request="suspendAll")
    assert open_session(target).entry == "resume"


@pytest.mark.parametrize(("status", "exit_value", "new_attempt", "entry"), [
    (("completed", "unknown"), "", True, "ab-initio"),
    (("completed", "passed"), "logout", True, "ab-initio"),
    (("completed", "passed"), "suspend", False, "resume"),
    (("completed", "failed"), "", False, ""),
    (("incomplete", "unknown"), "", False, ""),
    (("incomplete", "unknown"), "time-out", False, ""),
    (("incomplete", "unknown"), "suspend", False, "resume"),
])
def test_scorm_12_starts_a_new_attempt_only_after_completed_or_passed_and_a_normal_exit(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_12: Lesson, status: tuple[str, str], exit_value: str,
        new_attempt: bool, entry: str) -> None:
    target = make_target(learner_id, lesson_12)
    first = open_session(target)
    commit(first.session_id, terminate=True, completion_status=status[0],
           success_status=status[1], exit=exit_value)
    second = open_session(target)
    assert (second.new_attempt, second.entry) == (new_attempt, entry)
    assert second.attempt_number == (2 if new_attempt else 1)


def test_a_relaunch_closes_the_open_session_and_resumes_from_its_last_commit(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_12: Lesson, database: Database) -> None:
    target = make_target(learner_id, lesson_12)
    first = open_session(target)
    commit(first.session_id, session_time_cs=4200, location="page-3",
           cmi={"cmi.core.lesson_location": "page-3"})
    second = open_session(target)
    old = _session(database, first.session_id)
    assert (old.state, old.closed_by) == ("closed", "cairn")
    assert "launched the lesson again" in (old.closed_reason or "")
    assert old.location == "page-3"  # the last committed data is kept
    assert second.resumed_session_id == first.session_id
    assert (second.attempt_id, second.entry) == (first.attempt_id, "resume")
    assert second.cmi == {"cmi.core.lesson_location": "page-3"}
    assert second.prior_total_time_cs == 4200
    assert _session(database, second.session_id).location == "page-3"
    with pytest.raises(Conflict, match="is closed"), database.writing() as conn:
        service.session_for_update(conn=conn, session_id=first.session_id)


def test_a_launch_that_never_committed_keeps_its_entry(
        open_session: Callable[..., Opened], make_target: Target, learner_id: int,
        lesson_12: Lesson) -> None:
    target = make_target(learner_id, lesson_12)
    open_session(target)
    assert open_session(target).entry == "ab-initio"


def test_a_new_attempt_on_request_ends_the_active_one(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_12: Lesson, database: Database) -> None:
    target = make_target(learner_id, lesson_12)
    first = open_session(target)
    commit(first.session_id, terminate=True, exit="suspend")
    second = open_session(target, new_attempt=True)
    assert (second.attempt_number, second.entry) == (2, "ab-initio")
    assert _attempt(database, first.attempt_id)["ended_reason"] == "a new attempt was requested"


def test_review_sessions_do_not_count_as_attempts(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_2004: Lesson, database: Database) -> None:
    target = make_target(learner_id, lesson_2004)
    first = open_session(target)
    commit(first.session_id, terminate=True, session_time_cs=500, exit="normal",
           cmi={"cmi.location": "end"})
    review = open_session(target, mode="review")
    assert (review.attempt_id, review.credit) == (first.attempt_id, "no-credit")
    commit(review.session_id, terminate=True, session_time_cs=99_999, exit="normal")
    assert _attempt(database, first.attempt_id)["total_time_cs"] == 500
    with database.reading() as conn:
        assert len(conn.execute(select(attempts)).all()) == 1
    with pytest.raises(InvalidInput, match="mode"):
        open_session(target, mode="practice")


def test_closing_by_hand_records_who_and_why(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        learner_id: int, lesson_12: Lesson, database: Database) -> None:
    opened = open_session(make_target(learner_id, lesson_12))
    commit(opened.session_id, location="p9", cmi={"cmi.core.lesson_location": "p9"})
    with database.writing() as conn:
        with pytest.raises(InvalidInput, match="reason"):
            service.close_session(conn=conn, session_id=opened.session_id,
                                  closed_by="admin@example.com", reason="  ", base_url=BASE)
        closed = service.close_session(conn=conn, session_id=opened.session_id,
                                       closed_by="admin@example.com", reason="learner left",
                                       base_url=BASE)
    assert (closed.state, closed.closed_by, closed.closed_reason) == (
        "closed", "admin@example.com", "learner left")
    assert closed.location == "p9" and closed.ended_at is not None
    with pytest.raises(Conflict, match="already closed"), database.writing() as conn:
        service.close_session(conn=conn, session_id=opened.session_id, closed_by="x",
                              reason="again", base_url=BASE)


def test_open_sessions_are_listed_and_stale_ones_closed_by_the_worker(
        open_session: Callable[..., Opened], commit: Callable[..., int], make_target: Target,
        make_learner: Callable[[str], int], lesson_12: Lesson, database: Database) -> None:
    stale = open_session(make_target(make_learner("a"), lesson_12))
    fresh = open_session(make_target(make_learner("b"), lesson_12))
    done = open_session(make_target(make_learner("c"), lesson_12))
    commit(done.session_id, terminate=True)
    with database.reading() as conn:
        listed = service.list_sessions(conn=conn, state="open")
    assert [session.id for session in listed] == [stale.session_id, fresh.session_id]
    with database.writing() as conn:
        store.update_session(conn, stale.session_id, updated_us=0)
        assert service.close_stale_sessions(conn=conn, older_than_days=30, base_url=BASE) == 1
    closed = _session(database, stale.session_id)
    assert (closed.state, closed.closed_by) == ("closed", "worker")
    assert "CAIRN_SESSION_AUTO_CLOSE_DAYS" in (closed.closed_reason or "")
    assert _session(database, fresh.session_id).state == "open"


def test_list_filters_are_checked(database: Database) -> None:
    with database.reading() as conn:
        with pytest.raises(InvalidInput, match="state"):
            service.list_sessions(conn=conn, state="dormant")
        with pytest.raises(InvalidInput, match="limit"):
            service.list_sessions(conn=conn, limit=0)
