"""Accent- and case-insensitive search keys.

Each searched table gets a `search_key` column (the searched fields, without accents, casefolded),
indexed, and every existing row gets its key, computed in Python as the application computes it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database  # noqa: F401
from workflow.core.search import search_key

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# Each searched table and the fields its key is made of (the models' `__search_fields__` today).
SEARCHED = {
    'actions': ('name', 'title'),
    'activities': ('title',),
    'audit_entries': ('object_label', 'email'),
    'experts': ('name',),
    'institutions': ('name', 'acronym'),
    'requests': ('title',),
    'users': ('name', 'email'),
}
BATCH = 1000


def _backfill(table_name: str, fields: tuple[str, ...]) -> None:
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('search_key', sa.String),
                     *(sa.column(name, sa.String) for name in fields))
    connection = op.get_bind()
    read = sa.select(table.c.id, *(table.c[name] for name in fields)).order_by(table.c.id).limit(BATCH)
    update = table.update().where(table.c.id == sa.bindparam('row_id')).values(search_key=sa.bindparam('key'))
    last = 0
    while rows := connection.execute(read.where(table.c.id > last)).all():  # a batch at a time: the log is long
        connection.execute(update, [{'row_id': row[0], 'key': search_key(*row[1:])} for row in rows])
        last = rows[-1][0]


def upgrade() -> None:
    for table_name, fields in SEARCHED.items():
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.String(length=600), server_default='', nullable=False))
            batch_op.create_index(batch_op.f(f'ix_{table_name}_search_key'), ['search_key'], unique=False)
        _backfill(table_name, fields)


def downgrade() -> None:
    for table_name in reversed(SEARCHED):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table_name}_search_key'))
            batch_op.drop_column('search_key')
