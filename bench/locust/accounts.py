"""Who the Locust users sign in as: accounts of every role of the synthetic portfolio, as one JSON file.

    .venv/bin/python bench/locust/accounts.py postgresql://postgres@127.0.0.1:5432/peerflow_bench_100 OUT.json

Every synthetic account's password is `peerflow-demo`. Experts are those with an invitation to answer on an
activity still to come (the journey that answers one), then any others; focal points those with officials
awaiting their release first. The synthetic portfolio has no Steering Committee member: two are added
(the officer's password hash, `steering.N@synthetic.peerflow.org`) the first time, so that role takes part.
"""

from __future__ import annotations

import json
import sys

import psycopg

LIMIT = 400  # accounts per role at most: more than the largest run has users of one role

QUERIES = {
    "officer": "SELECT email FROM users WHERE role = 'officer' AND active ORDER BY id",
    "admin": "SELECT email FROM users WHERE role = 'admin' AND active ORDER BY id",
    "requester": "SELECT email FROM users WHERE role = 'requester' AND active ORDER BY id",
    "ms_focal_point": """
        SELECT u.email FROM users u
        LEFT JOIN experts e ON e.country_code = u.country_code
        LEFT JOIN deployments d ON d.expert_id = e.id AND d.status IN ('accepted', 'invited', 'proposed')
        WHERE u.role = 'ms_focal_point' AND u.active
        GROUP BY u.id, u.email ORDER BY count(d.id) DESC, u.id""",
    "expert": """
        SELECT u.email FROM users u JOIN experts e ON e.user_id = u.id
        LEFT JOIN deployments d ON d.expert_id = e.id AND d.status = 'invited'
        LEFT JOIN activities a ON a.id = d.activity_id AND a.start_date > current_date
        WHERE u.role = 'expert' AND u.active
        GROUP BY u.id, u.email ORDER BY count(a.id) DESC, u.id""",
    "steering": "SELECT email FROM users WHERE role = 'steering' AND active ORDER BY id",
}


def ensure_steering(conn: psycopg.Connection) -> None:
    if conn.execute("SELECT 1 FROM users WHERE role = 'steering' LIMIT 1").fetchone():
        return
    conn.execute("""
        INSERT INTO users (email, name, password_hash, role, locale, timezone, active, is_demo, created_at,
                           search_key)
        SELECT 'steering.' || n || '@synthetic.peerflow.org', 'Steering member ' || n || ' (bench)', password_hash,
               'steering', locale, timezone, true, false, created_at, 'steering member ' || n || ' (bench)'
        FROM users, generate_series(1, 2) AS n WHERE email = 'officer@synthetic.peerflow.org'""")


def main() -> None:
    url, out = sys.argv[1], sys.argv[2]
    with psycopg.connect(url, autocommit=True) as conn:
        ensure_steering(conn)
        found = {role: [row[0] for row in conn.execute(sql + f" LIMIT {LIMIT}")] for role, sql in QUERIES.items()}
    missing = [role for role, emails in found.items() if not emails]
    if missing:
        sys.exit(f"no account of role {', '.join(missing)} in {url}")
    with open(out, "w") as f:
        json.dump(found, f)
    print("accounts: " + ", ".join(f"{len(emails)} {role}" for role, emails in found.items()))


if __name__ == "__main__":
    main()
