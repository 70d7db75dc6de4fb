"""Benchmark through real sockets: `gongkai serve` (gunicorn) beside the in-process and raw rates.

Run: .venv/bin/python bench/real_http.py [-n 200] [--clients 1,4] [--sqlite | --postgres] [--workers W]
     [--no-profile]

For each database it prepares an installation with the one-user-task diagram of `bench/engine.py`,
measures the in-process API rate (Flask's test client) and raw SpiffWorkflow, then starts the
production server as an operator would (`gongkai serve --no-worker`) and runs K client processes
at once, each on its own keep-alive connection, pushing instances through it (start, list, claim,
complete). It prints instances/s, task completions/s, p50/p95 per call and the ratios to the
in-process and raw rates measured in the same run. During the largest client count, py-spy samples
the server (`bench/profile_parts.py`): the server's CPU per request split by part (framework,
auth, engine, serializer, database) and by call, the PostgreSQL backends' own CPU per request, and
the functions most often on the CPU. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _load(name: str):
    # bench/engine.py holds the diagram, the in-process and the raw rounds; its file name shadows
    # the `engine` package, so the bench's modules are loaded by path.
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load("engine")
profile_parts = _load("profile_parts")
APP_NAME = "gongkai-bench-http"  # the PostgreSQL backends serving the server, for their CPU
CALLS = ("start", "list", "claim", "complete")


# --- the client side: one process, one keep-alive connection -------------------------------------

class Client:
    """A keep-alive HTTP connection speaking the JSON API."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body=None, token: str | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status >= 400:
            raise RuntimeError(f"{method} {path}: {resp.status} {data[:200]!r}")
        return json.loads(data) if data else {}

    def login(self, username: str) -> str:
        return self.call("POST", "/api/login", {"username": username, "password": "gongkai-demo"})["token"]


def one_instance(client: Client, starter: str, reviewer: str, timings: dict) -> None:
    began = time.perf_counter()
    iid = client.call("POST", "/api/process-instances",
                      {"definition_key": bench.KEY, "data": {"title": "基准"}}, starter)["id"]
    t1 = time.perf_counter()
    items = client.call("GET", f"/api/tasks?scope=available&instance_id={iid}", token=reviewer)["items"]
    t2 = time.perf_counter()
    client.call("POST", f"/api/tasks/{items[0]['id']}/claim", {}, reviewer)
    t3 = time.perf_counter()
    client.call("POST", f"/api/tasks/{items[0]['id']}/complete", {"data": bench.FORM}, reviewer)
    t4 = time.perf_counter()
    for name, (a, b) in zip(CALLS, ((began, t1), (t1, t2), (t2, t3), (t3, t4)), strict=True):
        timings[name].append((b - a) * 1000)


def _client_process(port: int, n: int, ready, go, results) -> None:
    client = Client(port)
    starter, reviewer = client.login("drafter1"), client.login("reviewer1")
    warm = {name: [] for name in CALLS}
    for _ in range(3):
        one_instance(client, starter, reviewer, warm)
    timings = {name: [] for name in CALLS}
    ready.wait()  # every client logged in and warm (logins hash passwords on purpose: not measured)
    go.wait()
    began = time.time()
    for _ in range(n):
        one_instance(client, starter, reviewer, timings)
    results.put((began, time.time(), timings))


def socket_rate(port: int, clients: int, n: int, sampler=None) -> tuple[float, dict]:
    """(instances/s, per-call timings) of `clients` processes each pushing n/clients instances;
    `sampler` (a context manager) is entered once they are warm and left when they are done."""
    ctx = multiprocessing.get_context("spawn")
    ready, go, results = ctx.Barrier(clients + 1), ctx.Barrier(clients + 1), ctx.Queue()
    each = max(1, n // clients)
    procs = [ctx.Process(target=_client_process, args=(port, each, ready, go, results)) for _ in range(clients)]
    for p in procs:
        p.start()
    ready.wait()
    with sampler or contextlib.nullcontext():
        go.wait()
        outcomes = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    span = max(e for _b, e, _t in outcomes) - min(b for b, _e, _t in outcomes)
    timings = {name: [ms for _b, _e, t in outcomes for ms in t[name]] for name in CALLS}
    return each * clients / span, timings


# --- the server side -------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, data_dir: Path, workers: int | None, threads: int):
    """Start `gongkai serve --no-worker` on a free port; return (process, port) once it answers."""
    port = _free_port()
    if database_url.startswith("postgresql"):
        database_url += ("&" if "?" in database_url else "?") + f"application_name={APP_NAME}"
    env = {**os.environ, "DATABASE_URL": database_url, "GONGKAI_DATA_DIR": str(data_dir),
           "GONGKAI_SECRET_KEY": "bench-http"}
    args = [sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--threads", str(threads), "--no-worker"]
    if workers:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/login")
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gongkai serve did not answer within 60 s")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- one database ---------------------------------------------------------------------------

def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def report(label: str, clients: int, rate: float, timings: dict, in_process: float, raw: float) -> None:
    per_call = "  ".join(f"{name} {pct(timings[name], 50):5.1f}/{pct(timings[name], 95):5.1f}" for name in CALLS)
    everything = [ms for name in CALLS for ms in timings[name]]
    print(f"[{label}] HTTP, {clients} client(s): {rate:7.1f} instances/s = {rate:7.1f} task completions/s; "
          f"p95 of any call {pct(everything, 95):5.1f} ms")
    print(f"[{label}]   p50/p95 ms per call: {per_call}")
    print(f"[{label}]   ratio to in-process {rate / in_process:.2f} (target for 1 client >= 0.8), "
          f"to raw SpiffWorkflow {rate / raw:.2f}")


def report_cpu(label: str, parts: dict) -> None:
    split = ", ".join(f"{name} {ms:.2f}" for name, ms in parts["parts"].items())
    calls = ", ".join(f"{name} {ms:.2f}" for name, ms in parts["calls"].items())
    server = f" + PostgreSQL server {parts['db_server_ms']:.2f}" if label == "postgres" else ""
    print(f"[{label}]   CPU per request {parts['cpu_ms']:.2f} ms{server} ({parts['samples']} samples): {split}")
    print(f"[{label}]   CPU per call (ms): {calls}")
    print(f"[{label}]   top functions (own samples): " + "; ".join(f"{name} {pct:.1f}%" for name, pct in parts["top"]))
    if parts["replaced"]:
        print(f"[{label}]   (web processes {parts['replaced']} were replaced during the run: their CPU is missing)")


def _backend_pids(dsn: str):
    def pids() -> list[int]:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                                               (APP_NAME,))]
    return pids


def measure(label: str, proc, port: int, k: int, n: int, profile: bool, dsn: str | None, keep=None):
    """One run of k clients; with `profile`, the server's CPU per request by part is printed too."""
    if not profile:
        return socket_rate(port, k, n)
    sampler = profile_parts.Sampler(proc.pid, _backend_pids(dsn) if dsn else (lambda: []),
                                    keep=Path(f"{keep}.{label}.txt") if keep else None)
    rate, timings = socket_rate(port, k, n, sampler)
    return rate, timings, profile_parts.summary(sampler, max(1, n // k) * k * len(CALLS))


def run(label: str, database_url: str, n: int, clients: list[int], workers: int | None, threads: int,
        profile: bool = False, dsn: str | None = None, keep: str | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix=f"gongkai-http-{label}-", ignore_cleanup_errors=True) as tmp:
        data_dir = Path(tmp)
        app = bench.make_app(database_url, data_dir)
        in_process = n / bench.timed(bench.api_round(app), n)
        raw = n / bench.timed(bench.raw_round(), n)
        print(f"[{label}] in-process API {in_process:7.1f} instances/s (Flask test client, one client); "
              f"raw SpiffWorkflow {raw:7.1f}/s")
        proc, port = start_server(database_url, data_dir, workers, threads)
        try:
            for k in clients:
                measured = measure(label, proc, port, k, n, profile and k == max(clients), dsn, keep)
                report(label, k, measured[0], measured[1], in_process, raw)
                if len(measured) == 3:
                    report_cpu(label, measured[2])
        finally:
            stop_server(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--instances", type=int, default=200)
    parser.add_argument("--clients", default="1,4", help="comma-separated client counts")
    parser.add_argument("--workers", type=int, default=None, help="web processes (default: one per core)")
    parser.add_argument("--threads", type=int, default=8)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sqlite", action="store_true", help="only SQLite")
    which.add_argument("--postgres", action="store_true", help="only PostgreSQL")
    parser.add_argument("--pg-dsn", default="postgresql://127.0.0.1:5432/test")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the CPU split (py-spy samples the server during the largest client count)")
    parser.add_argument("--profile-out", metavar="PREFIX",
                        help="keep py-spy's raw stacks in PREFIX.<database>.txt (flame graph input)")
    args = parser.parse_args()
    profile = not args.no_profile and profile_parts.available()
    if not args.no_profile and not profile:
        print("py-spy not found (pip install py-spy): no CPU split by part")
    clients = [int(k) for k in args.clients.split(",")]
    print(f"machine: {os.cpu_count()} cores; server: gunicorn gthread, "
          f"{args.workers or os.cpu_count()} process(es) x {args.threads} threads; N={args.instances} per run")
    if not args.postgres:
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{tmp}/bench-{uuid.uuid4().hex[:6]}.db", args.instances, clients,
                args.workers, args.threads, profile, keep=args.profile_out)
    if not args.sqlite:
        url, schema_name = bench.postgres_url(args.pg_dsn)
        try:
            run("postgres", url, args.instances, clients, args.workers, args.threads, profile, args.pg_dsn,
                args.profile_out)
        finally:
            bench.drop_postgres(args.pg_dsn, schema_name)


if __name__ == "__main__":
    main()
