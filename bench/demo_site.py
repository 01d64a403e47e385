"""A throw-away Peerflow with the demo portfolio, served by gunicorn, for the screenshot gallery and Lighthouse.

`DemoSite(workdir)` builds a fresh SQLite database in `workdir` with the real commands (`flask --app
workflow db upgrade`, `seed reference`, `seed demo`; with `demo=False`, `users create` for an officer, an
administrator and an expert instead of the demo portfolio) and, used as a context manager, serves it with
gunicorn (deploy/gunicorn.conf.py, production settings over loopback) on a free port; leaving the block
stops the server. `sign_in(url, email)` returns the session cookie of a demo account, for tools that
cannot fill a form (Lighthouse).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "peerflow-demo"  # design.md, "Fixed names": the demo accounts' password
EMPTY_SITE_ROLES = ("officer", "admin", "expert")  # accounts of `DemoSite(demo=False)`, named as in the demo
START_TIMEOUT = 60  # seconds for gunicorn to answer /readyz


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DemoSite:
    def __init__(self, workdir: Path, *, workers: int = 2, demo: bool = True) -> None:
        self.workdir = workdir
        self.demo = demo
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / 'peerflow-demo.db'}",
            "UPLOAD_DIR": str(workdir / "uploads"),
            "SECRET_KEY": secrets.token_hex(32),
            "PEERFLOW_ENV": "production",
            "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
            "PEERFLOW_BASE_URL": self.url,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "4",
            "LOG_FORMAT": "json",
            "PYTHONPATH": str(ROOT),
        }

    def flask(self, *args: str) -> None:
        subprocess.run([str(BIN / "flask"), "--app", "workflow", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL)

    def build(self) -> None:
        """The demo database, with the commands an operator runs."""
        self.flask("db", "upgrade")
        self.flask("seed", "reference")
        if self.demo:
            self.flask("seed", "demo")
            return
        for role in EMPTY_SITE_ROLES:  # an empty portfolio: its people only
            self.flask("users", "create", f"{role}@demo.peerflow.org", "--role", role, "--password", DEMO_PASSWORD)

    def __enter__(self) -> DemoSite:
        self.build()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s:\n{self.log.read_text()}")

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def sign_in(url: str, email: str, password: str = DEMO_PASSWORD) -> str:
    """Sign in through the real /login form; return the `Cookie` header value of the new session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url + "/login") as answer:
        form = answer.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    fields = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    with opener.open(url + "/login", data=urllib.parse.urlencode(fields).encode()) as answer:
        if "/login" in answer.geturl():
            raise RuntimeError(f"could not sign in as {email}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
