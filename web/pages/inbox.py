"""The task inbox page: tabs, search, filters and saved filters (reads the human-task projection only)."""

from datetime import datetime
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, url_for

from engine import calendar, saved_filters, users
from engine.workflow import definitions, stranded, tasks
from web.auth import current_user, login_required

bp = Blueprint("inbox", __name__)
# The landing tab is what the user can act on now: their own work and what they may claim.
TABS = (("actionable", "可办理"), ("mine", "我的待办"), ("available", "待认领"), ("completed", "已办"), ("overdue", "逾期"))
SORTS = (("due", "按办理期限"), ("newest", "最新到达"), ("oldest", "最早到达"))


def _query() -> dict:
    args = request.args
    tab = args.get("tab") if args.get("tab") in dict(TABS) else "actionable"
    sort = args.get("sort") if args.get("sort") in dict(SORTS) else "due"
    return {"tab": tab, "sort": sort, **{k: args.get(k, "").strip() for k in ("q", "process", "name", "due_before")}}


@bp.get("/inbox")
@login_required
def inbox():
    actor, query = current_user(), _query()
    result = tasks.list_for(actor, query["tab"], q=query["q"] or None, process_key=query["process"] or None,
                            name=query["name"] or None, due_before=_end_of_day(query["due_before"]),
                            sort=query["sort"], limit=100)
    return render_template("inbox.html", tabs=TABS, sorts=SORTS, query=query, result=result,
                           counts=tasks.counts_for(actor), departments=users.department_names(),
                           processes=definitions.list_definitions(), filters=saved_filters.list_for(actor),
                           stranded=stranded.list_for(actor) if stranded.may_see(actor) else [], urlencode=urlencode)


def _end_of_day(day: str):
    found = calendar.parse_day(day, "due_before", errors={})  # not a day: no filter, as before
    return datetime.combine(found, calendar.END_OF_DAY, tzinfo=calendar.SHANGHAI) if found else None


@bp.post("/inbox/filters")
@login_required
def save_filter():
    params = {k: request.form.get(k, "") for k in saved_filters.KEYS}
    saved_filters.save(current_user(), request.form.get("filter_name", ""), params)
    return redirect(url_for("inbox.inbox", **{k: v for k, v in params.items() if v}))


@bp.post("/inbox/filters/<int:filter_id>/delete")
@login_required
def delete_filter(filter_id):
    saved_filters.remove(current_user(), filter_id)
    return redirect(url_for("inbox.inbox"))
