"""Notifications of the workflow's hand-offs: their e-mails (at once or in a daily digest) and each
person's preferences; a notification names its kind and subject.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 02:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

STATES = ('pending', 'sending', 'sent', 'failed', 'cancelled')


def upgrade() -> None:
    op.create_table(
        'notification_emails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.Boolean(), nullable=False),
        sa.Column('due_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('state', sa.Enum(*STATES, name='emailstate', native_enum=False, length=40), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('next_attempt_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('claim_token', sa.String(length=40), nullable=True),
        sa.Column('claimed_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('sent_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=True),
        sa.Column('subject', sa.String(length=300), nullable=True),
        sa.Column('transport', sa.String(length=10), nullable=True),
        sa.Column('created_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_emails_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_emails')),
        sa.UniqueConstraint('key', name=op.f('uq_notification_emails_key')),
    )
    with op.batch_alter_table('notification_emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_emails_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_emails_claim_token'), ['claim_token'], unique=False)
        batch_op.create_index('ix_notification_emails_state_due_at', ['state', 'due_at'], unique=False)
    op.create_table(
        'notification_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('delivery', sa.Enum('email', 'digest', 'app', name='delivery', native_enum=False, length=40),
                  nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences')),
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('subject_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('email_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notifications_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_email_id'), ['email_id'], unique=False)
        batch_op.create_index('ix_notifications_subject', ['subject_type', 'subject_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notifications_email_id_notification_emails'),
                                    'notification_emails', ['email_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_email_id_notification_emails'), type_='foreignkey')
        batch_op.drop_index('ix_notifications_subject')
        batch_op.drop_index(batch_op.f('ix_notifications_email_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_kind'))
        batch_op.drop_column('email_id')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
        batch_op.drop_column('kind')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('notification_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_emails_state_due_at')
        batch_op.drop_index(batch_op.f('ix_notification_emails_claim_token'))
        batch_op.drop_index(batch_op.f('ix_notification_emails_user_id'))
    op.drop_table('notification_emails')
