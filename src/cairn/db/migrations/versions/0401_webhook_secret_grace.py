"""webhook subscriptions keep a rotated-out secret for a grace period

Revision ID: 0401_webhook_secret_grace
Revises: 0400_delivery_retention

Rotating a webhook secret no longer breaks receivers that have not switched
yet: until ``previous_secret_until_us`` deliveries carry a signature with the
old secret too.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0401_webhook_secret_grace"
down_revision: str | Sequence[str] | None = "0400_delivery_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MICROS = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.add_column(sa.Column("previous_secret_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("previous_secret_until_us", MICROS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.drop_column("previous_secret_until_us")
        batch.drop_column("previous_secret_encrypted")
