"""Server-rendered pages: one blueprint per area (auth, inbox, documents, admin, public)."""

from flask import Blueprint, redirect, url_for
from flask_wtf.csrf import CSRFProtect

bp = Blueprint("home", __name__)
csrf = CSRFProtect()


@bp.get("/")
def index():
    return redirect(url_for("inbox.inbox"))


def init_app(app) -> None:
    from web.api import bp as api_bp
    from web.pages import auth, inbox

    csrf.init_app(app)
    csrf.exempt(api_bp)  # the API authenticates with Bearer tokens, which a foreign site cannot send
    for blueprint in (bp, auth.bp, inbox.bp):
        app.register_blueprint(blueprint)
