"""The supervision records page (监督记录): an agency's suggestions, 考核, 社会评议, 责任追究, complaints
and 举报, with the form to record one and to record how it was handled."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine import agencies, clock, supervision
from engine.errors import DomainError, Invalid
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error

bp = Blueprint("supervision", __name__)
bp.register_error_handler(DomainError, page_or_json_error)
FIELDS = ("kind", "received_on", "party", "subject", "request_id", "persons")


@bp.get("/supervision")
@login_required
def page():
    year = request.args.get("year", type=int) or clock.today().year
    return _render(request.args.get("agency"), year, {}, {})


def _render(agency, year, form, errors, status=200):
    data = supervision.list_for(current_user(), agency, year)
    return render_template("supervision/list.html", data=data, year=year, kinds=supervision.KINDS,
                           outcomes=supervision.OUTCOMES, form=form, errors=errors,
                           agencies=agencies.public_list(), today=clock.today().isoformat()), status


@bp.post("/supervision")
@login_required
def add():
    form = request.form
    body = {k: form.get(k, "") for k in FIELDS}
    body["persons"] = form.get("persons", type=int)
    body["agency"] = request.args.get("agency") or None
    try:
        supervision.add(current_user(), body)
    except Invalid as exc:
        return _render(body["agency"], clock.today().year, form, exc.fields or {"_": [exc.message]}, 422)
    flash("已登记监督记录")
    return redirect(url_for("supervision.page", agency=body["agency"]))


@bp.post("/supervision/<int:record_id>/handle")
@login_required
def handle(record_id):
    form = request.form
    supervision.handle(current_user(), record_id, {k: form.get(k) for k in ("result", "handled_on", "outcome")})
    flash("已登记办理结果")
    return redirect(url_for("supervision.page", agency=request.args.get("agency") or None))
