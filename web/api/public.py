"""The public catalogue (no login): published documents only, never originals or reviews."""

from flask import request

from engine.disclosure import publication
from web.api import bp
from web.api.schemas import (
    PublicDocumentListSchema,
    PublicQuerySchema,
    PublishedDocumentSchema,
    parse,
    respond,
)
from web.ratelimit import limited


@bp.get("/public/documents")
@limited("public_search", when=lambda r: bool(r.args.get("q", "").strip()))
def public_documents():
    """Search the catalogue.
    ---
    get:
      summary: "Search published documents by text (title or number first, then newest), category, year,
        发布机构 (agency), 有效性 (validity) and 公示: items with highlighted snippets, and the total"
      parameters:
        - {in: query, schema: PublicQuerySchema}
      responses: {200: {content: {application/json: {schema: PublicDocumentListSchema}}}}
    """
    return respond(PublicDocumentListSchema, publication.search(**parse(PublicQuerySchema, request.args.to_dict())))


@bp.get("/public/documents/<int:document_id>")
def public_document(document_id):
    """One published document: its confirmed redacted text and catalogue fields (index_no, publisher,
    formed_on, published_on, topic, area, validity, 公示期) and the documents that changed it.
    ---
    get:
      responses:
        200: {content: {application/json: {schema: PublishedDocumentSchema}}}
        410:
          description: "taken down (已撤下): errors[0] gives its index_no and taken_down_on"
          content: {application/json: {schema: ErrorResponseSchema}}
    """
    return respond(PublishedDocumentSchema, publication.public_document(document_id))
