"""The public side (no login): the catalogue, a published document, and the Atom feed."""


from flask import Blueprint, Response, render_template, request, url_for

from engine import agencies, clock
from engine.config import current
from engine.disclosure import CATEGORIES, guide, publication
from engine.errors import Gone
from engine.requests import report_export, report_publication
from web import feed as feed_xml

bp = Blueprint("public", __name__)


@bp.get("/public")
def catalogue():
    q, category = request.args.get("q", "").strip(), request.args.get("category") or None
    year = request.args.get("year", type=int)
    year = year if year and 1900 <= year <= 2200 else None  # the page ignores a year it cannot show
    publishers = agencies.public_list()
    agency = request.args.get("agency") or ""
    agency = agency if agency in {a["key"] for a in publishers} else ""  # and an agency it does not list
    result = publication.search(q=q or None, category=category if category in CATEGORIES else None, year=year,
                                agency=agency or None)
    this_year = clock.now().year
    return render_template("public/catalogue.html", result=result, q=q, category=category or "", year=year,
                           categories=CATEGORIES, years=range(this_year, this_year - 6, -1),
                           agencies=publishers, agency=agency)


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    try:
        doc = publication.public_document(document_id)
    except Gone as exc:  # taken down: 410 with its 索引号, so a saved link says what happened
        return render_template("public/taken_down.html", gone=exc.details[0]), 410
    return render_template("public/document.html", doc=doc)


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
    items = publication.search(limit=50)["items"]
    entries = [{**d, "url": url_for("public.public_document", document_id=d["id"], _external=True),
                "updated": d["published_at"], "summary": _feed_summary(d)} for d in items]
    body = feed_xml.atom(f"{current().agency_name} · 政府信息公开", url_for("public.feed", _external=True),
                         items[0]["published_at"] if items else clock.now().isoformat(), entries)
    return Response(body, mimetype="application/atom+xml")
