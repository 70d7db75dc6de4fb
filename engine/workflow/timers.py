"""Fire timer events whose due time has passed: boundary reminders, escalations, re-reviews.

The `timer` table says which instances wait on what and when; a job per due time and a periodic
sweep both end here, so a timer that came due while no worker ran fires when one starts. Every
timer due by then fires in that one transition — after an outage a task's 5- and 2-day reminders
and its escalation all fire, each with its own notify job — and the history names each of them.
"""

import logging
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update

from engine import audit, clock
from engine.db import reading, transaction
from engine.errors import Conflict
from engine.models import Timer
from engine.workflow import state, transition

log = logging.getLogger(__name__)


def fire_instance(instance_id: int) -> bool:
    """Fire whatever timers of one instance are due; return True when the state changed.

    A step that fails after the timer (a script, the budget) fails the instance into an incident:
    nobody waits for this answer, and the sweep must go on to other instances.
    """
    with transaction() as s:
        row, workflow = state.load(s, instance_id)
        if row.status in state.ENDED:
            return False
        before = state.dump(workflow)
        due = _due_timers(s, row.id, workflow)
        outcome = transition.begin(s, row, workflow, lambda _row, wf: wf.refresh_timers(), on_error="incident")
        if outcome.incident:
            _stop_due_timers(s, row.id)
            return True
        changed = state.dump(workflow) != before
        if changed:
            audit.record(s, "timer_fired", actor="scheduler", instance_id=row.id, document_id=row.document_id,
                         request_id=row.request_id, timers=[bpmn_id for bpmn_id, _ in due],
                         task="、".join(name for _, name in due))
        return changed


def set_waiting_data(workflow, name: str, value) -> bool:
    """Give the waiting tasks a new value of `name` (a deadline that moved) and re-evaluate the
    timers whose expression reads it; return whether anything changed.

    Called inside a transition (a hook, or the `change` of `transition.run`): the projection then
    moves the timer rows and schedules their jobs, as for any other step.
    """
    changed = False
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
        if task.parent is not None and task.parent.data.get(name) != value:
            # A waiting task takes its parent's data again each time Spiff updates it (a boundary
            # timer from its split), so the parent must hold the new value too, or what runs after
            # the timer (a reminder's text) would see the old deadline.
            task.parent.data[name] = value
        if task.data.get(name) == value:
            continue
        task.data[name], changed = value, True
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition) and name in definition.expression and value:
            task.internal_data.pop("event_value", None)
            definition.has_fired(task)  # re-evaluates the timer's time from the new value
    return changed


def _due_timers(session, instance_id, workflow) -> list[tuple[str, str]]:
    """(element id, name) of the timers due now, in due order: what this firing is about to fire."""
    rows = session.execute(select(Timer.task_guid, Timer.bpmn_id).where(
        Timer.instance_id == instance_id, Timer.status == "waiting", Timer.due_at < clock.now()).order_by(Timer.due_at))
    out = []
    for guid, bpmn_id in rows:
        try:
            name = getattr(workflow.get_task_from_id(UUID(guid)).task_spec, "bpmn_name", None)
        except TaskNotFoundException:  # a stale row: the projection will mark it done
            name = None
        out.append((bpmn_id, name or bpmn_id))
    return out


def _stop_due_timers(session, instance_id) -> None:
    # The failed timers would fire (and fail) again on every sweep; retrying the incident re-arms them.
    session.execute(update(Timer).where(Timer.instance_id == instance_id, Timer.status == "waiting",
                                        Timer.due_at < clock.now()).values(status="failed"))


def fire_due(limit: int = 500) -> int:
    """Fire every instance with a timer that is due now; return how many instances changed (not
    timers: an instance's several due timers fire together, each counted in its history entry).

    One instance's failure never stops the sweep: it is logged and the next instance fires.
    """
    with reading() as s:
        ids = list(dict.fromkeys(s.scalars(
            # Strictly past, as Spiff decides: a timer at exactly `now` has not fired yet.
            select(Timer.instance_id).where(Timer.status == "waiting", Timer.due_at < clock.now())
            .order_by(Timer.due_at).limit(limit))))
    fired = 0
    for instance_id in ids:
        try:
            fired += fire_instance(instance_id)
        except Conflict:
            continue  # another worker got there first; its transition already fired the timer
        except Exception:  # noqa: BLE001  one broken instance must not starve the others
            log.exception("firing the timers of instance %s failed", instance_id)
    return fired
