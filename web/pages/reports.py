"""The annual report page (admin, publishers, leaders): the national tables, a chart, downloads, entries.

One agency's report at a time: `?agency=` as in the API (root or a department id; default: the caller's own).
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import clock, supervision
from engine.errors import DomainError, Invalid
from engine.requests import report, report_export, report_publication
from web.auth import current_user, login_required
from web.pages.common import page_or_json_error

bp = Blueprint("reports", __name__)
bp.register_error_handler(DomainError, page_or_json_error)
GROUPS = (("予以公开", "#2e7d32"), ("部分公开", "#7cb342"), ("不予公开", "#c62828"), ("无法提供", "#f9a825"),
          ("不予处理", "#6d4c41"), ("其他处理", "#78909c"))


@bp.get("/reports/annual")
@bp.get("/reports/annual/<int:year>")
@login_required
def annual(year=None):
    year = year or clock.today().year - 1
    data = report.annual(current_user(), year, request.args.get("agency"))
    grids = {name: {"rows": report_export.grid_rows(grid), "row_keys": grid.get("row_keys")}
             for name, grid in (("section3", report_export.section3_grid(data)),
                                ("section4", report_export.section4_grid(data)))}
    return render_template("reports/annual.html", r=data, chart=chart(data["by_month"]), groups=GROUPS, grids=grids,
                           kinds=report.PROCEEDING_KINDS, results=report.PROCEEDING_RESULTS,
                           agency=_key(data["agency_id"]), agencies=report.readable_agencies(current_user()),
                           supervision_kinds=supervision.KINDS)


def _key(agency_id) -> str:
    return str(agency_id) if agency_id else report.ROOT


def _back(year, agency_id):
    return redirect(url_for("reports.annual", year=year, agency=_key(agency_id)))


@bp.post("/reports/annual/<int:year>/text")
@login_required
def save_text(year):
    figures = {k: _number(k, request.form[k]) for k in report.ENTERED_FIGURES if request.form.get(k, "").strip()}
    saved = report.save_text(current_user(), year, {**{k: request.form.get(k, "") for k in ("overview", "problems",
                                                                                            "other_matters")},
                                                    "figures": figures}, request.args.get("agency"))
    flash(_("年度报告内容已保存"))
    return _back(year, saved["agency_id"])


def _number(field: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError as exc:
        raise Invalid(f"{field} 应为数字 (must be a number)", fields={field: ["not a number"]}) from exc


@bp.post("/reports/annual/<int:year>/proceedings")
@login_required
def add_proceeding(year):
    row = report.add_proceeding(current_user(), year, request.form.to_dict(), request.args.get("agency"))
    flash(_("已登记复议诉讼情况"))
    return _back(year, row["agency_id"])


@bp.post("/reports/annual/<int:year>/publish")
@login_required
def publish(year):
    published = report_publication.publish(current_user(), year, request.args.get("agency"))
    flash(_("已发布第%(v)s版年度报告", v=published["version"]))
    redacted = sum(len(found) for found in published["deidentified"].values())
    if redacted:
        flash(_("文字部分中的%(n)s处个人信息已去标识化后发布", n=redacted))
    return _back(year, published["agency_id"])


@bp.post("/reports/annual/proceedings/<int:proceeding_id>")
@login_required
def update_proceeding(proceeding_id):
    row = report.update_proceeding(current_user(), proceeding_id, {"result": request.form.get("result")})
    flash(_("已更新复议诉讼结果"))
    return _back(row["year"], row["agency_id"])


def chart(months, width=720, height=220, pad=30):
    """Stacked bars of closed requests per month by outcome group, and the received count as dots."""
    top = max([sum(m["groups"].values()) for m in months] + [m["received"] for m in months] + [1])
    step, bar = (width - pad) / 12, (width - pad) / 12 * 0.6
    scale = (height - pad) / top
    bars, dots = [], []
    for i, m in enumerate(months):
        x, base = pad + i * step + (step - bar) / 2, height - pad
        for name, color in GROUPS:
            count = m["groups"].get(name, 0)
            if count:
                base -= count * scale
                bars.append({"x": round(x, 1), "y": round(base, 1), "w": round(bar, 1), "h": round(count * scale, 1),
                             "color": color,
                             "title": _("%(month)s月 %(name)s %(n)s件", month=m["month"], name=name, n=count)})
        dots.append({"x": round(x + bar / 2, 1), "y": round(height - pad - m["received"] * scale, 1),
                     "n": m["received"], "month": m["month"], "label_x": round(x + bar / 2, 1)})
    return {"width": width, "height": height, "pad": pad, "bars": bars, "dots": dots, "top": top}
