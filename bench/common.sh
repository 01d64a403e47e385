# Shared by bench/load.sh and bench/load-mixed.sh (sourced, from the repository root; `set -euo pipefail` there).

# The scale-100 database $DB_NAME at $LIBPQ_URL ($ADMIN_URL: the server's maintenance database): created and seeded
# when missing (`db upgrade`, `seed reference`, `seed synthetic --scale 100`: about 30 s), else brought to the head
# migration; then VACUUM (ANALYZE), so that autovacuum and autoanalyze do not work through 100,000s of new rows
# during the measurement (and the visibility map is set: index-only scans need not visit the heap). Sets ACTIONS.
bench_database() {
  if [ "$(psql "$ADMIN_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
    echo "== Creating $DB_NAME and seeding the scale-100 portfolio =="
    psql "$ADMIN_URL" -qc "CREATE DATABASE \"$DB_NAME\""
    "${FLASK[@]}" db upgrade
    "${FLASK[@]}" seed reference
    "${FLASK[@]}" seed synthetic --scale 100
  else
    "${FLASK[@]}" db upgrade >/dev/null 2>&1 || "${FLASK[@]}" db upgrade  # a second try shows the error
  fi
  ACTIONS=$(psql "$LIBPQ_URL" -tAc "SELECT count(*) FROM actions")
  if [ "$ACTIONS" -lt 3000 ]; then
    echo "$DB_NAME holds $ACTIONS Actions, not the scale-100 portfolio (~3,500): is another run still seeding it?" \
         "Otherwise drop it (dropdb $DB_NAME) and run again." >&2
    exit 1
  fi
  psql "$LIBPQ_URL" -qc "VACUUM (ANALYZE)"
}

# Wait until the gunicorn started as $1 (its log in $2, bound to 127.0.0.1:0) listens and answers /readyz;
# sets BASE to its address.
wait_for_gunicorn() {
  local pid=$1 log=$2 port=
  for _ in $(seq 1 300); do
    port=$(grep -so 'Listening at: http://127.0.0.1:[0-9]*' "$log" | head -n 1 | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "gunicorn did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$log" >&2; echo "gunicorn did not start" >&2; exit 1; }
  BASE=http://127.0.0.1:$port
  for _ in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz")" = 200 ] && break
    sleep 0.2
  done
  curl -sf "$BASE/readyz" >/dev/null || { curl -s "$BASE/readyz" >&2; echo; echo "not ready" >&2; exit 1; }
}
