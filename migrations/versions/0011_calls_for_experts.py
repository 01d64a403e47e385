"""Calls for experts from an activity's open slots: the call, the people it reached (one outgoing e-mail
each), their answers and the focal points' proposals.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('thematic_area_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('member_states', sa.JSON(), nullable=False),
    sa.Column('available_only', sa.Boolean(), nullable=False),
    sa.Column('include_focal_points', sa.Boolean(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('answer_deadline', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'stood_down', 'closed', name='callstatus', native_enum=False, length=40), nullable=False),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_calls_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calls_created_by_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_calls_ended_by_id_users')),
    sa.ForeignKeyConstraint(['slot_id'], ['expert_slots.id'], name=op.f('fk_calls_slot_id_expert_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thematic_area_id'], ['thematic_areas.id'], name=op.f('fk_calls_thematic_area_id_thematic_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_answer_deadline'), ['answer_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_ended_by_id'), ['ended_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_thematic_area_id'), ['thematic_area_id'], unique=False)

    op.create_table('call_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('expert', 'focal_point', name='recipientkind', native_enum=False, length=40), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('open_activity_id', sa.Integer(), nullable=True),
    sa.Column('token_salt', sa.String(length=32), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sending', 'sent', 'failed', 'cancelled', name='deliverystate', native_enum=False, length=40), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sa.String(length=40), nullable=True),
    sa.Column('claimed_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=True),
    sa.Column('transport', sa.String(length=10), nullable=True),
    sa.Column('sent_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(expert_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_call_recipients_one_person')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_recipients_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['expert_id'], ['experts.id'], name=op.f('fk_call_recipients_expert_id_experts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_recipients_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_recipients')),
    sa.UniqueConstraint('call_id', 'expert_id', name='uq_call_recipients_call_expert'),
    sa.UniqueConstraint('call_id', 'user_id', name='uq_call_recipients_call_user'),
    sa.UniqueConstraint('open_activity_id', 'expert_id', name='uq_call_recipients_open_expert'),
    sa.UniqueConstraint('open_activity_id', 'user_id', name='uq_call_recipients_open_user'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_call_recipients_token_hash'))
    )
    with op.batch_alter_table('call_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_recipients_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_recipients_claim_token'), ['claim_token'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_recipients_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index('ix_call_recipients_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_recipients_user_id'), ['user_id'], unique=False)

    op.create_table('focal_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('focal_point_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_focal_proposals_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['expert_id'], ['experts.id'], name=op.f('fk_focal_proposals_expert_id_experts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['focal_point_id'], ['users.id'], name=op.f('fk_focal_proposals_focal_point_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focal_proposals')),
    sa.UniqueConstraint('call_id', 'expert_id', name='uq_focal_proposals_call_expert')
    )
    with op.batch_alter_table('focal_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focal_proposals_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_focal_proposals_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_focal_proposals_focal_point_id'), ['focal_point_id'], unique=False)

    op.create_table('call_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Enum('interested', 'not_available', name='answerkind', native_enum=False, length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('cv_stored_name', sa.String(length=80), nullable=True),
    sa.Column('cv_file_name', sa.String(length=255), nullable=True),
    sa.Column('cv_content_type', sa.String(length=120), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_call_answers_answered_by_id_users')),
    sa.ForeignKeyConstraint(['recipient_id'], ['call_recipients.id'], name=op.f('fk_call_answers_recipient_id_call_recipients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_answers')),
    sa.UniqueConstraint('cv_stored_name', name=op.f('uq_call_answers_cv_stored_name')),
    sa.UniqueConstraint('recipient_id', name=op.f('uq_call_answers_recipient_id'))
    )
    with op.batch_alter_table('call_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_answers_answer'), ['answer'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_answers_answered_by_id'), ['answered_by_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('call_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_answers_answered_by_id'))
        batch_op.drop_index(batch_op.f('ix_call_answers_answer'))

    op.drop_table('call_answers')
    with op.batch_alter_table('focal_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focal_proposals_focal_point_id'))
        batch_op.drop_index(batch_op.f('ix_focal_proposals_expert_id'))
        batch_op.drop_index(batch_op.f('ix_focal_proposals_call_id'))

    op.drop_table('focal_proposals')
    with op.batch_alter_table('call_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_recipients_user_id'))
        batch_op.drop_index('ix_call_recipients_state_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_call_recipients_expert_id'))
        batch_op.drop_index(batch_op.f('ix_call_recipients_claim_token'))
        batch_op.drop_index(batch_op.f('ix_call_recipients_call_id'))

    op.drop_table('call_recipients')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_thematic_area_id'))
        batch_op.drop_index(batch_op.f('ix_calls_status'))
        batch_op.drop_index(batch_op.f('ix_calls_slot_id'))
        batch_op.drop_index(batch_op.f('ix_calls_ended_by_id'))
        batch_op.drop_index(batch_op.f('ix_calls_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_calls_created_at'))
        batch_op.drop_index(batch_op.f('ix_calls_answer_deadline'))
        batch_op.drop_index(batch_op.f('ix_calls_activity_id'))

    op.drop_table('calls')
