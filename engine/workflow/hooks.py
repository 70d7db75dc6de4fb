"""Domain hooks that run inside a transition's transaction.

A domain module (documents, requests) registers a hook for a process key; the hook sees the task
being completed and its validated data, may refuse it (raise Invalid/Forbidden) and writes its own
records (review records, status changes) in the same transaction as the workflow state.
"""

from dataclasses import dataclass

_before_complete: dict = {}
_after_transition: dict = {}


@dataclass
class Completion:
    session: object
    actor: object
    human_task: object
    instance: object
    spiff_task: object
    data: dict


def before_complete(process_key: str):
    """Register `fn(completion)` to run before a user task of `process_key` completes."""

    def register(fn):
        _before_complete.setdefault(process_key, []).append(fn)
        return fn

    return register


def after_transition(process_key: str):
    """Register `fn(session, instance_row, workflow)` to run after each transition of `process_key`."""

    def register(fn):
        _after_transition.setdefault(process_key, []).append(fn)
        return fn

    return register


def run_before_complete(completion: Completion) -> None:
    for fn in _before_complete.get(completion.instance.definition_key, []):
        fn(completion)


def run_after_transition(session, row, workflow) -> None:
    for fn in _after_transition.get(row.definition_key, []):
        fn(session, row, workflow)
