"""sessions: attempts, sessions, interactions, objectives, journal, tracing

Revision ID: 0103_sessions
Revises: 0102_catalog
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0103_sessions'
down_revision: str | None = '0102_catalog'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('trace_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trace_everyone', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.Column('updated_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint('id = 1', name=op.f('ck_trace_settings_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trace_settings'))
    )
    op.create_table('attempts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='active', nullable=False),
    sa.Column('total_time_cs', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default='0', nullable=False),
    sa.Column('started_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ended_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('ended_reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint("state IN ('active', 'ended')", name=op.f('ck_attempts_state')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_attempts_number')),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_attempts_learner_id_learners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_attempts_lesson_id_lessons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_attempts_package_id_packages'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts')),
    sa.UniqueConstraint('learner_id', 'lesson_id', 'number', name=op.f('uq_attempts_learner_id'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempts_package_id'), ['package_id'], unique=False)
        batch_op.create_index('uq_attempts_active', ['learner_id', 'lesson_id'], unique=True, sqlite_where=sa.text("state = 'active'"), postgresql_where=sa.text("state = 'active'"))

    op.create_table('traced_learners',
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('added_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_traced_learners_learner_id_learners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_traced_learners'))
    )
    op.create_table('sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('attempt_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), server_default='open', nullable=False),
    sa.Column('mode', sa.String(length=10), server_default='normal', nullable=False),
    sa.Column('credit', sa.String(length=10), server_default='credit', nullable=False),
    sa.Column('entry', sa.String(length=10), server_default='', nullable=False),
    sa.Column('started_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('updated_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('ended_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('initialized', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('commit_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('prior_total_time_cs', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default='0', nullable=False),
    sa.Column('session_time_cs', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default='0', nullable=False),
    sa.Column('total_time_cs', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default='0', nullable=False),
    sa.Column('completion_status', sa.String(length=20), server_default='unknown', nullable=False),
    sa.Column('success_status', sa.String(length=20), server_default='unknown', nullable=False),
    sa.Column('score_scaled', sa.Float(), nullable=True),
    sa.Column('score_raw', sa.Float(), nullable=True),
    sa.Column('score_min', sa.Float(), nullable=True),
    sa.Column('score_max', sa.Float(), nullable=True),
    sa.Column('progress_measure', sa.Float(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('suspend_data', sa.Text(), nullable=True),
    sa.Column('exit', sa.String(length=20), nullable=True),
    sa.Column('nav_request', sa.String(length=300), nullable=True),
    sa.Column('cmi_json', sa.Text(), server_default='{}', nullable=False),
    sa.Column('launch_json', sa.Text(), server_default='{}', nullable=False),
    sa.CheckConstraint("mode IN ('normal', 'browse', 'review')", name=op.f('ck_sessions_mode')),
    sa.CheckConstraint("state IN ('open', 'terminated', 'closed')", name=op.f('ck_sessions_state')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_sessions_attempt_id_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_sessions_learner_id_learners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_sessions_lesson_id_lessons'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index('ix_sessions_learner_lesson', ['learner_id', 'lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sessions_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index('ix_sessions_state_updated', ['state', 'updated_us'], unique=False)
        batch_op.create_index('uq_sessions_open', ['learner_id', 'lesson_id'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('journal_lines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('call', sa.String(length=30), nullable=False),
    sa.Column('element', sa.Text(), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('error_code', sa.Integer(), server_default='0', nullable=False),
    sa.Column('occurred_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recorded_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_journal_lines_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_lines')),
    sa.UniqueConstraint('session_id', 'seq', name=op.f('uq_journal_lines_session_id'))
    )
    with op.batch_alter_table('journal_lines', schema=None) as batch_op:
        batch_op.create_index('ix_journal_lines_call', ['call'], unique=False)
        batch_op.create_index('ix_journal_lines_learner_occurred', ['learner_id', 'occurred_us'], unique=False)
        batch_op.create_index('ix_journal_lines_lesson_occurred', ['lesson_id', 'occurred_us'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_lines_recorded_us'), ['recorded_us'], unique=False)

    op.create_table('session_interactions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=True),
    sa.Column('learner_response', sa.Text(), nullable=True),
    sa.Column('correct_responses_json', sa.Text(), server_default='[]', nullable=False),
    sa.Column('objective_ids_json', sa.Text(), server_default='[]', nullable=False),
    sa.Column('result', sa.String(length=50), nullable=True),
    sa.Column('weighting', sa.Float(), nullable=True),
    sa.Column('latency_cs', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('timestamp', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_interactions_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_interactions')),
    sa.UniqueConstraint('session_id', 'position', name=op.f('uq_session_interactions_session_id'))
    )
    op.create_table('session_objectives',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.Text(), nullable=False),
    sa.Column('success_status', sa.String(length=20), nullable=True),
    sa.Column('completion_status', sa.String(length=20), nullable=True),
    sa.Column('score_scaled', sa.Float(), nullable=True),
    sa.Column('score_raw', sa.Float(), nullable=True),
    sa.Column('score_min', sa.Float(), nullable=True),
    sa.Column('score_max', sa.Float(), nullable=True),
    sa.Column('progress_measure', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_session_objectives_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_objectives')),
    sa.UniqueConstraint('session_id', 'position', name=op.f('uq_session_objectives_session_id'))
    )


def downgrade() -> None:
    op.drop_table('session_objectives')
    op.drop_table('session_interactions')
    with op.batch_alter_table('journal_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_lines_recorded_us'))
        batch_op.drop_index('ix_journal_lines_lesson_occurred')
        batch_op.drop_index('ix_journal_lines_learner_occurred')
        batch_op.drop_index('ix_journal_lines_call')

    op.drop_table('journal_lines')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index('uq_sessions_open', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index('ix_sessions_state_updated')
        batch_op.drop_index(batch_op.f('ix_sessions_lesson_id'))
        batch_op.drop_index('ix_sessions_learner_lesson')
        batch_op.drop_index(batch_op.f('ix_sessions_attempt_id'))

    op.drop_table('sessions')
    op.drop_table('traced_learners')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_attempts_active', sqlite_where=sa.text("state = 'active'"), postgresql_where=sa.text("state = 'active'"))
        batch_op.drop_index(batch_op.f('ix_attempts_package_id'))

    op.drop_table('attempts')
    op.drop_table('trace_settings')
