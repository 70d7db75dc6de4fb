"""The embedded Redis (no REDIS_URL) is one server per data folder that outlives the process that
started it: a worker beside a standalone web app keeps its queue when the web app exits, and a
server killed without clean-up is replaced by the next process that needs it."""

import os
import signal
import subprocess
import sys
import time
from datetime import timezone

import psutil
import pytest
from redis import Redis
from rq.worker import Worker

from engine import embedded_redis
from tests.support.workers import FAST_TIMING, ROOT, wait_until

# The web app's side of the queue: connect, say so, stay until stdin closes, then exit normally.
WEB_SIDE = ("import sys; from engine import config, queue; config.configure(config.load()); "
            "queue.redis().ping(); print('connected', flush=True); sys.stdin.read()")


@pytest.fixture
def installation(tmp_path):
    """Environment of an installation with its own data folder and no REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(FAST_TIMING, GONGKAI_DATA_DIR=str(tmp_path), GONGKAI_SECRET_KEY="embedded-redis-test")
    yield env
    embedded_redis.stop(tmp_path)


def _web_side(env) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", WEB_SIDE], cwd=ROOT, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == "connected"
    return proc


def _client(data_dir) -> Redis:
    return Redis(unix_socket_path=str(embedded_redis.socket_path(data_dir)), socket_timeout=5)


def _last_beat(data_dir):
    beats = [w.last_heartbeat for w in Worker.all(connection=_client(data_dir)) if w.last_heartbeat]
    return max(beats).replace(tzinfo=timezone.utc) if beats else None


def test_a_worker_keeps_its_redis_when_the_web_app_that_started_it_exits(settings, installation, tmp_path):
    installation["DATABASE_URL"] = settings.database_url  # the worker's sweeps read the database
    web = _web_side(installation)
    worker = subprocess.Popen([sys.executable, "-m", "web.cli", "worker"], cwd=ROOT, env=installation,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: _last_beat(tmp_path) is not None, timeout=60)
        web.stdin.close()  # the web app ends normally, running its exit handlers
        assert web.wait(30) == 0
        # Beats are stamped by the worker's own clock (the real one, not the suite's moved clock):
        # compare with the worker's last beat once the web app has gone.
        ended = _last_beat(tmp_path)
        assert _client(tmp_path).ping()
        wait_until(lambda: _last_beat(tmp_path) > ended, timeout=15)  # the worker still beats
        assert worker.poll() is None
        # A second web app started later finds the same server, not a new one.
        pid = (tmp_path / "redis.pid").read_text()
        again = _web_side(installation)
        again.stdin.close()
        assert again.wait(30) == 0 and (tmp_path / "redis.pid").read_text() == pid
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)


def test_a_server_killed_without_clean_up_is_replaced(installation, tmp_path):
    first = _web_side(installation)
    first.stdin.close()
    first.wait(30)
    _client(tmp_path).set("kept", "no")  # never saved: a killed server loses what it did not write
    killed = int((tmp_path / "redis.pid").read_text())
    os.kill(killed, signal.SIGKILL)
    wait_until(lambda: not psutil.pid_exists(killed) or psutil.Process(killed).status() == psutil.STATUS_ZOMBIE)
    assert embedded_redis.socket_path(tmp_path).exists()  # the stale socket and pid file are left
    assert (tmp_path / "redis.pid").exists()

    second = _web_side(installation)
    second.stdin.close()
    assert second.wait(30) == 0
    assert _client(tmp_path).ping()
    assert int((tmp_path / "redis.pid").read_text()) != killed


def test_a_pid_file_naming_another_program_is_not_taken_for_the_server(installation, tmp_path):
    (tmp_path / "redis.pid").write_text(str(os.getpid()))  # pids are reused after a reboot
    started = time.monotonic()
    proc = _web_side(installation)
    proc.stdin.close()
    assert proc.wait(30) == 0
    assert time.monotonic() - started < 10  # no wait for this process to answer as Redis
    assert psutil.Process(int((tmp_path / "redis.pid").read_text())).name().startswith("redis-server")
