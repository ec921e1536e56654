"""outbound: webhook subscriptions, forwarding rules, the delivery outbox

Revision ID: 0101_outbound
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0101_outbound'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
PENDING_ONLY = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table('webhook_subscriptions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('description', sa.String(length=200), server_default='', nullable=False),
    sa.Column('filters', sa.Text(), server_default='{}', nullable=False),
    sa.Column('secret_encrypted', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('disabled_reason', sa.Text(), nullable=True),
    sa.Column('disabled_us', BIG, nullable=True),
    sa.Column('created_us', BIG, nullable=False),
    sa.Column('updated_us', BIG, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscriptions'))
    )
    op.create_table('webhook_subscription_events',
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['webhook_subscriptions.id'], name=op.f('fk_webhook_subscription_events_subscription_id_webhook_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_type', 'subscription_id', name=op.f('pk_webhook_subscription_events'))
    )
    with op.batch_alter_table('webhook_subscription_events', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_subscription_events_subscription_id', ['subscription_id'], unique=False)

    op.create_table('forwarding_rules',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('endpoint', sa.Text(), nullable=False),
    sa.Column('username', sa.String(length=200), nullable=False),
    sa.Column('password_encrypted', sa.Text(), nullable=False),
    sa.Column('xapi_version', sa.String(length=10), nullable=False),
    sa.Column('verbs', sa.Text(), server_default='[]', nullable=False),
    sa.Column('activities', sa.Text(), server_default='[]', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('disabled_reason', sa.Text(), nullable=True),
    sa.Column('disabled_us', BIG, nullable=True),
    sa.Column('created_us', BIG, nullable=False),
    sa.Column('updated_us', BIG, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forwarding_rules'))
    )
    with op.batch_alter_table('forwarding_rules', schema=None) as batch_op:
        batch_op.create_index('ix_forwarding_rules_is_active', ['is_active'], unique=False)

    op.create_table('outbound_deliveries',
    sa.Column('id', BIG, autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('order_key', sa.String(length=300), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('occurred_us', BIG, nullable=False),
    sa.Column('created_us', BIG, nullable=False),
    sa.Column('window_start_us', BIG, nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_us', BIG, nullable=False),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('claimed_until_us', BIG, nullable=True),
    sa.Column('finished_us', BIG, nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['rule_id'], ['forwarding_rules.id'], name=op.f('fk_outbound_deliveries_rule_id_forwarding_rules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['webhook_subscriptions.id'], name=op.f('fk_outbound_deliveries_subscription_id_webhook_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_deliveries')),
    sa.UniqueConstraint('rule_id', 'event_id', name='uq_outbound_deliveries_rule'),
    sa.UniqueConstraint('subscription_id', 'event_id', name='uq_outbound_deliveries_subscription')
    )
    with op.batch_alter_table('outbound_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_deliveries_due', ['next_attempt_us'], unique=False, sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY)
        batch_op.create_index('ix_outbound_deliveries_order', ['order_key', 'id'], unique=False, sqlite_where=PENDING_ONLY, postgresql_where=PENDING_ONLY)
        batch_op.create_index('ix_outbound_deliveries_rule_status', ['rule_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_outbound_deliveries_subscription_status', ['subscription_id', 'status', 'id'], unique=False)

    op.create_table('outbound_attempts',
    sa.Column('id', BIG, autoincrement=True, nullable=False),
    sa.Column('delivery_id', BIG, nullable=False),
    sa.Column('attempted_us', BIG, nullable=False),
    sa.Column('worker_id', sa.String(length=100), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('response_excerpt', sa.Text(), server_default='', nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['outbound_deliveries.id'], name=op.f('fk_outbound_attempts_delivery_id_outbound_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_attempts'))
    )
    with op.batch_alter_table('outbound_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_attempts_delivery_id', ['delivery_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_table('outbound_attempts')
    op.drop_table('outbound_deliveries')
    op.drop_table('forwarding_rules')
    op.drop_table('webhook_subscription_events')
    op.drop_table('webhook_subscriptions')
