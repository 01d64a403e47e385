"""Steering Committee consultation and decisions on requests: its members, the eligibility criteria
(the five defaults inserted here), consultations with each member's answer, and decisions with their ticks.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    eligibility_criteria = op.create_table('eligibility_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_criteria')),
    sa.UniqueConstraint('code', name=op.f('uq_eligibility_criteria_code'))
    )
    with op.batch_alter_table('eligibility_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligibility_criteria_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_eligibility_criteria_position'), ['position'], unique=False)

    # The eligibility criteria every decision is recorded against until an admin changes the list.
    op.bulk_insert(eligibility_criteria, [
        {'code': 'migration_governance', 'label': 'Relevance to migration governance', 'position': 1, 'active': True},
        {'code': 'public_administration', 'label': 'The beneficiary is a public administration', 'position': 2,
         'active': True},
        {'code': 'ownership', 'label': 'Ownership by the beneficiary', 'position': 3, 'active': True},
        {'code': 'no_overlap', 'label': "No overlap with other donors' work", 'position': 4, 'active': True},
        {'code': 'feasibility', 'label': 'Feasibility', 'position': 5, 'active': True},
    ])

    op.create_table('steering_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('committee_member', 'eu_delegation', 'desk', name='memberkind', native_enum=False, length=40), nullable=False),
    sa.Column('has_veto', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_steering_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_steering_members_user_id'))
    )
    with op.batch_alter_table('steering_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_members_active'), ['active'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deadline', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('open', 'closed', name='consultationstatus', native_enum=False, length=40), nullable=False),
    sa.CheckConstraint("status != 'closed' OR closed_at IS NOT NULL", name=op.f('ck_consultations_closed_has_time')),
    sa.CheckConstraint('deadline > opened_at', name=op.f('ck_consultations_deadline_after_opening')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_consultations_opened_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_consultations_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_opened_by_id'), ['opened_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_status'), ['status'], unique=False)

    op.create_table('consultation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('has_veto', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.Enum('support', 'object', name='answer', native_enum=False, length=40), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('answered_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("answer != 'object' OR reason IS NOT NULL", name=op.f('ck_consultation_answers_objection_has_reason')),
    sa.CheckConstraint('(answer IS NULL) = (answered_at IS NULL)', name=op.f('ck_consultation_answers_answered_has_time')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_answers_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['member_id'], ['steering_members.id'], name=op.f('fk_consultation_answers_member_id_steering_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answers')),
    sa.UniqueConstraint('consultation_id', 'member_id', name='uq_consultation_answers_consultation_member')
    )
    with op.batch_alter_table('consultation_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_answers_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_answers_member_id'), ['member_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('approve', 'reject', 'ask_changes', name='outcome', native_enum=False, length=40), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_decisions_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_decisions_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_decisions_consultation_id'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_request_id'), ['request_id'], unique=False)

    op.create_table('decision_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['eligibility_criteria.id'], name=op.f('fk_decision_criteria_criterion_id_eligibility_criteria')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_criteria_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_criteria')),
    sa.UniqueConstraint('decision_id', 'criterion_id', name='uq_decision_criteria_decision_criterion')
    )
    with op.batch_alter_table('decision_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_criteria_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_criteria_decision_id'), ['decision_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decision_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_criteria_decision_id'))
        batch_op.drop_index(batch_op.f('ix_decision_criteria_criterion_id'))

    op.drop_table('decision_criteria')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_request_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_outcome'))
        batch_op.drop_index(batch_op.f('ix_decisions_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_decided_at'))

    op.drop_table('decisions')
    with op.batch_alter_table('consultation_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_answers_member_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_answers_consultation_id'))

    op.drop_table('consultation_answers')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_status'))
        batch_op.drop_index(batch_op.f('ix_consultations_request_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_opened_by_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_deadline'))

    op.drop_table('consultations')
    with op.batch_alter_table('steering_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steering_members_active'))

    op.drop_table('steering_members')
    with op.batch_alter_table('eligibility_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligibility_criteria_position'))
        batch_op.drop_index(batch_op.f('ix_eligibility_criteria_active'))

    op.drop_table('eligibility_criteria')
