"""Money: Action budgets by cost category, activity cost lines (planned, committed, actual in EUR, with a
local currency's amount, rate and date), budget overruns, daily-allowance rates per country and fee rates
per expert type, each from a date on.

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-07 10:10:54
"""
import sqlalchemy as sa
from alembic import op

import workflow.core.money
import workflow.database

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('allowance_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('daily_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('daily_eur > 0', name=op.f('ck_allowance_rates_daily_positive')),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_allowance_rates_country_code_countries')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_allowance_rates_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allowance_rates')),
    sa.UniqueConstraint('country_code', 'effective_from', name='uq_allowance_rates_country_from')
    )
    with op.batch_alter_table('allowance_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allowance_rates_country_code'), ['country_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_allowance_rates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allowance_rates_effective_from'), ['effective_from'], unique=False)

    op.create_table('fee_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_type', sa.Enum('ms_official', 'partner_peer', 'academic', 'ngo', 'international_organisation', name='experttype', native_enum=False, length=40), nullable=False),
    sa.Column('daily_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('daily_eur >= 0', name=op.f('ck_fee_rates_daily_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fee_rates_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_rates')),
    sa.UniqueConstraint('expert_type', 'effective_from', name='uq_fee_rates_type_from')
    )
    with op.batch_alter_table('fee_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_rates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_rates_effective_from'), ['effective_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_rates_expert_type'), ['expert_type'], unique=False)

    op.create_table('action_budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('expert_fees', 'daily_allowances', 'travel', 'venue_catering', 'interpretation_translation', 'other', name='costcategory', native_enum=False, length=40), nullable=False),
    sa.Column('amount_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('amount_eur >= 0', name=op.f('ck_action_budget_lines_amount_not_negative')),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_budget_lines_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_action_budget_lines_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_budget_lines')),
    sa.UniqueConstraint('action_id', 'category', name='uq_action_budget_lines_action_category')
    )
    with op.batch_alter_table('action_budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_budget_lines_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_budget_lines_updated_by_id'), ['updated_by_id'], unique=False)

    op.create_table('budget_overruns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('expert_fees', 'daily_allowances', 'travel', 'venue_catering', 'interpretation_translation', 'other', name='costcategory', native_enum=False, length=40), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('budget_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('total_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_budget_overruns_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_budget_overruns_activity_id_activities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_budget_overruns_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_overruns'))
    )
    with op.batch_alter_table('budget_overruns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_overruns_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_overruns_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_overruns_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_overruns_at'), ['at'], unique=False)

    op.create_table('cost_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('expert_fees', 'daily_allowances', 'travel', 'venue_catering', 'interpretation_translation', 'other', name='costcategory', native_enum=False, length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('planned_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('committed_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('actual_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('local_amount', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=True),
    sa.Column('rate', workflow.core.money.ExactDecimal(precision=18, scale=6), nullable=True),
    sa.Column('rate_date', sa.Date(), nullable=True),
    sa.Column('computed', sa.Boolean(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('unit_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=True),
    sa.Column('source', sa.String(length=60), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('(currency IS NULL AND local_amount IS NULL AND rate IS NULL AND rate_date IS NULL) OR (currency IS NOT NULL AND local_amount IS NOT NULL AND rate IS NOT NULL AND rate_date IS NOT NULL)', name=op.f('ck_cost_lines_local_amount_complete')),
    sa.CheckConstraint('planned_eur >= 0 AND committed_eur >= 0 AND actual_eur >= 0', name=op.f('ck_cost_lines_amounts_not_negative')),
    sa.CheckConstraint('rate IS NULL OR rate > 0', name=op.f('ck_cost_lines_rate_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_cost_lines_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cost_lines_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_cost_lines_deployment_id_deployments'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_lines'))
    )
    with op.batch_alter_table('cost_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_lines_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_lines_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_lines_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_lines_deployment_id'), ['deployment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('cost_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_lines_deployment_id'))
        batch_op.drop_index(batch_op.f('ix_cost_lines_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_cost_lines_category'))
        batch_op.drop_index(batch_op.f('ix_cost_lines_activity_id'))

    op.drop_table('cost_lines')
    with op.batch_alter_table('budget_overruns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_overruns_at'))
        batch_op.drop_index(batch_op.f('ix_budget_overruns_actor_id'))
        batch_op.drop_index(batch_op.f('ix_budget_overruns_activity_id'))
        batch_op.drop_index(batch_op.f('ix_budget_overruns_action_id'))

    op.drop_table('budget_overruns')
    with op.batch_alter_table('action_budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_budget_lines_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_action_budget_lines_action_id'))

    op.drop_table('action_budget_lines')
    with op.batch_alter_table('fee_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_rates_expert_type'))
        batch_op.drop_index(batch_op.f('ix_fee_rates_effective_from'))
        batch_op.drop_index(batch_op.f('ix_fee_rates_created_by_id'))

    op.drop_table('fee_rates')
    with op.batch_alter_table('allowance_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allowance_rates_effective_from'))
        batch_op.drop_index(batch_op.f('ix_allowance_rates_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_allowance_rates_country_code'))

    op.drop_table('allowance_rates')
