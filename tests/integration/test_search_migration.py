"""Migration 0016 gives the rows already stored their search keys, and can be undone keeping them."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from workflow.database import make_engine
from workflow.ops.migrations import alembic_config

from .. import dbsetup

SCHEMA = "search_keys"


def _database(tmp_path) -> str:
    url = dbsetup.test_database_url(tmp_path, name="peerflow-search-keys")
    if url.startswith("sqlite"):
        return url
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"


def _migrate(engine, url: str, revision: str, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_existing_rows_get_their_search_keys(tmp_path):
    url = _database(tmp_path)
    dbsetup.reachable_or_skip(url)
    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
                connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
        _migrate(engine, url, "0015")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO countries (code, is_eu_member) VALUES ('BR', false), ('AT', true)"))
            connection.execute(text(
                "INSERT INTO institutions (name, acronym, country_code, kind) VALUES "
                "('Prefeitura de São Paulo', 'PMSP', 'BR', 'partner_administration'), "
                "('Bundesministerium für Inneres ÖSTERREICH', NULL, 'AT', 'ms_administration')"))
            connection.execute(text(
                "INSERT INTO audit_entries (at, kind, event, object_label, email, changes, detail) "
                "VALUES (:at, 'security', 'login_failed', 'Олена Коваленко', 'Olena@Example.org', '{}', '{}')"),
                {"at": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)})
        _migrate(engine, url, "0016")
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT name, search_key FROM institutions ORDER BY name")).all()
            logged = connection.execute(text("SELECT search_key FROM audit_entries")).scalar_one()
        assert keys == [("Bundesministerium für Inneres ÖSTERREICH", "bundesministerium fur inneres osterreich"),
                        ("Prefeitura de São Paulo", "prefeitura de sao paulo\npmsp")]
        assert logged == "олена коваленко\nolena@example.org"
        _migrate(engine, url, "0015", down=True)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM institutions")).scalar_one() == 2
    finally:
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        engine.dispose()
