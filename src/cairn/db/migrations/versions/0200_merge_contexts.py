"""Join the outbound and catalog/sessions branches into one history.

Revision ID: 0200_merge_contexts
Revises: 0101_outbound, 0103_sessions
"""

from collections.abc import Sequence

revision: str = "0200_merge_contexts"
down_revision: str | Sequence[str] | None = ("0101_outbound", "0103_sessions")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to undo."""
