"""Worker jobs of the sessions context: auto-closing stale sessions, pruning the journal.

Each job runs in its own transaction and reads its horizon from the
settings (``CAIRN_SESSION_AUTO_CLOSE_DAYS``, ``CAIRN_JOURNAL_RETENTION_DAYS``)
each round, so an operator's change applies without a restart of the code
that built the job list.
"""

from __future__ import annotations

from cairn.config import Settings
from cairn.db.engine import Database
from cairn.sessions import journal, service


def close_stale_sessions(database: Database) -> int:
    """Close sessions that got neither Terminate nor a commit for the configured days."""
    settings = Settings()
    with database.writing() as conn:
        return service.close_stale_sessions(conn=conn, base_url=settings.base_url,
                                            older_than_days=settings.session_auto_close_days)


def purge_journal(database: Database) -> int:
    """Delete journal lines past the retention period, a batch at a time."""
    days = Settings().journal_retention_days
    with database.writing() as conn:
        return journal.purge(conn=conn, older_than_days=days)
