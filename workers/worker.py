"""The worker process: an rq worker with its scheduler (for timers) plus the periodic sweeps."""

import logging
import threading

from rq import SimpleWorker, Worker

from engine import queue
from workers import periodic


def run(burst: bool = False, fork: bool = True) -> None:
    """Work the gongkai queue until stopped (or until empty with `burst`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    periodic.start_thread(stop)
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class([queue.queue()], connection=queue.redis())
    try:
        worker.work(with_scheduler=True, burst=burst)
    finally:
        stop.set()
