"""Worker liveness, so operators can see whether background jobs are running."""

from sqlalchemy import Column, String, Table

from cairn.db.tables.base import BigId, metadata

worker_heartbeats = Table(
    "worker_heartbeats",
    metadata,
    Column("worker_id", String(100), primary_key=True),
    Column("started_us", BigId, nullable=False),
    Column("beat_us", BigId, nullable=False),
    Column("jobs_run", BigId, nullable=False, server_default="0"),
)
