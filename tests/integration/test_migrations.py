"""The migrations build exactly the schema the table definitions describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cairn.db.engine import Database
from cairn.db.tables import metadata


def test_migrated_schema_matches_the_table_definitions(database: Database) -> None:
    with database.reading() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []
