"""Staff pages for information requests: the list with deadlines, and one request's page
(applicant, clock with its pauses, correction items, notices, the reply letter, open steps, history)
with the publisher's forms: notice delivery and Art. 35 (reasons asked, the answer, a delayed reply)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.errors import DomainError, Invalid
from engine.requests import intake, notices, split
from web.auth import current_user, login_required
from web.idempotency import idempotent
from web.pages.common import page_or_json_error

bp = Blueprint("requests", __name__)
bp.register_error_handler(DomainError, page_or_json_error)


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["request_for_task"] = request_for_task


def request_for_task(task) -> dict | None:
    """The request a task is about, for the task page (None when there is none or it is hidden)."""
    if not task.get("request_id"):
        return None
    try:
        return intake.detail_for(current_user(), task["request_id"])
    except DomainError:
        return None


@bp.get("/requests")
@login_required
def request_list():
    status = request.args.get("status") or None
    return render_template("requests/list.html", result=intake.list_for(current_user(), status=status),
                           status=status or "")


@bp.get("/requests/register")
@login_required
def register_search():
    """The register of on-request and withheld documents, for the handler looking for the information."""
    q = request.args.get("q", "").strip()
    return render_template("requests/register.html", q=q, result=intake.search_register(current_user(), q or None))


@bp.get("/requests/<int:request_id>")
@login_required
def request_page(request_id):
    return render_template("requests/detail.html", req=intake.detail_for(current_user(), request_id),
                           errors={}, values={})


def _form_post(request_id, form: str, call, done: str):
    """Run one page form's engine call: back to the page with `done`, or on bad input the page
    again (422) with the message beside the form's fields and what was typed kept."""
    try:
        call()
    except Invalid as exc:
        errors = {form: {"message": exc.message, "fields": exc.fields or {}}}
        return render_template("requests/detail.html", req=intake.detail_for(current_user(), request_id),
                               errors=errors, values={form: request.form.to_dict()}), 422
    flash(done)
    return redirect(url_for("requests.request_page", request_id=request_id))


@bp.post("/requests/<int:request_id>/notices/<int:notice_id>/delivery")
@login_required
def notice_delivery(request_id, notice_id):
    """Record that a notice reached its recipient (publisher)."""
    body = {"delivery_method": request.form.get("delivery_method"), "delivered_on": request.form.get("delivered_on")}
    return _form_post(request_id, f"delivery-{notice_id}",
                      lambda: notices.record_delivery(current_user(), request_id, notice_id, body), _("已登记告知书送达"))


@bp.post("/requests/<int:request_id>/reasons")
@login_required
@idempotent
def ask_reasons(request_id):
    """Art. 35: ask the applicant for reasons within a period and issue the 说明理由通知书 (publisher)."""
    days = request.form.get("period_days", "").strip()
    body = {"period_days": int(days) if days.isdigit() else days}
    return _form_post(request_id, "reasons", lambda: notices.ask_reasons(current_user(), request_id, body),
                      _("已出具说明理由通知书"))


@bp.post("/requests/<int:request_id>/notices/<int:notice_id>/answer")
@login_required
def reasons_answer(request_id, notice_id):
    """Art. 35: record the applicant's reasons, the day they arrived and whether they are reasonable."""
    form = request.form
    body = {"answered_on": form.get("answered_on"), "reasons": form.get("reasons"),
            "reasonable": {"yes": True, "no": False}.get(form.get("reasonable", ""))}
    return _form_post(request_id, "answer", lambda: notices.record_answer(current_user(), request_id, notice_id, body),
                      _("已登记申请人说明的理由"))


@bp.post("/requests/<int:request_id>/split")
@login_required
@idempotent
def split_request(request_id):
    """一事一申请: split the request into parts, one per line (publisher, while it is under review)."""
    body = {"parts": request.form.get("parts", "").splitlines(), "reason": request.form.get("reason") or None}
    return _form_post(request_id, "split", lambda: split.split(current_user(), request_id, body),
                      _("已拆分申请并出具分件处理告知书"))


@bp.post("/requests/<int:request_id>/delay")
@login_required
@idempotent
def delay_reply(request_id):
    """Art. 35: set the delayed reply date and issue the 延迟答复告知书 (publisher)."""
    body = {"reply_by": request.form.get("reply_by")}
    return _form_post(request_id, "delay", lambda: notices.delay_reply(current_user(), request_id, body),
                      _("已确定延迟答复期限并出具延迟答复告知书"))
