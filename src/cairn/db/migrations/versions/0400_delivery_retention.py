"""an index for deleting old finished deliveries

Revision ID: 0400_delivery_retention
Revises: 0300_attempt_progress

The worker now deletes deliveries finished more than
CAIRN_WEBHOOK_RETENTION_DAYS ago, oldest first; this index lets it find them
without reading the whole outbox each round.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0400_delivery_retention"
down_revision: str | Sequence[str] | None = "0300_attempt_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbound_deliveries_finished", "outbound_deliveries", ["finished_us"])


def downgrade() -> None:
    op.drop_index("ix_outbound_deliveries_finished", table_name="outbound_deliveries")
