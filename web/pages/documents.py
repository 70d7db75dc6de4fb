"""Documents pages: submit a document, my documents, a document's page with its timeline, and the
publisher's redaction editor (in-page JSON with the CSRF header)."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from engine.disclosure import (
    ATTRIBUTES,
    CATEGORIES,
    CATEGORY_NAMES,
    CHANNELS,
    GROUNDS,
    documents,
    file_redaction,
    files,
    publicity,
    redaction,
    takedown,
)
from engine.errors import Conflict, DomainError, Invalid
from web.auth import current_user, login_required
from web.idempotency import idempotent
from web.multipart import uploads
from web.pages.common import json_body, json_error, page_or_json_error
from web.upload_gate import gated

bp = Blueprint("documents", __name__)
bp.register_error_handler(DomainError, page_or_json_error)

LABELS = {
    "category": CATEGORY_NAMES,
    "attribute": {"proactive": "主动公开", "on_request": "依申请公开", "withheld": "不予公开"},
    "ground": {"state_secret": "国家秘密", "prohibited_by_law": "法律、行政法规禁止公开",
               "security_stability": "危及“三安全一稳定”", "third_party_rights": "涉及第三方合法权益",
               "internal_affairs": "内部事务信息", "process_information": "过程性信息",
               "enforcement_files": "行政执法案卷信息"},
    "channel": {"catalogue": "政府信息公开目录", "static_export": "静态导出（门户网站采集）", "webhook": "推送接口"},
    "status": {"withdrawn": "已撤回", "submitted": "已提交", "awaiting_attribute": "待认定公开属性", "returned": "已退文", "dept_review": "初审中", "secrecy_review": "保密审查中",
               "awaiting_signoff": "待领导签批", "awaiting_approval": "待审批公开", "withheld": "不予公开", "re_review": "定期评审中",
               "on_request": "依申请公开", "deidentifying": "去标识化处理中", "confirming_redaction": "待确认去标识化",
               "publishing": "发布中", "published": "已公开", "taken_down": "已撤下"},
    "publication": {"published": "已发布", "taken_down": "已撤下", "taking_down": "撤下通知待推送"},
}


# What the file inputs offer (the gate decides by content; this only narrows the browser's chooser).
FILE_INPUT_KINDS = {"body": ".docx,.pdf,.ofd",
                    "attachment": ".pdf,.ofd,.docx,.xlsx,.xls,.csv,.jpg,.jpeg,.png,.tif,.tiff"}


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["labels"] = LABELS
    app.jinja_env.globals["document_for_task"] = document_for_task
    app.jinja_env.globals["file_kinds"] = FILE_INPUT_KINDS
    app.jinja_env.globals["files_to_confirm"] = lambda doc_id: file_redaction.confirmation_for(current_user(), doc_id)


def document_for_task(task) -> dict | None:
    """The document a task is about, for the task page (None when there is none or it is hidden)."""
    if not task.get("document_id"):
        return None
    try:
        return documents.detail_for(current_user(), task["document_id"])
    except DomainError:
        return None


@bp.get("/documents")
@login_required
def my_documents():
    result = documents.list_for(current_user(), status=request.args.get("status") or None)
    return render_template("documents/list.html", result=result, status=request.args.get("status", ""))


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
@idempotent
@gated(files={"file": set(files.BODY_KINDS), "docx": {"docx"}, "attachments": set(files.ATTACHMENT_KINDS)},
       in_view=True)  # documents.submit runs every file through the gate: the form shows every refused one
def new_document():
    """The drafter's form; its script sends it with fetch (JSON answer: the chosen files stay chosen
    on a 422), without script it is a plain form post."""
    errors, values = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        values["channels"] = request.form.getlist("channels")
        body = (uploads("file") or uploads("docx") or [None])[0]
        try:
            created = documents.submit(current_user(), values, body, uploads("attachments"))
        except DomainError as exc:
            if request.accept_mimetypes.best == "application/json":
                return json_error(exc)
            errors = exc.fields or {"_": [exc.message]}
        else:
            target = url_for("documents.document_page", document_id=created["id"])
            if request.accept_mimetypes.best == "application/json":
                return jsonify(redirect=target, **created), 201
            return redirect(target)
    return render_template("documents/new.html", errors=errors, values=values, categories=CATEGORIES,
                           attributes=ATTRIBUTES, grounds=GROUNDS, channels=CHANNELS,
                           publicity_days=publicity.minimum_days(), file_kinds=FILE_INPUT_KINDS), \
        422 if errors else 200


@bp.get("/documents/<int:document_id>")
@login_required
def document_page(document_id):
    return render_template("documents/detail.html", doc=documents.detail_for(current_user(), document_id))


@bp.post("/documents/<int:document_id>/take-down")
@login_required
def take_down(document_id):
    """The publisher's 撤下发布 button: refused with the reason shown on the document page."""
    reason = request.form.get("reason", "")
    try:
        result = takedown.take_down(current_user(), document_id, reason)
    except (Invalid, Conflict) as exc:
        doc = documents.detail_for(current_user(), document_id)
        return render_template("documents/detail.html", doc=doc, take_down_error=exc.message, reason=reason), \
            422 if isinstance(exc, Invalid) else 409
    if (result.get("take_down") or {}).get("pending"):
        flash("该文件现行有效，撤下须经审批，已提请审批；审批同意后撤下")
    return redirect(url_for("documents.document_page", document_id=document_id))


@bp.get("/documents/<int:document_id>/progress")
@login_required
def document_progress(document_id):
    """The small status the document page polls while the system works on the document."""
    found = documents.progress_for(current_user(), document_id)
    return jsonify({**found, "status_label": LABELS["status"].get(found["status"], found["status"])})


@bp.post("/documents/<int:document_id>/redaction")
@login_required
def save_redaction(document_id):
    body = json_body()
    return jsonify(redaction.update_findings(current_user(), document_id, body.get("findings"), body.get("field")))
