"""attempts carry their current progress (a read model for reports and the activity feed)

Revision ID: 0300_attempt_progress
Revises: 0200_merge_contexts

Reports list attempts by "last changed" and need each attempt's current
status without grouping every session on every request. The runtime now
keeps these columns in the same transaction as each commit; this revision
adds them and fills them from the sessions already stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0300_attempt_progress"
down_revision: str | Sequence[str] | None = "0200_merge_contexts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MICROS = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SCORES = ("score_scaled", "score_raw", "score_min", "score_max")


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("updated_us", MICROS, nullable=True))
        batch.add_column(sa.Column("completed_us", MICROS, nullable=True))
        batch.add_column(sa.Column("completion_status", sa.String(20), nullable=False,
                                   server_default="unknown"))
        batch.add_column(sa.Column("success_status", sa.String(20), nullable=False,
                                   server_default="unknown"))
        batch.add_column(sa.Column("progress_measure", sa.Float(), nullable=True))
        for name in SCORES:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))
        batch.add_column(sa.Column("session_count", sa.Integer(), nullable=False,
                                   server_default="0"))
    op.execute("""
        UPDATE attempts SET
          session_count = (SELECT COUNT(*) FROM sessions s WHERE s.attempt_id = attempts.id),
          score_scaled = (SELECT s.score_scaled FROM sessions s WHERE s.attempt_id = attempts.id
                          AND s.mode = 'normal' ORDER BY s.id DESC LIMIT 1),
          score_raw = (SELECT s.score_raw FROM sessions s WHERE s.attempt_id = attempts.id
                       AND s.mode = 'normal' ORDER BY s.id DESC LIMIT 1),
          score_min = (SELECT s.score_min FROM sessions s WHERE s.attempt_id = attempts.id
                       AND s.mode = 'normal' ORDER BY s.id DESC LIMIT 1),
          score_max = (SELECT s.score_max FROM sessions s WHERE s.attempt_id = attempts.id
                       AND s.mode = 'normal' ORDER BY s.id DESC LIMIT 1)
    """)
    op.execute("""
        UPDATE attempts SET
          updated_us = COALESCE((SELECT MAX(s.updated_us) FROM sessions s
                                 WHERE s.attempt_id = attempts.id), attempts.started_us),
          completed_us = (SELECT MIN(s.updated_us) FROM sessions s
                          WHERE s.attempt_id = attempts.id AND s.mode = 'normal'
                            AND (s.completion_status = 'completed'
                                 OR s.success_status = 'passed')),
          completion_status = COALESCE((SELECT s.completion_status FROM sessions s
                                        WHERE s.attempt_id = attempts.id AND s.mode = 'normal'
                                        ORDER BY s.id DESC LIMIT 1), 'unknown'),
          success_status = COALESCE((SELECT s.success_status FROM sessions s
                                     WHERE s.attempt_id = attempts.id AND s.mode = 'normal'
                                     ORDER BY s.id DESC LIMIT 1), 'unknown'),
          progress_measure = (SELECT s.progress_measure FROM sessions s
                              WHERE s.attempt_id = attempts.id AND s.mode = 'normal'
                              ORDER BY s.id DESC LIMIT 1)
    """)
    with op.batch_alter_table("attempts") as batch:
        batch.alter_column("updated_us", existing_type=MICROS, nullable=False)
    op.create_index("ix_attempts_updated", "attempts", ["updated_us", "id"])
    op.create_index("ix_attempts_learner_updated", "attempts", ["learner_id", "updated_us"])


def downgrade() -> None:
    op.drop_index("ix_attempts_learner_updated", "attempts")
    op.drop_index("ix_attempts_updated", "attempts")
    with op.batch_alter_table("attempts") as batch:
        for name in ("session_count", *SCORES, "progress_measure", "success_status",
                     "completion_status", "completed_us", "updated_us"):
            batch.drop_column(name)
