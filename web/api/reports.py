"""The annual report (Art. 49, format 国办公开办函〔2021〕30号): data, downloads and staff entries.

Each agency has its own report: `?agency=root` (the installation) or the id of a department with its
own agency name; without it, the caller's own agency (the public pages: the installation's).
"""

from flask import Response, request

from engine.requests import report, report_export, report_publication
from web.api import bodies, bp
from web.api.report_answers import (
    AnnualReportSchema,
    ProceedingSchema,
    PublishedReportListSchema,
    PublishedVersionSchema,
    ReportTextSavedSchema,
)
from web.api.requests import DOCX
from web.api.schemas import parse, respond
from web.auth import require_user

DOWNLOADS = {"docx": (DOCX, report_export.to_docx),
             "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_export.to_xlsx)}


def _agency():
    return request.args.get("agency")


@bp.get("/reports/annual/<int:year>")
def annual_report(year):
    """The annual report for a year; ?format=docx or xlsx downloads it.
    ---
    get:
      summary: Sections 2–4 computed from the system, 1, 5 and 6 as entered; the requests identity checked
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: the caller's own"}
        - {in: query, name: format, schema: {type: string, enum: [docx, xlsx]}}
      responses:
        200:
          description: the report, or the file ?format= asks for
          content:
            application/json: {schema: AnnualReportSchema}
            application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {schema: {type: string, format: binary}}
        403: {description: not a publisher, leader of that agency or an admin}
        404: {description: no such agency or year}
    """
    return _render(report.annual(require_user(), year, _agency()), year)


def _render(data, year, formats=DOWNLOADS):
    fmt = request.args.get("format")
    if fmt not in formats:
        return respond(AnnualReportSchema, data)
    mimetype, render = DOWNLOADS[fmt]
    suffix = f"-{data['agency_id']}" if data.get("agency_id") else ""
    return Response(render(data), mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=annual-report-{year}{suffix}.{fmt}"})


@bp.put("/reports/annual/<int:year>/text")
def annual_report_text(year):
    """Save sections 1, 5, 6 and the figures the system does not hold (the agency's publisher, admin); ?agency= as for GET.
    ---
    put:
      requestBody: {content: {application/json: {schema: ReportTextBody}}}
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: the caller's own"}
      responses: {200: {content: {application/json: {schema: ReportTextSavedSchema}}}}
    """
    return respond(ReportTextSavedSchema, report.save_text(require_user(), year, parse(bodies.ReportTextBody), _agency()))


@bp.post("/reports/annual/<int:year>/proceedings")
def annual_report_proceeding(year):
    """Enter a reconsideration or lawsuit for section 4: {kind, result, case_no, request_id, note}; ?agency= as for GET.
    ---
    post:
      requestBody: {content: {application/json: {schema: ProceedingBody}}}
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: the caller's own"}
      responses: {201: {content: {application/json: {schema: ProceedingSchema}}}}
    """
    return respond(ProceedingSchema, report.add_proceeding(require_user(), year, parse(bodies.ProceedingBody), _agency()), 201)


@bp.patch("/reports/annual/proceedings/<int:proceeding_id>")
def annual_report_proceeding_update(proceeding_id):
    """Update a case's result (尚未审结 → its outcome): {result}.
    ---
    patch:
      requestBody: {content: {application/json: {schema: ProceedingChangeBody}}}
      responses: {200: {content: {application/json: {schema: ProceedingSchema}}}}
    """
    return respond(ProceedingSchema, report.update_proceeding(require_user(), proceeding_id, parse(bodies.ProceedingChangeBody)))


@bp.post("/reports/annual/<int:year>/publish")
def annual_report_publish(year):
    """Publish the agency's report of the year: a frozen snapshot, the next version (its publisher, admin); ?agency= as for GET.
    ---
    post:
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root, or the department id of an agency; default: the caller's own"}
      responses: {201: {content: {application/json: {schema: PublishedVersionSchema}}}}
    """
    return respond(PublishedVersionSchema, report_publication.publish(require_user(), year, _agency()), 201)


@bp.get("/public/reports")
def public_annual_reports():
    """The published reports of a year, one per agency (latest version), no login.
    ---
    get:
      parameters:
        - {in: query, name: year, required: true, schema: {type: integer, minimum: 2008, maximum: 2100}}
      responses: {200: {content: {application/json: {schema: PublishedReportListSchema}}}}
    """
    return respond(PublishedReportListSchema, {"items": report_publication.published_of_year(report.year_arg(request.args.get("year")))})


@bp.get("/public/reports/<int:year>")
def public_annual_report(year):
    """The published (frozen) report of a year, no login; ?agency= (default: the installation's); ?format=docx downloads it.
    ---
    get:
      parameters:
        - {in: query, name: agency, schema: {type: string}, description: "root (default), or the department id of an agency"}
        - {in: query, name: format, schema: {type: string, enum: [docx]}}
      responses:
        200:
          description: the published report, or with ?format=docx the file
          content:
            application/json: {schema: AnnualReportSchema}
            application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}
        404: {description: not published, or no such agency}
    """
    return _render(report_publication.published(year, _agency()), year, formats=("docx",))
