"""Forgetting finished deliveries once they are old.

Every event a subscription or forwarding rule wants becomes a delivery row,
and its attempts rows; delivered ones would otherwise pile up for ever (a
busy LRS forwarding every statement doubles its own row count). The worker
deletes deliveries finished more than ``CAIRN_WEBHOOK_RETENTION_DAYS`` ago, a
batch per round in its own transaction, so the delivery log and redelivery
reach back that far and no further. The setting is read each round.
"""

from __future__ import annotations

from cairn.clock import DAY_US, now_us
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.outbound import outbox

BATCH = 5000


def purge(database: Database, *, older_than_days: float, now: int | None = None,
          limit: int = BATCH) -> int:
    """Delete a batch of deliveries finished more than ``older_than_days`` ago."""
    moment = now if now is not None else now_us()
    with database.writing() as conn:
        return outbox.delete_finished_before(conn, moment - int(older_than_days * DAY_US), limit)


def purge_finished_deliveries(database: Database) -> int:
    """The worker job: :func:`purge` with the configured retention."""
    return purge(database, older_than_days=Settings().webhook_retention_days)
