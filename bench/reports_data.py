"""A realistic reporting data set for ``bench/reports.py``, written straight into the tables.

Default size (the issue's): 10,000 learners in 200 teams (each with a manager
account), 200 courses of one package each (half SCORM 1.2, half 2004) with
1-8 lessons, 100,000 sessions grouped into attempts of 1-3 sessions, 3-10
interactions on a third of the sessions, and 1,000,000 xAPI statements whose
actors are the same learners, named the way Cairn's SCORM mirror names them
(account ``{homePage: BASE_URL, name: external_id}``).

Rows go in with SQLAlchemy Core ``executemany`` in large transactions, ids
chosen here (the database is fresh), so the full size loads in a few minutes.
Statements go through ``lrs_data.fill``, the LRS benchmark's raw-insert path.

``bench/reports.py`` calls :func:`fill`; to fill a database of your own (for
trying a query by hand), run this file with a database URL::

    .venv/bin/python bench/reports_data.py sqlite:///var/bench/mine.db --scale 0.1
    .venv/bin/python bench/reports_data.py postgresql+psycopg://…/cairn_mine --statements 0

It migrates the (new, empty) database and fills it.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, text

import lrs_data
from cairn.accounts.passwords import hash_secret
from cairn.clock import now_us
from cairn.db import migrate
from cairn.db.engine import Database
from cairn.db.tables import (
    attempts,
    courses,
    learners,
    lessons,
    packages,
    session_interactions,
    sessions,
    teams,
    users,
)
from cairn.xapi.statements.service import Writer

BASE_URL = "https://cairn.bench.example"
DAY_US = 86_400_000_000
WINDOW_DAYS = 365
ROWS_PER_TRANSACTION = 20_000
MANAGER_PASSWORD = "bench-manager-password"
INTERACTION_TYPES = ("choice", "true-false", "fill-in", "matching", "numeric", "sequencing")
SEED = 505
GENERATOR_VERSION = 2  # bump when the rows it writes change: cached databases are rebuilt


@dataclass(frozen=True)
class Sizes:
    learners: int = 10_000
    teams: int = 200
    courses: int = 200
    sessions: int = 100_000
    statements: int = 1_000_000

    def scaled(self, factor: float) -> Sizes:
        return Sizes(learners=max(int(self.learners * factor), 10),
                     teams=max(int(self.teams * factor), 2),
                     courses=max(int(self.courses * factor), 4),
                     sessions=max(int(self.sessions * factor), 100),
                     statements=int(self.statements * factor))

    @property
    def label(self) -> str:
        """Names the cached database: the sizes and the version of this generator."""
        return (f"v{GENERATOR_VERSION}-{self.learners}l-{self.teams}t-{self.courses}c-"
                f"{self.sessions}s-{self.statements}st")


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    """The size options shared by this file's command line and ``bench/reports.py``."""
    parser.add_argument("--quick", action="store_true", help="a tenth of the size")
    parser.add_argument("--scale", type=float, default=None, help="size factor (1 = full)")
    for name in ("learners", "sessions", "statements"):
        parser.add_argument(f"--{name}", type=int, help=f"{name} (after --scale/--quick)")


def sizes_from(args: argparse.Namespace) -> Sizes:
    """The default size, scaled by --scale (or --quick), then any count given outright."""
    factor = args.scale if args.scale is not None else (0.1 if args.quick else 1.0)
    sizes = Sizes().scaled(factor) if factor != 1.0 else Sizes()
    given = {name: getattr(args, name) for name in ("learners", "sessions", "statements")
             if getattr(args, name) is not None}
    return dataclasses.replace(sizes, **given)


def manager_email(team: int) -> str:
    return f"manager{team}@bench.example"


def learner_external_id(learner: int) -> str:
    return f"learner-{learner}"


def account_agent(learner: int) -> dict[str, Any]:
    """The actor Cairn's runtime writes for learner number ``learner`` (0-based)."""
    return {"objectType": "Agent", "name": f"Learner {learner}",
            "account": {"homePage": BASE_URL, "name": learner_external_id(learner)}}


@dataclass
class Loaded:
    """What was generated, for the benchmark to pick request parameters from."""

    sizes: Sizes
    first_us: int
    last_us: int
    lessons_by_course: dict[int, list[int]]
    learner_courses: dict[int, list[int]]
    session_of_learner: dict[int, int]
    seconds: dict[str, float]


def fill(database: Database, sizes: Sizes, say: Callable[[str], None] = print) -> Loaded:
    """Write the whole data set; returns what the benchmark needs to build requests."""
    rng = random.Random(SEED)
    last_us = now_us() - DAY_US
    first_us = last_us - WINDOW_DAYS * DAY_US
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with database.writing() as conn:
        lessons_by_course = _catalog(conn, sizes, rng, first_us)
    seconds["people and catalog"] = time.perf_counter() - started
    say(f"  people and catalog: {seconds['people and catalog']:.1f} s")
    started = time.perf_counter()
    learner_courses, session_of_learner = _sessions(database, sizes, rng, lessons_by_course,
                                                    first_us, last_us)
    seconds["sessions"] = time.perf_counter() - started
    say(f"  {sizes.sessions:,} sessions with attempts and interactions: "
        f"{seconds['sessions']:.1f} s")
    started = time.perf_counter()
    if sizes.statements:
        population = lrs_data.Population(learners=sizes.learners, courses=sizes.courses)
        generator = lrs_data.StatementGenerator(SEED, population, agent=account_agent)
        writer = Writer(authority={"objectType": "Agent", "name": "bench",
                                   "account": {"homePage": BASE_URL, "name": "bench"}},
                        credential_id=None)
        lrs_data.fill(database, generator, writer, count=sizes.statements, first_us=first_us,
                      last_us=last_us)
    seconds["statements"] = time.perf_counter() - started
    say(f"  {sizes.statements:,} statements: {seconds['statements']:.1f} s")
    if database.is_sqlite:
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    lrs_data.settle(database)
    return Loaded(sizes, first_us, last_us, lessons_by_course, learner_courses,
                  session_of_learner, seconds)


def _catalog(conn: Connection, sizes: Sizes, rng: random.Random, first_us: int
             ) -> dict[int, list[int]]:
    password = hash_secret(MANAGER_PASSWORD)  # one hash for every manager: argon2 is slow
    conn.execute(insert(users), [
        {"id": team + 1, "email": manager_email(team), "display_name": f"Manager {team}",
         "password_hash": password, "role": "manager", "is_active": True,
         "created_us": first_us} for team in range(sizes.teams)])
    conn.execute(insert(teams), [
        {"id": team + 1, "name": f"Team {team}", "manager_user_id": team + 1,
         "created_us": first_us} for team in range(sizes.teams)])
    conn.execute(insert(learners), [
        {"id": learner + 1, "external_id": learner_external_id(learner),
         "email": f"learner{learner}@bench.example", "employee_id": f"E{learner:06d}",
         "name": f"Learner {learner}", "team_id": learner % sizes.teams + 1,
         "created_us": first_us, "updated_us": first_us} for learner in range(sizes.learners)])
    lesson_rows: list[dict[str, Any]] = []
    lessons_by_course: dict[int, list[int]] = {}
    for course in range(1, sizes.courses + 1):
        count = rng.randint(1, 8)
        ids = list(range(len(lesson_rows) + 1, len(lesson_rows) + count + 1))
        lessons_by_course[course] = ids
        lesson_rows += [{"id": lesson_id, "package_id": course, "position": position,
                         "depth": 0, "identifier": f"sco-{position}",
                         "title": f"Course {course} lesson {position + 1}", "is_sco": True,
                         "launch_href": "index.html"}
                        for position, lesson_id in enumerate(ids)]
    conn.execute(insert(courses), [
        {"id": course, "identifier": f"bench-course-{course}", "title": f"Course {course}",
         "created_us": first_us} for course in range(1, sizes.courses + 1)])
    conn.execute(insert(packages), [
        {"id": course, "course_id": course, "version": 1,
         "standard": "scorm12" if course % 2 else "scorm2004",
         "edition": None if course % 2 else "4", "manifest_identifier": f"m-{course}",
         "title": f"Course {course}", "storage_path": f"bench-{course}", "size_bytes": 1,
         "unpacked_bytes": 1, "file_count": 1, "sha256": "0" * 64, "uploaded_by": "bench",
         "uploaded_us": first_us} for course in range(1, sizes.courses + 1)])
    conn.execute(insert(lessons), lesson_rows)
    return lessons_by_course


def _outcome(rng: random.Random, standard_12: bool) -> tuple[str, str, float | None]:
    """(completion, success, scaled score) of an attempt's last session."""
    roll = rng.random()
    if roll < 0.55:
        score = round(rng.uniform(0.3, 1.0), 2)
        success = "passed" if score >= 0.6 else "failed"
        return "completed", success, score
    if roll < 0.85:
        return "incomplete", "unknown", None
    return ("unknown" if standard_12 else "not attempted"), "unknown", None


def _sessions(database: Database, sizes: Sizes, rng: random.Random,
              lessons_by_course: dict[int, list[int]], first_us: int, last_us: int
              ) -> tuple[dict[int, list[int]], dict[int, int]]:
    learner_courses: dict[int, list[int]] = {}
    session_of_learner: dict[int, int] = {}
    batches = _session_batches(sizes, rng, lessons_by_course, first_us, last_us,
                               learner_courses, session_of_learner)
    for attempt_rows, session_rows, interaction_rows in batches:
        with database.writing() as conn:
            conn.execute(insert(attempts), attempt_rows)
            conn.execute(insert(sessions), session_rows)
            if interaction_rows:
                conn.execute(insert(session_interactions), interaction_rows)
    if not database.is_sqlite:
        with database.writing() as conn:
            for table in ("attempts", "sessions", "session_interactions", "learners", "teams",
                          "users", "courses", "packages", "lessons"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
    return learner_courses, session_of_learner


def _session_batches(sizes: Sizes, rng: random.Random, lessons_by_course: dict[int, list[int]],
                     first_us: int, last_us: int, learner_courses: dict[int, list[int]],
                     session_of_learner: dict[int, int]
                     ) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]],
                                         list[dict[str, Any]]]]:
    """Attempts of 1-3 sessions until ``sizes.sessions`` sessions exist, in batches."""
    attempt_rows: list[dict[str, Any]] = []
    session_rows: list[dict[str, Any]] = []
    interaction_rows: list[dict[str, Any]] = []
    numbers: dict[tuple[int, int], int] = {}
    unfinished: set[tuple[int, int]] = set()  # one open session / active attempt per lesson
    session_id = interaction_id = attempt_id = 0
    while session_id < sizes.sessions:
        learner = rng.randrange(sizes.learners) + 1
        chosen = learner_courses.setdefault(learner, rng.sample(
            range(1, sizes.courses + 1), k=min(4, sizes.courses)))
        course = rng.choice(chosen)
        lesson = rng.choice(lessons_by_course[course])
        number = numbers[(learner, lesson)] = numbers.get((learner, lesson), 0) + 1
        attempt_id += 1
        start = rng.randrange(first_us, last_us - 7 * DAY_US)
        count = min(rng.choice((1, 1, 2, 3)), sizes.sessions - session_id)
        completion, success, score = _outcome(rng, course % 2 == 1)
        total_cs = 0
        moment = start
        completed_us = None
        for index in range(count):
            session_id += 1
            last = index == count - 1
            session_cs = rng.randint(30, 3600) * 100
            total_cs += session_cs
            ended = moment + session_cs * 10_000
            may_stay_open = last and (learner, lesson) not in unfinished
            state = "open" if may_stay_open and rng.random() < 0.1 else "terminated"
            if state == "open":
                unfinished.add((learner, lesson))
            status = (completion, success, score) if last else ("incomplete", "unknown", None)
            done = status[0] == "completed" or status[1] == "passed"
            if done and completed_us is None:
                completed_us = ended
            session_rows.append({
                "id": session_id, "attempt_id": attempt_id, "learner_id": learner,
                "lesson_id": lesson, "state": state, "mode": "normal", "credit": "credit",
                "entry": "ab-initio" if index == 0 else "resume", "started_us": moment,
                "updated_us": ended, "ended_us": ended if state != "open" else None,
                "commit_count": rng.randint(1, 40), "prior_total_time_cs": total_cs - session_cs,
                "session_time_cs": session_cs, "total_time_cs": total_cs,
                "completion_status": status[0], "success_status": status[1],
                "score_scaled": status[2], "score_raw": None if status[2] is None
                else status[2] * 100, "score_min": 0 if status[2] is not None else None,
                "score_max": 100 if status[2] is not None else None,
                "progress_measure": 1.0 if done else round(rng.random(), 2),
                "location": f"page-{rng.randint(1, 20)}", "exit": "" if last else "suspend"})
            session_of_learner[learner] = session_id
            if rng.random() < 1 / 3:
                for position in range(rng.randint(3, 10)):
                    interaction_id += 1
                    correct = rng.random() < 0.7
                    interaction_rows.append({
                        "id": interaction_id, "session_id": session_id, "position": position,
                        "identifier": f"q{position + 1}",
                        "type": INTERACTION_TYPES[position % len(INTERACTION_TYPES)],
                        "learner_response": rng.choice("abcd"), "correct_responses_json": '["a"]',
                        "result": "correct" if correct else "incorrect", "weighting": 1.0,
                        "latency_cs": rng.randint(200, 9000)})
            moment = ended + rng.randint(1, 72) * 3_600_000_000
        attempt_rows.append({
            "id": attempt_id, "learner_id": learner, "lesson_id": lesson, "package_id": course,
            "number": number, "state": "active" if state == "open" else "ended",
            "total_time_cs": total_cs, "started_us": start, "ended_us": None
            if state == "open" else ended, "updated_us": ended, "completed_us": completed_us,
            "completion_status": completion, "success_status": success,
            "progress_measure": 1.0 if completed_us else round(rng.random(), 2),
            "score_scaled": score, "score_raw": None if score is None else score * 100,
            "score_min": None if score is None else 0, "score_max": None if score is None else 100,
            "session_count": count})
        if len(session_rows) >= ROWS_PER_TRANSACTION:
            yield attempt_rows, session_rows, interaction_rows
            attempt_rows, session_rows, interaction_rows = [], [], []
    if session_rows:
        yield attempt_rows, session_rows, interaction_rows


def build(url: str, sizes: Sizes, say: Callable[[str], None] = print) -> Loaded:
    """Migrate the new database at ``url`` and fill it (loader settings for speed)."""
    database = Database(url, pool_size=2)
    try:
        migrate.upgrade(database)
        lrs_data.bulk_load_settings(database)
        return fill(database, sizes, say)
    finally:
        database.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fill a new Cairn database with the "
                                                 "reporting benchmark's data set.")
    parser.add_argument("url", help="database URL (sqlite:///… or postgresql+psycopg://…)")
    add_size_arguments(parser)
    args = parser.parse_args(argv)
    sizes = sizes_from(args)
    print(f"filling {args.url} with {sizes}")
    started = time.perf_counter()
    build(args.url, sizes)
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
