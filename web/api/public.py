"""The public catalogue (no login): published documents only, never originals or reviews."""

from flask import jsonify, request

from engine.disclosure import publication
from web.api import bp


@bp.get("/public/documents")
def public_documents():
    """Search the catalogue.
    ---
    get:
      summary: Published documents, by text, category and year
      responses: {200: {description: "{items: [...]}"}}
    """
    year = request.args.get("year", type=int)
    return jsonify(publication.search(q=request.args.get("q"), category=request.args.get("category"),
                                      year=year, limit=request.args.get("limit", 20, type=int) or 20,
                                      offset=max(request.args.get("offset", 0, type=int) or 0, 0)))


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    """One published document: its confirmed redacted text and catalogue fields (index_no, publisher,
    formed_on, published_on, topic, area, validity) and the documents that changed it."""
    return jsonify(publication.public_document(document_id))
