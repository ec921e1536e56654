"""The migrations build exactly the schema the table definitions describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from cairn.db import migrate
from cairn.db.engine import Database
from cairn.db.tables import metadata


def test_migrated_schema_matches_the_table_definitions(database: Database) -> None:
    with database.reading() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_attempt_progress_is_filled_in_for_sessions_stored_before_it(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'old.db'}", pool_size=1)
    try:
        migrate.upgrade(database, "0200_merge_contexts")
        with database.writing() as conn:
            for statement in (
                "INSERT INTO learners (id, external_id, name, created_us, updated_us) "
                "VALUES (1, 'ada', 'Ada', 0, 0)",
                "INSERT INTO courses (id, identifier, title, created_us) VALUES (1, 'c', 'C', 0)",
                "INSERT INTO packages (id, course_id, version, standard, manifest_identifier, "
                "title, storage_path, size_bytes, unpacked_bytes, file_count, sha256, "
                "uploaded_by, uploaded_us) VALUES (1, 1, 1, 'scorm2004', 'm', 'C', 'p', 1, 1, 1,"
                " 'x', 'me', 0)",
                "INSERT INTO lessons (id, package_id, position, depth, identifier, title, is_sco)"
                " VALUES (1, 1, 0, 0, 'l', 'L', 1)",
                "INSERT INTO attempts (id, learner_id, lesson_id, package_id, number, state, "
                "total_time_cs, started_us) VALUES (1, 1, 1, 1, 1, 'ended', 900, 100)",
                "INSERT INTO attempts (id, learner_id, lesson_id, package_id, number, state, "
                "total_time_cs, started_us) VALUES (2, 1, 1, 1, 2, 'active', 0, 5000)",
                "INSERT INTO sessions (attempt_id, learner_id, lesson_id, state, started_us, "
                "updated_us, completion_status, success_status, progress_measure, "
                "score_scaled) VALUES "
                "(1, 1, 1, 'terminated', 100, 200, 'incomplete', 'unknown', 0.4, NULL), "
                "(1, 1, 1, 'terminated', 300, 400, 'completed', 'passed', 1.0, 0.8)"):
                conn.execute(text(statement))
        migrate.upgrade(database)
        with database.reading() as conn:
            rows = conn.execute(text(
                "SELECT id, updated_us, completed_us, completion_status, success_status, "
                "progress_measure, score_scaled, session_count FROM attempts ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [
            (1, 400, 400, "completed", "passed", 1.0, 0.8, 2),
            (2, 5000, None, "unknown", "unknown", None, None, 0)]
    finally:
        database.dispose()
