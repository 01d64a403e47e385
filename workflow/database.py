"""The SQLAlchemy 2 engine, session and declarative base, bound to the Flask app."""

from __future__ import annotations

import enum
import select
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import (
    JSON,
    BindParameter,
    DateTime,
    Engine,
    Executable,
    MetaData,
    String,
    bindparam,
    create_engine,
    event,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class unindexed(ColumnElement[Any]):  # noqa: N801 - used like SQLAlchemy's lower-case constructs
    """`column`, which SQLite's planner must not reach by an index: for a test that most rows pass (most
    deployments are engaged, most cost lines are not removed), SQLite still prefers the column's index, then fetches
    every row apart, slower than reading the table in order. Written `+column` on SQLite, its documented way to keep
    a term from using an index; the plain column elsewhere, so PostgreSQL's planner keeps its estimates (an
    expression in its place would have it guess, and choose worse joins)."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(unindexed)
def _unindexed(element: unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_on_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def planned_for(column: ColumnElement[Any], value: Any) -> BindParameter[Any]:
    """`value`, to compare `column` with, written into the statement's text when it runs rather than sent apart.

    psycopg prepares a statement run five times, and PostgreSQL then plans it once for any value ("generic plan").
    For a column whose values are far from evenly spread (33,000 completed deployments, 500 confirmed), a plan made
    without the value can be a poor one for the value asked for: the officer's reports overdue took 21 ms with
    it, 1 to 2 ms planned for "confirmed". Only for constants of the code (a state), never for what a user typed."""
    return bindparam(None, value, type_=column.type, literal_execute=True)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Peerflow stores aware UTC datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        # States and kinds are stored by value as short strings: readable in SQL, portable, and
        # adding a value needs no ALTER TYPE on PostgreSQL.
        enum.Enum: SAEnum(enum.Enum, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e]),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[int]: JSON(),
        str: String(255),
    }

    def __repr__(self) -> str:
        pk = ", ".join(f"{c.key}={getattr(self, c.key)!r}" for c in self.__mapper__.primary_key)
        return f"<{type(self).__name__} {pk}>"


ENGINE_KEY = "peerflow.engine"
# Each SQLite connection keeps up to this much of the file in its own page cache (SQLite's default is 2 MiB, a
# tenth of the tables the dashboard's figures read at scale 100), and reads the file through a memory map of up
# to this size rather than copying each page out of the operating system's cache. Both are ceilings, not
# allocations: a small database uses what it needs.
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


class AppSession(Session):
    """A session that uses the current app's engine unless it was given a bind of its own.

    One process may hold several apps (tests build a second one for the browser journeys), so
    the engine is looked up per app rather than fixed when the first app is created.
    """

    def get_bind(self, mapper: Any = None, **kwargs: Any) -> Any:
        if self.bind is None and has_app_context():
            return current_app.extensions[ENGINE_KEY]
        return super().get_bind(mapper, **kwargs)


class Database:
    """A request-scoped session; `init_app` gives each Flask app its own engine."""

    Model = Base

    def __init__(self) -> None:
        self.session = scoped_session(sessionmaker(class_=AppSession, expire_on_commit=False))

    def init_app(self, app: Flask) -> None:
        app.extensions[ENGINE_KEY] = make_engine(app.config["DATABASE_URL"])
        app.extensions["peerflow.db"] = self

        @app.teardown_appcontext
        def _remove_session(_exc: BaseException | None) -> None:
            # Anything not committed by the view is rolled back here: one transaction per request.
            self.session.remove()

    @staticmethod
    def engine_of(app: Flask) -> Engine:
        return app.extensions[ENGINE_KEY]

    def read_outside_transaction(self, stmt: Executable, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """One row of `stmt`, read on PostgreSQL outside any transaction; its ORM objects join the session.

        A request that needs only this row (a warm page: the user, their unread count, the data version)
        then costs one round trip instead of three: psycopg opens every transaction with its own BEGIN,
        and the pool ends it with a ROLLBACK. Under READ COMMITTED each statement sees the latest commit
        either way, so nothing is read differently. The objects are merged into the request's session
        without a query, so lazy loads and writes later in the request go through it as usual.

        The row is read in the request's session instead when that session is bound to a connection of
        its own (the tests' transaction per test), or on SQLite (no round trips to save)."""
        session = self.session()
        engine = session.get_bind()
        if session.bind is not None or not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
            found = session.execute(stmt, params).one_or_none()
            return None if found is None else tuple(found)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            with Session(connection) as reader:
                row = reader.execute(stmt, params).one_or_none()
                if row is None:
                    return None
                reader.expunge_all()
        # The same row, each ORM object swapped for the session's copy of it.
        return tuple(session.merge(value, load=False) if isinstance(value, Base) else value for value in row)


def make_engine(url: str) -> Engine:
    """Create the engine, with SQLite set up for foreign keys and two processes (web + scheduler)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, open transactions: pysqlite's own handling breaks
            # SAVEPOINT and transactional DDL (SQLAlchemy's documented recipe).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN")

        return engine
    engine = create_engine(url)
    ping_when_idle(engine)
    return engine


# A connection back in the pool for longer than this is checked before it is handed out again.
IDLE_BEFORE_PING = 10.0  # seconds


def has_unread_input(dbapi_connection: Any) -> bool:
    """Whether the server sent something to a connection that is idle in the pool (no round trip).

    An idle connection receives nothing unless the server is ending it: a terminated backend or a
    server shutting down sends its FATAL message and closes the socket, so the socket turns readable.
    Looking costs one non-blocking poll of the socket, no message to the server."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return False
    try:
        fd = fileno()
    except Exception:  # noqa: BLE001 - a closed driver connection has no socket: it is unusable
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    readable, _w, _x = select.select([fd], [], [], 0)
    return bool(readable)


def ping_when_idle(engine: Engine, idle: float = IDLE_BEFORE_PING) -> None:
    """Check a pooled connection with a round trip only when it may be dead: it has sat unused for
    `idle` seconds, or the server has written to it while it sat in the pool.

    `pool_pre_ping` pings on every checkout: one more round trip, and server time, on every request.
    Instead, every checkout polls the connection's socket (a system call, no round trip): a server that
    ends a connection (a restart, `pg_terminate_backend`, a proxy closing it) says so on the socket, and
    that connection is pinged, found dead and replaced before the request sees it (the pool retries).
    A connection that went silent without a word (a network cut) is caught by the ping after `idle`
    seconds. So a warm request costs nothing more, and no request fails for a connection the pool could
    have replaced."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        recent = time.monotonic() - record.info.get("returned_at", 0.0) < idle
        if recent and not has_unread_input(dbapi_connection):
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # noqa: BLE001 - whatever the driver raises, the connection is unusable
            raise DisconnectionError(f"pooled connection unusable: {error}") from error
