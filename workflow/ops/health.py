"""`/healthz` (the process answers) and `/readyz` (it can serve: database, migrations, Redis).

- `/healthz` touches nothing: a plain "ok". For the process manager's liveness check, and the bare
  endpoint `bench/load.sh` compares the pages with.
- `/readyz` answers 200 when the database answers, its `alembic_version` is the head revision of
  `migrations/`, and Redis answers when `REDIS_URL` is set; otherwise 503 with JSON naming each
  problem. For the load balancer: a worker started before `db upgrade` finished is not sent traffic.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from .redis import redis_client

bp = Blueprint("ops", __name__)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """The head revision(s) of `migrations/`, read once per process (the code does not change under it)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    return _no_store(Response("ok\n", mimetype="text/plain"))


def _short(error: BaseException) -> str:
    first = str(error).strip().splitlines()
    return f"{type(error).__name__}: {first[0] if first else ''}"[:300]


def readiness() -> tuple[dict[str, str], list[str]]:
    """Each check's result, and the problems (empty when ready)."""
    checks: dict[str, str] = {}
    problems: list[str] = []
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", and says which
        db.session.rollback()
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
        problems.append(f"database unreachable: {_short(error)}")
    else:
        expected = head_revisions()
        try:
            current = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")).all())
        except Exception:  # noqa: BLE001 - no alembic_version table: never migrated
            db.session.rollback()
            current = frozenset()
        if current == expected:
            checks["migrations"] = "ok"
        else:
            found = ", ".join(sorted(current)) or "none"
            checks["migrations"] = "not at head" if current else "missing"
            problems.append(
                f"migrations not at head: database at {found}, code expects {', '.join(sorted(expected))} "
                "(run `flask --app workflow db upgrade`)"
            )
    client = redis_client()
    if client is None:
        checks["redis"] = "not configured"
    else:
        try:
            client.ping()
            checks["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["redis"] = "unreachable"
            problems.append(f"redis unreachable: {_short(error)}")
    return checks, problems


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    checks, problems = readiness()
    if problems:
        current_app.logger.warning("not ready: %s", "; ".join(problems))
        return _no_store(jsonify(status="unavailable", checks=checks, problems=problems)), 503
    return _no_store(jsonify(status="ready", checks=checks)), 200
