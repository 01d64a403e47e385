#!/usr/bin/env bash
# Mixed load: every role's journeys with writes (Locust, bench/locust/) against Peerflow as deployed:
# gunicorn (deploy/gunicorn.conf.py) on PostgreSQL at scale 100 with Redis, and the scheduler beside it
# sending its e-mails to an SMTP sink on loopback.
#
#   bench/load-mixed.sh                         # 50 users, then 200, each measured for 60 s once all started
#   DURATION=15 USERS="50 200" bench/load-mixed.sh            # a short run
#   WEB_CONCURRENCY=4 GUNICORN_THREADS=2 LOCUST_WAIT=1,3 BENCH_DB=peerflow_bench_100 bench/load-mixed.sh
#   KEEP_LOGS=/tmp/run1 bench/load-mixed.sh      # keep the server's request log lines and Locust's figures
#
# Each run starts its users SPAWN_RATE a second (each signs in through the login form), then measures for
# DURATION seconds (Locust's --reset-stats: the figures are those of the steady state; the sign-ins are
# reported apart, over the whole run). Users think LOCUST_WAIT seconds between steps (default "3,10": reading a
# page; 50 users then ask for about 8 pages a second, 200 for about 30; "1,3" is a harsher test).
# Prints p50/p95/p99 per page and for reads, writes and sign-ins, the errors, the requests per second, the
# share of requests served cold (the server computed a part of the page it remembers per data version, or
# reloaded the roster pool: its `Server-Timing: cache;desc=cold` header; pages that remember nothing are
# not counted either way), the writes the rules refused, and the e-mails the scheduler sent.
# The last line is one JSON object:
#   {"users_50": {"read_p95_ms", "write_p95_ms", "errors", "rps", "cold_share"}, "users_200": {…}}
#
# The database is `peerflow_bench_100` (bench/pages.py and bench/load.sh use the same one), created and
# seeded when missing, as bench/load.sh does. The load test writes to it (invitations, answers, edits,
# postponements, requests): a later run starts from a portfolio that has moved on a little (drop it to
# start afresh). Needs redis-server (Debian's `redis-server`) and Locust (the dev extra of pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME=${BENCH_DB:-peerflow_bench_100}
DATABASE_URL=${BENCH_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/$DB_NAME}
LIBPQ_URL=${DATABASE_URL/+psycopg/}
ADMIN_URL=${LIBPQ_URL%/*}/postgres
DURATION=${DURATION:-60}       # seconds measured per run
SPAWN_RATE=${SPAWN_RATE:-5}    # users started a second (each signs in: a password hash, deliberately slow)
USERS=${USERS:-50 200}
WORKERS=${WEB_CONCURRENCY:-$(( 2 * $(nproc) + 1 ))}
GUNICORN_THREADS=${GUNICORN_THREADS:-1}
export LOCUST_WAIT=${LOCUST_WAIT:-3,10}  # seconds a person spends on a page before the next step
PY=.venv/bin/python
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}   # this checkout's code, whatever the venv points at
FLASK=(.venv/bin/flask --app workflow)
# shellcheck source=bench/common.sh
source bench/common.sh

for need in redis-server psql; do
  command -v "$need" >/dev/null || { echo "$need is missing (apt-get install redis-server postgresql-client)" >&2; exit 1; }
done
[ -x .venv/bin/locust ] || { echo "Locust is missing: .venv/bin/pip install -e '.[dev]'" >&2; exit 1; }

# --- The scale-100 database -----------------------------------------------------------------------
export DATABASE_URL
bench_database

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

"$PY" bench/locust/accounts.py "$LIBPQ_URL" "$WORK/accounts.json"

# --- Redis, the SMTP sink, gunicorn and the scheduler -------------------------------------------------
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
SMTP_PORT=$(free_port)
"$PY" - "$SMTP_PORT" "$WORK/smtp.count" >"$WORK/smtp.log" 2>&1 <<'PY' &
import signal, sys, threading
from aiosmtpd.controller import Controller

class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"

controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
while not done.wait(1):
    open(sys.argv[2], "w").write(str(Count.n))
open(sys.argv[2], "w").write(str(Count.n))
controller.stop()
PY
PIDS+=($!)
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export PEERFLOW_ENV=production SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")" \
  SESSION_COOKIE_SECURE=false PEERFLOW_BASE_URL=http://127.0.0.1 UPLOAD_DIR="$WORK/uploads" LOG_FORMAT=json \
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT" MAIL_FROM=bench@localhost
LOG=$WORK/gunicorn.log
GUNICORN_THREADS="$GUNICORN_THREADS" WEB_CONCURRENCY="$WORKERS" BIND=127.0.0.1:0 \
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py >"$LOG" 2>&1 &
PIDS+=($!)
GUNICORN_PID=$!
# At a lower CPU priority than the web, as deploy/peerflow-scheduler.service runs it (Nice=10).
nice -n 10 "${FLASK[@]}" scheduler >"$WORK/scheduler.log" 2>&1 &
PIDS+=($!)

wait_for_gunicorn "$GUNICORN_PID" "$LOG"

echo "== gunicorn: $WORKERS workers × $GUNICORN_THREADS thread(s) on $DB_NAME ($ACTIONS Actions), Redis, the scheduler" \
     "with an SMTP sink; Locust: $USERS users, started $SPAWN_RATE a second, then ${DURATION} s measured each," \
     "think time $LOCUST_WAIT s =="
uptime

# --- Locust, headless, once per number of users -------------------------------------------------------
for users in $USERS; do
  ramp=$(( (users + SPAWN_RATE - 1) / SPAWN_RATE ))
  MARK=$(wc -l <"$LOG")
  PEERFLOW_ACCOUNTS="$WORK/accounts.json" PEERFLOW_LOCUST_SUMMARY="$WORK/summary-$users.json" \
    .venv/bin/locust -f bench/locust/locustfile.py --host "$BASE" --headless --users "$users" \
    --spawn-rate "$SPAWN_RATE" --run-time "$(( ramp + DURATION ))s" --reset-stats --only-summary \
    --loglevel WARNING >"$WORK/locust-$users.log" 2>&1 || true
  [ -s "$WORK/summary-$users.json" ] || { cat "$WORK/locust-$users.log" >&2; echo "Locust did not finish" >&2; exit 1; }
  tail -n +"$((MARK + 1))" "$LOG" | grep '"workflow.request"' >"$WORK/server-$users.jsonl" || true
  [ -n "${KEEP_LOGS:-}" ] && mkdir -p "$KEEP_LOGS" && cp "$WORK/server-$users.jsonl" "$WORK/summary-$users.json" "$KEEP_LOGS/"
  echo "-- $users users: done ($(uptime | sed 's/.*load/load/'))"
done

"$PY" - "$WORK" "$USERS" <<'PY'
import json, sys

work, runs = sys.argv[1], sys.argv[2].split()
result = {}
for users in runs:
    s = json.load(open(f"{work}/summary-{users}.json"))
    server = [json.loads(line) for line in open(f"{work}/server-{users}.jsonl")]
    server_errors = sum(1 for line in server if line["status"] >= 500)
    print(f"\n== {users} users: {s['requests']} requests, {s['rps']:.1f}/s, {s['errors']} errors "
          f"(the server logged {server_errors} 5xx), {s['refused']} writes refused by the rules ==")
    print(f"{'request':38} {'count':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6} {'cold':>5} {'warm':>5}")
    for name, p in sorted(s["pages"].items()):
        print(f"{name[:38]:38} {p['count']:6} {p['p50_ms']:6.0f} {p['p95_ms']:6.0f} {p['p99_ms']:6.0f} "
              f"{p['errors']:6} {p['cold']:5} {p['warm']:5}")
    for kind, k in s["kinds"].items():
        print(f"{'all ' + kind + 's':38} {k['count']:6} {k['p50_ms']:6.0f} {k['p95_ms']:6.0f} {k['p99_ms']:6.0f} "
              f"{k['errors']:6}")
    print(f"{'sign-ins (whole run, ramp-up included)':38} {s['sign_in']['count']:6} {s['sign_in']['p50_ms']:6.0f} "
          f"{s['sign_in']['p95_ms']:6.0f} {s['sign_in']['p99_ms']:6.0f}")
    measured = s["kinds"]["read"]["count"] + s["kinds"]["write"]["count"]
    writes = s["kinds"]["write"]["count"] / measured if measured else 0.0
    cold_share = s["cold"] / (s["cold"] + s["warm"]) if s["cold"] + s["warm"] else 0.0
    print(f"writes: {writes:.1%} of requests; served cold: {s['cold']} of the {s['cold'] + s['warm']} requests "
          f"of pages that remember per data version ({cold_share:.1%})")
    # The server's own time per request (from its log: the ramp-up included), cold, warm and without remembered
    # parts: what the queue in front of the workers adds is the difference with the times above.
    for label, chosen in (("cold", lambda l: l.get("cache") == "cold"), ("warm", lambda l: l.get("cache") == "warm"),
                          ("remembers nothing", lambda l: not l.get("cache") and l["method"] == "GET"),
                          ("POST", lambda l: l["method"] == "POST")):
        times = sorted(l["duration_ms"] for l in server if chosen(l))
        if times:
            at = lambda share: times[min(len(times) - 1, int(share * len(times)))]
            print(f"server time, {label}: {len(times)} requests, p50 {at(0.5):.0f} ms, p95 {at(0.95):.0f} ms, "
                  f"mean {sum(times) / len(times):.0f} ms")
    for failure in s["failures"]:
        print(f"  error: {failure['count']} × {failure['name']}: {failure['error'][:150]}")
    result[f"users_{users}"] = {"read_p95_ms": s["kinds"]["read"]["p95_ms"],
                                "write_p95_ms": s["kinds"]["write"]["p95_ms"],
                                "errors": s["errors"], "rps": round(s["rps"], 1),
                                "cold_share": round(cold_share, 3)}
mails = open(f"{work}/smtp.count").read().strip() if __import__("os").path.exists(f"{work}/smtp.count") else "0"
print(f"\nthe scheduler sent {mails} e-mails to the SMTP sink during the runs")
print(json.dumps(result))
PY
