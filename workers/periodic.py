"""Periodic work as a declarative list: what runs, how often. Every entry is idempotent.

Each worker runs the list in a background thread; several workers running it at once is safe
(a fired timer or an enqueued outbox row is simply skipped by the others).
"""

import logging
import threading

from engine.workflow import service_tasks, timers
from engine.workplan import plans

log = logging.getLogger(__name__)

PERIODIC = (
    # (name, every N seconds, function)
    ("fire_due_timers", 5, timers.fire_due),
    ("sweep_outbox", 30, service_tasks.sweep_outbox),
    ("start_workplan_tasks", 60, plans.start_pending),
)


def start_thread(stop: threading.Event) -> threading.Thread:
    """Run the periodic list until `stop` is set; timers due while no worker ran fire at once."""

    def loop():
        ticks = 0
        while not stop.is_set():
            for name, every, fn in PERIODIC:
                if ticks % every == 0:
                    try:
                        fn()
                    except Exception:
                        log.exception("periodic %s failed", name)
            ticks += 1
            stop.wait(1)

    thread = threading.Thread(target=loop, name="gongkai-periodic", daemon=True)
    thread.start()
    return thread
