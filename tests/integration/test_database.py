"""The connection pool: a pooled connection the server closed is replaced before a request uses it."""

import pytest
from sqlalchemy import create_engine, text

from workflow.database import ping_when_idle


def test_a_connection_the_server_closed_is_replaced_at_checkout(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("needs a database server that can close a client's connection (SQLite has none)")
    pooled = create_engine(engine.url, pool_size=1, max_overflow=0)
    ping_when_idle(pooled, idle=0)  # every checkout counts as idle here
    try:
        with pooled.connect() as connection:
            first = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as admin:  # the server ends the pooled connection while it waits in the pool
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            admin.commit()
        with pooled.connect() as connection:
            second = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert second != first
    finally:
        pooled.dispose()
