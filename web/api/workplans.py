"""The year's work plan: import preview, create, read, reports, review, dashboard, export, summary.

Reports and reviews complete the task's BPMN step (the same path as /api/tasks); every route
returns only what the caller's department leads or assists, the office sees all.
"""

import io

from flask import jsonify, request, send_file

from engine.errors import Invalid
from engine.workplan import evidence, operations, plans, progress, steps
from engine.workplan.export import plan_xlsx
from web.api import bp
from web.api.requests import parse_json
from web.auth import require_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 10 * 1024 * 1024


@bp.post("/workplans/import")
def import_workplan():
    """Parse a plan into rows to correct; nothing is created (the 政务公开 office).
    ---
    post:
      summary: "Preview a plan: multipart field `file` (.docx table, .xlsx, .txt) or JSON {text}"
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
          application/json:
            schema: {type: object, properties: {text: {type: string}}}
      responses:
        200:
          description: "{rows: [{section, task, lead_units, assist_units, deadline, note, problems}], unknown_units}"
          content:
            application/json:
              schema:
                type: object
                properties:
                  rows:
                    type: array
                    items:
                      type: object
                      properties:
                        section: {type: string}
                        task: {type: string}
                        lead_units: {type: array, items: {type: string}}
                        assist_units: {type: array, items: {type: string}}
                        deadline: {type: string}
                        note: {type: string}
                        problems: {type: array, items: {type: string}}
                  unknown_units: {type: array, items: {type: string}}
        403: {description: not the office}
        422: {description: "no file or text, unreadable file, no tasks found"}
    """
    actor = require_user()
    upload = request.files.get("file")
    if upload is not None:
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise Invalid("文件不能超过10MB (at most 10 MB)", fields={"file": ["too large"]})
        return jsonify(plans.preview(actor, filename=upload.filename, data=data))
    body = request.get_json(silent=True)
    return jsonify(plans.preview(actor, text=body.get("text") if isinstance(body, dict) else None))


@bp.post("/workplans")
def create_workplan():
    """Create a plan from corrected rows and start each lead department's task (the office).
    ---
    post:
      summary: "Create a plan: {year, title, rows, report_cycle (P1M|P3M), new_units}"
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [year, title, rows]
              properties:
                year: {type: integer}
                title: {type: string}
                report_cycle: {type: string, enum: [P1M, P3M]}
                new_units: {type: array, items: {type: string}, description: "units to add as departments"}
                rows: {type: array, items: {type: object}}
      responses:
        201:
          description: "{id}"
          content:
            application/json:
              schema: {type: object, properties: {id: {type: integer}}}
        403: {description: not the office}
        422: {description: "invalid year, title or rows; unknown units (name the row)"}
    """
    return jsonify(plans.create(require_user(), parse_json())), 201


@bp.get("/workplans")
def list_workplans():
    """Plans with the number of tasks the caller may see.
    ---
    get:
      responses: {200: {content: {application/json: {schema: WorkplanListSchema}}}}
    """
    return jsonify({"items": plans.list_for(require_user())})


@bp.get("/workplans/<int:plan_id>")
def get_workplan(plan_id):
    """A plan with its sections and the tasks the caller may see, each with its status.
    ---
    get:
      summary: "{id, year, title, report_cycle, sections: [{id, parent_id, title}], tasks: [...]}"
      responses:
        200:
          description: "tasks: [{id, section_id, task, lead_units, assist_units, deadline, due_on, status, leads}]"
          content: {application/json: {schema: WorkplanSchema}}
        404: {description: no such plan, or none of its tasks is the caller's department's}
    """
    return jsonify(plans.get_for(require_user(), plan_id))


@bp.get("/workplans/<int:plan_id>/dashboard")
def workplan_dashboard(plan_id):
    """Done, on time, late, at risk and no report this period, per department and per section.
    ---
    get:
      responses: {200: {content: {application/json: {schema: DashboardSchema}}}}
    """
    return jsonify(progress.dashboard(require_user(), plan_id))


@bp.get("/workplans/<int:plan_id>/summary")
def workplan_summary(plan_id):
    """The year-end draft for the annual report's 一、总体情况 (the office).
    ---
    get:
      responses: {200: {content: {application/json: {schema: YearSummarySchema}}}}
    """
    return jsonify(progress.year_summary(require_user(), plan_id))


@bp.get("/workplans/<int:plan_id>/export.xlsx")
def workplan_export(plan_id):
    """The plan with its status as .xlsx, in the plan's own layout.
    ---
    get:
      responses: {200: {content: {application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {schema: {type: string, format: binary}}}}}
    """
    name, data = plan_xlsx(require_user(), plan_id)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=XLSX)


@bp.get("/workplans/tasks/<int:task_id>")
def get_workplan_task(task_id):
    """A task with every report, the office's decisions, 督办单 and linked catalogue items.
    ---
    get:
      responses: {200: {content: {application/json: {schema: WorkplanTaskDetailSchema}}}}
    """
    return jsonify(progress.task_detail(require_user(), task_id))


@bp.post("/workplans/tasks/<int:task_id>/reports")
def report_workplan_task(task_id):
    """Report progress for the caller's department (its liaison).
    ---
    post:
      summary: "JSON {text, evidence_urls (one per line), document_ids ('12, 15'), request_completion}, or the
        same as multipart form fields with files in `evidence_files`"
      responses:
        200: {description: the completed step, content: {application/json: {schema: TaskSchema}}}
        403: {description: not a liaison of a lead department}
        409: {description: the task waits for the office's review}
        422: {description: missing text, bad links, unpublished documents}
    """
    actor = require_user()
    if request.files:
        return jsonify(steps.submit_report(actor, task_id, request.form.to_dict(), uploads()))
    return jsonify(steps.submit_report(actor, task_id, parse_json()))


def uploads() -> list[tuple[str, bytes]]:
    """The evidence files of a multipart report (field `evidence_files`, repeated)."""
    return [(f.filename, f.read(evidence.MAX_FILE + 1)) for f in request.files.getlist("evidence_files") if f.filename]


@bp.get("/workplans/reports/<int:report_id>/files/<sha256>")
def workplan_evidence_file(report_id, sha256):
    """An evidence file of a report (whoever may see the task).
    ---
    get:
      responses: {200: {description: the file as uploaded, content: {"*/*": {schema: {type: string, format: binary}}}}}
    """
    name, data = evidence.file_for(require_user(), report_id, sha256)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name)


@bp.get("/workplans/notices/<int:notice_id>.docx")
def workplan_notice_docx(notice_id):
    """A 督办单 as a Word document (whoever may see its task).
    ---
    get:
      responses: {200: {description: the .docx file, content: {application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}}}}
    """
    name, data = operations.notice_docx(require_user(), notice_id)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.post("/workplans/tasks/<int:task_id>/review")
def review_workplan_task(task_id):
    """Accept, return or sign off a lead department's latest report (the office).
    ---
    post:
      summary: "{department_id, decision: accept|return|complete, opinion}"
      responses:
        200: {description: the completed step, content: {application/json: {schema: TaskSchema}}}
        403: {description: not the office}
        409: {description: no report waiting}
        422: {description: "complete without the department asking, return without an opinion"}
    """
    body = parse_json()
    return jsonify(steps.review_report(require_user(), task_id, body.get("department_id"), body))


@bp.post("/workplans/tasks/<int:task_id>/documents")
def link_workplan_document(task_id):
    """Link a published catalogue item to the task it fulfils: {document_id}.
    ---
    post:
      responses: {200: {content: {application/json: {schema: LinkedDocumentsSchema}}}}
    """
    return jsonify(evidence.link_document(require_user(), task_id, parse_json().get("document_id")))
