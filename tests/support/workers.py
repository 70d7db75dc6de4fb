"""Real worker processes for the reliability tests: started as `gongkai worker`, killed for real.

Importing this module registers `hold`, a service-task operation that waits while a file exists,
in this process and in the worker processes it starts, so a test can catch a job mid-run.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine.workflow.operations import operation
from tests.support import clock

clock.follow_parent()  # a worker process started by a test keeps the test's moved date

HOLD_ENV = "GONGKAI_TEST_HOLD_FILE"
ROOT = Path(__file__).resolve().parents[2]
FAST_TIMING = {"GONGKAI_WORKER_HEARTBEAT": "0.5", "GONGKAI_WORKER_DEAD_AFTER": "3",
               "GONGKAI_SWEEP_EVERY": "1", "GONGKAI_SWEEP_GRACE": "0"}


@operation("hold")
def hold(ctx):
    """Wait while the hold file exists (at most a minute); return where the job ran."""
    path = os.environ.get(HOLD_ENV)
    deadline = time.monotonic() + 60
    while path and os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    return {"pid": os.getpid()}


def worker_env(settings, hold_file=None, app_name="gk-test-worker") -> dict:
    url = settings.database_url
    if url.startswith("postgresql"):
        url += ("&" if "?" in url else "?") + f"application_name={app_name}"
    env = {**os.environ, **FAST_TIMING, "DATABASE_URL": url, "GONGKAI_DATA_DIR": str(settings.data_dir),
           "GONGKAI_SECRET_KEY": settings.secret_key, HOLD_ENV: str(hold_file or "")}
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    return env


def spawn(settings, log_path, *, fork=False, hold_file=None, app_name="gk-test-worker") -> subprocess.Popen:
    """Start `gongkai worker` (with `hold` registered) in its own process group."""
    args = ["worker", "--fork"] if fork else ["worker"]
    code = f"import tests.support.workers; from web.cli import main; main({args!r})"
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True,
                                env=worker_env(settings, hold_file, app_name), stdout=log, stderr=log)


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and every child it forked: no clean-up, as when a machine dies.

    rq puts its job child in a process group of its own, so the children are found by parent pid.
    """
    for pid in [*_children(proc.pid), proc.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _children(parent: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            out.append(int(stat.parent.name))
    return out


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            kill(proc)


def wait_until(check, timeout=30.0, every=0.1):
    """Poll `check()` until it returns something true; return it, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"still not true after {timeout} s: {getattr(check, '__name__', check)}")
