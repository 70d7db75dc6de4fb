"""The public side (no login): the catalogue, a published document, and the Atom feed."""


import io

from flask import Blueprint, Response, render_template, request, send_file, url_for

from engine import agencies, clock
from engine.config import current
from engine.disclosure import CATEGORIES, guide, publication
from engine.disclosure.catalogue import VALIDITY_NAMES
from engine.errors import Gone
from engine.requests import report_export, report_publication
from web import feed as feed_xml
from web.ratelimit import limited

bp = Blueprint("public", __name__)


@bp.get("/public")
@limited("public_search", when=lambda r: bool(r.args.get("q", "").strip()))
def catalogue():
    args = request.args
    q, category = args.get("q", "").strip()[:200], args.get("category") or None
    year = args.get("year", type=int)
    year = year if year and 1900 <= year <= 2200 else None  # the page ignores a year it cannot show
    publishers = agencies.public_list()
    agency = args.get("agency") or ""
    agency = agency if agency in {a["key"] for a in publishers} else ""  # and an agency it does not list
    validity = args.get("validity") if args.get("validity") in VALIDITY_NAMES else ""
    offset = max(0, min(args.get("offset", 0, type=int) or 0, 100_000))
    result = publication.search(q=q or None, category=category if category in CATEGORIES else None, year=year,
                                agency=agency or None, validity=validity or None,
                                publicity_only=args.get("publicity") == "1", offset=offset)
    this_year = clock.now().year
    return render_template("public/catalogue.html", result=result, q=q, category=category or "", year=year,
                           categories=CATEGORIES, years=range(this_year, this_year - 6, -1),
                           agencies=publishers, agency=agency, validity=validity, validities=VALIDITY_NAMES,
                           publicity=args.get("publicity") == "1")


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    try:
        doc = publication.public_document(document_id)
    except Gone as exc:  # taken down: 410 with its 索引号, so a saved link says what happened
        return render_template("public/taken_down.html", gone=exc.details[0]), 410
    return render_template("public/document.html", doc=doc)


@bp.get("/public/documents/<int:document_id>/files/<int:file_id>")
@bp.get("/public/documents/<int:document_id>/files/<int:file_id>/<path:name>")
def public_file(document_id, file_id, name=None):
    """A published file: always its redacted version; 410 once the document is taken down."""
    try:
        filename, media_type, data = publication.public_file(document_id, file_id)
    except Gone as exc:
        return render_template("public/taken_down.html", gone=exc.details[0]), 410
    return send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True, download_name=filename)


@bp.get("/public/guide")
@bp.get("/public/guide/<agency>")
def guide_page(agency=None):
    """An agency's guide: the installation's here, a department agency's at /public/guide/<its id>
    (or ?agency=<its id>)."""
    return render_template("public/guide.html", guide=guide.load(agency or request.args.get("agency")),
                           agencies=agencies.public_list())


@bp.get("/public/reports")
def reports():
    return render_template("public/reports.html", years=report_publication.published_years())


@bp.get("/public/reports/<int:year>")
def report_page(year):
    """The year's published reports, one per agency, each opening on its own page."""
    return render_template("public/reports_of_year.html", year=year,
                           reports=report_publication.published_of_year(year))


@bp.get("/public/reports/<int:year>/<agency>")
def agency_report_page(year, agency):
    data = report_publication.published(year, agency)
    grids = {name: {"rows": report_export.grid_rows(grid), "row_keys": grid.get("row_keys")}
             for name, grid in (("section3", report_export.section3_grid(data)),
                                ("section4", report_export.section4_grid(data)))}
    return render_template("public/report.html", r=data, grids=grids, section2=report_export.section2_rows(data),
                           other_matters=report_export.other_matters(data), overview=report_export.overview(data))


def _feed_summary(d: dict) -> str:
    summary = d["doc_number"] or d["category_name"]
    if d.get("index_no"):
        summary += f" · 索引号 {d['index_no']} · {d['publisher']} · {d['validity']['name']}"
    return summary


@bp.get("/public/feed.atom")
def feed():
    items = publication.search(limit=50, with_files=True)["items"]
    entries = [{**d, "url": url_for("public.public_document", document_id=d["id"], _external=True),
                "updated": d["published_at"], "summary": _feed_summary(d), "files": [
                    {**f, "url": url_for("public.public_file", document_id=d["id"], file_id=f["id"], name=f["name"],
                                         _external=True)} for f in d["files"]]} for d in items]
    body = feed_xml.atom(f"{current().agency_name} · 政府信息公开", url_for("public.feed", _external=True),
                         items[0]["published_at"] if items else clock.now().isoformat(), entries)
    return Response(body, mimetype="application/atom+xml")
