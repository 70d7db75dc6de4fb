"""The year's work plan: import preview, create, read, reports, review, dashboard, export, summary.

Reports and reviews complete the task's BPMN step (the same path as /api/tasks); every route
returns only what the caller's department leads or assists, the office sees all.
"""

import io

from flask import request, send_file

from engine.errors import Invalid
from engine.workplan import deadlines, evidence, operations, plans, progress, steps
from engine.workplan.export import plan_xlsx
from web.api import bodies, bp
from web.api.report_answers import (
    CongressDateSchema,
    DashboardSchema,
    LinkedDocumentsSchema,
    NoticeDeliveredSchema,
    TaskRuleSchema,
    WorkplanCreatedSchema,
    WorkplanListSchema,
    WorkplanPreviewSchema,
    WorkplanSchema,
    WorkplanTaskDetailSchema,
    YearSummarySchema,
)
from web.api.schemas import TaskSchema, parse, respond
from web.auth import require_user
from web.upload_gate import EVIDENCE_KINDS, gated

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 10 * 1024 * 1024


@bp.post("/workplans/import")
@gated(files={"file": {"docx", "xlsx", "txt"}})
def import_workplan():
    """Parse a plan into rows to correct; nothing is created (the 政务公开 office).
    ---
    post:
      summary: "Preview a plan: multipart field `file` (.docx table, .xlsx, .txt) or JSON {text}; with `rows`
        (the corrected preview) only the deadlines are worked out again"
      description: "Optional `year` (else read from the text) and `congress_ends_on` (the day the year's 人代会
        ended, for tasks following a deadline rule). Each row says its computed `due_on`, the `rule` it follows
        and `rule_text`, and `deadline_passed`: such a row is created only with an `overdue_choice`."
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
                year: {type: integer}
                congress_ends_on: {type: string, format: date}
          application/json: {schema: WorkplanPreviewBody}
      responses:
        200:
          description: "{rows: [{section, task, lead_units, assist_units, deadline, note, problems, rule, rule_text,
            due_on, deadline_passed, overdue_choice}], unknown_units, year}"
          content: {application/json: {schema: WorkplanPreviewSchema}}
        403: {description: not the office}
        422: {description: "no file or text, unreadable file, no tasks found, bad year or date"}
    """
    actor = require_user()
    upload = request.files.get("file")
    if upload is not None:
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise Invalid("文件不能超过10MB (at most 10 MB)", fields={"file": ["too large"]})
        return respond(WorkplanPreviewSchema, plans.preview(
            actor, filename=upload.filename, data=data, year=request.form.get("year"),
            congress_ends_on=request.form.get("congress_ends_on")))
    body = parse(bodies.WorkplanPreviewBody)
    return respond(WorkplanPreviewSchema, plans.preview(actor, text=body.get("text"), rows=body.get("rows"),
                                                        year=body.get("year"), congress_ends_on=body.get("congress_ends_on")))


@bp.post("/workplans")
def create_workplan():
    """Create a plan from corrected rows and start each lead department's task (the office).
    ---
    post:
      summary: "Create a plan: {year, title, rows, report_cycle (P1M|P3M), new_units, congress_ends_on}"
      description: "A row may follow a deadline `rule` (poverty_fund_plan: counted from `congress_ends_on`). A row
        whose deadline has passed needs `overdue_choice`: escalate (督办 at once), reschedule (with `new_due_on`)
        or completed (with `completion_note`, optional `completed_on`); without one it is refused."
      requestBody:
        content:
          application/json: {schema: WorkplanBody}
      responses:
        201:
          description: "{id}"
          content: {application/json: {schema: WorkplanCreatedSchema}}
        403: {description: not the office}
        422: {description: "invalid year, title or rows; unknown units; a passed deadline without a choice (name the row)"}
    """
    return respond(WorkplanCreatedSchema, plans.create(require_user(), parse(bodies.WorkplanBody)), 201)


@bp.get("/workplans")
def list_workplans():
    """Plans with the number of tasks the caller may see.
    ---
    get:
      responses: {200: {content: {application/json: {schema: WorkplanListSchema}}}}
    """
    return respond(WorkplanListSchema, {"items": plans.list_for(require_user())})


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
    return respond(WorkplanSchema, plans.get_for(require_user(), plan_id))


@bp.patch("/workplans/<int:plan_id>")
def update_workplan(plan_id):
    """Record the day this year's 人代会 ended (the office); rule tasks' deadlines and timers follow.
    ---
    patch:
      summary: "{congress_ends_on: YYYY-MM-DD or null}"
      requestBody:
        content:
          application/json: {schema: CongressDateBody}
      responses:
        200:
          description: "{id, congress_ends_on, moved: how many open tasks' deadlines moved, overdue: the open
            rule tasks whose new deadline has already passed (their 督办 goes out at once)}"
          content: {application/json: {schema: CongressDateSchema}}
        403: {description: not the office}
        404: {description: no such plan}
        422: {description: not a date}
    """
    return respond(CongressDateSchema, deadlines.set_congress_date(require_user(), plan_id,
                                                                   parse(bodies.CongressDateBody).get("congress_ends_on")))


@bp.post("/workplans/tasks/<int:task_id>/rule")
def set_workplan_task_rule(task_id):
    """Mark a task as following a deadline rule, or unmark it (the office).
    ---
    post:
      summary: "{rule: poverty_fund_plan | null}: the deadline is computed from the DMN row and the congress date"
      requestBody:
        content:
          application/json: {schema: TaskRuleBody}
      responses:
        200:
          description: "{id, rule, rule_text, due_on, moved}"
          content: {application/json: {schema: TaskRuleSchema}}
        403: {description: not the office}
        404: {description: no such task}
        422: {description: unknown rule, or the task is done}
    """
    return respond(TaskRuleSchema, deadlines.set_task_rule(require_user(), task_id, parse(bodies.TaskRuleBody).get("rule")))


@bp.get("/workplans/<int:plan_id>/dashboard")
def workplan_dashboard(plan_id):
    """Done, on time, late, at risk and no report this period, per department and per section.
    ---
    get:
      responses: {200: {content: {application/json: {schema: DashboardSchema}}}}
    """
    return respond(DashboardSchema, progress.dashboard(require_user(), plan_id))


@bp.get("/workplans/<int:plan_id>/summary")
def workplan_summary(plan_id):
    """The year-end draft for the annual report's 一、总体情况 (the office).
    ---
    get:
      responses: {200: {content: {application/json: {schema: YearSummarySchema}}}}
    """
    return respond(YearSummarySchema, progress.year_summary(require_user(), plan_id))


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
    return respond(WorkplanTaskDetailSchema, progress.task_detail(require_user(), task_id))


@bp.post("/workplans/tasks/<int:task_id>/reports")
@gated(files={"evidence_files": EVIDENCE_KINDS})
def report_workplan_task(task_id):
    """Report progress for the caller's department (its liaison).
    ---
    post:
      requestBody: {content: {application/json: {schema: WorkplanReportBody}}}
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
        return respond(TaskSchema, steps.submit_report(actor, task_id, request.form.to_dict(), uploads()))
    return respond(TaskSchema, steps.submit_report(actor, task_id, parse(bodies.WorkplanReportBody)))


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


@bp.post("/workplans/notices/<int:notice_id>/delivery")
def deliver_workplan_notice(notice_id):
    """Record how and when a 督办单 reached the department (the office).
    ---
    post:
      summary: "{delivery_method: post|email|in_person|fax, delivered_on: YYYY-MM-DD}"
      requestBody:
        content:
          application/json: {schema: DeliveryBody}
      responses:
        200:
          description: "the notice: {id, number, delivery_method, delivered_on, delivered_by, ...}"
          content: {application/json: {schema: NoticeDeliveredSchema}}
        403: {description: not the office}
        404: {description: no such notice, or its task is not the caller's department's}
        422: {description: "no method, a day in the future or before the notice was issued"}
    """
    return respond(NoticeDeliveredSchema, operations.record_delivery(require_user(), notice_id, parse(bodies.DeliveryBody)))


@bp.post("/workplans/tasks/<int:task_id>/review")
def review_workplan_task(task_id):
    """Accept, return or sign off a lead department's latest report (the office).
    ---
    post:
      requestBody: {content: {application/json: {schema: WorkplanReviewBody}}}
      summary: "{department_id, decision: accept|return|complete, opinion}"
      responses:
        200: {description: the completed step, content: {application/json: {schema: TaskSchema}}}
        403: {description: not the office}
        409: {description: no report waiting}
        422: {description: "complete without the department asking, return without an opinion"}
    """
    actor = require_user()
    body = parse(bodies.WorkplanReviewBody)
    department_id = body.pop("department_id", None)
    return respond(TaskSchema, steps.review_report(actor, task_id, department_id, body))


@bp.post("/workplans/tasks/<int:task_id>/documents")
def link_workplan_document(task_id):
    """Link a published catalogue item to the task it fulfils: {document_id}.
    ---
    post:
      requestBody: {content: {application/json: {schema: DocumentLinkBody}}}
      responses: {200: {content: {application/json: {schema: LinkedDocumentsSchema}}}}
    """
    return respond(LinkedDocumentsSchema, evidence.link_document(require_user(), task_id, parse(bodies.DocumentLinkBody)["document_id"]))
