"""Server-rendered pages: one blueprint per area (auth, inbox, tasks, settings, admin, public)."""

from datetime import datetime

from flask import Blueprint, redirect, url_for
from flask_wtf.csrf import CSRFProtect

from engine import access, calendar, clock

bp = Blueprint("home", __name__)
csrf = CSRFProtect()


@bp.get("/")
def index():
    return redirect(url_for("inbox.inbox"))


def cn_time(value, fmt="%Y-%m-%d %H:%M") -> str:
    """Show a stored UTC time (datetime or ISO string) in Beijing time."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(calendar.SHANGHAI).strftime(fmt) if value.tzinfo else value.strftime(fmt)


def file_size(size) -> str:
    """A file's size as people read it: 820 字节, 12.4 KB, 3.1 MB."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} 字节"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def working_days_left(due) -> int | None:
    """Working days from today to `due` (negative when overdue); None without a due date."""
    if not due:
        return None
    return calendar.working_days_between(clock.today(), due)


def init_app(app) -> None:
    from web.api import bp as api_bp
    from web.pages import admin, admin_people, auth, guide, inbox, published_audit, settings, tasks

    csrf.init_app(app)
    csrf.exempt(api_bp)  # the API authenticates with Bearer tokens, which a foreign site cannot send
    for blueprint in (bp, auth.bp, inbox.bp, tasks.bp, settings.bp, admin.bp, admin_people.bp, guide.bp,
                      published_audit.bp):
        app.register_blueprint(blueprint)
    from web.pages import documents, public, public_requests, reports, supervision, workplans

    documents.init_app(app)
    from web.pages import requests as request_pages

    request_pages.init_app(app)
    from web.pages import notifications

    notifications.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(public_requests.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(supervision.bp)
    workplans.init_app(app)
    app.jinja_env.filters["cn_time"] = cn_time
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.globals["working_days_left"] = working_days_left
    app.jinja_env.globals["access"] = access  # the menus show what the rules allow, from the rules themselves
