"""Reusable activity plans.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('source_action_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_templates_created_by_id_users')),
    sa.ForeignKeyConstraint(['source_action_id'], ['actions.id'], name=op.f('fk_plan_templates_source_action_id_actions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_plan_templates_name'))
    )
    with op.batch_alter_table('plan_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_templates_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_templates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_templates_source_action_id'), ['source_action_id'], unique=False)

    op.create_table('plan_template_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('assessment_mission', 'fact_finding_mission', 'mapping_mission', 'workshop', 'seminar', 'training', 'training_of_trainers', 'study_visit', 'working_group_session', 'information_session', 'coordination_session', 'round_table', 'long_distance_assistance', 'deliverable_drafting', name='activitykind', native_enum=False, length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('offset_days', sa.Integer(), nullable=False),
    sa.Column('duration_days', sa.Integer(), nullable=False),
    sa.Column('is_remote', sa.Boolean(), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.CheckConstraint('duration_days >= 1', name=op.f('ck_plan_template_items_lasts_a_day_or_more')),
    sa.CheckConstraint('is_remote OR (city IS NOT NULL AND country_code IS NOT NULL)', name=op.f('ck_plan_template_items_place_or_remote')),
    sa.CheckConstraint('offset_days >= 0', name=op.f('ck_plan_template_items_offset_not_negative')),
    sa.ForeignKeyConstraint(['country_code'], ['countries.code'], name=op.f('fk_plan_template_items_country_code_countries')),
    sa.ForeignKeyConstraint(['template_id'], ['plan_templates.id'], name=op.f('fk_plan_template_items_template_id_plan_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_template_items'))
    )
    with op.batch_alter_table('plan_template_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_template_items_country_code'), ['country_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_template_items_template_id'), ['template_id'], unique=False)

    op.create_table('plan_template_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lead_expert', 'expert', 'trainer', name='slotrole', native_enum=False, length=40), nullable=False),
    sa.Column('thematic_area_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.CheckConstraint('places BETWEEN 1 AND 50', name=op.f('ck_plan_template_slots_places_in_range')),
    sa.ForeignKeyConstraint(['item_id'], ['plan_template_items.id'], name=op.f('fk_plan_template_slots_item_id_plan_template_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thematic_area_id'], ['thematic_areas.id'], name=op.f('fk_plan_template_slots_thematic_area_id_thematic_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_template_slots'))
    )
    with op.batch_alter_table('plan_template_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_template_slots_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_template_slots_thematic_area_id'), ['thematic_area_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_template_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_template_slots_thematic_area_id'))
        batch_op.drop_index(batch_op.f('ix_plan_template_slots_item_id'))

    op.drop_table('plan_template_slots')
    with op.batch_alter_table('plan_template_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_template_items_template_id'))
        batch_op.drop_index(batch_op.f('ix_plan_template_items_country_code'))

    op.drop_table('plan_template_items')
    with op.batch_alter_table('plan_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_templates_source_action_id'))
        batch_op.drop_index(batch_op.f('ix_plan_templates_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_plan_templates_created_at'))

    op.drop_table('plan_templates')
