"""Benchmark the engine: the HTTP API against raw SpiffWorkflow, and the inbox under load.

Run: .venv/bin/python bench/engine.py [-n 300] [--clients K] [--sqlite | --postgres] [--pg-dsn DSN]

For each database it pushes N instances of a one-user-task diagram through the HTTP API (start,
list, claim, complete) and the same diagram through SpiffWorkflow in memory (serialize and
deserialize between steps), and prints both rates and their ratio (target: API >= 1/4 of raw).
The two run in alternating blocks, so that a machine getting busier or quieter during the run
affects both sides alike. With `--clients K` (K > 1) it also runs K processes on each side at once
(K API clients, each with its own app process as K web workers would be, against K raw loops) and
prints the aggregate rates. Then it bulk-inserts open rows into `human_task` and prints the p95 of
GET /api/tasks with 2,000 and with 100,000 open tasks (target: under 50 ms at 100,000).
It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, select, text  # noqa: E402

from engine import (  # noqa: E402
    bootstrap,
    clock,  # noqa: E402
    schema,
)
from engine.db import get_engine, transaction  # noqa: E402
from engine.models import Department, HumanTask, ProcessInstance  # noqa: E402
from engine.workflow import definitions  # noqa: E402

KEY = "bench_one_task"
DIAGRAM = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="http://gongkai/bench">
<bpmn:process id="{KEY}" name="基准：一个用户任务" isExecutable="true">
<bpmn:laneSet id="lanes"><bpmn:lane id="lane_r" name="dept_reviewer"><bpmn:flowNodeRef>review</bpmn:flowNodeRef>
</bpmn:lane></bpmn:laneSet>
<bpmn:startEvent id="start"/>
<bpmn:userTask id="review" name="审核"><bpmn:extensionElements><spiffworkflow:properties>
<spiffworkflow:property name="formKey" value="review"/></spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
<bpmn:endEvent id="end"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
</bpmn:process></bpmn:definitions>
"""
FORM = {"decision": "approve", "opinion": "同意"}


# --- the API side ---------------------------------------------------------------------------

def make_app(database_url: str, data_dir: Path):
    from web import create_app

    app = create_app({"GONGKAI_DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
                      "GONGKAI_SECRET_KEY": "bench-" + uuid.uuid4().hex})
    schema.upgrade(database_url)
    bootstrap.create_demo_users()
    definitions.deploy(None, DIAGRAM, starter_roles=["drafter"])
    return app


def login(client, username) -> dict:
    resp = client.post("/api/login", json={"username": username, "password": bootstrap.DEMO_PASSWORD})
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def api_round(app):
    """Return a function that pushes one instance through the API."""
    client = app.test_client()
    starter, reviewer = login(client, "drafter1"), login(client, "reviewer1")

    def one():
        resp = client.post("/api/process-instances", json={"definition_key": KEY, "data": {"title": "基准"}},
                           headers=starter)
        iid = resp.get_json()["id"]
        items = client.get(f"/api/tasks?scope=available&instance_id={iid}", headers=reviewer).get_json()["items"]
        task_id = items[0]["id"]
        assert client.post(f"/api/tasks/{task_id}/claim", headers=reviewer).status_code == 200
        done = client.post(f"/api/tasks/{task_id}/complete", json={"data": FORM}, headers=reviewer)
        assert done.status_code == 200, done.get_json()

    for _ in range(5):  # warm the spec cache and the connection pool
        one()
    return one


def timed(one, n: int) -> float:
    """Seconds taken by `n` calls of `one`."""
    began = time.perf_counter()
    for _ in range(n):
        one()
    return time.perf_counter() - began


def interleaved_rates(app, n: int, blocks: int = 6) -> tuple[float, float]:
    """(API rate, raw rate) measured in alternating blocks of n/blocks instances each."""
    api_one, raw_one = api_round(app), raw_round()
    api_s = raw_s = 0.0
    per_block = max(1, n // blocks)
    for _ in range(blocks):
        api_s += timed(api_one, per_block)
        raw_s += timed(raw_one, per_block)
    return per_block * blocks / api_s, per_block * blocks / raw_s


# --- raw SpiffWorkflow ----------------------------------------------------------------------

def raw_round():
    """Return a function that pushes one instance through SpiffWorkflow in memory."""
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
    from SpiffWorkflow.util.task import TaskState

    parser = SpiffBpmnParser()
    parser.add_bpmn_str(DIAGRAM.encode("utf-8"), filename="bench.bpmn")
    spec, subs = parser.get_spec(KEY), parser.get_subprocess_specs(KEY)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def one():
        workflow = BpmnWorkflow(spec, subs)
        workflow.data["title"] = "基准"
        workflow.do_engine_steps()
        workflow = serializer.deserialize_json(serializer.serialize_json(workflow))
        (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
        task.set_data(**FORM)
        task.run()
        workflow.do_engine_steps()
        workflow = serializer.deserialize_json(serializer.serialize_json(workflow))
        assert workflow.is_completed()

    for _ in range(5):
        one()
    return one


# --- the inbox under load -------------------------------------------------------------------

def fill_open_tasks(total: int) -> None:
    """Bulk-insert open human tasks up to `total`, spread over 10 departments and 5 roles."""
    with transaction() as s:
        have = s.scalar(select(text("count(*)")).select_from(HumanTask).where(HumanTask.status == "open"))
        depts = [d.id for d in s.scalars(select(Department).order_by(Department.id))]
        for i in range(len(depts), 10):
            dept = Department(name=f"基准部门{i}")
            s.add(dept)
            s.flush()
            depts.append(dept.id)
        instance_id = s.scalar(select(ProcessInstance.id).order_by(ProcessInstance.id).limit(1))
    roles = ["dept_reviewer", "secrecy_reviewer", "leader", "publisher", "drafter"]
    now = clock.now()
    rows = []
    for i in range(have, total):
        rows.append({
            "instance_id": instance_id, "task_guid": str(uuid.uuid4()), "bpmn_id": "review", "name": "审核",
            "process_key": KEY, "role": roles[i % 5], "department_id": depts[(i // 5) % 10], "form_key": "review",
            "title": f"基准文件 {i}", "doc_number": f"基准〔2026〕{i}号", "status": "open", "created_at": now,
            "due_provisional": False,
        })
        if len(rows) == 5000:
            _insert(rows)
            rows = []
    if rows:
        _insert(rows)
    with get_engine().begin() as conn:
        conn.execute(text("ANALYZE"))


def _insert(rows):
    with transaction() as s:
        s.execute(insert(HumanTask), rows)


def inbox_p95(app, username: str, query: str, rounds: int = 200) -> tuple[float, int]:
    """Return (p95 in ms, total) of GET /api/tasks?<query> as `username`."""
    client = app.test_client()
    headers = login(client, username)
    url = f"/api/tasks?{query}"
    total = client.get(url, headers=headers).get_json()["total"]
    for _ in range(10):
        client.get(url, headers=headers)
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        resp = client.get(url, headers=headers)
        times.append((time.perf_counter() - began) * 1000)
        assert resp.status_code == 200
    return statistics.quantiles(times, n=20)[18], total


# --- one database ---------------------------------------------------------------------------

# --- what the database alone costs an instance ----------------------------------------------

def database_work(app, n: int = 20) -> tuple[float, float]:
    """(statements, commits) per instance pushed through the API, counted on the engine."""
    counts = {"statements": 0, "commits": 0}

    def on_statement(*_args):
        counts["statements"] += 1

    def on_commit(_conn):
        counts["commits"] += 1

    one = api_round(app)
    event.listen(get_engine(), "before_cursor_execute", on_statement)
    event.listen(get_engine(), "commit", on_commit)
    try:
        timed(one, n)
    finally:
        event.remove(get_engine(), "before_cursor_execute", on_statement)
        event.remove(get_engine(), "commit", on_commit)
    return counts["statements"] / n, counts["commits"] / n


def round_trip_ms(rounds: int = 500) -> float:
    """Milliseconds of one trivial statement from the app's connection pool (the network floor)."""
    with get_engine().connect() as conn:
        for _ in range(20):
            conn.exec_driver_sql("SELECT 1").all()
        began = time.perf_counter()
        for _ in range(rounds):
            conn.exec_driver_sql("SELECT 1").all()
    return (time.perf_counter() - began) * 1000 / rounds


def commit_ms(rounds: int = 200) -> float:
    """Milliseconds a durable commit of one small write adds on top of its statement."""
    with get_engine().connect() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_commit (n INTEGER)")
        conn.commit()
        began = time.perf_counter()
        for i in range(rounds):
            conn.exec_driver_sql(f"INSERT INTO bench_commit (n) VALUES ({i})")
            conn.commit()
        spent = (time.perf_counter() - began) * 1000 / rounds
        conn.exec_driver_sql("DROP TABLE bench_commit")
        conn.commit()
    return max(spent - round_trip_ms(100), 0.0)


# --- several clients at once -----------------------------------------------------------------

def _client_process(side, database_url, data_dir, n, barrier, results):
    if side == "api":
        from web import create_app

        app = create_app({"GONGKAI_DATA_DIR": data_dir, "DATABASE_URL": database_url,
                          "GONGKAI_SECRET_KEY": "bench-clients"})
        one = api_round(app)
    else:
        one = raw_round()
    barrier.wait()
    began = time.time()
    timed(one, n)
    results.put((began, time.time()))


def concurrent_rate(side: str, clients: int, database_url: str, data_dir: Path, n: int) -> float:
    """Aggregate rate of `clients` processes each pushing n/clients instances at the same time."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(clients), ctx.Queue()
    each = max(1, n // clients)
    procs = [ctx.Process(target=_client_process, args=(side, database_url, str(data_dir), each, barrier, results))
             for _ in range(clients)]
    for p in procs:
        p.start()
    spans = [results.get() for _ in procs]
    for p in procs:
        p.join()
    return each * clients / (max(e for _b, e in spans) - min(b for b, _e in spans))


# --- one database ---------------------------------------------------------------------------

def run(label: str, database_url: str, n: int, clients: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"gongkai-bench-{label}-", ignore_cleanup_errors=True) as tmp:
        return _run(label, database_url, n, clients, Path(tmp))


def _run(label: str, database_url: str, n: int, clients: int, data_dir: Path) -> dict:
    app = make_app(database_url, data_dir)
    api, raw = interleaved_rates(app, n)
    print(f"[{label}] API  {api:8.1f} instances/s  (start, list, claim, complete over HTTP; N={n}, one client)")
    print(f"[{label}] raw  {raw:8.1f} instances/s  (SpiffWorkflow in memory, serialized between steps)")
    print(f"[{label}] ratio API/raw = {api / raw:.2f}  (target >= 0.25)")
    statements, commits = database_work(app)
    trip, commit = round_trip_ms(), commit_ms()
    floor = statements * trip + commits * commit
    print(f"[{label}] database floor: {statements:.0f} statements x {trip:.3f} ms + {commits:.0f} commits x "
          f"{commit:.3f} ms = {floor:.2f} ms per instance; 1/4 of the raw rate allows {4000 / raw:.2f} ms in all")
    out = {"api": api, "raw": raw, "floor_ms": floor}
    if clients > 1:
        api_k = concurrent_rate("api", clients, database_url, data_dir, n)
        raw_k = concurrent_rate("raw", clients, database_url, data_dir, n)
        print(f"[{label}] {clients} clients at once: API {api_k:8.1f}/s, raw {raw_k:8.1f}/s, "
              f"ratio {api_k / raw_k:.2f}")
        out["clients"] = (api_k, raw_k)
    for total in (2000, 100_000):
        fill_open_tasks(total)
        mine, seen = inbox_p95(app, "reviewer1", "scope=available")
        every, all_seen = inbox_p95(app, "admin", "scope=all")
        print(f"[{label}] inbox p95 with {total:>7,} open tasks: reviewer 'available' {mine:6.1f} ms "
              f"({seen:,} match), admin 'all' {every:6.1f} ms ({all_seen:,} match)  (target < 50 ms)")
        out[total] = (mine, every)
    return out


def postgres_url(dsn: str) -> tuple[str, str]:
    import psycopg

    schema_name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema_name}")
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options=-csearch_path%3D{schema_name}", schema_name


def drop_postgres(dsn: str, schema_name: str) -> None:
    import psycopg

    get_engine().dispose()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema_name} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--instances", type=int, default=300)
    parser.add_argument("--clients", type=int, default=1, help="also measure K clients at once")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sqlite", action="store_true", help="only SQLite")
    which.add_argument("--postgres", action="store_true", help="only PostgreSQL")
    parser.add_argument("--pg-dsn", default="postgresql://127.0.0.1:5432/test")
    args = parser.parse_args()
    if not args.postgres:
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{tmp}/bench.db", args.instances, args.clients)
    if not args.sqlite:
        url, schema_name = postgres_url(args.pg_dsn)
        try:
            run("postgres", url, args.instances, args.clients)
        finally:
            drop_postgres(args.pg_dsn, schema_name)


if __name__ == "__main__":
    main()
