"""A consultation's deadline moved by staff (from, to, who, why); experts without an account may stop calls
for experts by e-mail, and a call keeps which experts it left out for that.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 06:15:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consultation_deadline_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('from_deadline', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('to_deadline', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint('to_deadline != from_deadline', name=op.f('ck_consultation_deadline_changes_deadline_moved')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'],
                            name=op.f('fk_consultation_deadline_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'],
                            name=op.f('fk_consultation_deadline_changes_consultation_id_consultations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_deadline_changes'))
    )
    with op.batch_alter_table('consultation_deadline_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_deadline_changes_changed_by_id'), ['changed_by_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_deadline_changes_consultation_id'), ['consultation_id'],
                              unique=False)

    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_emails_stopped_at', workflow.database.UTCDateTime(timezone=True),
                                      nullable=True))

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribed_expert_ids', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.alter_column('unsubscribed_expert_ids', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('unsubscribed_expert_ids')
    with op.batch_alter_table('experts', schema=None) as batch_op:
        batch_op.drop_column('call_emails_stopped_at')
    with op.batch_alter_table('consultation_deadline_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_deadline_changes_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_deadline_changes_changed_by_id'))
    op.drop_table('consultation_deadline_changes')
