"""The re-check of what is already published: queue a run for the workers and follow its
progress, list the suspects it found, re-publish a document re-redacted (the document's
department's publishers and admins; others are refused)."""

from engine.disclosure import published_audit, published_audit_runs
from web.api import bp
from web.api.answers import AuditRunListSchema, AuditRunSchema, RepublishedSchema, SuspectListSchema
from web.api.schemas import RepublishSchema, parse, respond
from web.auth import require_user


@bp.post("/published-audit/runs")
def request_audit_run():
    """Queue a re-check of the published documents the caller answers for (publishers: their
    department's; admins: all). A run of theirs still queued or running is returned instead.
    ---
    post:
      responses:
        202: {description: the run, queued (or the caller's unfinished one), content: {application/json: {schema: AuditRunSchema}}}
        403: {description: not a publisher or an admin}
    """
    return respond(AuditRunSchema, published_audit_runs.request_run(require_user()), 202)


@bp.get("/published-audit/runs")
def list_audit_runs():
    """The latest re-checks: the caller's own, every one for an admin.
    ---
    get:
      responses: {200: {content: {application/json: {schema: AuditRunListSchema}}}}
    """
    return respond(AuditRunListSchema, {"items": published_audit_runs.recent(require_user())})


@bp.get("/published-audit/runs/<int:run_id>")
def get_audit_run(run_id):
    """One re-check with its progress (documents done of total, suspects so far, error).
    ---
    get:
      responses:
        200: {content: {application/json: {schema: AuditRunSchema}}}
        404: {description: no such run, or another user's}
    """
    return respond(AuditRunSchema, published_audit_runs.get(require_user(), run_id))


@bp.get("/published-audit/suspects")
def list_suspects():
    """The open suspects in what the caller's documents publish, per document.
    ---
    get:
      responses: {200: {content: {application/json: {schema: SuspectListSchema}}}}
    """
    return respond(SuspectListSchema, {"items": published_audit.suspects(require_user())})


@bp.post("/published-audit/documents/<int:document_id>/republish")
def republish_document(document_id):
    """Re-redact a published document with today's detector and publish it as its next version.
    ---
    post:
      requestBody: {content: {application/json: {schema: RepublishSchema}}}
      responses:
        200: {content: {application/json: {schema: RepublishedSchema}}}
        403: {description: not the document's department publisher nor an admin}
        409: {description: the document is not published}
        422: {description: no reason}
    """
    user = require_user()
    return respond(RepublishedSchema, published_audit.republish(user, document_id, parse(RepublishSchema)["reason"]))
