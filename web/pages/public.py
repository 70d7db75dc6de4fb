"""The public side (no login): the catalogue, a published document, and the Atom feed."""

from datetime import datetime, timezone

from flask import Blueprint, Response, render_template, request, url_for

from engine.config import current
from engine.disclosure import CATEGORIES, guide, publication

bp = Blueprint("public", __name__)


@bp.get("/public")
def catalogue():
    q, category = request.args.get("q", "").strip(), request.args.get("category") or None
    year = request.args.get("year", type=int)
    result = publication.search(q=q or None, category=category if category in CATEGORIES else None, year=year)
    this_year = datetime.now(timezone.utc).year
    return render_template("public/catalogue.html", result=result, q=q, category=category or "", year=year,
                           categories=CATEGORIES, years=range(this_year, this_year - 6, -1))


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    return render_template("public/document.html", doc=publication.public_document(document_id))


@bp.get("/public/guide")
def guide_page():
    return render_template("public/guide.html", guide=guide.load())


@bp.get("/public/feed.atom")
def feed():
    items = publication.search(limit=50)["items"]
    body = render_template("public/feed.atom", items=items, agency=current().agency_name,
                           updated=items[0]["published_at"] if items else datetime.now(timezone.utc).isoformat(),
                           self_url=url_for("public.feed", _external=True))
    return Response(body, mimetype="application/atom+xml")
