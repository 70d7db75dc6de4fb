"""The worker process: rq jobs, their heartbeat, rq's scheduler (timers) and the periodic sweeps.

Jobs run in the worker's own process (rq's SimpleWorker) by default. A child forked per job would
inherit the parent's sockets and locks and could not keep a loaded model (the de-identification
recognizer must not cross a fork): loading it per job costs far more than the fork saves. Run
several worker processes for parallelism; `fork=True` keeps rq's forking Worker, made safe by the
engine's at-fork hooks. A thread beats the worker's heartbeat even while a long job runs, so a
worker that stops beating is known dead and its job runs again (`service_tasks.sweep_outbox`).
"""

import logging
import threading

from rq import SimpleWorker, Worker, worker_registration

import engine.deid
from engine import config, db, queue
from workers import periodic

log = logging.getLogger(__name__)


class _Beating:
    """Beat the worker's heartbeat from a thread every `heartbeat_every` seconds."""

    heartbeat_every = 5.0

    def register_birth(self):
        super().register_birth()
        self._stop_beating = threading.Event()
        threading.Thread(target=self._beat, name="gongkai-heartbeat", daemon=True).start()

    def register_death(self):
        self._stop_beating.set()
        super().register_death()

    def _beat(self):
        while not self._stop_beating.wait(self.heartbeat_every):
            try:
                self._reregister_if_forgotten()
                self.heartbeat()
            except Exception:  # Redis away for a moment: the next beat tries again
                log.exception("heartbeat failed")

    def _reregister_if_forgotten(self):
        # After a Redis restart or FLUSHDB the worker's key and its place in the worker set are
        # gone: a beat alone would leave it invisible to /healthz and the admin page.
        # rq's own beat re-creates the key with only last_heartbeat, so look at the worker set.
        if self.connection.sismember(worker_registration.REDIS_WORKER_KEYS, self.key) and \
                self.connection.hexists(self.key, "birth"):
            return
        with self.connection.pipeline() as pipeline:
            pipeline.hset(self.key, mapping=self.serialize())
            worker_registration.register(self, pipeline)
            pipeline.execute()


class InProcessWorker(_Beating, SimpleWorker):
    pass


class ForkingWorker(_Beating, Worker):
    pass


def build(fork: bool = False):
    """The rq worker for the gongkai queue, timed by the settings (heartbeat, dead-after)."""
    settings = config.current()
    worker_class = ForkingWorker if fork else InProcessWorker
    # rq expires a worker's key worker_ttl + 60 s after its last beat and blocks on the queue for
    # worker_ttl - 15 s at most; a short ttl keeps both near the dead-after setting.
    worker = worker_class([queue.queue()], connection=queue.redis(),
                          worker_ttl=max(int(settings.worker_dead_after), 2),
                          # rq takes over a dead worker's scheduler lock only in its maintenance
                          # round (10 minutes by default): do it as often as a worker may die.
                          maintenance_interval=max(int(settings.worker_dead_after), 5),
                          job_monitoring_interval=max(int(settings.worker_heartbeat), 1))
    worker.heartbeat_every = settings.worker_heartbeat
    return worker


def warm_up(fork: bool) -> None:
    """Load the de-identification model once for this process; never in a parent that forks."""
    warm = getattr(engine.deid, "warm_up", None)
    if warm is not None and not fork:
        warm()


def run(burst: bool = False, fork: bool = False) -> None:
    """Work the gongkai queue until stopped (or until empty with `burst`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # A job must not fail on a connection the database dropped while the worker was busy
    # (restart, pg_terminate_backend): test every connection at checkout, one round trip per job.
    db.set_idle_ping(0)
    warm_up(fork)
    stop = threading.Event()
    periodic.start_thread(stop)
    worker = build(fork)
    try:
        worker.work(with_scheduler=True, burst=burst)
    finally:
        stop.set()
