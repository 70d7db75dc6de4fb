"""Admin pages for people and time: users, roles, departments (and their agency identity), the
working-day calendar and the 政府信息公开指南."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine import admin, agencies, clock, users
from engine.disclosure import guide
from engine.errors import DomainError
from engine.requests import agency_letters
from web.auth import current_user
from web.pages.common import admin_required, page_or_json_error

bp = Blueprint("admin_people", __name__, url_prefix="/admin")
bp.register_error_handler(DomainError, page_or_json_error)


@bp.get("/users")
@admin_required
def users_page():
    actor = current_user()
    return render_template("admin/users.html", users=users.list_users(actor), roles=users.list_roles(),
                           departments=users.list_departments(actor))


@bp.post("/users")
@admin_required
def add_user():
    form = request.form
    users.create_user(form.get("username", "").strip(), form.get("password", ""), form.getlist("roles"),
                      form.get("department") or None, display_name=form.get("display_name") or None,
                      actor=current_user())
    flash(f"已添加用户 {form.get('username')}")
    return redirect(url_for("admin_people.users_page"))


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_password(user_id):
    user = users.reset_password(current_user(), user_id, request.form.get("password", ""))
    flash(f"已重设 {user['username']} 的密码，其登录和令牌已失效")
    return redirect(url_for("admin_people.users_page"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id):
    user = users.set_active(current_user(), user_id, request.form.get("active") == "1")
    flash(f"已{'启用' if user['active'] else '停用'}用户 {user['username']}")
    return redirect(url_for("admin_people.users_page"))


@bp.post("/roles")
@admin_required
def add_role():
    users.add_role(current_user(), request.form.get("key", "").strip(), request.form.get("name", "").strip())
    flash("已添加角色")
    return redirect(url_for("admin_people.users_page"))


@bp.post("/departments")
@admin_required
def add_department():
    users.add_department(current_user(), request.form.get("name", ""))
    flash("已添加部门")
    return redirect(url_for("admin_people.users_page"))


@bp.get("/calendar")
@admin_required
def calendar_page():
    actor = current_user()
    year = request.args.get("year", type=int) or clock.today().year
    return render_template("admin/calendar.html", year=year, info=admin.calendar_year(actor, year),
                           years=admin.calendar_years(actor))


@bp.post("/calendar/<int:year>")
@admin_required
def set_calendar(year):
    form = request.form
    admin.set_calendar_year(current_user(), year, form.get("holidays", ""), form.get("workdays", ""),
                            form.get("notice"))
    flash(f"已保存 {year} 年工作日历")
    return redirect(url_for("admin_people.calendar_page", year=year))


@bp.post("/calendar/<int:year>/delete")
@admin_required
def delete_calendar(year):
    admin.delete_calendar_year(current_user(), year)
    flash(f"已删除 {year} 年的录入，恢复为内置日历")
    return redirect(url_for("admin_people.calendar_page", year=year))


@bp.get("/agency")
@admin_required
def agency_page():
    """Each department's agency identity and the 政府信息公开指南 of one agency (?agency=, default root)."""
    actor = current_user()
    chosen = request.args.get("agency") or agencies.ROOT
    return render_template("admin/agency.html", departments=agencies.list_all(actor), kinds=agencies.KINDS,
                           guide=guide.for_editor(actor, chosen), letters=agency_letters.view(actor, chosen),
                           agencies=agencies.public_list())


@bp.post("/agency-letters")
@admin_required
def save_agency_letters():
    form = request.form
    saved = agency_letters.save(current_user(), request.args.get("agency"), {
        **{key: {"name": form.get(f"{key}_name", ""), "address": form.get(f"{key}_address", "")}
           for key in agency_letters.BODIES}, "petition_channel": form.get("petition_channel", "")})
    flash("已保存答复文书中的复议机关、法院和信访渠道")
    return redirect(url_for("admin_people.agency_page", agency=saved["agency_key"]) + "#letters")


@bp.post("/departments/<int:department_id>/identity")
@admin_required
def set_identity(department_id):
    form = request.form
    agencies.update_department(current_user(), department_id, {
        "agency_name": form.get("agency_name"), "agency_code": form.get("agency_code"),
        "agency_kind": form.get("agency_kind"), "parent": form.get("parent") or None})
    flash("已保存部门的机关身份")
    return redirect(url_for("admin_people.agency_page"))


@bp.post("/guide")
@admin_required
def save_guide():
    saved = guide.save(current_user(), {key: request.form.get(key, "") for key, _title in guide.SECTIONS},
                       request.args.get("agency"))
    flash("已保存政府信息公开指南")
    return redirect(url_for("admin_people.agency_page", agency=saved["agency_key"]))
