"""`gongkai serve` as an operator runs it: a production server answers, a worker runs jobs, and
SIGTERM stops every process it started (web processes, the worker, the embedded Redis)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _gongkai(*args, data_dir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    return subprocess.Popen([sys.executable, "-m", "web.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


@pytest.fixture
def served(tmp_path):
    """An initialised installation (SQLite, embedded Redis) served on a free port."""
    assert _gongkai("init", data_dir=tmp_path).wait(120) == 0
    port = _free_port()
    proc = _gongkai("serve", "--port", str(port), "--workers", "2", data_dir=tmp_path)
    try:
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        # Only what `serve` started: this test process has other children (Chromium, Playwright).
        if proc.poll() is None:
            for child in psutil.Process(proc.pid).children(recursive=True):
                child.kill()
            proc.kill()


def _embedded_redis(data_dir: Path) -> psutil.Process:
    # The embedded server daemonizes (it is nobody's child); its pid file is in the data folder.
    return psutil.Process(int((data_dir / "redis.pid").read_text()))


def test_serve_answers_with_gunicorn_and_sigterm_stops_everything(served, tmp_path):
    proc, base = served
    resp = _wait_for(f"{base}/public")
    assert resp.status == 200
    assert resp.headers["Server"] == "gunicorn"  # not Werkzeug's development server
    started = psutil.Process(proc.pid).children(recursive=True)
    commands = [" ".join(p.cmdline()) for p in started]
    assert any("web.cli worker" in c for c in commands), commands
    started.append(_embedded_redis(tmp_path))

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0
    gone, alive = psutil.wait_procs(started, timeout=20)
    assert alive == [], [p.cmdline() for p in alive]
