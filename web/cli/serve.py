"""`gongkai serve`: the web app on gunicorn (threads, N processes) plus one supervised worker.

The embedded Redis, when no REDIS_URL is set, is started before any fork (every process finds it by
its socket in the data folder, `engine.embedded_redis`); stopping `serve` (SIGTERM or Ctrl-C) stops
everything it started: web processes finish their requests, the worker is terminated, and Redis is
shut if this `serve` started it (a server another process started stays for that one).
`--dev` keeps Werkzeug's server with the reloader for development.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading

from gunicorn.app.base import BaseApplication

from engine import config, embedded_redis

log = logging.getLogger("gongkai.serve")


class _Supervisor:
    """Run `gongkai worker` in a child process and start a new one when it dies."""

    def __init__(self, env: dict):
        self.env = env
        self.stop = threading.Event()
        self.proc: subprocess.Popen | None = None
        self.thread = threading.Thread(target=self._loop, daemon=True, name="worker-supervisor")

    def start(self) -> None:
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.is_set():
            self.proc = subprocess.Popen([sys.executable, "-m", "web.cli", "worker"], env=self.env)
            while self.proc.poll() is None and not self.stop.wait(0.5):
                pass
            if self.stop.is_set():
                return
            log.warning("worker exited with %s; starting a new one", self.proc.returncode)
            self.stop.wait(2)

    def shutdown(self, timeout: float = 15) -> None:
        self.stop.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()  # rq finishes the job it is running, then exits
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.thread.join(2)


class _Gunicorn(BaseApplication):
    """gunicorn driven from Python, loading `web.create_app()` in each web process."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from web import create_app

        return create_app()


def default_workers() -> int:
    """One web process per core: each has threads for concurrency, the database does the rest."""
    return max(os.cpu_count() or 1, 1)


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": 5,
        "timeout": 120,
        "graceful_timeout": 20,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "gongkai-web",
        "control_socket_disable": True,  # one per host by default: two installations would collide
    }


def run(host: str, port: int, workers: int | None = None, threads: int = 8, dev: bool = False,
        with_worker: bool = True) -> None:
    """Serve until stopped; every process started here is stopped with it."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if "GONGKAI_PUBLIC_URL" not in os.environ and host not in ("0.0.0.0", "::", ""):
        # The links in the feed, exports, webhooks and 发布记录 point at the address served here
        # (the web processes and the worker inherit it), not at the default port.
        os.environ["GONGKAI_PUBLIC_URL"] = f"http://{host}:{port}"
    settings = config.load()  # validates settings and makes the secret key before any fork
    started_redis = False
    if not settings.redis_url and not _is_reloader_child():
        _socket, started_redis = embedded_redis.ensure(settings.data_dir)
    supervisor = _Supervisor(dict(os.environ)) if with_worker and not _is_reloader_child() else None
    if supervisor:
        supervisor.start()
    owner = os.getpid()
    try:
        if dev:
            _run_dev(host, port)
        else:
            _Gunicorn(gunicorn_options(host, port, workers or default_workers(), threads)).run()
    finally:
        # gunicorn's web processes are forks of this call: their exit unwinds through here too,
        # and only the process that started the worker and Redis may stop them.
        if os.getpid() == owner:
            if supervisor:
                supervisor.shutdown()
            if started_redis:
                embedded_redis.stop(settings.data_dir)


def _is_reloader_child() -> bool:
    # Werkzeug's reloader re-runs this command in a child; the parent owns Redis and the worker.
    return os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def _run_dev(host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    from web import create_app

    # Werkzeug leaves SIGTERM to the default (die at once); exit normally so `run` cleans up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(host, port, create_app(), threaded=True, use_reloader=True)
