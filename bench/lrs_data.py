"""Statements, rows and databases for the LRS benchmark (``bench/lrs.py``).

- :class:`StatementGenerator` makes valid, realistic xAPI 1.0.3 statements from
  a seed: ~10,000 learners (mbox Agents), 2,000 activities in 100 courses,
  15 ADL verbs with a skewed mix, 20,000 registrations, context activities,
  results on the verbs that carry one, timestamps spread over a window.
- :func:`prepare` turns a statement into exactly the rows the service stores
  (``service._prepare`` + ``facets.statement_facets``).
- :func:`write_rows` is the raw-insert path: the statement rows (a multi-row
  INSERT ... RETURNING seq) and their filter rows (executemany on SQLite, COPY
  on PostgreSQL) through SQLAlchemy Core, no HTTP, no validation. It is both the
  ceiling the HTTP figures are compared with (:func:`ceiling_rate`) and the
  way the big read database is filled (:func:`fill`).
- :func:`sqlite_databases` / :func:`postgres_databases` hand out fresh,
  empty databases by name and remove them afterwards.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, event, insert

from cairn.clock import us_to_iso
from cairn.db.engine import Database
from cairn.db.tables import xapi_statement_filters, xapi_statements
from cairn.xapi.statements.service import Prepared, Writer, _prepare

ADL = "http://adlnet.gov/expapi/verbs/"
SITE = "https://academy.example.org"
VERB_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("experienced", 20), ("progressed", 15), ("answered", 15), ("interacted", 10),
    ("attempted", 8), ("launched", 6), ("initialized", 6), ("terminated", 5),
    ("completed", 5), ("passed", 3), ("failed", 2), ("scored", 2), ("suspended", 1),
    ("resumed", 1), ("commented", 1))
RESULT_VERBS = frozenset({"answered", "completed", "passed", "failed", "scored", "terminated"})
ACTIVITY_TYPES = ("lesson", "assessment", "interaction", "media", "simulation")
CATEGORIES = ("https://w3id.org/xapi/scorm", "https://w3id.org/xapi/video",
              "https://w3id.org/xapi/tla/v0.13")
STORED_DELAY_US = 1_500_000  # a statement reaches the LRS 1.5 s after it happened
COPY_FILTERS = "COPY xapi_statement_filters (kind, value, statement_seq) FROM STDIN"


@dataclass(frozen=True)
class Population:
    """How many distinct things the statements talk about."""

    learners: int = 10_000
    courses: int = 100
    activities_per_course: int = 20
    registrations: int = 20_000

    @property
    def activities(self) -> int:
        return self.courses * self.activities_per_course


class StatementGenerator:
    """A seeded stream of statements; the same seed always gives the same statements."""

    def __init__(self, seed: int, population: Population | None = None,
                 agent: Callable[[int], dict[str, Any]] | None = None) -> None:
        self.population = population or Population()
        self._agent = agent or learner_agent
        self._rng = random.Random(seed)
        self.registrations = [self._uuid() for _ in range(self.population.registrations)]
        self._verbs = [name for name, _ in VERB_WEIGHTS]
        self._cum_weights = list(_cumulative(weight for _, weight in VERB_WEIGHTS))

    def stream(self, count: int, *, first_us: int, last_us: int) -> Iterator[dict[str, Any]]:
        """``count`` statements whose timestamps rise evenly from first_us to last_us."""
        step = (last_us - first_us) / max(count - 1, 1)
        for index in range(count):
            yield self.statement(int(first_us + index * step))

    def statement(self, timestamp_us: int) -> dict[str, Any]:
        rng, people = self._rng, self.population
        number = rng.randrange(people.registrations)
        learner = number % people.learners
        course = (number * 7919 + number // people.learners) % people.courses
        activity = course * people.activities_per_course + rng.randrange(
            people.activities_per_course)
        verb = rng.choices(self._verbs, cum_weights=self._cum_weights)[0]
        statement: dict[str, Any] = {
            "id": self._uuid(),
            "actor": self._agent(learner),
            "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": activity_object(activity),
            "context": self._context(self.registrations[number], course),
            "timestamp": us_to_iso(timestamp_us),
        }
        if verb in RESULT_VERBS:
            statement["result"] = self._result(verb)
        return statement

    def _context(self, registration: str, course: int) -> dict[str, Any]:
        return {
            "registration": registration,
            "contextActivities": {
                "parent": [{"objectType": "Activity", "id": course_iri(course)}],
                "grouping": [{"objectType": "Activity",
                              "id": f"{SITE}/programs/{course % 10}"}],
                "category": [{"objectType": "Activity",
                              "id": CATEGORIES[course % len(CATEGORIES)]}],
            },
            "platform": "Cairn benchmark",
            "language": "en-US",
            "extensions": {f"{SITE}/xapi/extensions/attempt": self._rng.randint(1, 3),
                           f"{SITE}/xapi/extensions/device": "desktop"},
        }

    def _result(self, verb: str) -> dict[str, Any]:
        raw = self._rng.randint(0, 100)
        return {
            "score": {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100},
            "success": verb != "failed" and raw >= 50,
            "completion": verb in ("completed", "passed", "terminated"),
            "duration": f"PT{self._rng.randint(0, 59)}M{self._rng.randint(0, 59)}S",
        }

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


def learner_agent(learner: int) -> dict[str, Any]:
    return {"objectType": "Agent", "name": f"Learner {learner}",
            "mbox": f"mailto:learner{learner}@example.org"}


def activity_iri(activity: int) -> str:
    return f"{SITE}/activities/{activity}"


def course_iri(course: int) -> str:
    return f"{SITE}/courses/{course}"


def activity_object(activity: int) -> dict[str, Any]:
    kind = ACTIVITY_TYPES[activity % len(ACTIVITY_TYPES)]
    return {"objectType": "Activity", "id": activity_iri(activity),
            "definition": {"name": {"en-US": f"{kind.title()} {activity}"},
                           "type": f"http://adlnet.gov/expapi/activities/{kind}"}}


def prepare(statement: dict[str, Any], writer: Writer, stored_us: int) -> Prepared:
    """The statement row and filter facets the service would store for ``statement``."""
    return _prepare(statement, writer, stored_us)


def write_rows(conn: Connection, prepared: Sequence[Prepared], *, sort_filters: bool = False
               ) -> None:
    """Insert statement rows (multi-row INSERT ... RETURNING seq), then their filter rows."""
    statements = xapi_statements
    query = insert(statements).returning(statements.c.id, statements.c.seq)
    seqs = {row.id: row.seq for row in conn.execute(query, [item.row for item in prepared])}
    facets = [{"kind": kind, "value": value, "statement_seq": seqs[item.id]}
              for item in prepared for kind, value in item.facets]
    if sort_filters:
        facets.sort(key=lambda row: (row["kind"], row["value"], row["statement_seq"]))
    _insert_filters(conn, facets)


def _insert_filters(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """sqlite3: executemany of one prepared INSERT; PostgreSQL: COPY."""
    if conn.dialect.name != "postgresql":
        conn.execute(insert(xapi_statement_filters), rows)
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(COPY_FILTERS) as copy:
        for row in rows:
            copy.write_row((row["kind"], row["value"], row["statement_seq"]))


def fill(database: Database, generator: StatementGenerator, writer: Writer, *, count: int,
         first_us: int, last_us: int, chunk: int = 20_000,
         progress: Callable[[int, float], None] | None = None) -> None:
    """Store ``count`` statements whose stored time follows their timestamp, as if they
    had arrived over the whole window; ``chunk`` per transaction, filter rows sorted
    so each index page is visited once per chunk. Reports (done, seconds inserting)."""
    pending: list[Prepared] = []
    step, inserting = (last_us - first_us) / max(count - 1, 1), 0.0
    for done in range(1, count + 1):
        timestamp_us = int(first_us + (done - 1) * step)
        statement = generator.statement(timestamp_us)
        pending.append(prepare(statement, writer, timestamp_us + STORED_DELAY_US))
        if len(pending) == chunk or done == count:
            started = time.perf_counter()
            with database.writing() as conn:
                write_rows(conn, pending, sort_filters=True)
            inserting += time.perf_counter() - started
            pending = []
            if progress is not None:
                progress(done, inserting)


def bulk_load_settings(database: Database) -> None:
    """For filling only: a 1 GiB page cache and no fsync on the loader's SQLite connections."""
    if database.is_sqlite:
        event.listen(database.engine, "connect", _bulk_pragmas)


def settle(database: Database) -> None:
    """After a bulk load: checkpoint SQLite's WAL; VACUUM ANALYZE PostgreSQL, so that
    autovacuum is not still running while reads are timed (the steady state)."""
    with database.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)" if database.is_sqlite
                             else "VACUUM ANALYZE")


def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cache_size=-1048576")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def parallel(workers: int, count: int, task: Callable[[int], None]) -> float:
    """Run task(0..count-1) on ``workers`` threads; wall-clock seconds for all of them."""
    indexes, lock, failures = iter(range(count)), threading.Lock(), list[BaseException]()

    def work() -> None:
        while not failures:
            with lock:
                index = next(indexes, None)
            if index is None:
                return
            try:
                task(index)
            except BaseException as exc:
                failures.append(exc)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    started = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except BaseException as exc:  # Ctrl-C: tell the workers to stop, then go
        failures.append(exc)
        raise
    if failures:
        raise failures[0]
    return time.perf_counter() - started


def ceiling_rate(database: Database, transactions: Sequence[Sequence[Prepared]],
                 threads: int) -> float:
    """Rows/s for writing each prepared group in its own ``Database.writing()`` transaction."""

    def write(index: int) -> None:
        with database.writing() as conn:
            write_rows(conn, transactions[index])

    seconds = parallel(threads, len(transactions), write)
    return sum(len(group) for group in transactions) / seconds


# --- fresh databases ---------------------------------------------------------------------

@contextmanager
def sqlite_databases(workdir: Path) -> Iterator[Callable[[str], str]]:
    yield lambda name: f"sqlite:///{workdir / (name + '.db')}"


@contextmanager
def postgres_databases(port: int, keep: bool) -> Iterator[Callable[[str], str]]:
    """A private server from scripts/postgres.sh; fresh ``cairn_bench_<phase>`` databases."""
    data_dir = Path(f"/tmp/cairn-bench-pg-{port}")
    was_running = (data_dir / "postmaster.pid").exists()
    existed = (data_dir / "PG_VERSION").exists()
    env = {**os.environ, "CAIRN_TEST_PG_PORT": str(port), "CAIRN_TEST_PG_DIR": str(data_dir)}
    script = str(Path(__file__).resolve().parent.parent / "scripts" / "postgres.sh")
    url = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True,
                         timeout=600).stdout.strip().splitlines()[-1]
    server = url.rsplit("/", 1)[0]
    created: list[str] = []

    def fresh(name: str) -> str:
        database = f"cairn_bench_{name}"
        _admin(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
               f"CREATE DATABASE {database} OWNER cairn")
        created.append(database)
        return f"{server}/{database}"

    try:
        yield fresh
    finally:
        if keep:
            print(f"kept: {server}/{{{','.join(created)}}}, data in {data_dir}", file=sys.stderr)
        else:
            _admin(server, *(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in created))
            if not was_running:
                subprocess.run([script, "stop"], env=env, check=False, timeout=120)
            if not existed:
                shutil.rmtree(data_dir, ignore_errors=True)


def _admin(server: str, *commands: str) -> None:
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        for command in commands:
            conn.execute(command.encode())


def _cumulative(weights: Iterator[int]) -> Iterator[int]:
    total = 0
    for weight in weights:
        total += weight
        yield total
