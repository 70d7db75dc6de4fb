"""The job queue: rq on Redis, or the installation's embedded Redis (`embedded_redis`) when
REDIS_URL is unset: started once per data folder and shared by every process by its unix socket.

The engine enqueues jobs by their dotted name (`workers.jobs.run_outbox`) so that it never imports
`workers`. Enqueue only after commit (`db.after_commit`): a job must never see uncommitted work.
"""

import logging
from datetime import datetime, timedelta, timezone

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.worker import Worker

from engine import clock, embedded_redis

log = logging.getLogger(__name__)
_state: dict = {}

OUTBOX_JOB = "workers.jobs.run_outbox"
TIMER_JOB = "workers.jobs.fire_timers"
MESSAGE_JOB = "workers.jobs.deliver_message"


# A Redis host that does not take the connection fails the call after this many seconds instead of
# the system's TCP timeout (minutes); commands themselves have no timeout: rq blocks on purpose.
CONNECT_SECONDS = 5


def configure(settings) -> None:
    _state["settings"] = settings
    _state.pop("redis", None)
    _state.pop("impatient", None)


def redis() -> Redis:
    if "redis" not in _state:
        settings = _state["settings"]
        if settings.redis_url:
            _state["redis"] = Redis.from_url(settings.redis_url, socket_connect_timeout=CONNECT_SECONDS)
        else:
            sock, _started = embedded_redis.ensure(settings.data_dir)
            _state["redis"] = Redis(unix_socket_path=str(sock), socket_connect_timeout=CONNECT_SECONDS)
    return _state["redis"]


def _impatient(timeout: float) -> Redis:
    """A client of the same server whose every call gives up after `timeout` seconds (for checks)."""
    cached = _state.get("impatient")
    if cached is None or cached[0] != timeout:
        pool = redis().connection_pool
        kwargs = {**pool.connection_kwargs, "socket_timeout": timeout, "socket_connect_timeout": timeout}
        cached = (timeout, Redis(connection_pool=type(pool)(connection_class=pool.connection_class,
                                                            max_connections=4, **kwargs)))
        _state["impatient"] = cached
    return cached[1]


def ping(timeout: float) -> bool:
    """Whether Redis answers within `timeout` seconds."""
    return bool(_impatient(timeout).ping())


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


def job_state(job_id: str) -> str:
    """"absent" (no job, or it ended), "orphaned" (its worker stopped beating), "stalled" (a retry
    left waiting long past its time), or "alive"."""
    try:
        job = Job.fetch(job_id, connection=redis())
    except Exception:
        return "absent"
    status = job.get_status(refresh=False)
    if status in ("failed", "stopped", "canceled", "finished"):
        return "absent"
    if status == "started" and not worker_alive(job.worker_name):
        return "orphaned"
    if status == "scheduled" and _overdue(job):
        return "stalled"
    return "alive"


def _overdue(job) -> bool:
    # A retry waits in rq's scheduled registry for the one worker that holds the scheduler lock;
    # if that worker died, the others take the lock over only minutes later.
    try:
        due = queue().scheduled_job_registry.get_scheduled_time(job.id)
    except NoSuchJobError:  # "scheduled" but not in the registry (a Redis flush): nobody will run it
        return True
    return (clock.now() - due).total_seconds() > _dead_after()


def discard(job_id: str) -> None:
    """Forget a job whose worker died, so that rq's own clean-up cannot run it a second time."""
    try:
        Job.fetch(job_id, connection=redis()).delete()
    except Exception:
        log.exception("could not discard job %s", job_id)


def _dead_after() -> float:
    return float(_state["settings"].worker_dead_after)


def worker_alive(name: str | None) -> bool:
    """A worker is alive while its last heartbeat is younger than `worker_dead_after` seconds."""
    if not name:
        return False
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, connection=redis())
    return worker is not None and _fresh(worker.last_heartbeat)


def _fresh(moment) -> bool:
    if moment is None:
        return False
    age = clock.now() - moment.replace(tzinfo=moment.tzinfo or timezone.utc)
    return age.total_seconds() < _dead_after()


def workers(timeout: float | None = None) -> list[dict]:
    """The workers registered in Redis with their last heartbeat (for the admin page and /healthz),
    read within `timeout` seconds when given."""
    out = []
    for worker in Worker.all(connection=redis() if timeout is None else _impatient(timeout)):
        beat = worker.last_heartbeat
        out.append({"name": worker.name, "state": str(worker.get_state()), "alive": _fresh(beat),
                    "last_heartbeat": beat.replace(tzinfo=timezone.utc).isoformat() if beat else None,
                    "current_job": worker.get_current_job_id()})
    return sorted(out, key=lambda w: w["name"])


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
    enqueue_retried(MESSAGE_JOB, name, correlation, payload)


def enqueue_retried(job: str, *args) -> None:
    """Enqueue `job` (a dotted name) retried with the configured backoff; a failure to enqueue is
    logged (the caller's sweep, if any, catches up)."""
    settings = _state["settings"]
    retries = max(settings.job_retries - 1, 0)
    try:
        queue().enqueue(job, *args,
                        retry=Retry(max=retries, interval=list(settings.retry_backoff)) if retries else None,
                        failure_ttl=7 * 24 * 3600)
    except Exception:
        log.exception("could not enqueue %s %s", job, args[:1])
