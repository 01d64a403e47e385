"""The write watch the permission matrix and the CSRF tests rely on: what it counts as a write, and that it
finds a change where there is one and none where there is none."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from .write_watch import EVERY_TABLE, in_savepoint_watching, table_written


@pytest.mark.parametrize(("statement", "table"), [
    ('INSERT INTO "actions" (title) VALUES (?)', "actions"),
    ("INSERT OR IGNORE INTO notifications (id) VALUES (1)", "notifications"),
    ("  update deployments SET status = 'cancelled'", "deployments"),
    ('DELETE FROM "activity_experts" WHERE id = %(id)s', "activity_experts"),
    ("SELECT * FROM actions", None),
    ("SAVEPOINT sa_savepoint_1", None),
    ("WITH x AS (SELECT 1) SELECT * FROM x", None),
    ("WITH x AS (SELECT 1) UPDATE actions SET title = 'y'", EVERY_TABLE),
    ("TRUNCATE actions", EVERY_TABLE),
])
def test_a_statement_names_the_table_it_writes(statement, table):
    assert table_written(statement) == table


def test_a_change_is_found_and_undone_and_a_read_changes_nothing(db, officer):
    def rename():
        db.execute(text("UPDATE users SET name = 'Someone else' WHERE id = :id"), {"id": officer.id})
        return "renamed"

    result, changed = in_savepoint_watching(db, rename)
    assert result == "renamed"
    assert len(changed) == 1 and changed[0].startswith("users:") and "Someone else" in changed[0]
    assert db.scalar(text("SELECT name FROM users WHERE id = :id"), {"id": officer.id}) == officer.name

    result, changed = in_savepoint_watching(db, lambda: db.scalar(text("SELECT count(*) FROM users")))
    assert result >= 1 and changed == []
