"""The task inbox page: tabs, search and the task list (reads the human-task projection only)."""

from flask import Blueprint, render_template, request

from engine.workflow import tasks
from web.auth import current_user, login_required

bp = Blueprint("inbox", __name__)
TABS = (("mine", "我的待办"), ("available", "待认领"), ("completed", "已办"), ("overdue", "逾期"))


@bp.get("/inbox")
@login_required
def inbox():
    actor = current_user()
    scope = request.args.get("tab", "mine")
    scope = scope if scope in dict(TABS) else "mine"
    q = request.args.get("q", "").strip()
    result = tasks.list_for(actor, scope, q=q or None, sort=request.args.get("sort", "newest"))
    return render_template("inbox.html", tabs=TABS, scope=scope, q=q, result=result,
                           counts=tasks.counts_for(actor))
