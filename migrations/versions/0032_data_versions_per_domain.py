"""A data version per domain of the portfolio (Actions, activities, deployments, evaluations, experts, reference
data) instead of one for the whole: a write replaces only the versions of the domains it changed, so cached pages
that read none of them stay warm (workflow/core/figures.py).

Revision ID: 0032
Revises: 0027
Create Date: 2026-12-07 10:40:00
"""
import random

import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

DOMAINS = ('actions', 'activities', 'deployments', 'evaluations', 'experts', 'finance', 'knowledge', 'reference',
           'results')
versions = sa.table('data_versions', sa.column('name', sa.String), sa.column('token', sa.BigInteger))


def upgrade() -> None:
    op.execute(versions.delete().where(versions.c.name.in_(DOMAINS + ('portfolio',))))
    op.bulk_insert(versions, [{'name': name, 'token': random.getrandbits(62)} for name in DOMAINS])


def downgrade() -> None:
    op.execute(versions.delete().where(versions.c.name.in_(DOMAINS + ('portfolio',))))
    op.bulk_insert(versions, [{'name': 'portfolio', 'token': random.getrandbits(62)}])
