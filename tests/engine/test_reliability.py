"""Workers under faults, on PostgreSQL as in production: forks, killed workers, killed connections.

Workers here are real processes (`gongkai worker`) or a real forking rq worker, with heartbeat and
sweep intervals shortened through the settings so that a dead worker is noticed in seconds.
"""

import os
import threading
import time

import psycopg
import pytest
from rq.job import Job

from engine import config, queue
from engine.models import Outbox
from engine.workflow import definitions, operations, service_tasks
from tests.conftest import PG_DSN
from tests.support import workers
from tests.support.bpmn import diagram, service_task, user_task
from tests.support.flows import deploy_ok, instance, rows, run_worker, start
from workers.worker import build

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)

HOLD = diagram("hold", [service_task("wait", operation="hold"), user_task("after")])


def _outbox(instance_id) -> Outbox:
    (row,) = rows(Outbox, Outbox.instance_id == instance_id)
    return row


def _done(instance_id):
    return _outbox(instance_id).status == "done"


@pytest.fixture
def timing(monkeypatch, settings):
    for name, value in (("worker_heartbeat", 0.5), ("worker_dead_after", 3.0), ("sweep_every", 1),
                        ("sweep_grace", 0), ("retry_backoff", (0,))):
        monkeypatch.setattr(config.current(), name, value)
    return config.current()


def test_a_job_forked_while_the_sweeps_hold_the_spec_lock_runs(backend, api_as, timing):
    admin = api_as("admin")
    deploy_ok(admin, HOLD)
    iid = start(admin, "hold")
    definitions._spec_cache.clear()  # the child must restore the spec, under the lock
    held, release = threading.Event(), threading.Event()

    def sweep_holding_the_lock():
        with definitions._spec_lock:
            held.set()
            release.wait(30)

    threading.Thread(target=sweep_holding_the_lock, daemon=True).start()
    held.wait(5)
    worker = build(fork=True)
    # A deadlocked child would wait for rq's 180 s timeout: kill it after 20 s so the test fails.
    watchdog = threading.Timer(20, lambda: worker.horse_pid and os.kill(worker.horse_pid, 9))
    watchdog.start()
    try:
        worker.work(burst=True)
    finally:
        watchdog.cancel()
        release.set()
    row = _outbox(iid)
    assert (row.status, row.attempts) == ("done", 0)
    assert instance(admin, iid)["data"]["wait_result"]["pid"] != os.getpid()  # it ran in a child


@pytest.mark.parametrize("fork", [False, True], ids=["in-process", "forking"])
def test_a_killed_workers_job_runs_again_within_a_minute(backend, api_as, timing, tmp_path, fork):
    hold_file = tmp_path / "hold"
    hold_file.touch()
    admin = api_as("admin")
    deploy_ok(admin, HOLD)
    iid = start(admin, "hold")
    # With --fork the job runs in a child: both die, as when the machine goes away.
    first = workers.spawn(timing, tmp_path / "first.log", fork=fork, hold_file=hold_file)
    try:
        job = workers.wait_until(lambda: _running_job(iid), timeout=30)
        children = workers._children(first.pid)  # rq's scheduler; with --fork also the job's child
        workers.kill(first)
        workers.wait_until(lambda: not any(workers.running(pid) for pid in children), timeout=10)
        killed_at = time.monotonic()
        hold_file.unlink()
        second = workers.spawn(timing, tmp_path / "second.log")
        try:
            workers.wait_until(lambda: _done(iid), timeout=60)
        finally:
            workers.stop(second)
    finally:
        workers.kill(first)
    recovery = time.monotonic() - killed_at
    assert recovery < 60, recovery
    body = instance(admin, iid)
    (job_row,) = body["jobs"]
    assert (job_row["status"], job_row["attempts"]) == ("done", 1)
    assert "WorkerLost" in job_row["last_error"] and job in job_row["last_error"]
    assert "worker_lost" in [event["action"] for event in body["history"]]
    assert body["data"]["wait_result"]["pid"] not in (first.pid, None)
    assert "after" not in body["completed_bpmn_ids"] and body["status"] == "running"


def _running_job(instance_id):
    job_id = f"outbox-{_outbox(instance_id).id}-0"
    try:
        job = Job.fetch(job_id, connection=queue.redis())
    except Exception:
        return None
    return job_id if job.get_status() == "started" else None


@pytest.mark.parametrize("fork", [False, True], ids=["in-process", "forking"])
def test_jobs_after_the_database_killed_the_workers_connections_succeed(backend, api_as, timing, tmp_path, fork):
    hold_file = tmp_path / "hold"
    hold_file.touch()
    admin = api_as("admin")
    deploy_ok(admin, HOLD)
    app_name = f"gk-kill-{os.getpid()}"
    proc = workers.spawn(timing, tmp_path / "worker.log", fork=fork, hold_file=hold_file, app_name=app_name)
    try:
        held = start(admin, "hold")
        workers.wait_until(lambda: _running_job(held), timeout=30)
        killed = _terminate_backends(app_name)
        hold_file.unlink()
        later = [start(admin, "hold") for _ in range(3)]
        for iid in (held, *later):
            workers.wait_until(lambda iid=iid: _done(iid), timeout=30)
        _terminate_backends(app_name)
        last = start(admin, "hold")
        workers.wait_until(lambda: _done(last), timeout=30)
    finally:
        workers.stop(proc)
    assert killed >= 1  # the worker did hold connections, and lost them
    assert [_outbox(iid).attempts for iid in (held, *later, last)] == [0, 0, 0, 0, 0]
    assert proc.returncode is not None


def _terminate_backends(app_name) -> int:
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        return len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE application_name = %s", (app_name,)).fetchall())


def test_a_retry_left_waiting_by_a_dead_scheduler_runs_after_the_sweep(backend, api_as, timing, monkeypatch):
    calls = {"n": 0}

    @operations.operation("fail_once")
    def fail_once(ctx):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("对端暂时不可用 (first try)")
        return {"calls": calls["n"]}

    monkeypatch.setattr(timing, "retry_backoff", (4,))
    monkeypatch.setattr(timing, "worker_dead_after", 0.5)
    try:
        admin = api_as("admin")
        deploy_ok(admin, diagram("fail_once", [service_task("call", operation="fail_once"), user_task("after")]))
        iid = start(admin, "fail_once")
        run_worker()  # no scheduler runs: the retry waits in rq's scheduled registry
        assert (_outbox(iid).status, _outbox(iid).attempts) == ("pending", 1)
        assert service_tasks.sweep_outbox() == 0  # not yet overdue: the scheduler may still run it
        time.sleep(5)
        assert service_tasks.sweep_outbox() == 1
        run_worker()
    finally:
        operations._registry.pop("fail_once", None)
    assert (_outbox(iid).status, _outbox(iid).attempts, calls["n"]) == ("done", 1, 2)
