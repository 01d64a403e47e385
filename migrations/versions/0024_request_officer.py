"""A request's officer (the staff member reviewing it, told of its steps) and the requester's reason
when they withdraw it; statuses are strings, so the new 'withdrawn' status needs no change of type.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdraw_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('officer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_requests_officer_id_users'), 'users', ['officer_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_requests_officer_id'), ['officer_id'], unique=False)
    # Requests already reviewed: their officer is the staff member who started the review.
    op.execute(
        "UPDATE requests SET officer_id = (SELECT t.actor_id FROM request_transitions t "
        "WHERE t.request_id = requests.id AND t.to_status = 'under_review' AND t.from_status = 'submitted' "
        "ORDER BY t.id LIMIT 1) WHERE officer_id IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_officer_id'))
        batch_op.drop_constraint(batch_op.f('fk_requests_officer_id_users'), type_='foreignkey')
        batch_op.drop_column('officer_id')
        batch_op.drop_column('withdraw_reason')
