"""Steps taken outside the inbox: a correction registered by staff or sent by the applicant.

Both complete the waiting `await_correction` task through `tasks.complete_locked`, the inbox's own
path (form validation, hooks, outcome, audit), so the clock restarts the same way whoever records it.
"""

from datetime import date

from sqlalchemy import select

from engine import access, calendar, clock
from engine.db import transaction
from engine.errors import Conflict, Invalid
from engine.models import HumanTask
from engine.requests import intake
from engine.workflow import tasks


def complete_step(session, req, bpmn_id: str, data: dict, actor=None) -> None:
    """Complete the open task `bpmn_id` of `req` with `data` through the one completion path."""
    task_id = session.scalar(select(HumanTask.id).where(HumanTask.request_id == req.id, HumanTask.bpmn_id == bpmn_id,
                                                        HumanTask.status == "open"))
    if task_id is None:
        raise Conflict("该申请当前不在等待补正 (the request is not waiting for a correction)")
    failed = tasks.complete_locked(session, actor, tasks.lock_task(session, task_id), data)
    if failed:
        raise Invalid(failed)


def record_correction(actor, request_id: int, received_on, description: str) -> dict:
    """Staff register a correction received by post, in person or by fax (publisher)."""
    access.require(access.may_handle_requests(actor), "只有公开专员可以登记补正 (only publishers register corrections)")
    errors = {}
    received = calendar.parse_day(received_on, "received_on", errors, required=True)
    if not str(description or "").strip():
        errors["description"] = ["此项必填 (required)"]
    if errors:
        raise Invalid("补正信息有误 (invalid correction)", fields=errors)
    with transaction() as s:
        req = access.request_for(s, actor, request_id)
        complete_step(s, req, "await_correction", {"received_on": received.isoformat(),
                                                   "description": str(description).strip()[:4000]}, actor)
        return {"id": req.id, "status": req.status, "due_on": req.due_on}


def public_correction(request_no: str, code: str, description: str) -> dict:
    """The applicant corrects the request on the public page; received the same day (online)."""
    if not str(description or "").strip() or len(str(description)) > 4000:
        raise Invalid("请填写补正后的申请内容 (describe the information, at most 4000 characters)",
                      fields={"description": ["required"]})
    with transaction() as s:
        req = intake.public_lookup(s, request_no, code)
        complete_step(s, req, "await_correction", {"received_on": date.isoformat(clock.today()),
                                                   "description": str(description).strip()})
    return intake.public_status(request_no, code)
