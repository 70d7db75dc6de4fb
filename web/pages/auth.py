"""Login and logout pages (session cookie, CSRF-protected form, rate-limited attempts)."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for

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
            auth.start_session(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", error=error), 401 if error else 200


def _safe_next(target) -> str:
    """`target` if it is a path on this site, else the inbox: an open redirect makes a phishing tool.

    Browsers drop tabs and newlines and read a backslash as `/`, so `/<tab>/evil.example` means
    `//evil.example`: any such character refuses the target instead of being cleaned.
    """
    if (not target or not target.startswith("/") or target.startswith("//")
            or any(ch == "\\" or ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target)):
        return url_for("inbox.inbox")
    parts = urlsplit(target)
    return target if not (parts.scheme or parts.netloc) else url_for("inbox.inbox")


@bp.post("/logout")
def logout():
    auth.end_session()
    return redirect(url_for("auth.login"))
