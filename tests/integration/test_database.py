"""The connection pool: a pooled connection the server closed is replaced before a request uses it."""

import pytest
from sqlalchemy import bindparam, create_engine, event, literal, text

from workflow.database import ping_when_idle
from workflow.reference.models import Institution


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


def test_a_single_read_outside_a_transaction_joins_the_request_session(app, engine):
    """The user loader's one query: committed data, read on PostgreSQL without BEGIN and ROLLBACK, its
    objects then usable (lazy loads, writes) in the request's session."""
    from sqlalchemy import delete, select
    from sqlalchemy.orm import Session

    from tests.factories import make_institution, make_user
    from workflow.accounts.models import Role, User
    from workflow.extensions import db

    with Session(engine) as setup:  # committed for real: the read below is not inside a test transaction
        institution = make_institution(setup, "PE", name="Superintendencia Nacional de Migraciones")
        user = make_user(setup, Role.REQUESTER, institution=institution)
        user_id, institution_id = user.id, institution.id
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def began(connection):
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":  # BEGIN … ROLLBACK
            statements.append("BEGIN")

    event.listen(engine, "before_cursor_execute", seen)
    event.listen(engine, "begin", began)
    try:
        with app.app_context():
            stmt = select(User, literal(7)).where(User.id == bindparam("user_id"))
            loaded, seven = db.read_outside_transaction(stmt, {"user_id": user_id})
            assert (seven, loaded.id) == (7, user_id)
            assert loaded in db.session  # the session's own copy, not a detached one
            if engine.dialect.name == "postgresql":
                assert statements == [statements[0]]  # one SELECT, no BEGIN: no transaction to end either
            assert loaded.institution.name == "Superintendencia Nacional de Migraciones"  # a lazy load works
            assert db.read_outside_transaction(stmt, {"user_id": -1}) is None
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        event.remove(engine, "begin", began)
        with Session(engine) as cleanup:
            cleanup.execute(delete(User).where(User.id == user_id))
            cleanup.execute(delete(Institution).where(Institution.id == institution_id))
            cleanup.commit()


def test_every_pooled_connection_the_server_ended_is_replaced_before_a_request_uses_it(app, engine):
    """The database ends every connection (a restart, a failover, `pg_terminate_backend`) moments after
    they were used: the next request on each pooled connection still answers, none with a 500."""
    if engine.dialect.name != "postgresql":
        pytest.skip("needs a database server that can close a client's connection (SQLite has none)")
    from sqlalchemy.pool import NullPool

    client = app.test_client()
    held = [engine.connect() for _ in range(3)]  # three connections in the pool, each just used
    pids = {connection.execute(text("SELECT pg_backend_pid()")).scalar_one() for connection in held}
    for connection in held:
        connection.close()
    admin_engine = create_engine(engine.url, poolclass=NullPool)
    try:
        with admin_engine.connect() as admin:  # every backend of this database but the admin's own
            ended = admin.execute(text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalars().all()
            admin.commit()
        assert ended and all(ended)
        statuses = [client.get("/health").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 200]
        held = [engine.connect() for _ in range(3)]  # every pooled connection, at once: each one works
        try:
            fresh = {connection.execute(text("SELECT pg_backend_pid()")).scalar_one() for connection in held}
        finally:
            for connection in held:
                connection.close()
        assert not fresh & pids
    finally:
        admin_engine.dispose()
