"""Admin pages for procedures: process list, BPMN editor, validate/draft/deploy, diff, DMN and forms.

Every view is behind `admin_required`; the engine functions check the admin role again.
"""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from engine import admin, monitoring, users
from engine import forms as form_store
from engine.errors import DomainError, Invalid
from engine.workflow import definitions, operations, service_tasks
from web.api.schemas import db_int
from web.auth import current_user
from web.bpmn_layout import ensure_layout
from web.pages.common import admin_required, json_body, page_or_json_error
from web.upload_gate import gated

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/")
@admin_required
def index():
    return redirect(url_for("admin.processes"))


@bp.get("/processes")
@admin_required
def processes():
    actor = current_user()
    return render_template("admin/processes.html", definitions=definitions.list_definitions(),
                           incidents=service_tasks.list_incidents(actor), workers=monitoring.workers_for(actor))


@bp.post("/incidents/<int:incident_id>/retry")
@admin_required
def retry_incident(incident_id):
    service_tasks.retry_incident(current_user(), incident_id)
    flash("已重新提交该服务任务")
    return redirect(url_for("admin.processes"))


@bp.post("/processes/<key>/migrate")
@admin_required
def migrate_instances(key):
    """Move the running instances of an old version to the latest one, where nothing done changes."""
    from engine.workflow import migration

    result = migration.migrate(current_user(), key, request.form.get("from_version", type=db_int))
    moved = [r for r in result["results"] if r["migrated"]]
    refused = [r for r in result["results"] if not r["migrated"]]
    flash(f"已迁移 {len(moved)} 个实例到 v{result['to_version']}" +
          "".join(f"；实例 {r['id']} 未迁移：{r['reason']}" for r in refused))
    return redirect(url_for("admin.processes"))


@bp.route("/processes/new", methods=["GET", "POST"])
@admin_required
def new_process():
    if request.method == "GET":
        return render_template("admin/new_process.html")
    key, name = request.form.get("key", "").strip(), request.form.get("name", "").strip()
    admin.save_draft(current_user(), key, admin.new_diagram(key, name or key))
    return redirect(url_for("admin.edit_process", key=key))


@bp.get("/processes/<key>/edit")
@admin_required
def edit_process(key):
    loaded = admin.load_for_edit(current_user(), key)
    return render_template("admin/editor.html", loaded=loaded, xml=ensure_layout(loaded["xml"]),
                           roles=users.list_roles(), form_keys=form_store.keys(),
                           operations=sorted(operations.names()))


@bp.post("/processes/<key>/validate")
@admin_required
@gated(body="json", json_text={"xml": "xml"})
def validate_process(key):
    return jsonify(errors=admin.validate(current_user(), _xml()))


@bp.post("/processes/<key>/layout")
@admin_required
@gated(body="json", json_text={"xml": "xml"})
def layout_process(key):
    """Give a file imported in the editor a drawing when it has none (bpmn-js draws nothing then)."""
    return jsonify(xml=ensure_layout(_xml()))


@bp.post("/processes/<key>/draft")
@admin_required
@gated(body="json", json_text={"xml": "xml"})
def save_draft(key):
    return jsonify(admin.save_draft(current_user(), key, _xml()))


@bp.post("/processes/<key>/deploy")
@admin_required
@gated(body="json", json_text={"xml": "xml"})
def deploy_process(key):
    return jsonify(admin.deploy(current_user(), key, _xml()))


def _xml() -> str:
    xml = json_body().get("xml")
    if not isinstance(xml, str) or not xml.strip():
        raise Invalid("缺少 BPMN XML (send the diagram)", fields={"xml": ["required"]})
    return xml


@bp.get("/processes/<key>/versions/<int:version>.bpmn")
@admin_required
def version_xml(key, version):
    row = definitions.get_version(key, version)
    return row.bpmn_xml, 200, {"Content-Type": "application/xml; charset=utf-8"}


@bp.get("/processes/<key>/diff")
@admin_required
def diff(key):
    a, b = request.args.get("a", type=db_int), request.args.get("b", type=db_int)
    if not a or not b:
        raise Invalid("请选择要比较的两个版本 (choose two versions)")
    return render_template("admin/diff.html", diff=admin.diff_versions(current_user(), key, a, b))


@bp.get("/decisions")
@admin_required
def decisions():
    return render_template("admin/decisions.html", files=admin.list_decision_files(current_user()))


@bp.get("/decisions/<name>/edit")
@admin_required
def edit_decision(name):
    return render_template("admin/dmn_editor.html", name=name, xml=admin.load_decision_file(current_user(), name))


@bp.post("/decisions/<name>")
@admin_required
@gated(body="json", json_text={"xml": "xml"})
def save_decision(name):
    return jsonify(admin.save_decision_file(current_user(), name, json_body().get("xml") or ""))


@bp.get("/forms")
@admin_required
def form_list():
    return render_template("admin/forms.html", forms=form_store.listing())


@bp.get("/forms/<key>/edit")
@admin_required
def edit_form(key):
    return render_template("admin/form_editor.html", key=key, schema=admin.load_form(current_user(), key))


@bp.post("/forms/<key>")
@admin_required
@gated(body="json")
def save_form(key):
    version = admin.save_form(current_user(), key, json_body().get("schema"))
    return jsonify(ok=True, key=key, version=version)
