"""The public side (no login): the catalogue, a published document, and the Atom feed."""

from datetime import datetime, timezone

from flask import Blueprint, Response, render_template, request, url_for

from engine.config import current
from engine.disclosure import CATEGORIES, publication
from web import feed as feed_xml

bp = Blueprint("public", __name__)


@bp.get("/public")
def catalogue():
    q, category = request.args.get("q", "").strip(), request.args.get("category") or None
    year = request.args.get("year", type=int)
    year = year if year and 1900 <= year <= 2200 else None  # the page ignores a year it cannot show
    result = publication.search(q=q or None, category=category if category in CATEGORIES else None, year=year)
    this_year = datetime.now(timezone.utc).year
    return render_template("public/catalogue.html", result=result, q=q, category=category or "", year=year,
                           categories=CATEGORIES, years=range(this_year, this_year - 6, -1))


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    return render_template("public/document.html", doc=publication.public_document(document_id))


@bp.get("/public/feed.atom")
def feed():
    items = publication.search(limit=50)["items"]
    entries = [{**d, "url": url_for("public.public_document", document_id=d["id"], _external=True),
                "updated": d["published_at"], "summary": d["doc_number"] or d["category_name"]} for d in items]
    body = feed_xml.atom(f"{current().agency_name} · 政府信息公开", url_for("public.feed", _external=True),
                         items[0]["published_at"] if items else datetime.now(timezone.utc).isoformat(), entries)
    return Response(body, mimetype="application/atom+xml")
