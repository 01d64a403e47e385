"""Missions and money, the gaps of issue #21: the current version of each accepted letter of assignment (a changed
letter asks again), cost lines removed with a reason and versioned against stale edits, budget lines versioned, and
whether a budget overrun crossed the budget (the officer is told once per crossing).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 13:36:31
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assignment_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('updated_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_assignment_letters_deployment_id_deployments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_letters')),
    sa.UniqueConstraint('deployment_id', name=op.f('uq_assignment_letters_deployment_id'))
    )
    with op.batch_alter_table('assignment_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_letters_version'), ['version'], unique=False)

    with op.batch_alter_table('action_budget_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('budget_overruns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crossing', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('cost_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', workflow.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('removed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('removal_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index(batch_op.f('ix_cost_lines_removed_at'), ['removed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_lines_removed_by_id'), ['removed_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cost_lines_removed_by_id_users'), 'users', ['removed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(op.f('ck_cost_lines_removed_has_reason'),
                                         'removed_at IS NULL OR removal_reason IS NOT NULL')

    # A letter accepted before: its current version is the one last accepted (a later change asks again).
    op.execute("""
        INSERT INTO assignment_letters (deployment_id, version, language, updated_at)
        SELECT a.deployment_id, a.version, a.language, a.accepted_at FROM letter_acceptances a
        WHERE a.id = (SELECT MAX(b.id) FROM letter_acceptances b WHERE b.deployment_id = a.deployment_id)
    """)


def downgrade() -> None:
    with op.batch_alter_table('cost_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cost_lines_removed_has_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_cost_lines_removed_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cost_lines_removed_by_id'))
        batch_op.drop_index(batch_op.f('ix_cost_lines_removed_at'))
        batch_op.drop_column('version')
        batch_op.drop_column('removal_reason')
        batch_op.drop_column('removed_by_id')
        batch_op.drop_column('removed_at')

    with op.batch_alter_table('budget_overruns', schema=None) as batch_op:
        batch_op.drop_column('crossing')

    with op.batch_alter_table('action_budget_lines', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('assignment_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_letters_version'))

    op.drop_table('assignment_letters')
