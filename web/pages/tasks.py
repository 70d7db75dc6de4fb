"""One task: its form (form-js), document, diagram and history; claim, release, delegate, complete.

Completing is a fetch from the page (JSON body, X-CSRFToken header) so that the server's field
errors can be shown next to the form's fields; the other actions are plain forms.
"""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext

from engine import users
from engine.errors import DomainError, NotFound
from engine.workflow import definitions, instances, tasks
from web.auth import current_user, login_required
from web.bpmn_layout import ensure_layout
from web.labels import readable_diagram
from web.pages.common import json_body, page_or_json_error

bp = Blueprint("tasks", __name__)
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/tasks/<int:task_id>")
@login_required
def task_page(task_id):
    actor = current_user()
    task = tasks.detail_for(actor, task_id)
    instance = _instance_or_none(actor, task["instance_id"])
    xml = definitions.get_version(instance["definition_key"], instance["version"]).bpmn_xml if instance else None
    roles = {r["key"]: r["name"] for r in users.list_roles()}
    return render_template("task.html", task=task, instance=instance,
                           diagram_xml=readable_diagram(ensure_layout(xml), roles) if xml else None,
                           earlier=earlier_opinions(instance, task),
                           colleagues=users.colleagues(actor, task["role"], task["department"]),
                           department=users.department_names().get(task["department"]),
                           can_act=task["can_act"])


def earlier_opinions(instance, task) -> list[dict]:
    """The decisions and opinions recorded before this task, shown read-only beside its form."""
    if instance is None:
        return []
    return [h for h in instance["history"] if h["action"] == "complete" and h["task_id"] != task["id"]
            and (h["detail"].get("outcome") or h["detail"].get("opinion"))]


def _instance_or_none(actor, instance_id):
    try:
        return instances.get_for(actor, instance_id, with_state=False)  # the task detail has the state
    except NotFound:  # a task handed to someone outside the instance's department: show the task only
        return None


@bp.post("/tasks/<int:task_id>/claim")
@login_required
def claim(task_id):
    tasks.claim(current_user(), task_id)
    flash("已认领任务")
    return redirect(_back(task_id))


@bp.post("/tasks/<int:task_id>/release")
@login_required
def release(task_id):
    tasks.release(current_user(), task_id)
    flash("已释放任务")
    return redirect(_back(task_id))


@bp.post("/tasks/<int:task_id>/delegate")
@login_required
def delegate(task_id):
    tasks.delegate(current_user(), task_id, request.form.get("to", ""), request.form.get("reason", ""))
    flash("已转办")
    return redirect(url_for("inbox.inbox"))


@bp.post("/tasks/<int:task_id>/cancel-instance")
@login_required
def cancel_instance(task_id):
    actor = current_user()
    instances.cancel(actor, tasks.get_for(actor, task_id).instance_id, request.form.get("reason", ""))
    flash(gettext("流程已撤销"))
    return redirect(url_for("inbox.inbox"))


@bp.post("/tasks/<int:task_id>/complete")
@login_required
def complete(task_id):
    data = json_body().get("data")
    done = tasks.complete(current_user(), task_id, data if isinstance(data, dict) else {})
    flash(f"「{done['name']}」已办理完成")
    return jsonify(ok=True, task=done, redirect=url_for("inbox.inbox"))


def _back(task_id) -> str:
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("tasks.task_page", task_id=task_id)
