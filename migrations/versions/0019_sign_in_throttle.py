"""Sign-in failures counted per account and per address (reserved step).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import workflow.database  # noqa: F401

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'known_sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('address_key', sa.String(length=64), nullable=False),
        sa.Column('last_success_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_known_sign_ins_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_known_sign_ins')),
    )
    with op.batch_alter_table('known_sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_sign_ins_last_success_at'), ['last_success_at'], unique=False)
        batch_op.create_index('ix_known_sign_ins_user_id_address_key', ['user_id', 'address_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('known_sign_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_known_sign_ins_user_id_address_key')
        batch_op.drop_index(batch_op.f('ix_known_sign_ins_last_success_at'))
    op.drop_table('known_sign_ins')
