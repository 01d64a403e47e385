"""gunicorn settings for Peerflow: `gunicorn -c deploy/gunicorn.conf.py` (the app is named here).

Everything is read from the environment (the systemd unit's EnvironmentFile, the Procfile's shell):

- `BIND` (default 127.0.0.1:8000, or 0.0.0.0:$PORT when a Procfile platform sets PORT;
  `unix:/run/peerflow/web.sock` works too): where the reverse proxy connects. Never expose gunicorn itself: the proxy buffers slow clients and terminates TLS.
- `WEB_CONCURRENCY`: worker processes (default 2 × CPUs + 1); `GUNICORN_THREADS`: threads per worker
  (default 1: the sync worker; above 1 the threaded worker, which also keeps connections alive).
- `GUNICORN_TIMEOUT` (default 30 s): a worker silent for longer is killed and replaced.
- `GUNICORN_MAX_REQUESTS` (default 20,000, with 10 % jitter; 0: never): a worker is replaced after this many.
- `FORWARDED_ALLOW_IPS`: read by gunicorn itself (default 127.0.0.1,::1): the proxies whose
  X-Forwarded-Proto it believes. The app's own `PROXY_FIX=1` does the rest (client address, host).
- `LOG_FORMAT` / `PEERFLOW_ENV`: gunicorn's own lines come out as JSON when the app's do.

The app is loaded once in the master and the workers are forked from it (less memory, and a broken
deployment fails at start rather than in every worker). A forked worker must not reuse a database
connection the master may hold, so `post_fork` gives each worker a fresh connection pool. Code
changes therefore need a restart (`systemctl restart peerflow-web`), not a HUP.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `config` and `workflow` are importable without the editable install too
    sys.path.insert(0, str(ROOT))

from flask.cli import load_dotenv  # noqa: E402

from config import log_format  # noqa: E402

# A `.env` in the directory gunicorn starts in is read as `flask` reads it (python-dotenv; variables already
# set win), before the settings below and create_app() read the environment.
load_dotenv()
from workflow.ops.logging import gunicorn_logconfig  # noqa: E402

wsgi_app = "workflow:create_app()"
chdir = str(ROOT)
# BIND, else the PORT a platform that runs the Procfile hands out (on every interface), else loopback.
bind = [os.environ.get("BIND") or (f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then, so a slow leak never grows without bound (jitter: not all at once). Not too
# often: a new worker opens new database connections (a new PostgreSQL backend, its catalogue caches cold) and
# computes its remembered pages afresh; at 2,000 requests a benchmark at 800 requests/s recycled a worker every
# few seconds, and that was part of what made its rounds differ. `GUNICORN_MAX_REQUESTS` (0: never).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 20000)
max_requests_jitter = max_requests // 10
preload_app = True
proc_name = "peerflow-web"
# gunicorn 24+ opens a control socket in the user's home by default; systemd manages the process here, and
# two instances on one machine (a test, a benchmark) must not fight over one socket path.
control_socket_disable = True

# gunicorn's access log stays off: the app writes one line per request itself, with the request id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
logconfig_dict = gunicorn_logconfig(log_format(os.environ)) or {}


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's hook signature
    """Before the first worker is forked: compile the templates, build the roster pool (a second at scale 100) and
    run once the statements of the dashboard and of every role's to-do count (`workflow.main.warmup`) in the master,
    so that no request ever waits for them; each worker inherits all three, and only applies to the pool what
    changed since."""
    app = server.app.wsgi()
    from workflow.deployments.roster_pool import compile_templates, warm
    from workflow.main.warmup import warm_statements

    # A few milliseconds per template the first time, in each worker on its first pages otherwise.
    compile_templates(app)
    try:
        warm(app)
    except Exception:  # noqa: BLE001 - a database not reachable yet: the first suggestions build it instead
        server.log.warning("the roster pool could not be built before forking: the first suggestions build it",
                           exc_info=True)
    try:
        warm_statements(app)
    except Exception:  # noqa: BLE001 - as above: the first pages compile them instead
        server.log.warning("the statements could not be run before forking: the first pages compile them",
                           exc_info=True)


def post_fork(server, worker) -> None:  # noqa: ANN001 - gunicorn's hook signature
    """Each worker starts with its own, empty connection pools (never the master's sockets)."""
    app = getattr(worker.app, "callable", None)
    if app is None:
        return
    from workflow.extensions import db

    # close=False: leave the master's connections (if any) alone; this process just forgets them.
    db.engine_of(app).dispose(close=False)
