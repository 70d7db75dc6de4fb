"""The re-check of published texts (复查已公开信息): the suspects today's detector finds, a button
that queues a re-check for the workers (its progress shown here), and per document the publisher's
re-publication with a reason (or its take-down)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine.disclosure import published_audit, published_audit_runs
from engine.errors import Conflict, DomainError, Invalid
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error

bp = Blueprint("published_audit", __name__, url_prefix="/published-audit")
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/")
@login_required
def audit_page():
    return _page()


def _page(status=200, **extra):
    user = current_user()
    return render_template("published_audit.html", items=published_audit.suspects(user),
                           runs=published_audit_runs.recent(user, limit=5), **extra), status


@bp.post("/run")
@login_required
def run_audit():
    run = published_audit_runs.request_run(current_user())
    flash(f"复查任务 {run['id']} 已交给后台处理：共 {run['documents_total']} 件已公开文件，进度见下方")
    return redirect(url_for("published_audit.audit_page"))


@bp.post("/<int:document_id>/republish")
@login_required
def republish(document_id):
    """重新去标识化并发布: refused with the reason shown beside the document's suspects."""
    reason = request.form.get("reason", "")
    try:
        result = published_audit.republish(current_user(), document_id, reason)
    except (Invalid, Conflict) as exc:
        return _page(422 if isinstance(exc, Invalid) else 409, error_for=document_id, error=exc.message,
                     reason=reason)
    flash(f"已重新发布（第 {result['version']} 版）")
    return redirect(url_for("published_audit.audit_page"))
