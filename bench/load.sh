#!/usr/bin/env bash
# Load: wrk against gunicorn (deploy/gunicorn.conf.py, as in production) on PostgreSQL at scale 100.
#
#   bench/load.sh                       # 15 s per endpoint in 3 alternating rounds, 2 wrk threads,
#                                       # 2 connections per worker
#   DURATION=30s CONNECTIONS=16 WEB_CONCURRENCY=4 GUNICORN_THREADS=2 bench/load.sh
#
# In one run, with the same gunicorn, the same connections and the same session cookie, alternating:
#   - the Action list (/actions/, first page, signed in as an officer of the synthetic portfolio);
#   - the bare endpoint /healthz, which only answers "ok" (no database): what the stack itself costs.
# Before measuring: VACUUM (ANALYZE) of the database, and a warm-up that reaches every worker. Prints both request
# rates, their ratio, how far the rounds' ratios stray from the whole run's, and the workers replaced meanwhile
# (gunicorn's max_requests); the last line is one JSON object:
#   {"app_rps": …, "bare_rps": …, "ratio": …}
#
# The database is `peerflow_bench_100` (bench/pages.py uses the same one): reused when it holds the
# scale-100 portfolio (~3,500 Actions) and brought to the head migration; created and seeded when it
# is missing (`db upgrade`, `seed reference`, `seed synthetic --scale 100`: about 30 s).
# Needs wrk (Debian package `wrk`; installed here with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME=${BENCH_DB:-peerflow_bench_100}
DATABASE_URL=${BENCH_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/$DB_NAME}
LIBPQ_URL=${DATABASE_URL/+psycopg/}        # the same address for psql
ADMIN_URL=${LIBPQ_URL%/*}/postgres         # the server's maintenance database, to create ours
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
WORKERS=${WEB_CONCURRENCY:-$(( 2 * $(nproc) + 1 ))}
GUNICORN_THREADS=${GUNICORN_THREADS:-1}   # above 1: gunicorn's threaded worker
CONNECTIONS=${CONNECTIONS:-$(( 2 * WORKERS ))}
ROUNDS=${ROUNDS:-3}                       # the endpoints alternate in this many runs each (see below)
OFFICER=${BENCH_OFFICER:-officer@synthetic.peerflow.org}
PASSWORD=${BENCH_PASSWORD:-peerflow-demo}   # every synthetic account's password
PY=.venv/bin/python
FLASK=(.venv/bin/flask --app workflow)
# shellcheck source=bench/common.sh
source bench/common.sh

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== Installing wrk =="
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: apt-get install wrk" >&2; exit 1
  fi
fi

# --- The scale-100 database -----------------------------------------------------------------------
export DATABASE_URL
bench_database

# --- gunicorn, as deployed --------------------------------------------------------------------------
WORK=$(mktemp -d)
LOG=$WORK/gunicorn.log
GUNICORN_PID=
cleanup() {
  if [ -n "$GUNICORN_PID" ]; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

env -u REDIS_URL \
  GUNICORN_THREADS="$GUNICORN_THREADS" PEERFLOW_ENV=production SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")" SESSION_COOKIE_SECURE=false PEERFLOW_BASE_URL=http://127.0.0.1 \
  UPLOAD_DIR="$WORK/uploads" LOG_FORMAT=json WEB_CONCURRENCY="$WORKERS" BIND=127.0.0.1:0 \
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py >"$LOG" 2>&1 &
GUNICORN_PID=$!

wait_for_gunicorn "$GUNICORN_PID" "$LOG"

# --- Sign in through the login form, keep the session cookie ------------------------------------------
JAR=$WORK/cookies
# One browser: the same User-Agent for the sign-in and every request after it. The session remembers the agent it
# began with (Flask-Login's session protection); a cookie replayed by another agent is marked not fresh on each
# request, and so signed and sent again with every response (curl's agent and wrk's differ).
AGENT="peerflow-bench/1 (wrk)"
TOKEN=$(curl -s -A "$AGENT" -c "$JAR" "$BASE/login" | grep -o 'name="csrf_token"[^>]*value="[^"]*"' | head -n 1 \
        | sed 's/.*value="\([^"]*\)"/\1/')
[ -n "$TOKEN" ] || { echo "no CSRF token on /login" >&2; exit 1; }
STATUS=$(curl -s -A "$AGENT" -b "$JAR" -c "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' \
         --data-urlencode "csrf_token=$TOKEN" --data-urlencode "email=$OFFICER" \
         --data-urlencode "password=$PASSWORD" "$BASE/login")
case "$STATUS" in
  "302 $BASE/home") ;;
  *) echo "signing in as $OFFICER failed (answered $STATUS)" >&2; exit 1 ;;
esac
SESSION=$(awk '$6 == "session" { print $7 }' "$JAR")
COOKIE="Cookie: session=$SESSION"
[ "$(curl -s -A "$AGENT" -o /dev/null -w '%{http_code}' -H "$COOKIE" -H "User-Agent: $AGENT" "$BASE/actions/")" = 200 ] \
  || { echo "the session cookie does not open /actions/" >&2; exit 1; }
if curl -s -A "$AGENT" -o /dev/null -D - -H "$COOKIE" "$BASE/actions/" | grep -qi '^set-cookie:'; then
  echo "the Action list sends the session cookie again with each response: the rounds would time its signing" >&2; exit 1
fi

# --- wrk: warm up both, then measure both with the same settings ---------------------------------------
echo "== gunicorn: $WORKERS workers × $GUNICORN_THREADS thread(s) on $DB_NAME ($ACTIONS Actions); wrk: $THREADS threads," \
     "$CONNECTIONS connections, $DURATION per endpoint =="
for path in /healthz /actions/; do
  wrk -t "$THREADS" -c "$CONNECTIONS" -d 3s --timeout 10s -H "$COOKIE" -H "User-Agent: $AGENT" "$BASE$path" >/dev/null
done
MARK=$(wc -l <"$LOG")
# Alternate the two in ROUNDS short runs (bare, app, bare, app …) instead of one long run each, so that
# both meet the same machine: on a shared host, other work starting or stopping during a single long run
# of one endpoint would show up as a difference between the endpoints.
SECONDS_EACH=${DURATION%s}
[[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || { echo "DURATION must be whole seconds, like 15s" >&2; exit 1; }
ROUND_SECONDS=$(( (SECONDS_EACH + ROUNDS - 1) / ROUNDS ))
run() {  # $1 = path, $2 = name, $3 = round; prints wrk's report, keeps it in $WORK/wrk-<name>-<round>
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${ROUND_SECONDS}s" --timeout 10s --latency -H "$COOKIE" -H "User-Agent: $AGENT" "$BASE$1" \
    | tee "$WORK/wrk-$2-$3"
}
for round in $(seq 1 "$ROUNDS"); do
  echo "-- round $round of $ROUNDS: bare endpoint, GET /healthz"
  run /healthz bare "$round"
  echo "-- round $round of $ROUNDS: Action list, GET /actions/ (officer, scale 100)"
  run /actions/ app "$round"
done

# Workers replaced during the rounds (gunicorn's max_requests): each starts with new database connections and its
# remembered pages empty, which shows as a slower round.
RECYCLED=$(tail -n +"$((MARK + 1))" "$LOG" | grep -c "Booting worker" || true)
echo "workers replaced during the rounds: $RECYCLED"

# Every measured request must have been the page itself: a redirect to /login (an expired cookie)
# would look fast. The app logs one JSON line per request; count the statuses of this run.
tail -n +"$((MARK + 1))" "$LOG" | "$PY" -c '
import collections, json, sys
seen = collections.Counter()
for raw in sys.stdin:
    if raw.startswith("{"):
        line = json.loads(raw)
        if line.get("logger") == "workflow.request":
            seen[(line["path"], line["status"])] += 1
print("responses logged during the measurement:", dict(sorted(seen.items())))
bad = {key: n for key, n in seen.items() if key[1] != 200}
if bad:
    sys.exit(f"not every response was a 200: {bad}")
'

"$PY" - "$WORK" "$ROUNDS" <<'PY'
import json, re, sys

work, rounds = sys.argv[1], int(sys.argv[2])

def rate(path):
    text = open(path).read()
    if "Non-2xx or 3xx responses" in text or "Socket errors" in text:
        print(f"warning: {path.rsplit('/', 1)[-1]}: " + "; ".join(
            l.strip() for l in text.splitlines() if "Non-2xx" in l or "Socket errors" in l))
    return float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))

apps = [rate(f"{work}/wrk-app-{n}") for n in range(1, rounds + 1)]
bares = [rate(f"{work}/wrk-bare-{n}") for n in range(1, rounds + 1)]
for n, (a, b) in enumerate(zip(apps, bares), start=1):
    print(f"round {n}: Action list {a:.1f}/s, bare {b:.1f}/s, ratio {a / b:.3f}")
app, bare = sum(apps) / rounds, sum(bares) / rounds  # every round runs as long: the mean rate of the whole time
print(f"Action list: {app:.1f} requests/s; bare endpoint: {bare:.1f} requests/s; "
      f"the Action list serves {app / bare:.1%} of the bare rate (target: at least 25%)")
ratios = [a / b for a, b in zip(apps, bares)]
spread = max(abs(r / (app / bare) - 1) for r in ratios)
print(f"the rounds' ratios are within ±{spread:.0%} of the whole run's (target: ±10%)"
      + ("" if spread <= 0.10 else ": something besides the page is being measured (another process on the "
                                   "machine, a worker replaced, autovacuum)"))
print(json.dumps({"app_rps": round(app, 1), "bare_rps": round(bare, 1), "ratio": round(app / bare, 3)}))
PY
