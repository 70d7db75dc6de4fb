"""The re-check of published texts (复查已公开信息): the suspects today's detector finds, a button
to run it again, and per document the publisher's re-publication with a reason (or its take-down)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine.disclosure import published_audit
from engine.errors import Conflict, DomainError, Invalid
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error

bp = Blueprint("published_audit", __name__, url_prefix="/published-audit")
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/")
@login_required
def audit_page():
    return render_template("published_audit.html", items=published_audit.suspects(current_user()))


@bp.post("/run")
@login_required
def run_audit():
    result = published_audit.run(current_user())
    flash(f"已复查 {result['documents']} 件已公开文件，发现疑似个人信息 {result['suspects']} 处")
    return redirect(url_for("published_audit.audit_page"))


@bp.post("/<int:document_id>/republish")
@login_required
def republish(document_id):
    """重新去标识化并发布: refused with the reason shown beside the document's suspects."""
    reason = request.form.get("reason", "")
    try:
        result = published_audit.republish(current_user(), document_id, reason)
    except (Invalid, Conflict) as exc:
        return render_template("published_audit.html", items=published_audit.suspects(current_user()),
                               error_for=document_id, error=exc.message, reason=reason), \
            422 if isinstance(exc, Invalid) else 409
    flash(f"已重新发布（第 {result['version']} 版）")
    return redirect(url_for("published_audit.audit_page"))
