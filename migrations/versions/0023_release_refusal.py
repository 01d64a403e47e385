"""A member-state focal point may refuse the release of their official: who refused, when and why.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 02:05:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('release_refused_at', workflow.database.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('release_refused_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('release_refusal_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deployments_release_refused_by_id'), ['release_refused_by_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deployments_release_refused_by_id_users'), 'users',
                                    ['release_refused_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deployments_release_refused_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deployments_release_refused_by_id'))
        batch_op.drop_column('release_refusal_reason')
        batch_op.drop_column('release_refused_by_id')
        batch_op.drop_column('release_refused_at')
