"""A knowledge event's documents (agenda, report, presentations: a file typed from its content, or a link; removed
with a reason) and the indicators a good practice gives as evidence.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 13:36:03.518810
"""
from alembic import op
import sqlalchemy as sa
import workflow.database


revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('knowledge_event_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('agenda', 'report', 'presentation', 'other', name='eventdocumentkind', native_enum=False, length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', workflow.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removal_reason', sa.Text(), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('invented_fields', sa.JSON(), nullable=True),
    sa.CheckConstraint('url IS NOT NULL OR stored_name IS NOT NULL OR removed_at IS NOT NULL OR invented', name=op.f('ck_knowledge_event_documents_file_or_link')),
    sa.ForeignKeyConstraint(['event_id'], ['knowledge_events.id'], name=op.f('fk_knowledge_event_documents_event_id_knowledge_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_knowledge_event_documents_removed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_knowledge_event_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_event_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_knowledge_event_documents_stored_name'))
    )
    with op.batch_alter_table('knowledge_event_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_event_documents_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_event_documents_removed_by_id'), ['removed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_event_documents_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('practice_indicators',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_practice_indicators_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_indicators_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'indicator_id', name=op.f('pk_practice_indicators'))
    )
    with op.batch_alter_table('practice_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_indicators_indicator_id'), ['indicator_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('practice_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_indicators_indicator_id'))

    op.drop_table('practice_indicators')
    with op.batch_alter_table('knowledge_event_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_event_documents_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_knowledge_event_documents_removed_by_id'))
        batch_op.drop_index(batch_op.f('ix_knowledge_event_documents_event_id'))

    op.drop_table('knowledge_event_documents')
