"""Login and logout pages (session cookie, CSRF-protected form, rate-limited attempts)."""

from flask import Blueprint, redirect, render_template, request, session, url_for

from engine.errors import DomainError
from web import auth

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        try:
            user = auth.login(username, request.form.get("password", ""))
        except DomainError as exc:
            error = exc.message
        else:
            session.clear()
            session.update(uid=user.id, gen=user.token_generation)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error), 401 if error else 200


def _safe_next(target) -> str:
    # Only same-site relative paths: an open redirect would make the login page a phishing tool.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("inbox.inbox")


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("auth.login"))
