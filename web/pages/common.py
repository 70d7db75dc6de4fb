"""Helpers shared by the page blueprints: the admin guard and JSON replies for in-page scripts."""

from functools import wraps

from flask import jsonify, redirect, request, url_for

from engine import access
from engine.errors import DomainError
from web.auth import current_user
from web.errors import STATUS


def admin_required(view):
    """Send visitors to the login page and refuse non-admins with 403 (the engine checks again)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        actor = current_user()
        if actor is None:
            return redirect(url_for("auth.login", next=request.full_path))
        access.require_admin(actor)
        return view(*args, **kwargs)

    return wrapped


def json_error(exc: DomainError):
    """Answer an in-page fetch with the same error body the API uses."""
    status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
    body = {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields or {}}}
    if exc.details:
        body["errors"] = exc.details
    return jsonify(body), status


def json_body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def page_or_json_error(exc: DomainError):
    """Blueprint error handler: JSON for in-page fetches (JSON bodies), the error page otherwise."""
    from web.errors import error_response

    if request.is_json or request.accept_mimetypes.best == "application/json":
        return json_error(exc)
    status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
    return error_response(status, exc.code, exc.message, exc.fields, exc.details)
