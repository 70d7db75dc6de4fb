"""The annual report (Art. 49, format 国办公开办函〔2021〕30号): data, downloads and staff entries."""

from flask import Response, jsonify, request

from engine.requests import report, report_export, report_publication
from web.api import bp
from web.api.requests import DOCX, parse_json
from web.auth import require_user

DOWNLOADS = {"docx": (DOCX, report_export.to_docx),
             "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_export.to_xlsx)}


@bp.get("/reports/annual/<int:year>")
def annual_report(year):
    """The annual report for a year; ?format=docx or xlsx downloads it.
    ---
    get:
      summary: Sections 2–4 computed from the system, 1, 5 and 6 as entered; the requests identity checked
      responses:
        200:
          description: the report, or the file ?format= asks for
          content:
            application/json: {schema: AnnualReportSchema}
            application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {schema: {type: string, format: binary}}
        403: {description: not publisher, leader or admin}
    """
    return _render(report.annual(require_user(), year), year)


def _render(data, year, formats=DOWNLOADS):
    fmt = request.args.get("format")
    if fmt not in formats:
        return jsonify(data)
    mimetype, render = DOWNLOADS[fmt]
    return Response(render(data), mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=annual-report-{year}.{fmt}"})


@bp.put("/reports/annual/<int:year>/text")
def annual_report_text(year):
    """Save sections 1, 5, 6 and the figures the system does not hold (publisher, admin).
    ---
    put:
      responses: {200: {content: {application/json: {schema: ReportTextSavedSchema}}}}
    """
    return jsonify(report.save_text(require_user(), year, parse_json()))


@bp.post("/reports/annual/<int:year>/proceedings")
def annual_report_proceeding(year):
    """Enter a reconsideration or lawsuit for section 4: {kind, result, case_no, request_id, note}.
    ---
    post:
      responses: {201: {content: {application/json: {schema: ProceedingSchema}}}}
    """
    return jsonify(report.add_proceeding(require_user(), year, parse_json())), 201


@bp.patch("/reports/annual/proceedings/<int:proceeding_id>")
def annual_report_proceeding_update(proceeding_id):
    """Update a case's result (尚未审结 → its outcome): {result}.
    ---
    patch:
      responses: {200: {content: {application/json: {schema: ProceedingSchema}}}}
    """
    return jsonify(report.update_proceeding(require_user(), proceeding_id, parse_json()))


@bp.post("/reports/annual/<int:year>/publish")
def annual_report_publish(year):
    """Publish the year's report: a frozen snapshot, the next version (publisher, admin).
    ---
    post:
      responses: {201: {content: {application/json: {schema: PublishedVersionSchema}}}}
    """
    return jsonify(report_publication.publish(require_user(), year)), 201


@bp.get("/public/reports/<int:year>")
def public_annual_report(year):
    """The published (frozen) report of a year, no login; ?format=docx downloads it.
    ---
    get:
      responses:
        200:
          description: the published report, or with ?format=docx the file
          content:
            application/json: {schema: AnnualReportSchema}
            application/vnd.openxmlformats-officedocument.wordprocessingml.document: {schema: {type: string, format: binary}}
    """
    return _render(report_publication.published(year), year, formats=("docx",))
