"""The 政府信息公开指南 editor for staff: each agency's publisher keeps their own agency's guide, an
admin any agency's (`?agency=` root or a department id; default: the caller's own agency)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.disclosure import guide
from engine.errors import DomainError
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error

bp = Blueprint("guide", __name__)
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/guide")
@login_required
def edit_guide():
    return render_template("guide_edit.html", guide=guide.for_editor(current_user(), request.args.get("agency")))


@bp.post("/guide")
@login_required
def save_guide():
    saved = guide.save(current_user(), {key: request.form.get(key, "") for key, _title in guide.SECTIONS},
                       request.args.get("agency"))
    flash(_("已保存政府信息公开指南"))
    return redirect(url_for("guide.edit_guide", agency=saved["agency_key"]))
