"""The programme's five thematic areas: "border and visa management, smuggling of migrants" becomes
sub-topics of the first area, irregular migration and trafficking in human beings.

Everything that pointed at the sixth area points at the first: every column with a foreign key to
`thematic_areas` (found by inspecting the schema, so tables added later are covered too), the sixth
area's sub-topics (kept, under the first area), and experts' expertise (an expert with both keeps the
higher level, in one row). An Action of the sixth area keeps what it was about: if it named none of
the area's sub-topics, it gets "border management" and "smuggling of migrants". Then the area goes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database  # noqa: F401

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

FIRST, SIXTH = 'irregular_migration_thb', 'border_visa_som'
SIXTH_NAME = 'Border and visa management, smuggling of migrants'
SIXTH_SUBTOPICS = ('border_management', 'visa_policy', 'som', 'document_security')
ADDED_TO_MOVED_ACTIONS = ('border_management', 'som')
ORDER = (FIRST, 'legal_migration_mobility', 'migration_development', 'international_protection_asylum', 'horizontal')
SPECIAL = {'expert_themes', 'subtopics'}


def _area(conn, code):
    return conn.execute(sa.text('SELECT id FROM thematic_areas WHERE code = :code'), {'code': code}).scalar()


def _theme_columns(conn):
    """(table, column) of every foreign key to thematic_areas.id."""
    inspector = sa.inspect(conn)
    found = []
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if fk['referred_table'] == 'thematic_areas':
                found.extend((table, column) for column in fk['constrained_columns'])
    return found


def upgrade() -> None:
    conn = op.get_bind()
    sixth = _area(conn, SIXTH)
    if sixth is None:  # a database without reference data, or already five areas
        return
    first = _area(conn, FIRST)
    if first is None:  # only the sixth area exists: it becomes the first
        conn.execute(sa.text("UPDATE thematic_areas SET code = :code, name = :name WHERE id = :id"),
                     {'code': FIRST, 'name': 'Irregular migration and trafficking in human beings', 'id': sixth})
        return
    params = {'first': first, 'sixth': sixth}

    # Sub-topics: under the first area, after its own.
    last = conn.execute(sa.text('SELECT MAX(position) FROM subtopics WHERE area_id = :first'), params).scalar()
    conn.execute(sa.text('UPDATE subtopics SET area_id = :first, position = position + :shift WHERE area_id = :sixth'),
                 {**params, 'shift': (last if last is not None else -1) + 1})

    # Actions of the sixth area that named none of its sub-topics get two of them, so nothing is lost.
    moved = {code: conn.execute(sa.text('SELECT id FROM subtopics WHERE code = :code'), {'code': code}).scalar()
             for code in SIXTH_SUBTOPICS}
    moved_ids = [i for i in moved.values() if i is not None]
    added = [moved[code] for code in ADDED_TO_MOVED_ACTIONS if moved.get(code) is not None]
    if 'action_subtopics' in sa.inspect(conn).get_table_names() and added:
        for (action_id,) in conn.execute(sa.text('SELECT id FROM actions WHERE thematic_area_id = :sixth'), params).all():
            named = {row[0] for row in conn.execute(
                sa.text('SELECT subtopic_id FROM action_subtopics WHERE action_id = :a'), {'a': action_id})}
            if named & set(moved_ids):
                continue
            for subtopic_id in added:
                if subtopic_id not in named:
                    conn.execute(sa.text('INSERT INTO action_subtopics (action_id, subtopic_id) VALUES (:a, :s)'),
                                 {'a': action_id, 's': subtopic_id})

    # Experts' expertise: one row per expert and area, at the higher level.
    rows = conn.execute(sa.text('SELECT expert_id, level FROM expert_themes WHERE thematic_area_id = :sixth'),
                        params).all()
    for expert_id, level in rows:
        current = conn.execute(sa.text(
            'SELECT level FROM expert_themes WHERE expert_id = :e AND thematic_area_id = :first'),
            {**params, 'e': expert_id}).scalar()
        if current is None:
            conn.execute(sa.text('UPDATE expert_themes SET thematic_area_id = :first '
                                 'WHERE expert_id = :e AND thematic_area_id = :sixth'), {**params, 'e': expert_id})
        else:
            if level > current:
                conn.execute(sa.text('UPDATE expert_themes SET level = :level '
                                     'WHERE expert_id = :e AND thematic_area_id = :first'),
                             {**params, 'e': expert_id, 'level': level})
            conn.execute(sa.text('DELETE FROM expert_themes WHERE expert_id = :e AND thematic_area_id = :sixth'),
                         {**params, 'e': expert_id})

    # Every other reference: Actions, requests, activities' and plan templates' expert slots, calls, ...
    for table, column in _theme_columns(conn):
        if table in SPECIAL:
            continue
        conn.execute(sa.text(f'UPDATE {table} SET {column} = :first WHERE {column} = :sixth'), params)

    conn.execute(sa.text('DELETE FROM thematic_areas WHERE id = :sixth'), params)
    conn.execute(sa.text("UPDATE thematic_areas SET name = 'Horizontal interventions' "
                         "WHERE code = 'horizontal' AND name = 'Horizontal'"))
    for position, code in enumerate(ORDER):
        conn.execute(sa.text('UPDATE thematic_areas SET position = :p WHERE code = :code'), {'p': position, 'code': code})


def downgrade() -> None:
    """Bring the sixth area back with its sub-topics; what was moved to the first area stays there."""
    conn = op.get_bind()
    first = _area(conn, FIRST)
    if first is None or _area(conn, SIXTH) is not None:
        return
    conn.execute(sa.text('UPDATE thematic_areas SET position = position + 1 WHERE position > 0'))
    conn.execute(sa.text('INSERT INTO thematic_areas (code, name, position) VALUES (:code, :name, 1)'),
                 {'code': SIXTH, 'name': SIXTH_NAME})
    sixth = _area(conn, SIXTH)
    for position, code in enumerate(SIXTH_SUBTOPICS):
        conn.execute(sa.text('UPDATE subtopics SET area_id = :sixth, position = :p WHERE code = :code'),
                     {'sixth': sixth, 'p': position, 'code': code})
