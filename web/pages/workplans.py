"""Work-plan pages: the plans, the import preview, a plan's dashboard, a task with its reports,
and the year-end draft the annual report links to. Each handler calls one engine function."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import delivery, users
from engine.errors import DomainError, NotFound
from engine.workplan import CYCLES, access, deadlines, operations, plans, progress, steps
from web.api.workplans import uploads
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error
from web.upload_gate import EVIDENCE_KINDS, gated

bp = Blueprint("workplans", __name__)
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/workplans")
@login_required
def plan_list():
    return render_template("workplans/list.html", plans=plans.list_for(current_user()),
                           is_office=access.is_office(current_user()))


@bp.get("/workplans/import")
@login_required
def import_page():
    access.require_office(current_user())
    return render_template("workplans/import.html", departments=sorted(users.department_names().values()),
                           cycles=CYCLES)


@bp.get("/workplans/<int:plan_id>")
@login_required
def plan_page(plan_id):
    actor = current_user()
    return render_template("workplans/plan.html", plan=plans.get_for(actor, plan_id),
                           board=progress.dashboard(actor, plan_id), is_office=access.is_office(actor),
                           flag_names=progress.FLAG_NAMES)


@bp.get("/workplans/tasks/<int:task_id>")
@login_required
def task_page(task_id):
    return render_template("workplans/task.html", task=progress.task_detail(current_user(), task_id),
                           flag_names=progress.FLAG_NAMES, delivery_methods=delivery.METHOD_NAMES)


@bp.post("/workplans/<int:plan_id>/congress")
@login_required
def set_congress(plan_id):
    result = deadlines.set_congress_date(current_user(), plan_id, request.form.get("congress_ends_on"))
    flash(_("已保存人代会结束日期，%(n)s 项任务的完成时限已重新计算", n=result["moved"]))
    for task in result["overdue"]:
        flash(_("“%(task)s”的完成时限 %(day)s 已过，将立即督办", task=task["task"], day=task["due_on"]))
    return redirect(url_for("workplans.plan_page", plan_id=plan_id))


@bp.post("/workplans/tasks/<int:task_id>/rule")
@login_required
def set_rule(task_id):
    deadlines.set_task_rule(current_user(), task_id, request.form.get("rule"))
    flash(_("时限规则已保存"))
    return redirect(url_for("workplans.task_page", task_id=task_id))


@bp.post("/workplans/notices/<int:notice_id>/delivery")
@login_required
def deliver_notice(notice_id):
    notice = operations.record_delivery(current_user(), notice_id, _form(("delivery_method", "delivered_on"), ()))
    flash(_("督办单送达情况已登记"))
    return redirect(url_for("workplans.task_page", task_id=notice["task_id"]))


@bp.post("/workplans/tasks/<int:task_id>/report")
@login_required
@gated(files={"evidence_files": EVIDENCE_KINDS})
def report(task_id):
    steps.submit_report(current_user(), task_id, _form(("text", "evidence_urls", "document_ids"),
                                                       ("request_completion",)), uploads())
    flash(_("进展报告已报送，等待政务公开办审核"))
    return redirect(url_for("workplans.task_page", task_id=task_id))


@bp.post("/workplans/tasks/<int:task_id>/review")
@login_required
def review(task_id):
    department_id = request.form.get("department_id", type=int)
    steps.review_report(current_user(), task_id, department_id, _form(("decision", "opinion"), ()))
    flash(_("审核意见已提交"))
    return redirect(url_for("workplans.task_page", task_id=task_id))


@bp.get("/workplans/summary/<int:year>")
@login_required
def year_summary(year):
    """The draft for the annual report's 一、总体情况, from that year's plan."""
    actor = current_user()
    found = [p for p in plans.list_for(actor) if p["year"] == year]
    if not found:
        raise NotFound(_("%(year)s年没有导入工作要点", year=year))
    return render_template("workplans/summary.html", summary=progress.year_summary(actor, found[0]["id"]))


def _form(text_fields, checkboxes) -> dict:
    data = {k: request.form.get(k, "") for k in text_fields if request.form.get(k, "").strip()}
    data.update({k: True for k in checkboxes if request.form.get(k)})
    return data
