"""SQL for worker heartbeats."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from cairn.clock import us_to_iso
from cairn.db.tables import worker_heartbeats


def record_start(conn: Connection, worker_id: str, now: int) -> None:
    conn.execute(worker_heartbeats.delete().where(worker_heartbeats.c.worker_id == worker_id))
    conn.execute(worker_heartbeats.insert().values(
        worker_id=worker_id, started_us=now, beat_us=now, jobs_run=0))


def record_beat(conn: Connection, worker_id: str, now: int, jobs_run: int) -> None:
    conn.execute(update(worker_heartbeats)
                 .where(worker_heartbeats.c.worker_id == worker_id)
                 .values(beat_us=now, jobs_run=worker_heartbeats.c.jobs_run + jobs_run))


def record_stop(conn: Connection, worker_id: str) -> None:
    conn.execute(worker_heartbeats.delete().where(worker_heartbeats.c.worker_id == worker_id))


def latest_heartbeats(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute(select(worker_heartbeats)
                        .order_by(worker_heartbeats.c.beat_us.desc()).limit(limit)).mappings()
    return [{"worker_id": row["worker_id"], "started_at": us_to_iso(row["started_us"]),
             "last_beat_at": us_to_iso(row["beat_us"]), "jobs_run": row["jobs_run"]}
            for row in rows]
