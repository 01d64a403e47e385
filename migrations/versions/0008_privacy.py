"""Privacy: consent records, erasure and retention.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('expert_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.Enum('roster', name='consentpurpose', native_enum=False, length=40), nullable=False),
    sa.Column('notice_version', sa.String(length=20), nullable=False),
    sa.Column('given_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('user_id IS NOT NULL OR expert_id IS NOT NULL', name=op.f('ck_consents_has_subject')),
    sa.CheckConstraint('withdrawn_at IS NULL OR withdrawn_at >= given_at', name=op.f('ck_consents_withdrawn_after_given')),
    sa.ForeignKeyConstraint(['expert_id'], ['experts.id'], name=op.f('fk_consents_expert_id_experts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_purpose'), ['purpose'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_consents_open_expert_purpose', ['expert_id', 'purpose'], unique=True,
                              sqlite_where=sa.text('withdrawn_at IS NULL'),
                              postgresql_where=sa.text('withdrawn_at IS NULL'))

    op.create_table('erasures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('erased_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('erased_by_id', sa.Integer(), nullable=False),
    sa.Column('files_removed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['erased_by_id'], ['users.id'], name=op.f('fk_erasures_erased_by_id_users')),
    sa.ForeignKeyConstraint(['expert_id'], ['experts.id'], name=op.f('fk_erasures_expert_id_experts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasures')),
    sa.UniqueConstraint('expert_id', name=op.f('uq_erasures_expert_id'))
    )
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasures_erased_by_id'), ['erased_by_id'], unique=False)

    # The consents experts gave before this table existed (a date and a notice version on their
    # profile) become the first rows of their history.
    op.execute(
        "INSERT INTO consents (user_id, expert_id, purpose, notice_version, given_at) "
        "SELECT user_id, id, 'roster', consent_version, consent_at FROM experts "
        "WHERE consent_at IS NOT NULL AND consent_version IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasures_erased_by_id'))

    op.drop_table('erasures')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index('uq_consents_open_expert_purpose', sqlite_where=sa.text('withdrawn_at IS NULL'),
                            postgresql_where=sa.text('withdrawn_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_consents_user_id'))
        batch_op.drop_index(batch_op.f('ix_consents_purpose'))
        batch_op.drop_index(batch_op.f('ix_consents_expert_id'))

    op.drop_table('consents')
