"""Results frameworks per Action (objective, expected results, indicators, measurements), the stages policy
deliverables reach after closure, and a plan template's framework structure.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 10:35:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('results_frameworks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('specific_objective', sa.Text(), nullable=False),
    sa.Column('requester_may_measure', sa.Boolean(), nullable=False),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_results_frameworks_action_id_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results_frameworks')),
    sa.UniqueConstraint('action_id', name=op.f('uq_results_frameworks_action_id'))
    )
    op.create_table('expected_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('outcome', 'output', name='resultlevel', native_enum=False, length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_expected_results_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['framework_id'], ['results_frameworks.id'], name=op.f('fk_expected_results_framework_id_results_frameworks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expected_results'))
    )
    with op.batch_alter_table('expected_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expected_results_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expected_results_framework_id'), ['framework_id'], unique=False)

    op.create_table('deliverable_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deliverable_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('drafted', 'validated', 'adopted', 'implemented', name='deliverablestagename', native_enum=False, length=40), nullable=False),
    sa.Column('reached_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('check_in_months', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('check_in_months IS NULL OR check_in_months IN (6, 12)', name=op.f('ck_deliverable_stages_check_in_6_or_12')),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_deliverable_stages_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverables.id'], name=op.f('fk_deliverable_stages_deliverable_id_deliverables'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_deliverable_stages_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverable_stages')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_deliverable_stages_stored_name'))
    )
    with op.batch_alter_table('deliverable_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliverable_stages_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_stages_deliverable_id'), ['deliverable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_stages_reached_on'), ['reached_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_stages_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_stages_stage'), ['stage'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=80), nullable=False),
    sa.Column('impact_area', sa.Enum('policy_development', 'inter_institutional_coordination', 'knowledge_production', 'capacity_building', name='impactarea', native_enum=False, length=40), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('means_of_verification', sa.Text(), nullable=False),
    sa.Column('requester_may_measure', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('baseline_date IS NULL OR target_date IS NULL OR target_date >= baseline_date', name=op.f('ck_indicators_target_after_baseline')),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_indicators_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['result_id'], ['expected_results.id'], name=op.f('fk_indicators_result_id_expected_results'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_impact_area'), ['impact_area'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_result_id'), ['result_id'], unique=False)

    op.create_table('indicator_activities',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_indicator_activities_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_activities_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id', 'activity_id', name=op.f('pk_indicator_activities'))
    )
    with op.batch_alter_table('indicator_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_activities_activity_id'), ['activity_id'], unique=False)

    op.create_table('indicator_deliverables',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('deliverable_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverables.id'], name=op.f('fk_indicator_deliverables_deliverable_id_deliverables'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_deliverables_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id', 'deliverable_id', name=op.f('pk_indicator_deliverables'))
    )
    with op.batch_alter_table('indicator_deliverables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_deliverables_deliverable_id'), ['deliverable_id'], unique=False)

    op.create_table('measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_measurements_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_measurements_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_measurements_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurements')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_measurements_stored_name'))
    )
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurements_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurements_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurements_measured_on'), ['measured_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurements_recorded_by_id'), ['recorded_by_id'], unique=False)

    with op.batch_alter_table('plan_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_structure', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('plan_templates', schema=None) as batch_op:
        batch_op.drop_column('results_structure')

    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurements_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_measurements_measured_on'))
        batch_op.drop_index(batch_op.f('ix_measurements_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_measurements_action_id'))

    op.drop_table('measurements')
    with op.batch_alter_table('indicator_deliverables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_deliverables_deliverable_id'))

    op.drop_table('indicator_deliverables')
    with op.batch_alter_table('indicator_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_activities_activity_id'))

    op.drop_table('indicator_activities')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_result_id'))
        batch_op.drop_index(batch_op.f('ix_indicators_impact_area'))
        batch_op.drop_index(batch_op.f('ix_indicators_action_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('deliverable_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliverable_stages_stage'))
        batch_op.drop_index(batch_op.f('ix_deliverable_stages_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_deliverable_stages_reached_on'))
        batch_op.drop_index(batch_op.f('ix_deliverable_stages_deliverable_id'))
        batch_op.drop_index(batch_op.f('ix_deliverable_stages_action_id'))

    op.drop_table('deliverable_stages')
    with op.batch_alter_table('expected_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expected_results_framework_id'))
        batch_op.drop_index(batch_op.f('ix_expected_results_action_id'))

    op.drop_table('expected_results')
    op.drop_table('results_frameworks')
