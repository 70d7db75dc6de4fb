"""Database access: one SQLAlchemy engine per configured URL and the transaction helpers.

Engine service functions own their transactions (`with transaction() as s:`); web handlers and
jobs never commit. SQLite writes take the write lock at BEGIN so that two writers queue up instead
of failing half-way, which is what makes optimistic checks on SQLite behave like on PostgreSQL.
The statements of the hottest paths (inbox, claim, complete, audit) run on `session.connection()`:
plain Core rows cost half of what the ORM's result loading does, and they need no autoflush.
"""

import os
import time
from contextlib import contextmanager

from sqlalchemy import create_engine, event, exc, make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker

CONNECT_SECONDS = 5
_state = {"engine": None, "read": None, "write": None, "after_commit": None, "idle_ping": 10.0}


class Base(DeclarativeBase):
    pass


def configure(url, echo=False):
    """Create the engine for `url` and the session factories; idempotent for the same URL."""
    current = _state["engine"]
    if current is not None and str(current.url) == url:
        return current
    if current is not None:
        current.dispose()
    is_sqlite = url.startswith("sqlite")
    kwargs = {"echo": echo, "future": True}
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        _private_sqlite_file(url)
    else:
        kwargs.update(pool_size=10, max_overflow=20)
        if "connect_timeout" not in make_url(url).query:
            # A server that takes the connection and never answers would hold the caller for
            # minutes (the system's TCP timeout): /healthz and a request give up after this.
            kwargs["connect_args"] = {"connect_timeout": CONNECT_SECONDS}
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        _make_sqlite_transactional(engine)
        reads = engine
    else:
        _ping_when_idle(engine)
        # Under READ COMMITTED every statement takes its own snapshot anyway, so a read-only
        # transaction buys nothing on PostgreSQL; autocommit saves its BEGIN and ROLLBACK.
        reads = engine.execution_options(isolation_level="AUTOCOMMIT")
    _state["engine"] = engine
    _state["read"] = sessionmaker(bind=reads, expire_on_commit=False)
    _state["write"] = sessionmaker(
        bind=engine.execution_options(sqlite_begin="BEGIN IMMEDIATE"), expire_on_commit=False
    )
    return engine


def _private_sqlite_file(url: str) -> None:
    """Create the database file readable by its owner only (SQLite gives its journals the same mode)."""
    path = make_url(url).database
    if not path or path == ":memory:":
        return
    if os.path.exists(path):
        os.chmod(path, 0o600)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _make_sqlite_transactional(engine):
    # pysqlite's own transaction handling defers BEGIN to the first write, so two writers can
    # both read, then one fails with "database is locked" on upgrade; we issue BEGIN ourselves.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def set_idle_ping(seconds: float) -> None:
    """Ping a pooled PostgreSQL connection at checkout when it sat idle this long (0: always)."""
    _state["idle_ping"] = float(seconds)


def _ping_when_idle(engine):
    # SQLAlchemy's pool_pre_ping costs a round trip on every checkout, a quarter of a short
    # request's database time; a connection used in the last seconds is alive, so only a
    # connection that sat idle is pinged (the pool's documented "checkout" event recipe).
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", 0.0) < _state["idle_ping"]:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:  # any failure: let the pool replace this connection
            raise exc.DisconnectionError() from error


def _forget_pool_in_child():
    # A forked child must never use its parent's sockets: two processes on one PostgreSQL backend
    # corrupt each other's results. SQLAlchemy's documented recipe: drop the pool without closing
    # (closing would end the parent's sessions); the child opens its own connections on demand.
    engine = _state["engine"]
    if engine is not None:
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_pool_in_child)


def get_engine():
    if _state["engine"] is None:
        raise RuntimeError("engine.db.configure() has not been called")
    return _state["engine"]


@contextmanager
def transaction():
    """Run a unit of work that writes; commit on success, roll back on any exception.

    Callbacks registered with `after_commit(session, fn)` run once the commit succeeded (used to
    enqueue jobs only for work that really is in the database).
    """
    get_engine()
    session = _state["write"]()
    session.info["after_commit"] = []
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.close()
        raise
    callbacks = session.info.pop("after_commit", [])
    session.close()
    for fn in callbacks:
        fn()


@contextmanager
def reading():
    """Open a session for reads only; it never commits."""
    get_engine()
    session = _state["read"]()
    try:
        yield session
    finally:
        session.close()  # ends the transaction; unlike rollback() it leaves loaded objects usable


def after_commit(session, fn):
    """Call `fn()` after `session`'s transaction commits; dropped if it rolls back."""
    session.info.setdefault("after_commit", []).append(fn)
