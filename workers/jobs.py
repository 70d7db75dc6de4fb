"""The rq jobs: each takes ids, calls one engine function, logs with the job id, fails by raising."""

import logging

from rq import get_current_job

from engine.disclosure import published_audit_runs
from engine.workflow import messages, service_tasks, timers
from engine.workplan import plans

log = logging.getLogger(__name__)


def _job_id() -> str:
    job = get_current_job()
    return job.id if job else "-"


def run_outbox(outbox_id: int) -> str:
    """Run the service task behind one outbox row and resume its instance."""
    outcome = service_tasks.run_outbox(outbox_id)
    log.info("job %s: outbox %s %s", _job_id(), outbox_id, outcome)
    return outcome


def fire_timers(instance_id: int) -> bool:
    """Fire the due timers of one instance."""
    changed = timers.fire_instance(instance_id)
    log.info("job %s: timers of instance %s fired=%s", _job_id(), instance_id, changed)
    return changed


def start_workplan(plan_id: int) -> int:
    """Start the lead departments' instances of a large work plan (any plan's waiting ones)."""
    started = plans.start_pending()
    log.info("job %s: plan %s, %s work-plan instances started", _job_id(), plan_id, started)
    return started


def deliver_message(name: str, correlation: dict, payload: dict) -> dict:
    """Deliver a message a send task threw; raising lets rq retry while the receiver is not yet waiting."""
    outcome = messages.deliver(None, name, correlation, payload)
    log.info("job %s: message %s delivered to %s, started %s", _job_id(), name, outcome["delivered"],
             outcome["started"])
    return outcome



def run_published_audit(run_id: int) -> str:
    """Re-check the published documents of one audit run (continues after the last one done)."""
    outcome = published_audit_runs.perform(run_id)
    log.info("job %s: published audit run %s %s", _job_id(), run_id, outcome)
    return outcome
