"""Reminder recipients and wording per language: the recipient roles chosen per rule (none: the
defaults, so nothing changes until an admin chooses) and the admin's own subject and text per language;
the Steering Committee's "consultation ended" notice split from consultation_due into a rule of its own.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reminder_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipients', sa.JSON(), nullable=True))
    op.create_table('reminder_wordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reminder_wordings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_wordings')),
    sa.UniqueConstraint('rule', 'locale', name='uq_reminder_wordings_rule_locale')
    )
    with op.batch_alter_table('reminder_wordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_wordings_rule'), ['rule'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_wordings_updated_by_id'), ['updated_by_id'], unique=False)
    # The "consultation ended" notice was part of consultation_due: it becomes a rule of its own, switched
    # off where consultation_due was, and the notices already planned or sent move to it.
    op.execute(sa.text(
        "INSERT INTO reminder_rules (code, offsets, enabled, updated_at, updated_by_id) "
        "SELECT 'consultation_ended', '[]', enabled, updated_at, updated_by_id FROM reminder_rules "
        "WHERE code = 'consultation_due' AND NOT enabled"))
    op.execute(sa.text("UPDATE reminders SET rule = 'consultation_ended' WHERE rule = 'consultation_due' "
                       "AND \"key\" LIKE 'consultation-ended:%'"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE reminders SET rule = 'consultation_due' WHERE rule = 'consultation_ended'"))
    op.execute(sa.text("DELETE FROM reminder_rules WHERE code = 'consultation_ended'"))
    with op.batch_alter_table('reminder_wordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_wordings_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_wordings_rule'))
    op.drop_table('reminder_wordings')
    with op.batch_alter_table('reminder_rules', schema=None) as batch_op:
        batch_op.drop_column('recipients')
