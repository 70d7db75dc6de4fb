"""My notifications: reminders, escalations and other messages the procedures send to staff."""

from flask import Blueprint, redirect, render_template, url_for

from engine import notifications
from web.auth import current_user, login_required

bp = Blueprint("notifications", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def unread_notifications():
        user = current_user()
        return {"unread_notifications": notifications.unread_count(user) if user else 0}


@bp.get("/notifications")
@login_required
def notification_list():
    return render_template("notifications.html", items=notifications.for_user(current_user(), limit=100))


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    notifications.mark_all_read(current_user())
    return redirect(url_for("notifications.notification_list"))
