"""A document's files: the drafter adds, replaces or removes them while the document is theirs; staff
download originals and pages; the publisher releases or adds findings and confirms each file."""

import io

from flask import request, send_file

from engine.disclosure import documents, file_redaction, files
from engine.errors import NotFound
from web.api import bp
from web.api.answers import DocumentFileListSchema, DocumentFileSchema, FileCheckSchema, FileRedactionSchema
from web.api.schemas import respond
from web.auth import require_user
from web.idempotency import idempotent
from web.multipart import uploads
from web.upload_gate import gated


@bp.get("/documents/<int:document_id>/files")
def list_document_files(document_id):
    """The document's files: the body first, then attachments in order.
    ---
    get:
      responses: {200: {content: {application/json: {schema: DocumentFileListSchema}}}}
    """
    return respond(DocumentFileListSchema, {"items": documents.detail_files(require_user(), document_id)})


@bp.post("/documents/<int:document_id>/files")
@idempotent
@gated(files={"attachments": set(files.ATTACHMENT_KINDS)})
def add_document_files(document_id):
    """Add attachments (the drafter, while the document is with them: at a 退文).
    ---
    post:
      summary: "multipart: `attachments` (one or more files); 409 once the document left its drafter"
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {attachments: {type: array, items: {type: string, format: binary}}}}
      responses:
        201: {content: {application/json: {schema: DocumentFileListSchema}}}
        409: {description: the document is no longer with its drafter}
        422: {description: "a refused file: error.fields.attachments names it"}
    """
    return respond(DocumentFileListSchema, {"items": documents.add_files(require_user(), document_id, uploads("attachments"))}, 201)


@bp.route("/documents/<int:document_id>/files/<int:file_id>", methods=["PUT", "DELETE"])
@gated(files={"file": set(files.ATTACHMENT_KINDS)})  # the engine narrows a body to .docx, .pdf, .ofd
def change_document_file(document_id, file_id):
    """Replace the body or an attachment, or remove an attachment (the drafter, while the document is with them).
    ---
    put:
      summary: "multipart: `file`; a new body brings its text with it"
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
      responses:
        200: {content: {application/json: {schema: DocumentFileSchema}}}
        409: {description: the document is no longer with its drafter}
        422: {description: "no file, or a refused one: error.fields.file names it"}
    delete:
      summary: Remove an attachment (the body is replaced, never removed)
      responses:
        200: {description: the files left, content: {application/json: {schema: DocumentFileListSchema}}}
        409: {description: the document is no longer with its drafter}
    """
    # One rule for both methods: two rules on one path made werkzeug answer an out-of-range id with 405.
    actor = require_user()
    if request.method == "DELETE":
        return respond(DocumentFileListSchema, {"items": documents.remove_file(actor, document_id, file_id)})
    found = uploads("file")
    return respond(DocumentFileSchema, documents.replace_file(actor, document_id, file_id, found[0] if found else None))


@bp.get("/documents/<int:document_id>/files/<int:file_id>/<version>")
def document_file_copy(document_id, file_id, version):
    """The file as uploaded (`original`) or as it will be published (`redacted`): whoever may see the document.
    ---
    get:
      parameters:
        - {in: path, name: version, required: true, schema: {type: string, enum: [original, redacted]}}
      responses:
        200: {description: the file, content: {"*/*": {schema: {type: string, format: binary}}}}
        404: {description: no such document, file or version}
    """
    actor = require_user()
    if version not in ("original", "redacted"):
        raise NotFound("没有这个版本 (the version is original or redacted)")
    name, media_type, data = file_redaction.staff_copy(actor, document_id, file_id, version)
    return send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True, download_name=name)


@bp.get("/documents/<int:document_id>/files/<int:file_id>/pages/<int:page>")
def document_file_page(document_id, file_id, page):
    """One page of the original (1-based; a sheet's number for spreadsheets) as PNG, for the confirmation.
    ---
    get:
      responses: {200: {description: PNG, content: {image/png: {schema: {type: string, format: binary}}}}}
    """
    png = file_redaction.page_image(require_user(), document_id, file_id, page - 1)
    response = send_file(io.BytesIO(png), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"  # the original never changes under its id
    return response


@bp.route("/documents/<int:document_id>/files/<int:file_id>/redaction", methods=["GET", "PUT"])
def file_redaction_check(document_id, file_id):
    """A file as the publisher checks it; PUT replaces its findings and/or drawn regions (the publisher,
    while confirming), which undoes its confirmation.
    ---
    get:
      responses: {200: {content: {application/json: {schema: FileCheckSchema}}}}
    put:
      summary: "{findings?: [{start, end, kind, redacted, replacement?}] over the file's text,
        regions?: [{page (0-based), x0, y0, x1, y1}] in the page's units (points; pixels for images)}"
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        200: {content: {application/json: {schema: FileRedactionSchema}}}
        409: {description: not waiting for the redaction to be confirmed, or the file is held back}
    """
    # One rule for both methods: two rules on one path made werkzeug answer an out-of-range id with 405.
    actor = require_user()
    if request.method == "GET":
        return respond(FileCheckSchema, file_redaction.check_of(actor, document_id, file_id))
    body = request.get_json(silent=True) or {}
    return respond(FileRedactionSchema, file_redaction.update(actor, document_id, file_id, body.get("findings"), body.get("regions")))


@bp.post("/documents/<int:document_id>/files/<int:file_id>/confirm")
def confirm_document_file(document_id, file_id):
    """Confirm a file (the publisher): its redacted version is made in its own format; `withhold` keeps
    it out of publication instead (the only choice for a file held back).
    ---
    post:
      summary: "{withhold?: bool}"
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        200: {content: {application/json: {schema: DocumentFileSchema}}}
        409: {description: not waiting for the confirmation, or the findings changed meanwhile}
        422: {description: "the file cannot be made safe: withhold it"}
    """
    body = request.get_json(silent=True) or {}
    return respond(DocumentFileSchema, file_redaction.confirm(require_user(), document_id, file_id, bool(body.get("withhold"))))
