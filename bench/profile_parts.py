"""Split a server's CPU per request by part, from py-spy samples of its processes.

`Sampler(pid)` runs `py-spy record` over a process and its children (gunicorn's web processes)
while the clients run, and reads psutil's CPU times of the same processes (and of the PostgreSQL
backends serving them) before and after. Each on-CPU sample goes to the part of its innermost frame
that belongs to a known part (standard-library frames are passed over: `json.dumps` counts for
whoever called it), and to the API call whose view function is on the stack. The measured CPU
seconds are then shared out in the samples' proportions.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil

# Checked in this order for each frame, innermost first: the first part that matches wins.
PARTS = (
    ("database", ("/sqlalchemy/", "/psycopg/", "/psycopg_binary/", "/psycopg_pool/", "/engine/db.py")),
    ("serializer", ("/marshmallow/", "/flask/json/", "/web/api/schemas.py", "/apispec/")),
    ("auth", ("/web/auth.py", "/itsdangerous/", "/argon2/", "/engine/users.py", "/engine/sessions.py")),
    ("engine", ("/engine/", "/SpiffWorkflow/", "/forms/", "/workers/")),
    ("framework", ("/flask/", "/werkzeug/", "/gunicorn/", "/jinja2/", "/web/", "/flask_babel/",
                   "/flask_wtf/", "/babel/", "/blinker/", "/click/")),
)
CALL_VIEWS = {"start": "start_instance", "list": "list_tasks", "claim": "claim", "complete": "complete"}
FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^()]*)\)$")


def available() -> bool:
    return shutil.which("py-spy") is not None or (Path(sys.executable).parent / "py-spy").exists()


def _py_spy() -> str:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else "py-spy"


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _cpu(processes) -> float:
    return sum(_cpu_by_pid(processes).values())


def _cpu_by_pid(processes) -> dict[int, float]:
    seconds = {}
    for proc in processes:
        try:
            times = proc.cpu_times()
            seconds[proc.pid] = times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return seconds


class Sampler:
    """Sample `pid` and its children while the clients run (`with Sampler(pid, backends): ...`)."""

    def __init__(self, pid: int, backend_pids=lambda: [], rate: int = 500, keep: Path | None = None):
        self.pid, self.rate, self.backend_pids, self.keep = pid, rate, backend_pids, keep
        self.out = Path(tempfile.mkstemp(suffix=".txt", prefix="gongkai-pyspy-")[1])

    def _backends(self) -> dict:
        """CPU seconds so far of each PostgreSQL backend serving the server (they come and go with the pool)."""
        return {pid: _cpu([psutil.Process(pid)]) for pid in self.backend_pids() if psutil.pid_exists(pid)}

    def __enter__(self):
        self.cpu_before, self.db_before = _cpu_by_pid(_tree(self.pid)), self._backends()
        self.spy = subprocess.Popen([_py_spy(), "record", "--pid", str(self.pid), "--subprocesses", "--gil",
                                     "--format", "raw", "--full-filenames", "--nolineno", "--rate", str(self.rate),
                                     "--output", str(self.out)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return self

    def __exit__(self, *exc):
        # A web process gunicorn replaced meanwhile took its CPU time with it: count what is left.
        self.cpu = sum(seconds - self.cpu_before.get(pid, 0.0) for pid, seconds in _cpu_by_pid(_tree(self.pid)).items())
        self.replaced = sorted(set(self.cpu_before) - set(_cpu_by_pid(_tree(self.pid))))
        self.db_cpu = sum(seconds - self.db_before.get(pid, 0.0) for pid, seconds in self._backends().items())
        self.spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        try:
            self.spy.wait(60)
        except subprocess.TimeoutExpired:
            self.spy.kill()
        self.stacks = _read(self.out)
        if self.keep:
            shutil.move(self.out, self.keep)  # py-spy's raw stacks, for a flame graph or a closer look
        self.out.unlink(missing_ok=True)
        return False


def _read(path: Path) -> list[tuple[list[tuple[str, str]], int]]:
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        body, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [(m["func"], m["file"]) for m in map(FRAME.match, body.split(";")) if m]
        stacks.append((frames, int(count)))  # outermost first
    return stacks


def _is_stdlib(file: str) -> bool:
    return "site-packages" not in file and ("/lib/python3" in file or file.startswith("<"))


def part_of(frames) -> str:
    for _func, file in reversed(frames):
        if _is_stdlib(file):
            continue
        for name, patterns in PARTS:
            if any(p in file for p in patterns):
                return name
    return "other"


def call_of(frames) -> str | None:
    views = {func for func, file in frames if "/web/api/" in file}
    return next((call for call, view in CALL_VIEWS.items() if view in views), None)


def summary(sampler: Sampler, requests: int) -> dict:
    """CPU ms per request: total, by part, by call, PostgreSQL's backends; and the top functions."""
    by_part, by_call, own, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for frames, count in sampler.stacks:
        total += count
        by_part[part_of(frames)] += count
        by_call[call_of(frames) or "other"] += count
        if frames:
            func, file = frames[-1]
            own[f"{func} ({_short(file)})"] += count
    ms = sampler.cpu * 1000 / max(requests, 1)
    share = (lambda n: ms * n / total) if total else (lambda n: 0.0)
    return {"cpu_ms": ms, "replaced": sampler.replaced, "db_server_ms": sampler.db_cpu * 1000 / max(requests, 1),
            "parts": {name: share(by_part[name]) for name, _ in (*PARTS, ("other", ()))},
            # One request in len(CALL_VIEWS) is of each call: its own cost is that many times its share.
            "calls": {**{call: share(by_call[call]) * len(CALL_VIEWS) for call in CALL_VIEWS},
                      "outside a call": share(by_call["other"])},
            "top": [(name, 100 * n / total) for name, n in own.most_common(15)] if total else [], "samples": total}


def _short(file: str) -> str:
    for marker in ("site-packages/", "/lib/python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return os.path.relpath(file, Path(__file__).resolve().parents[1]) if file.startswith("/") else file
