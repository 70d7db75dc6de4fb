"""Periodic work as a declarative list: what runs, how often. Every entry is idempotent.

Each worker runs the list in a background thread of its own process (jobs run in the main thread,
so a slow sweep never holds up a job); several workers running it at once is safe (a fired timer
or an enqueued outbox row is simply skipped by the others).
"""

import logging
import threading

from engine import config, idempotency, sessions
from engine.disclosure import published_audit_runs, takedown
from engine.workflow import service_tasks, stranded, timers
from engine.workplan import plans

log = logging.getLogger(__name__)


def periodic() -> tuple:
    """(name, every N seconds, function): the sweep interval is a setting so tests run in seconds."""
    return (
        ("fire_due_timers", 5, timers.fire_due),
        ("sweep_outbox", config.current().sweep_every, service_tasks.sweep_outbox),
        ("stranded_tasks", config.current().sweep_every, stranded.sweep),
        ("start_workplan_tasks", 60, plans.start_pending),
        ("take_down_ended_publicity", 60, takedown.sweep_ended),
        ("sweep_published_audits", config.current().sweep_every, published_audit_runs.sweep),
        ("purge_idempotency_keys", 3600, idempotency.purge),
        ("purge_sessions", 3600, sessions.purge),
    )


def start_thread(stop: threading.Event) -> threading.Thread:
    """Run the periodic list until `stop` is set; timers due while no worker ran fire at once."""
    entries = periodic()

    def loop():
        ticks = 0
        while not stop.is_set():
            for name, every, fn in entries:
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
