"""The one registry of service-task operations a diagram may name (`notify`, `deidentify`, ...).

An operation runs in a worker, outside the instance's transaction, and returns a JSON-ready dict
that becomes the task's result variable. It must be idempotent: a retried job runs it again.
Domain modules register theirs with `@operation("name")`; `OPERATION_MODULES` lists them so the
registry is complete before a diagram is validated.
"""

import importlib
from dataclasses import dataclass, field

OPERATION_MODULES = (
    "engine.notifications",
    "engine.disclosure.operations",
    "engine.requests.operations",
    "engine.workplan.operations",
)

_registry: dict = {}
_describers: dict = {}
_loaded = {"done": False}


@dataclass(frozen=True)
class OperationContext:
    """What an operation gets: the instance it serves, its evaluated parameters and a data copy."""

    instance_id: int
    outbox_id: int
    bpmn_id: str
    params: dict
    data: dict = field(default_factory=dict)
    department_id: int | None = None
    document_id: int | None = None
    request_id: int | None = None


def operation(name: str, describe=None):
    """Register the decorated function as the operation `name`; `describe(params)`, if given, says in
    Chinese what failed (for the incident staff read), e.g. which letter to whom."""

    def register(fn):
        _registry[name] = fn
        if describe is not None:
            _describers[name] = describe
        return fn

    return register


def describe_failure(name: str, params: dict) -> str:
    """What a failed `name` was doing, in the words its module gave; the operation name otherwise."""
    _load()
    describe = _describers.get(name)
    try:
        return describe(params or {}) if describe else name
    except Exception:  # noqa: BLE001  a broken description must not hide the incident itself
        return name


def _load():
    if not _loaded["done"]:
        for module in OPERATION_MODULES:
            importlib.import_module(module)
        _loaded["done"] = True


def names() -> set[str]:
    _load()
    return set(_registry)


def get(name: str):
    _load()
    return _registry[name]
