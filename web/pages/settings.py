"""My settings: out of office with a named substitute, and my password."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import users
from engine.errors import DomainError
from web import auth
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error

bp = Blueprint("settings", __name__)
bp.register_error_handler(DomainError, page_or_json_error)


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


@bp.post("/settings/password")
@login_required
def change_password():
    form = request.form
    user = users.change_password(current_user(), form.get("current_password", ""), form.get("new_password", ""))
    auth.start_session(user)  # every session ended with the change; this browser continues in a new one
    flash(_("密码已修改，其他登录和 API 令牌已失效"))
    return redirect(url_for("settings.settings_page"))
