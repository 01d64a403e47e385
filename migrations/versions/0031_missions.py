"""Missions: a deployment's logistics (travel, stay, visa, insurance) and checklist, the accepted versions of
its letter of assignment, and the expert's expense claims with their items, receipts and history.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 10:57:14
"""
import sqlalchemy as sa
from alembic import op

import workflow.core.money
import workflow.database

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('expense_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='claimstatus', native_enum=False, length=40), nullable=False),
    sa.Column('submitted_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('approved_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint("status != 'approved' OR approved_eur IS NOT NULL", name=op.f('ck_expense_claims_approved_has_amount')),
    sa.CheckConstraint("status != 'returned' OR return_reason IS NOT NULL", name=op.f('ck_expense_claims_returned_has_reason')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_expense_claims_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_expense_claims_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_expense_claims_deployment_id_deployments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_claims'))
    )
    with op.batch_alter_table('expense_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_claims_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_deployment_id'), ['deployment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('letter_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_letter_acceptances_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_letter_acceptances_deployment_id_deployments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_acceptances')),
    sa.UniqueConstraint('deployment_id', 'version', name='uq_letter_acceptances_deployment_version')
    )
    with op.batch_alter_table('letter_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_acceptances_accepted_by_id'), ['accepted_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_acceptances_deployment_id'), ['deployment_id'], unique=False)

    op.create_table('mission_checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('done_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mission_checklist_items_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_mission_checklist_items_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_mission_checklist_items_done_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mission_checklist_items'))
    )
    with op.batch_alter_table('mission_checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mission_checklist_items_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mission_checklist_items_deployment_id'), ['deployment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mission_checklist_items_done_at'), ['done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mission_checklist_items_done_by_id'), ['done_by_id'], unique=False)

    op.create_table('mission_logistics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('outbound_date', sa.Date(), nullable=True),
    sa.Column('outbound_route', sa.String(length=200), nullable=True),
    sa.Column('outbound_booking', sa.String(length=60), nullable=True),
    sa.Column('outbound_cost_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=True),
    sa.Column('return_date', sa.Date(), nullable=True),
    sa.Column('return_route', sa.String(length=200), nullable=True),
    sa.Column('return_booking', sa.String(length=60), nullable=True),
    sa.Column('return_cost_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=True),
    sa.Column('accommodation', sa.Text(), nullable=True),
    sa.Column('visa_status', sa.Enum('not_needed', 'needed', 'requested', 'granted', name='visastatus', native_enum=False, length=40), nullable=False),
    sa.Column('visa_date', sa.Date(), nullable=True),
    sa.Column('insurance', sa.Text(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint("visa_status NOT IN ('requested', 'granted') OR visa_date IS NOT NULL", name=op.f('ck_mission_logistics_visa_step_has_date')),
    sa.CheckConstraint('outbound_cost_eur IS NULL OR outbound_cost_eur >= 0', name=op.f('ck_mission_logistics_outbound_cost_not_negative')),
    sa.CheckConstraint('return_cost_eur IS NULL OR return_cost_eur >= 0', name=op.f('ck_mission_logistics_return_cost_not_negative')),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_mission_logistics_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_mission_logistics_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mission_logistics')),
    sa.UniqueConstraint('deployment_id', name=op.f('uq_mission_logistics_deployment_id'))
    )
    with op.batch_alter_table('mission_logistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mission_logistics_updated_by_id'), ['updated_by_id'], unique=False)

    op.create_table('claim_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('category', sa.Enum('expert_fees', 'daily_allowances', 'travel', 'venue_catering', 'interpretation_translation', 'other', name='costcategory', native_enum=False, length=40), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=True),
    sa.Column('amount', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate', workflow.core.money.ExactDecimal(precision=18, scale=6), nullable=False),
    sa.Column('amount_eur', workflow.core.money.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('receipt_stored_name', sa.String(length=80), nullable=True),
    sa.Column('receipt_file_name', sa.String(length=255), nullable=True),
    sa.Column('receipt_content_type', sa.String(length=120), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('amount > 0 AND amount_eur > 0', name=op.f('ck_claim_items_amounts_positive')),
    sa.CheckConstraint('rate > 0', name=op.f('ck_claim_items_rate_positive')),
    sa.ForeignKeyConstraint(['claim_id'], ['expense_claims.id'], name=op.f('fk_claim_items_claim_id_expense_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_items')),
    sa.UniqueConstraint('receipt_stored_name', name=op.f('uq_claim_items_receipt_stored_name'))
    )
    with op.batch_alter_table('claim_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_items_claim_id'), ['claim_id'], unique=False)

    op.create_table('claim_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='claimstatus', native_enum=False, length=40), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='claimstatus', native_enum=False, length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_claim_transitions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['claim_id'], ['expense_claims.id'], name=op.f('fk_claim_transitions_claim_id_expense_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_transitions'))
    )
    with op.batch_alter_table('claim_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_transitions_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_transitions_claim_id'), ['claim_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('claim_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_transitions_claim_id'))
        batch_op.drop_index(batch_op.f('ix_claim_transitions_actor_id'))

    op.drop_table('claim_transitions')
    with op.batch_alter_table('claim_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_items_claim_id'))

    op.drop_table('claim_items')
    with op.batch_alter_table('mission_logistics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mission_logistics_updated_by_id'))

    op.drop_table('mission_logistics')
    with op.batch_alter_table('mission_checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mission_checklist_items_done_by_id'))
        batch_op.drop_index(batch_op.f('ix_mission_checklist_items_done_at'))
        batch_op.drop_index(batch_op.f('ix_mission_checklist_items_deployment_id'))
        batch_op.drop_index(batch_op.f('ix_mission_checklist_items_created_by_id'))

    op.drop_table('mission_checklist_items')
    with op.batch_alter_table('letter_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_acceptances_deployment_id'))
        batch_op.drop_index(batch_op.f('ix_letter_acceptances_accepted_by_id'))

    op.drop_table('letter_acceptances')
    with op.batch_alter_table('expense_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_claims_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_status'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_deployment_id'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_created_by_id'))

    op.drop_table('expense_claims')
