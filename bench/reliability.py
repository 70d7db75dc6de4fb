"""Reproduce the fault-injection pass on PostgreSQL: clients push documents while things break.

Run: .venv/bin/python bench/reliability.py [--clients 4] [--documents 20] [--redis-db 5] [--pg-dsn DSN]

It starts the web app under gunicorn (2 processes x 8 threads) and two `gongkai worker` processes
on a fresh PostgreSQL schema and Redis database. Each client submits its documents (some twice with
one Idempotency-Key, at once or as a retry) and takes each through review, secrecy review and the
publisher's confirmation. Meanwhile it kills a worker (SIGKILL, with its children), flushes Redis,
terminates every PostgreSQL connection of the app, and kills both workers. It prints documents
published, duplicates, stuck, HTTP errors and, per fault, the time until every job that was
pending at that moment had finished (max recovery). It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import redis as redis_lib
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from engine import bootstrap, config, schema  # noqa: E402
from engine.db import get_engine, reading  # noqa: E402
from engine.models import Document, HumanTask, Incident, Outbox, Publication  # noqa: E402

APPROVE = {"decision": "approve", "opinion": "同意"}
STEPS = (("reviewer1", APPROVE), ("secrecy1", APPROVE), ("publisher1", {"decision": "confirm"}))
TIMING = {"GONGKAI_WORKER_HEARTBEAT": "1", "GONGKAI_WORKER_DEAD_AFTER": "5", "GONGKAI_SWEEP_EVERY": "2",
          "GONGKAI_SWEEP_GRACE": "3"}


class Stack:
    """The product as production runs it: gunicorn, two workers, PostgreSQL, Redis."""

    def __init__(self, args):
        self.app_name = f"gk-rel-{uuid.uuid4().hex[:6]}"
        self.pg_schema = f"gk_rel_{uuid.uuid4().hex[:8]}"
        self.pg_dsn, self.port = args.pg_dsn, args.port
        self.data_dir = Path(tempfile.mkdtemp(prefix="gk-rel-"))
        self.redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
        self.env = {**os.environ, **TIMING, "GONGKAI_DATA_DIR": str(self.data_dir),
                    "GONGKAI_SECRET_KEY": uuid.uuid4().hex, "REDIS_URL": self.redis_url,
                    "DATABASE_URL": f"{self.pg_dsn}?options=-csearch_path%3D{self.pg_schema}"
                                    f"&application_name={self.app_name}"}
        self.workers: list[subprocess.Popen] = []
        self.web = None

    def start(self):
        with psycopg.connect(self.pg_dsn, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.pg_schema}")
        redis_lib.Redis.from_url(self.redis_url).flushdb()
        wanted = ("GONGKAI_DATA_DIR", "GONGKAI_SECRET_KEY", "REDIS_URL", "DATABASE_URL")
        settings = config.configure(config.load({k: self.env[k] for k in wanted}))
        schema.upgrade(settings.database_url)
        bootstrap.init(settings, demo=True)
        self.web = self._spawn([sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "8", "-b",
                                f"127.0.0.1:{self.port}", "--log-level", "warning", "web:create_app()"], "web")
        self.workers = [self._spawn_worker(n) for n in range(2)]
        self.wait_healthy(60)

    def _spawn(self, cmd, name):
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        return subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)

    def _spawn_worker(self, n):
        return self._spawn([sys.executable, "-m", "web.cli", "worker"], f"worker{n}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_healthy(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url("/healthz"), timeout=2).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.2)
        return False

    def kill_worker(self, n, restart_after):
        _killpg(self.workers[n])
        threading.Timer(restart_after, lambda: self.workers.__setitem__(n, self._spawn_worker(n))).start()

    def flush_redis(self):
        redis_lib.Redis.from_url(self.redis_url).flushdb()

    def kill_connections(self) -> int:
        with psycopg.connect(self.pg_dsn, autocommit=True) as conn:
            return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE application_name = %s", (self.app_name,)).fetchall())

    def stop(self):
        for proc in [*self.workers, self.web]:
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers, self.web]:
            if proc is not None:
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    _killpg(proc)
        get_engine().dispose()
        with psycopg.connect(self.pg_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.pg_schema} CASCADE")


def _killpg(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


class Client(threading.Thread):
    """One user's stream of documents, each through the whole procedure, retrying what fails."""

    def __init__(self, stack, tokens, n, documents, stats):
        super().__init__(daemon=True)
        self.stack, self.tokens, self.n, self.count, self.stats = stack, tokens, n, documents, stats
        self.keys: list[str] = []
        self.doc_ids: set[int] = set()
        self.published: set[int] = set()

    def call(self, method, path, user, **kw):
        """One HTTP call; a 5xx or a dropped connection is counted and answered with None."""
        try:
            resp = requests.request(method, self.stack.url(path), timeout=60,
                                    headers={"Authorization": f"Bearer {self.tokens[user]}", **kw.pop("headers", {})}, **kw)
        except requests.RequestException:
            self.stats["connection_errors"] += 1
            return None
        if resp.status_code >= 500:
            self.stats["http_5xx"] += 1
            return None
        return resp

    def submit(self, i):
        key = uuid.uuid4().hex
        self.keys.append(key)
        body = {"title": f"客户端{self.n}的第{i}号文件", "category": "general", "attribute": "proactive",
                "formed_on": "2026-11-02", "body": "本县将于下月开展道路维修。"}
        headers = {"Idempotency-Key": key}
        senders = 2 if i % 4 == 0 else 1  # every fourth document: two identical posts at once
        results = []
        threads = [threading.Thread(target=lambda: results.append(self._post_until_ok(body, headers)))
                   for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if i % 5 == 0:  # every fifth: the client retries as if the first answer got lost
            results.append(self._post_until_ok(body, headers))
            self.stats["duplicate_posts"] += 1
        self.stats["duplicate_posts"] += senders - 1
        self.doc_ids.update(r for r in results if r)

    def _post_until_ok(self, body, headers):
        for _ in range(30):
            resp = self.call("POST", "/api/documents", "drafter1", json=body, headers=headers)
            if resp is not None and resp.status_code == 201:
                return resp.json()["id"]
            time.sleep(0.5)
        return None

    def advance(self):
        for user, data in STEPS:
            # "mine" too: a claim whose completion hit a killed connection is finished on the next round.
            for scope in ("mine", "available"):
                resp = self.call("GET", f"/api/tasks?scope={scope}&limit=200&process_key=disclosure_review", user)
                for item in (resp.json()["items"] if resp is not None and resp.ok else []):
                    if item.get("document_id") in self.doc_ids - self.published:
                        self.do(user, scope, item["id"], data)
        for doc_id in self.doc_ids - self.published:
            resp = self.call("GET", f"/api/documents/{doc_id}", "drafter1")
            if resp is not None and resp.ok and resp.json().get("status") == "published":
                self.published.add(doc_id)

    def do(self, user, scope, task_id, data):
        if scope == "available":
            claim = self.call("POST", f"/api/tasks/{task_id}/claim", user)
            if claim is None or not claim.ok:
                return
        self.call("POST", f"/api/tasks/{task_id}/complete", user, json={"data": data})

    def run(self):
        for i in range(self.count):
            self.submit(i)
            if i % 5 == 4:
                self.advance()
        deadline = time.monotonic() + self.stats["drain_seconds"]
        while self.doc_ids - self.published and time.monotonic() < deadline:
            self.advance()
            time.sleep(0.5)


def pending_outbox() -> set[int]:
    with reading() as s:
        return set(s.scalars(select(Outbox.id).where(Outbox.status == "pending")))


def measure_recovery(stack, name, fault, recoveries, wait=180):
    """Run `fault`, then time until the jobs pending at that moment are done and /healthz is 200."""
    before = _safe(pending_outbox) or set()
    started = time.monotonic()
    detail = fault()
    while time.monotonic() - started < wait:
        still = _safe(lambda: before & pending_outbox())
        if still is not None and not still and stack.wait_healthy(0.01):
            break
        time.sleep(0.25)
    recoveries.append((name, time.monotonic() - started, len(before), detail))


def _safe(fn):
    try:
        return fn()
    except Exception:  # our own connection was among the killed ones: ask again
        get_engine().dispose()
        return None


def faults(stack, recoveries, stop):
    plan = (
        (4, "worker SIGKILL (one, with children)", lambda: stack.kill_worker(0, restart_after=3)),
        (4, "Redis FLUSHDB", stack.flush_redis),
        (4, "pg_terminate_backend (all app connections)", stack.kill_connections),
        (4, "both workers SIGKILL", lambda: [stack.kill_worker(0, 4), stack.kill_worker(1, 4)]),
        (4, "pg_terminate_backend again", stack.kill_connections),
    )
    for pause, name, fault in plan:
        if stop.wait(pause):
            return
        measure_recovery(stack, name, fault, recoveries)


def report(clients, stats, recoveries, elapsed):
    submitted = sum(len(c.keys) for c in clients)
    with reading() as s:
        documents = s.scalar(select(func.count()).select_from(Document))
        published = s.scalar(select(func.count()).select_from(Document).where(Document.status == "published"))
        doubled_pubs = s.execute(select(Publication.document_id, Publication.channel).group_by(
            Publication.document_id, Publication.channel).having(func.count() > 1)).all()
        doubled_tasks = s.execute(select(HumanTask.instance_id, HumanTask.bpmn_id).group_by(
            HumanTask.instance_id, HumanTask.bpmn_id).having(func.count() > 1)).all()
        stuck_outbox = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status != "done"))
        incidents = s.scalar(select(func.count()).select_from(Incident))
        retried = s.scalar(select(func.count()).select_from(Outbox).where(Outbox.attempts > 0))
    print(f"clients {len(clients)}, documents submitted {submitted} (+{stats['duplicate_posts']} duplicate posts), "
          f"run {elapsed:.0f} s")
    print(f"documents created {documents}, published {published}, duplicates {documents - submitted}, "
          f"stuck {documents - published}")
    print(f"duplicate publications {len(doubled_pubs)}, duplicate tasks {len(doubled_tasks)}, "
          f"outbox rows not done {stuck_outbox}, incidents {incidents}, jobs that needed another try {retried}")
    print(f"HTTP 5xx {stats['http_5xx']}, dropped connections {stats['connection_errors']}")
    for name, seconds, pending, detail in recoveries:
        extra = f" ({detail} connections)" if isinstance(detail, int) else ""
        print(f"  fault {name}{extra}: {pending} jobs pending, recovered in {seconds:.1f} s")
    print(f"max recovery: {max((r[1] for r in recoveries), default=0):.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--redis-db", type=int, default=5)
    parser.add_argument("--pg-dsn", default="postgresql://127.0.0.1:5432/test")
    parser.add_argument("--port", type=int, default=18_000 + os.getpid() % 1000)
    parser.add_argument("--drain-seconds", type=int, default=240)
    args = parser.parse_args()
    stack = Stack(args)
    stack.start()
    try:
        tokens = {u: requests.post(stack.url("/api/login"), json={"username": u, "password": bootstrap.DEMO_PASSWORD},
                                   timeout=60).json()["token"] for u in ("drafter1", "reviewer1", "secrecy1", "publisher1")}
        stats = {"http_5xx": 0, "connection_errors": 0, "duplicate_posts": 0, "drain_seconds": args.drain_seconds}
        clients = [Client(stack, tokens, n, args.documents, stats) for n in range(args.clients)]
        recoveries, stop = [], threading.Event()
        started = time.monotonic()
        fault_thread = threading.Thread(target=faults, args=(stack, recoveries, stop), daemon=True)
        fault_thread.start()
        for client in clients:
            client.start()
        fault_thread.join()  # every fault runs, even if the clients finish first
        for client in clients:
            client.join()
        report(clients, stats, recoveries, time.monotonic() - started)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
