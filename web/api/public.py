"""The public catalogue (no login): published documents only, never originals or reviews."""

from flask import jsonify, request

from engine.disclosure import publication
from web.api import bp
from web.api.schemas import PublicQuerySchema, parse


@bp.get("/public/documents")
def public_documents():
    """Search the catalogue.
    ---
    get:
      summary: Published documents, by text, category and year
      responses: {200: {description: "{items: [...]}"}}
    """
    return jsonify(publication.search(**parse(PublicQuerySchema, request.args.to_dict())))


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    """One published document: its confirmed redacted text."""
    return jsonify(publication.public_document(document_id))
