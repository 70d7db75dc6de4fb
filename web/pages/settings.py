"""My settings: out of office with a named substitute."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine import users
from web.auth import current_user, login_required

bp = Blueprint("settings", __name__)


@bp.get("/settings")
@login_required
def settings_page():
    actor = current_user()
    substitute = users.get(actor.substitute_id) if actor.substitute_id else None
    return render_template("settings.html", colleagues=users.colleagues(actor), substitute=substitute)


@bp.post("/settings/out-of-office")
@login_required
def out_of_office():
    out = request.form.get("out_of_office") == "on"
    users.set_out_of_office(current_user(), out, request.form.get("substitute") or None)
    flash("已设置外出，新任务将转给代理人" if out else "已取消外出")
    return redirect(url_for("settings.settings_page"))
