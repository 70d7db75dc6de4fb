"""`gongkai serve`: the web app plus one worker process that is restarted if it dies."""

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
            proc.wait(10)
        elif not stop.is_set():
            time.sleep(2)  # crashed: pause, then start a new one


def run(host: str, port: int) -> None:
    from web import create_app

    app = create_app()
    stop = threading.Event()
    threading.Thread(target=_supervise, args=(stop,), daemon=True, name="worker-supervisor").start()
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop.set()
