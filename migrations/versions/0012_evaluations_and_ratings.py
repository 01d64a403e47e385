"""Participant evaluations, work history and deployment ratings.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('opens_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at >= opens_at', name=op.f('ck_evaluations_closes_after_opening')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_evaluations_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evaluations_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations')),
    sa.UniqueConstraint('token', name=op.f('uq_evaluations_token'))
    )
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluations_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluations_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('evaluation_nonces',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_nonces_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('digest', name=op.f('pk_evaluation_nonces'))
    )
    with op.batch_alter_table('evaluation_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_nonces_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('evaluation_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('relevance', sa.Integer(), nullable=False),
    sa.Column('experts_input', sa.Integer(), nullable=False),
    sa.Column('usefulness', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('experts_input BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_experts_input_1_to_5')),
    sa.CheckConstraint('organisation BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_organisation_1_to_5')),
    sa.CheckConstraint('relevance BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_relevance_1_to_5')),
    sa.CheckConstraint('usefulness BETWEEN 1 AND 5', name=op.f('ck_evaluation_responses_usefulness_1_to_5')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_responses_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_responses'))
    )
    with op.batch_alter_table('evaluation_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_responses_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('deployment_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('rated_by_id', sa.Integer(), nullable=False),
    sa.Column('rated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_deployment_ratings_score_1_to_5')),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_deployment_ratings_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rated_by_id'], ['users.id'], name=op.f('fk_deployment_ratings_rated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment_ratings')),
    sa.UniqueConstraint('deployment_id', name=op.f('uq_deployment_ratings_deployment_id'))
    )
    with op.batch_alter_table('deployment_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_ratings_rated_by_id'), ['rated_by_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deployment_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_ratings_rated_by_id'))

    op.drop_table('deployment_ratings')
    with op.batch_alter_table('evaluation_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_responses_evaluation_id'))

    op.drop_table('evaluation_responses')
    with op.batch_alter_table('evaluation_nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_nonces_evaluation_id'))

    op.drop_table('evaluation_nonces')
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluations_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_evaluations_closes_at'))
        batch_op.drop_index(batch_op.f('ix_evaluations_activity_id'))

    op.drop_table('evaluations')
