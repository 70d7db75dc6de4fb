"""My notifications (reminders, escalations, messages from the procedures)."""

from flask import jsonify

from engine import notifications
from web.api import bp
from web.auth import require_user


@bp.get("/notifications")
def list_notifications():
    """My notifications, newest first."""
    return jsonify(items=notifications.for_user(require_user(), limit=100))
