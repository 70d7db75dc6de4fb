"""Documents of the disclosure procedure: submit, read, list, adjust the redaction, verify reviews."""

from flask import request

from engine.disclosure import documents, files, redaction, takedown
from engine.errors import Invalid
from web.api import bodies, bp
from web.api.answers import (
    DocumentDetailSchema,
    DocumentListSchema,
    DocumentSchema,
    DocumentSubmittedSchema,
    ImportedSchema,
    RedactionSchema,
    ReturnsReportSchema,
    ReviewChainSchema,
)
from web.api.oversight_answers import TakeDownPendingSchema
from web.api.schemas import ListQuerySchema, TakeDownSchema, db_int, parse, respond
from web.auth import require_user
from web.idempotency import idempotent
from web.multipart import uploads
from web.upload_gate import gated


@bp.post("/documents")
@idempotent
@gated(files={"file": set(files.BODY_KINDS), "docx": {"docx"}, "attachments": set(files.ATTACHMENT_KINDS)},
       in_view=True)  # documents.submit runs every file through the gate, naming all the refused ones
def submit_document():
    """Submit a document (drafter).
    ---
    post:
      summary: "Submit a document with its disclosure attribute: JSON, or multipart with the document's fields,
        `file` (the body as issued: .docx, .pdf or .ofd; its text becomes the body unless `body` is given) and
        `attachments` (zero or more: .pdf, .ofd, .docx, .xlsx, .xls, .csv, .jpg, .png, .tif)"
      requestBody:
        content:
          application/json: {schema: DocumentBody}
          multipart/form-data:
            schema:
              type: object
              properties:
                title: {type: string}
                file: {type: string, format: binary}
                attachments: {type: array, items: {type: string, format: binary}}
                channels: {type: array, items: {type: string}}
      responses:
        201: {description: "{id, status, instance_id, files}", content: {application/json: {schema: DocumentSubmittedSchema}}}
        403: {description: not a drafter}
        422: {description: "invalid fields, or a refused file: error.fields.file / error.fields.attachments name it"}
    """
    actor = require_user()
    if request.mimetype == "multipart/form-data":
        data = request.form.to_dict()
        data["channels"] = request.form.getlist("channels") or None
        body = (uploads("file") or uploads("docx") or [None])[0]  # `docx`: the field's earlier name
        return respond(DocumentSubmittedSchema, documents.submit(actor, data, body, uploads("attachments")), 201)
    return respond(DocumentSubmittedSchema, documents.submit(actor, parse(bodies.DocumentBody)), 201)


@bp.get("/documents")
def list_documents():
    """Documents the caller may see.
    ---
    get:
      responses: {200: {content: {application/json: {schema: DocumentListSchema}}}}
    """
    actor = require_user()
    return respond(DocumentListSchema, documents.list_for(actor, **parse(ListQuerySchema, request.args.to_dict())))


@bp.get("/documents/<int:document_id>")
def get_document(document_id):
    """A document with its deadline, returns, reviews, publications, current tasks and history.
    ---
    get:
      responses: {200: {content: {application/json: {schema: DocumentDetailSchema}}}}
    """
    return respond(DocumentDetailSchema, documents.detail_for(require_user(), document_id))


@bp.put("/documents/<int:document_id>/redaction")
def update_redaction(document_id):
    """Replace one published field's redaction findings (publisher, while confirming).
    ---
    put:
      requestBody: {content: {application/json: {schema: RedactionBody}}}
      summary: "{field: title|doc_number|body|interpretation (default body), findings: [...]}"
      responses:
        200: {description: "{field, redacted_text, findings}", content: {application/json: {schema: RedactionSchema}}}
        409: {description: not waiting for the redaction to be confirmed}
        422: {description: invalid field or findings}
    """
    actor = require_user()  # a stranger learns nothing, not even what the body should hold
    body = parse(bodies.RedactionBody)
    return respond(RedactionSchema, redaction.update_findings(actor, document_id, body["findings"], body.get("field")))


@bp.post("/documents/<int:document_id>/take-down")
def take_down(document_id):
    """Take a published document down (撤下): the department's publisher or an admin.
    ---
    post:
      summary: "Remove a published document from the catalogue, API, feed, search and export, tell the webhook;
        its 索引号 stays and its public address answers 410. A 公示 only after its minimum period."
      requestBody: {content: {application/json: {schema: TakeDownSchema}}}
      responses:
        200: {description: "the document, status taken_down, with taken_down {at, by, reason}",
              content: {application/json: {schema: DocumentSchema}}}
        202: {description: "a document in force whose category needs approval (a 规范性文件): the take-down awaits
              the approver; it stays published until approved",
              content: {application/json: {schema: TakeDownPendingSchema}}}
        403: {description: not the document's department publisher nor an admin}
        409: {description: not published, or already taken down}
        422: {description: "no reason, or a 公示 before its minimum period: the message names the day it may end"}
    """
    user = require_user()  # a stranger learns nothing, not even what the body should hold
    result = takedown.take_down(user, document_id, parse(TakeDownSchema)["reason"])
    if (result.get("take_down") or {}).get("pending"):
        return respond(TakeDownPendingSchema, result, 202)
    return respond(DocumentSchema, result)


@bp.get("/documents/<int:document_id>/reviews/verify")
def verify_reviews(document_id):
    """Check the hash chain of the document's review records.
    ---
    get:
      responses: {200: {content: {application/json: {schema: ReviewChainSchema}}}}
    """
    return respond(ReviewChainSchema, documents.verify_reviews(require_user(), document_id))


@bp.get("/reports/returns")
def returns_report():
    """Returns (退文) per department.
    ---
    get:
      responses: {200: {content: {application/json: {schema: ReturnsReportSchema}}}}
    """
    return respond(ReturnsReportSchema, {"items": documents.returns_by_department(require_user())})


@bp.post("/documents/import")
@idempotent
@gated(files={"csv": {"csv"}, "docx": {"docx"}})
def import_historical():
    """Import historical documents (清理历年文件): a CSV file `csv`, or .docx files `docx`.
    ---
    post:
      summary: One attribute-determination task per imported document, for the department
      responses:
        201: {description: "{imported, document_ids}", content: {application/json: {schema: ImportedSchema}}}
        422: {description: rows with errors; nothing imported}
    """
    from engine.disclosure import historical

    actor = require_user()
    if "csv" in request.files:
        rows = historical.rows_from_csv(request.files["csv"].read())
    elif request.files.getlist("docx"):
        rows = historical.rows_from_docx([(f.filename, f.read()) for f in request.files.getlist("docx")])
    else:
        raise Invalid("请上传 CSV 文件（csv）或 .docx 文件（docx） (upload csv or docx files)")
    department_id = request.form.get("department_id", type=db_int)
    return respond(ImportedSchema, historical.import_documents(actor, rows, department_id), 201)
