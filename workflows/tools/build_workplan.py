"""Regenerate workflows/bpmn/workplan_task.bpmn: one lead department's part in a work-plan task.

The .bpmn file is the source of truth once shipped (admins edit it in the browser); this script only
saves hand-placing the shapes when the procedure itself is redesigned.
Run: .venv/bin/python workflows/tools/build_workplan.py

The flow: the department's liaison (政务公开联络员) reports progress, the office (政务公开办) accepts,
returns it for more, or signs the task off as done. Around that loop (a sub-process, so each timer is
armed once): a timer cycle asks for a report every period, a reminder goes out before the deadline,
and after it the department's leader is told and a 督办单 is issued. Rules live in engine/workplan.
"""

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from bpmn_xml import document, edge, operator, shape

KEY, NAME = "workplan_task", "政务公开工作要点任务落实"
LANES = (("liaison", "政务公开联络员（牵头单位）"), ("gongkai_office", "政务公开办"), ("leader", "分管领导"))
LANE_H, WIDTH = 220, 1400
LANE_OF = {}


def user_task(nid, name, lane, form, extra=None):
    LANE_OF[nid] = lane
    props = {"formKey": form, **(extra or {})}
    body = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(v)} />' for k, v in props.items())
    return (f'<bpmn:userTask id="{nid}" name={quoteattr(name)}><bpmn:extensionElements><spiffworkflow:properties>'
            f"{body}</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>")


def service(nid, name, lane, operation, params):
    LANE_OF[nid] = lane
    return f'<bpmn:serviceTask id="{nid}" name={quoteattr(name)}>{operator(operation, params, nid)}</bpmn:serviceTask>'


def event(kind, nid, lane, name=""):
    LANE_OF[nid] = lane
    return f'<bpmn:{kind} id="{nid}"{f" name={quoteattr(name)}" if name else ""} />'


def flow(a, b, condition=None):
    body = f"<bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="flow_{a}_{b}" sourceRef="{a}" targetRef="{b}">{body}</bpmn:sequenceFlow>'


def timer(bid, name, lane, expression, kind="timeDate"):
    LANE_OF[bid] = lane
    return (f'<bpmn:boundaryEvent id="{bid}" name={quoteattr(name)} attachedToRef="carry_out" cancelActivity="false">'
            f"<bpmn:timerEventDefinition><bpmn:{kind}>{escape(expression)}</bpmn:{kind}></bpmn:timerEventDefinition>"
            f"</bpmn:boundaryEvent>")


def notify(nid, name, lane, role, message, kind):
    """A notification; `message` is an expression (a quoted text, or reminder_text(...) counted when it fires)."""
    return service(nid, name, lane, "notify", {"role": repr(role), "message": message, "kind": repr(kind)})


INNER = [
    event("startEvent", "loop_start", "liaison"),
    user_task("report", "报送工作进展", "liaison", "workplan_report", {"dueAt": "due_on"}),
    user_task("review", "审核进展报告", "gongkai_office", "workplan_review", {"department": "office_department"}),
    '<bpmn:exclusiveGateway id="gw_review" name="审核结论" default="flow_gw_review_report" />',
    event("endEvent", "loop_end", "gongkai_office", "确认完成"),
    flow("loop_start", "report"), flow("report", "review"), flow("review", "gw_review"),
    flow("gw_review", "loop_end", "decision == 'complete'"), flow("gw_review", "report"),
]
LANE_OF["gw_review"] = "gongkai_office"

OUTER = [
    event("startEvent", "start", "liaison", "任务下达"),
    f'<bpmn:subProcess id="carry_out" name="推进落实">{"".join(INNER)}</bpmn:subProcess>',
    event("endEvent", "end_done", "gongkai_office", "已办结"),
    timer("report_cycle", "按期报送", "gongkai_office", '"R/" + report_from + "/" + report_cycle', "timeCycle"),
    notify("notify_period", "提醒报送进展", "leader", "liaison", "'本期工作进展报告请按时报送'", "report_due"),
    event("endEvent", "period_end", "leader"),
    timer("remind_deadline", "完成时限提醒", "gongkai_office", "reminder_at(due_on, 5)"),
    notify("notify_remind", "时限提醒", "leader", "liaison", "reminder_text(due_on, 5, '工作要点任务完成时限')", "reminder"),
    event("endEvent", "remind_end", "leader"),
    timer("escalate", "逾期督办", "gongkai_office", "deadline_end(due_on)"),
    notify("notify_leader", "告知分管领导", "leader", "leader", "'本单位牵头的政务公开工作要点任务已超过完成时限，请督促落实'",
           "escalation"),
    service("supervision_notice", "发出督办单", "leader", "workplan_supervision_notice", {"unit_id": "unit_id"}),
    event("endEvent", "escalate_end", "leader"),
    flow("start", "carry_out"), flow("carry_out", "end_done"),
    flow("report_cycle", "notify_period"), flow("notify_period", "period_end"),
    flow("remind_deadline", "notify_remind"), flow("notify_remind", "remind_end"),
    flow("escalate", "notify_leader"), flow("notify_leader", "supervision_notice"),
    flow("supervision_notice", "escalate_end"),
]
# The sub-process itself stays out of the lanes: Spiff gives a sub-process's lane to every step
# inside it, and its steps belong to different roles (the liaison reports, the office reviews).

# Shapes: (x, y, w, h); the sub-process spans the liaison and office lanes.
BOUNDS = {
    "start": (200, 92, 36, 36), "carry_out": (280, 20, 620, 380), "end_done": (960, 292, 36, 36),
    "loop_start": (310, 92, 36, 36), "report": (400, 75, 120, 70), "review": (560, 275, 120, 70),
    "gw_review": (740, 285, 50, 50), "loop_end": (840, 292, 36, 36),
    "report_cycle": (360, 382, 36, 36), "notify_period": (330, 520, 100, 60), "period_end": (362, 610, 36, 36),
    "remind_deadline": (560, 382, 36, 36), "notify_remind": (530, 520, 100, 60), "remind_end": (562, 610, 36, 36),
    "escalate": (760, 382, 36, 36), "notify_leader": (730, 520, 100, 60), "supervision_notice": (900, 520, 110, 60),
    "escalate_end": (1060, 532, 36, 36),
}
WAYPOINTS = {
    "start_carry_out": [(236, 110), (280, 110)], "carry_out_end_done": [(900, 310), (960, 310)],
    "loop_start_report": [(346, 110), (400, 110)], "report_review": [(520, 110), (620, 110), (620, 275)],
    "review_gw_review": [(680, 310), (740, 310)], "gw_review_loop_end": [(790, 310), (840, 310)],
    "gw_review_report": [(765, 285), (765, 60), (460, 60), (460, 75)],
    "report_cycle_notify_period": [(378, 418), (378, 520)], "notify_period_period_end": [(380, 580), (380, 610)],
    "remind_deadline_notify_remind": [(578, 418), (578, 520)], "notify_remind_remind_end": [(580, 580), (580, 610)],
    "escalate_notify_leader": [(778, 418), (778, 520)], "notify_leader_supervision_notice": [(830, 550), (900, 550)],
    "supervision_notice_escalate_end": [(1010, 550), (1060, 550)],
}
# The boundary branches sit below the sub-process, in the third lane; a service task's lane is only
# where it is drawn (the `notify` parameters say whom it reaches).


def build() -> str:
    lanes = []
    for key, _label in LANES:
        refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n, lane in LANE_OF.items() if lane == key)
        lanes.append(f'<bpmn:lane id="lane_{key}" name="{key}">{refs}</bpmn:lane>')
    shapes = [shape("participant", 120, 0, WIDTH, LANE_H * len(LANES), ' isHorizontal="true"')]
    shapes += [shape(f"lane_{key}", 150, i * LANE_H, WIDTH - 30, LANE_H, ' isHorizontal="true"')
               for i, (key, _label) in enumerate(LANES)]
    shapes += [shape(n, *b, ' isExpanded="true"' if n == "carry_out" else "") for n, b in BOUNDS.items()]
    edges = [edge(f"flow_{fid}", points) for fid, points in WAYPOINTS.items()]
    return document(KEY, NAME, lanes, OUTER, shapes + edges)


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "bpmn" / f"{KEY}.bpmn"
    target.write_text(build(), encoding="utf-8")
    print(f"wrote {target}")
