"""What a request changed, read cheaply: only the tables it sent a write statement to are compared.

A row can only change through an INSERT, UPDATE or DELETE, so a request that sent none changed nothing, and one
that sent some can only have changed the tables it named. `in_savepoint_watching` runs a request in a savepoint
(as `route_calls.in_savepoint` does), listening to the statements; it reads those tables before the savepoint is
rolled back and again after it, when they hold the world as it was. Reading every table of the schema before and
after each of the matrix's thousands of requests was an eighth of the suite's time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

from .route_calls import in_savepoint
from .security_world import changes, snapshot

# The table a write statement names (SQLite's INSERT OR …, PostgreSQL's quoted names).
WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET", "SHOW")
EVERY_TABLE = "*"


def table_written(statement: str) -> str | None:
    """The table `statement` writes to; None for a read; EVERY_TABLE when it cannot be told (then all are read)."""
    found = WRITE.match(statement)
    if found:
        return found.group(1)
    words = statement.lstrip().split(None, 1)
    first = words[0].upper() if words else ""
    if first in READS:
        return None
    if first == "WITH" and not re.search(r"\b(INSERT|UPDATE|DELETE)\b", statement, re.IGNORECASE):
        return None
    return EVERY_TABLE


def in_savepoint_watching(db, run: Callable[[], Any]) -> tuple[Any, list[str]]:
    """`run()`'s result in a savepoint rolled back after it, and what it had changed (as `changes` says it)."""
    written: set[str] = set()

    def record(_conn, _cursor, statement, *_args) -> None:
        table = table_written(statement)
        if table is not None:
            written.add(table)

    def watched() -> tuple[Any, dict[str, list[tuple]]]:
        engine = db.bind.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            result = run()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return result, (snapshot(db, only=_tables(written)) if written else {})

    result, after = in_savepoint(db, watched)
    if not after:
        return result, []
    before = in_savepoint(db, lambda: snapshot(db, only=set(after)))
    return result, changes(before, after)


def _tables(written: set[str]) -> set[str] | None:
    return None if EVERY_TABLE in written else written
