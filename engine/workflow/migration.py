"""Move running instances to another version of their diagram, where no completed work changes.

SpiffWorkflow aligns the two specs by BPMN id (`bpmn.util.diff`). An instance may move only when
every task it has already completed exists unchanged in the target version; waiting and ready
tasks are re-predicted on the new diagram, and the human-task projection follows in the same
transaction.
"""

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine import access, audit
from engine.db import transaction
from engine.errors import Conflict, Invalid
from engine.models import ProcessInstance
from engine.workflow import instances, projection, state, transition
from engine.workflow.definitions import get_version, spec_for
from engine.workflow.spiff import SERIALIZER


def _blockers(workflow, top_diff, sub_diffs) -> list[str]:
    """Completed tasks whose spec disappears or changes in the target version."""
    done = [t for t in workflow.get_tasks(state=TaskState.COMPLETED, skip_subprocesses=True)]
    problems = [t.task_spec.bpmn_id or t.task_spec.name for t in done
                if t in top_diff.removed or t in top_diff.changed]
    if workflow.subprocesses and any(d is None for d in sub_diffs.values()):
        problems.append("subprocess")
    return [p for p in problems if p and not p.startswith(("Start", "Root", "End"))]


def migrate_instance(session, row, target) -> dict:
    """Migrate one loaded instance row to `target` (a ProcessVersion) inside the caller's transaction."""
    if row.status in state.ENDED:
        return {"id": row.id, "migrated": False, "reason": "已结束 (finished)"}
    row_locked, workflow = state.load(session, row.id)
    spec, subs = spec_for(target.id)
    top_diff, sub_diffs = diff_workflow(SERIALIZER.registry, workflow, spec, subs)
    blockers = _blockers(workflow, top_diff, sub_diffs)
    if blockers:
        return {"id": row.id, "migrated": False,
                "reason": f"已完成的步骤在新版本中被修改或删除 (completed steps change): {', '.join(sorted(set(blockers)))}"}
    old = row_locked.version.version

    def change(instance, wf):
        migrate_workflow(top_diff, wf, spec)
        wf.subprocess_specs = subs
        instance.version_id = target.id

    outcome = transition.begin(session, row_locked, workflow, change, on_error="incident")
    if outcome.incident:
        return {"id": row.id, "migrated": False, "reason": outcome.incident}
    projection.refresh_open_tasks(session, row_locked, workflow)
    audit.record(session, "migrate", actor=None, instance_id=row.id, document_id=row.document_id,
                 request_id=row.request_id, from_version=old, to_version=target.version)
    return {"id": row.id, "migrated": True, "from_version": old, "to_version": target.version}


def migrate(actor, key: str, from_version: int, to_version: int | None = None) -> dict:
    """Migrate every running instance of `key` on `from_version` to `to_version` (default: latest)."""
    access.require_admin(actor)
    target = get_version(key, to_version)
    source = get_version(key, from_version)
    if source.id == target.id:
        raise Invalid("源版本与目标版本相同 (same version)")
    results = []
    with transaction() as s:
        rows = s.scalars(select(ProcessInstance).where(
            ProcessInstance.version_id == source.id, ProcessInstance.status.in_(instances.ACTIVE))).all()
        for row in rows:
            results.append(migrate_instance(s, row, target))
        audit.record(s, "migrate_version", actor=actor, key=key, from_version=from_version,
                     to_version=target.version, migrated=sum(r["migrated"] for r in results))
    return {"key": key, "to_version": target.version, "results": results}


def migrate_one(actor, instance_id: int, to_version: int | None = None) -> dict:
    access.require_admin(actor)
    with transaction() as s:
        row = s.get(ProcessInstance, instance_id)
        if row is None:
            raise Invalid("流程实例不存在 (no such instance)")
        result = migrate_instance(s, row, get_version(row.definition_key, to_version))
        if not result["migrated"]:
            raise Conflict(result["reason"])
        return result
