"""Domain hooks that run inside a transition's transaction.

A domain module (documents, requests) registers a hook for a process key; the hook sees the task
being completed and its validated data, may refuse it (raise Invalid/Forbidden) and writes its own
records (review records, status changes) in the same transaction as the workflow state.
"""

import importlib
from dataclasses import dataclass

from SpiffWorkflow.util.task import TaskState

# Modules that register hooks when imported; loaded on first use so every process has them.
DOMAIN_MODULES = ("engine.disclosure.procedure", "engine.disclosure.historical", "engine.disclosure.takedown_approval",
                  "engine.requests.procedure", "engine.requests.task_forms",
                  "engine.requests.conversion", "engine.workplan.procedure", "engine.workplan.deadlines")
_loaded = {"done": False}


def _ensure_loaded() -> None:
    if not _loaded["done"]:
        for module in DOMAIN_MODULES:
            importlib.import_module(module)
        _loaded["done"] = True

_form_data: dict = {}
_required: dict = {}  # process key -> {element id: form key or None}
# Hooks of each kind, per process key, in registration order.
_hooks: dict = {"before_complete": {}, "after_transition": {}, "after_cancel": {}, "after_decision_saved": {}}


@dataclass
class Completion:
    session: object
    actor: object
    human_task: object
    instance: object
    spiff_task: object
    data: dict


def _registrar(kind: str, process_key: str):
    def register(fn):
        _hooks[kind].setdefault(process_key, []).append(fn)
        return fn

    return register


def _run(kind: str, process_key: str, *args) -> None:
    _ensure_loaded()
    for fn in _hooks[kind].get(process_key, []):
        fn(*args)


def requires(process_key: str, elements: dict) -> None:
    """Declare the element ids the code of `process_key` relies on, each with the form key it
    expects (or None); a new version of the process lacking one is refused at deploy."""
    _required.setdefault(process_key, {}).update(elements)


def required_elements(process_key: str) -> dict:
    _ensure_loaded()
    return dict(_required.get(process_key, {}))


def before_complete(process_key: str):
    """Register `fn(completion)` to run before a user task of `process_key` completes."""
    return _registrar("before_complete", process_key)


def after_transition(process_key: str):
    """Register `fn(session, instance_row, workflow)` to run after each transition of `process_key`."""
    return _registrar("after_transition", process_key)


def after_cancel(process_key: str):
    """Register `fn(session, instance_row, reason)` to run when an instance of `process_key` is cancelled."""
    return _registrar("after_cancel", process_key)


def after_decision_saved(file_name: str):
    """Register `fn(session, actor)` to run, in the saving transaction, when the DMN file
    `file_name` changes: a domain whose stored values were computed from its rows recomputes them."""
    return _registrar("after_decision_saved", file_name)


def run_before_complete(completion: Completion) -> None:
    _run("before_complete", completion.instance.definition_key, completion)


def run_after_transition(session, row, workflow) -> None:
    _run("after_transition", row.definition_key, session, row, workflow)


def run_after_cancel(session, row, reason: str) -> None:
    _run("after_cancel", row.definition_key, session, row, reason)


def run_after_decision_saved(session, file_name: str, actor) -> None:
    _run("after_decision_saved", file_name, session, actor)


def reached_end(workflow, end_ids):
    """The end event of `end_ids` the instance has reached, or None; for `after_transition` hooks.

    An end event decides a process's outcome as soon as it is reached, even while a branch that
    left earlier (a reminder's notification job) keeps the instance itself from completing.
    """
    return next((t for t in workflow.get_tasks(state=TaskState.COMPLETED) if t.task_spec.bpmn_id in end_ids), None)


def form_data(process_key: str):
    """Register `fn(human_task) -> dict` giving values a form shows that task data does not hold
    (e.g. a document's body, which lives in a file, never in task data)."""

    def register(fn):
        _form_data[process_key] = fn
        return fn

    return register


def extra_form_data(human_task) -> dict:
    _ensure_loaded()
    fn = _form_data.get(human_task.process_key)
    return fn(human_task) if fn else {}
