"""Map the engine's domain errors to HTTP, as JSON under /api and as pages elsewhere."""

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from engine.errors import Conflict, DomainError, Forbidden, Gone, Invalid, NotFound, Unauthorized

STATUS = {NotFound: 404, Forbidden: 403, Unauthorized: 401, Conflict: 409, Gone: 410, Invalid: 422}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields=None, details=None):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    if details:
        body["errors"] = details
    if wants_json():
        return jsonify(body), status
    return render_template("error.html", status=status, message=message, fields=fields,
                           details=details), status


def init_app(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc):
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        return error_response(status, exc.code, exc.message, exc.fields, exc.details)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        return error_response(exc.code or 500, exc.name.lower().replace(" ", "_"), exc.description)

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "服务器内部错误 (internal error)")
