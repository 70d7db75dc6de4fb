"""The one path of every transition: load an instance, change it, run the engine under a budget,
run the domain hooks, project its waiting work and save — inside the caller's transaction.

Task completion, service-task results, timers, messages, migration and start come through
`run`/`begin`; cancel through `end`. A run that exceeds its budget (engine steps, sub-process depth, wall time) is undone
and the instance fails into an incident, so no diagram can hold the database for long.
"""

import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from engine import audit, queue
from engine.db import after_commit
from engine.errors import DomainError, Invalid
from engine.models import Incident
from engine.workflow import guards, hooks, projection, state, stranded

log = logging.getLogger(__name__)

# One transition may run this much of the engine; real procedures use a few dozen steps. A loop
# deepens Spiff's task tree by a step per step: near 1,000 deep Spiff hits Python's recursion limit,
# swallows the error and reports the workflow completed. 500 steps stop well before that.
MAX_STEPS = 500
MAX_DEPTH = 24  # nested (called) sub-processes
MAX_SECONDS = 5.0


class OverBudget(Exception):
    """The engine ran past a transition's budget at element `bpmn_id`."""

    def __init__(self, bpmn_id: str, message: str):
        super().__init__(message)
        self.bpmn_id, self.message = bpmn_id, message


class StepFailed(Exception):
    """A workflow error (a failing script, an unsupported construct) at element `bpmn_id`."""

    def __init__(self, bpmn_id: str, name: str, message: str):
        super().__init__(message)
        self.bpmn_id, self.name, self.message = bpmn_id, name, message


@dataclass
class Outcome:
    row: object
    workflow: object
    incident: str | None = None  # the message of the incident the run failed into


class _Budget:
    """The `will_complete_task` callback of Spiff's engine loop: counts steps, depth and time."""

    def __init__(self):
        self.steps, self.started, self.current = 0, time.monotonic(), None

    def __call__(self, task):
        self.current = task
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise OverBudget(_bpmn_id(task), f"一次流转执行超过 {MAX_STEPS} 步，疑似无限循环 "
                                             f"(more than {MAX_STEPS} steps in one transition: an endless loop?)")
        if _depth(task.workflow) > MAX_DEPTH:
            raise OverBudget(_bpmn_id(_caller(task)), f"子流程嵌套超过 {MAX_DEPTH} 层，疑似自我调用 "
                                             f"(sub-processes nested deeper than {MAX_DEPTH}: a process calling itself?)")
        if time.monotonic() - self.started > MAX_SECONDS:
            raise OverBudget(_bpmn_id(task), f"一次流转运行超过 {MAX_SECONDS:g} 秒 "
                                             f"(the transition ran longer than {MAX_SECONDS:g} s)")


def _depth(workflow) -> int:
    return getattr(workflow, "depth", 0) or 0


def _caller(task):
    """The call activity (or sub-process) whose sub-workflow `task` runs in."""
    workflow = task.workflow
    parent_id = getattr(workflow, "parent_task_id", None)
    top = getattr(workflow, "top_workflow", None)
    found = top.get_task_from_id(parent_id) if parent_id is not None and top is not None else None
    return found or task


def _bpmn_id(task) -> str:
    spec = getattr(task, "task_spec", None)
    return getattr(spec, "bpmn_id", None) or getattr(spec, "name", "") or ""


def _describe(task) -> tuple[str, str]:
    spec = getattr(task, "task_spec", None)
    bpmn_id = _bpmn_id(task)
    return bpmn_id, getattr(spec, "bpmn_name", None) or bpmn_id


def run(session, instance_id: int, change, *, on_error: str = "raise") -> Outcome:
    """Load instance `instance_id` (row-locked), apply `change(row, workflow)` and advance it."""
    row, workflow = state.load(session, instance_id)
    return begin(session, row, workflow, change, on_error=on_error)


def end(session, instance_id: int, change, status: str) -> Outcome:
    """End an instance for good (cancel): load it, apply `change` and save it with `status`.
    Nothing runs: an ended workflow takes no engine steps and its domain hooks are the caller's."""
    row, workflow = state.load(session, instance_id)
    change(row, workflow)
    state.save(session, row, workflow, status)
    return Outcome(row, workflow)


def begin(session, row, workflow, change=None, *, is_new=False, on_error="raise") -> Outcome:
    """Apply `change` and advance, in a savepoint: a run that fails leaves no trace but its incident.

    `on_error="raise"` turns a workflow error into `Invalid` naming the element (a person is
    waiting for the answer); `"incident"` records it on the instance (a job or timer is). Exceeding
    the budget always becomes an incident: the same run would exceed it again.
    """
    fallback = state.dump(workflow) if is_new else row.state_json
    # A new instance with no change of its own writes nothing before the engine runs, and nothing
    # runs the engine but Spiff (no database): an over-budget run fails there with nothing to undo,
    # and any other failure is raised, rolling the caller's transaction back. Its SAVEPOINT and
    # RELEASE (two round trips, a tenth of a start) would guard nothing.
    savepoint = _NoSavepoint() if is_new and change is None else _Savepoint(session)
    budget = _Budget()
    try:
        with guards.budget():  # one budget for every script this transition runs: values kept add up
            if change is not None:
                change(row, workflow)
            advance(session, row, workflow, is_new=is_new, budget=budget)
    except (DomainError, SQLAlchemyError):
        savepoint.rollback()
        raise
    except OverBudget as exc:
        savepoint.rollback()
        return _failed(session, row, fallback, exc.bpmn_id, exc.message)
    except Exception as exc:  # noqa: BLE001  Spiff raises many kinds; each means "this element failed"
        savepoint.rollback()
        failed = _as_step_failure(exc, budget.current)
        if on_error == "incident":
            return _failed(session, row, fallback, failed.bpmn_id, f"{failed.name}: {failed.message}")
        raise Invalid(f"流程在步骤「{failed.name}」({failed.bpmn_id}) 出错 (the process failed at this step): "
                      f"{failed.message}", details=[{"element_id": failed.bpmn_id, "message": failed.message}]
                      ) from exc
    savepoint.commit()
    return Outcome(row, workflow)


class _Savepoint:
    """A SAVEPOINT that, rolled back, also drops the after-commit jobs registered inside it."""

    def __init__(self, session):
        self.callbacks = session.info.setdefault("after_commit", [])
        self.kept = len(self.callbacks)
        self.nested = session.begin_nested()

    def rollback(self):
        self.nested.rollback()
        del self.callbacks[self.kept:]

    def commit(self):
        self.nested.commit()


class _NoSavepoint:
    def rollback(self):
        pass

    def commit(self):
        pass


def step(task, fn):
    """Run `fn` (a task's `run` or `complete`) so that a failure names the task's element."""
    try:
        return fn()
    except (DomainError, SQLAlchemyError, OverBudget, StepFailed):
        raise
    except Exception as exc:  # noqa: BLE001  see begin
        raise _as_step_failure(exc, task) from exc


def _as_step_failure(exc, current) -> StepFailed:
    if isinstance(exc, StepFailed):
        return exc
    bpmn_id, name = _describe(getattr(exc, "task", None) or current)
    return StepFailed(bpmn_id, name, _message(exc))


def _message(exc) -> str:
    cause = exc
    while isinstance(getattr(cause, "__cause__", None), Exception):
        cause = cause.__cause__  # Spiff wraps the script's own error; the inner one says what is wrong
    if isinstance(cause, DomainError):
        return cause.message
    text = str(getattr(exc, "error_msg", None) or exc).strip()
    if cause is not exc and str(cause).strip():
        text = f"{text}: {type(cause).__name__}: {str(cause).strip()}"
    return (text.splitlines() or [type(exc).__name__])[0][:500] or type(exc).__name__


def _failed(session, row, fallback, bpmn_id, message) -> Outcome:
    log.warning("instance %s failed into an incident at %s: %s", row.id, bpmn_id, message)
    fail_into_incident(session, row, fallback, bpmn_id, message)
    return Outcome(row, None, incident=message)


def fail_into_incident(session, row, state_json: str, bpmn_id: str, message: str) -> None:
    """Keep the instance at its last good state, in `error`, with an incident an admin can retry."""
    state.save_json(session, row, state_json, "error")
    session.add(Incident(instance_id=row.id, bpmn_id=bpmn_id or None, message=message[:2000]))
    audit.record(session, "incident", actor="engine", instance_id=row.id, document_id=row.document_id,
                 request_id=row.request_id, bpmn_id=bpmn_id, error=message)


def advance(session, row, workflow, *, is_new=False, budget=None) -> None:
    """Run the engine to its next wait state, run hooks, project and save; enqueue after commit.

    `is_new` says the instance was inserted in this transaction, so it has no projected rows yet.
    """
    budget = budget or _Budget()
    budget.started = time.monotonic()  # the engine's own time: hooks before it (a large document) do not count
    workflow.do_engine_steps(will_complete_task=budget)
    hooks.run_after_transition(session, row, workflow)
    new_outbox, due_times, new_tasks = projection.sync(session, row, workflow, is_new=is_new)
    if new_tasks:  # a new task nobody can take is seen at once; one stranded later, by the sweep
        stranded.open_for(session, row.id)
    messages = projection.thrown_messages(workflow)
    # An open incident always leaves the instance in "error" (service_tasks sets and clears it).
    status = projection.status_of(workflow, has_incident=row.status == "error")
    state.save(session, row, workflow, status)
    for outbox_id in new_outbox:
        after_commit(session, lambda oid=outbox_id: queue.enqueue_outbox(oid))
    for due in due_times:
        after_commit(session, lambda iid=row.id, when=due: queue.schedule_timer(iid, when))
    for name, correlation, payload in messages:
        after_commit(session, lambda n=name, c=correlation, p=payload: queue.enqueue_message(n, c, p))
