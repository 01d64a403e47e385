"""Failed sign-ins counted per account and per address, in the database or in Redis, shared by workers."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from workflow.accounts.models import LoginFailure, Role
from workflow.accounts.services import SignInRefused, TooManyAttempts, sign_in
from workflow.accounts.throttle import (
    DatabaseFailures,
    Limit,
    RedisFailures,
    failure_key,
    failure_store,
    sign_in_keys,
    wait_needed,
)

from ..factories import PASSWORD, make_user
from ..smtp import free_port

LIMIT = Limit(10, timedelta(minutes=15))
IP = "203.0.113.20"


@pytest.fixture()
def app_ctx(app, db):
    """An app context: the test app's (cheap) hashing parameters apply, and Redis is the app's."""
    with app.app_context():
        yield


def attempt(db, email: str, password: str, clock, store, ip: str = IP):
    return sign_in(db, email, password, now=clock.now, ip=ip, failures=store, limit=LIMIT)


def test_the_eleventh_failure_is_refused_before_the_password_is_checked(db, clock, app_ctx):
    user = make_user(db, Role.OFFICER)
    store = DatabaseFailures(db)
    for _n in range(10):
        with pytest.raises(SignInRefused):
            attempt(db, user.email, "not the password", clock, store)
    with pytest.raises(TooManyAttempts) as refused:
        attempt(db, user.email, PASSWORD, clock, store)
    assert refused.value.status == 429 and refused.value.retry_after == 15 * 60
    assert "Wait 15 minutes" in refused.value.message


def test_failures_leave_the_window_one_by_one(db, clock, app_ctx):
    store, key = DatabaseFailures(db), failure_key("account", "someone@test.peerflow.org")
    start = clock.now
    for minute in range(10):
        store.add([key], now=start + timedelta(minutes=minute), window=LIMIT.window)
    at_ten = start + timedelta(minutes=10)
    assert wait_needed(store, [key], now=at_ten, limit=LIMIT) == 5 * 60  # the first failure leaves at 15 min
    assert wait_needed(store, [key], now=start + timedelta(minutes=15, seconds=1), limit=LIMIT) is None
    assert store.count(key, now=at_ten, window=LIMIT.window) == (10, start)


def test_old_failures_are_purged_and_a_success_clears_the_account(db, clock, app_ctx):
    user = make_user(db, Role.OFFICER)
    store = DatabaseFailures(db)
    for _n in range(3):
        with pytest.raises(SignInRefused):
            attempt(db, user.email, "not the password", clock, store)
    assert db.scalar(select(func.count()).select_from(LoginFailure)) == 6  # account and address, 3 each

    clock.set(clock.now + timedelta(minutes=20))
    with pytest.raises(SignInRefused):
        attempt(db, "other@test.peerflow.org", "whatever", clock, store)
    assert db.scalar(select(func.count()).select_from(LoginFailure)) == 8  # out of the window, kept a day
    clock.set(clock.now + timedelta(days=1))
    with pytest.raises(SignInRefused):
        attempt(db, "other@test.peerflow.org", "whatever", clock, store)
    assert db.scalar(select(func.count()).select_from(LoginFailure)) == 2  # the older eight are gone

    with pytest.raises(SignInRefused):
        attempt(db, user.email, "not the password", clock, store)
    assert attempt(db, user.email, PASSWORD, clock, store).id == user.id
    account, address = sign_in_keys(user.email, IP)
    assert store.count(account, now=clock.now, window=LIMIT.window)[0] == 0
    assert store.count(address, now=clock.now, window=LIMIT.window)[0] == 2  # the address keeps its count


def test_keys_name_nobody(db, clock, app_ctx):
    store = DatabaseFailures(db)
    with pytest.raises(SignInRefused):
        attempt(db, "Someone@Test.Peerflow.org", "nope", clock, store)
    keys = set(db.scalars(select(LoginFailure.key)))
    assert keys == set(sign_in_keys("someone@test.peerflow.org", IP))
    assert all(len(k) == 64 and "someone" not in k for k in keys)


def test_workers_with_their_own_connections_share_the_counts(engine, clock):
    """Two web processes: each its own connection and transaction, committing as the views do."""
    key = failure_key("account", "shared@test.peerflow.org")
    try:
        with Session(engine) as first, Session(engine) as second:
            for n in range(10):
                worker = first if n % 2 else second
                DatabaseFailures(worker).add([key], now=clock.now, window=LIMIT.window)
                worker.commit()
            assert wait_needed(DatabaseFailures(first), [key], now=clock.now, limit=LIMIT) is not None
            assert wait_needed(DatabaseFailures(second), [key], now=clock.now, limit=LIMIT) is not None
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(LoginFailure).where(LoginFailure.key == key))
            cleanup.commit()


# --- Redis ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throw-away redis-server on loopback, without persistence."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def with_redis(app, redis_url, monkeypatch):
    from workflow.ops.redis import CLIENT_KEY, redis_client

    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    app.extensions.pop(CLIENT_KEY, None)
    with app.app_context():
        client = redis_client()
        client.flushdb()
        yield client
    app.extensions.pop(CLIENT_KEY, None)


def test_with_redis_the_counts_are_kept_there_and_shared(app, db, clock, with_redis):
    user = make_user(db, Role.OFFICER)
    with app.app_context():
        store = failure_store(db)
        assert isinstance(store, RedisFailures)
        for _n in range(10):
            with pytest.raises(SignInRefused):
                attempt(db, user.email, "not the password", clock, store)
        assert db.scalar(select(func.count()).select_from(LoginFailure)) == 0
        another_worker = RedisFailures(type(with_redis).from_url(app.config["REDIS_URL"]), DatabaseFailures(db))
        with pytest.raises(TooManyAttempts):
            attempt(db, user.email, PASSWORD, clock, another_worker)

        clock.set(clock.now + timedelta(minutes=16))
        assert attempt(db, user.email, PASSWORD, clock, store).id == user.id
        account, _address = sign_in_keys(user.email, IP)
        assert store.count(account, now=clock.now, window=LIMIT.window) == (0, None)


def test_the_eleventh_attempt_answers_429_through_the_pages_with_redis(app, client, db, with_redis):
    from tests.functional.conftest import csrf_token

    user = make_user(db, Role.OFFICER)
    token = csrf_token(client)
    answers = [client.post("/login", data={"csrf_token": token, "email": user.email, "password": "wrong one"})
               .status_code for _n in range(11)]
    assert answers == [200] * 10 + [429]
    assert with_redis.keys("peerflow:failures:*")


def test_when_redis_fails_the_database_takes_over(app, db, clock, monkeypatch):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    down = redis.Redis(port=free_port(), retry=Retry(NoBackoff(), 0))  # nobody listens there
    store = RedisFailures(down, DatabaseFailures(db))
    key = failure_key("account", "fallback@test.peerflow.org")
    with app.app_context():
        store.add([key], now=clock.now, window=LIMIT.window)
        assert store.down
        assert store.count(key, now=clock.now, window=LIMIT.window) == (1, clock.now)
        assert db.scalar(select(func.count()).select_from(LoginFailure)) == 1
