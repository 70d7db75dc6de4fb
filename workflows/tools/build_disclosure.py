"""Regenerate workflows/bpmn/disclosure_review.bpmn (flow + diagram layout) from this description.

The .bpmn file is the source of truth once shipped (admins edit it in the browser); this script
only saves hand-placing ~40 shapes when the shipped procedure itself is redesigned.
Run: .venv/bin/python workflows/tools/build_disclosure.py
"""

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from bpmn_xml import document, edge, operator, shape

LANES = ["drafter", "dept_reviewer", "secrecy_reviewer", "leader", "head", "publisher"]
LANE_NAMES = {"drafter": "起草人", "dept_reviewer": "部门审核人（初审）", "secrecy_reviewer": "保密审查员（复审）",
              "leader": "分管领导", "head": "主要负责人", "publisher": "公开专员"}
LANE_H, COL_W, X0 = 190, 150, 190

# id: (kind, lane, column, name, extra)
NODES = {
    "start": ("startEvent", "drafter", 0, "提交文件", {}),
    "source_check": ("scriptTask", "drafter", 1, "公开属性源头认定检查", {"script": (
        "source_problems = []\n"
        "if attribute not in ['proactive', 'on_request', 'withheld']:\n"
        "    source_problems.append('未标注公开属性')\n"
        "elif attribute != 'proactive' and not (attribute_ground and attribute_reason):\n"
        "    source_problems.append('不予公开或依申请公开的文件须写明法定依据和理由')\n"
        "if category in ['policy', 'normative'] and not has_interpretation:\n"
        "    source_problems.append('政策性文件和规范性文件须同步提交政策解读材料')\n"
        "if not formed_on:\n"
        "    source_problems.append('未填写形成日期')")}),
    "gw_source": ("exclusiveGateway", "drafter", 2, "源头认定通过？", {}),
    "mark_source_return": ("scriptTask", "drafter", 3, "自动退文", {"script": (
        "return_reason = '；'.join(source_problems)\nreturn_stage = 'source_check'\nreturns = returns + 1")}),
    "revise": ("userTask", "drafter", 4, "修改并重新提交", {"formKey": "document_revise", "assignee": "started_by"}),
    "deadline_days": ("businessRuleTask", "dept_reviewer", 2, "确定公开时限", {"decision": "publication_deadline_days"}),
    "compute_deadline": ("scriptTask", "dept_reviewer", 3, "计算公开期限", {"script": (
        "if deadline_hours:\n"
        "    publish_by = hours_after(deadline_hours, formed_at)\n"
        "else:\n"
        "    publish_by = working_days(deadline_days, deadline_start or formed_on)[:10]\n"
        "return_reason = None")}),
    "dept_review": ("userTask", "dept_reviewer", 4, "初审", {"formKey": "review_document", "dueAt": "publish_by"}),
    "gw_dept": ("exclusiveGateway", "dept_reviewer", 5, "初审决定", {}),
    "mark_dept_return": ("scriptTask", "drafter", 5, "初审退文", {"script": (
        "return_reason = opinion\nreturn_stage = 'dept_review'\nreturns = returns + 1")}),
    "mark_dept_withhold": ("scriptTask", "secrecy_reviewer", 5, "改为不予公开", {"script": (
        "attribute = 'withheld'\nattribute_reason = opinion")}),
    "secrecy_review": ("userTask", "secrecy_reviewer", 6, "复审（保密审查）", {"formKey": "review_document", "dueAt": "publish_by"}),
    "gw_secrecy": ("exclusiveGateway", "secrecy_reviewer", 7, "复审决定", {}),
    "mark_secrecy_return": ("scriptTask", "drafter", 7, "复审退文", {"script": (
        "return_reason = opinion\nreturn_stage = 'secrecy_review'\nreturns = returns + 1")}),
    "mark_secrecy_withhold": ("scriptTask", "leader", 7, "改为不予公开", {"script": (
        "attribute = 'withheld'\nattribute_reason = opinion")}),
    "gw_attribute": ("exclusiveGateway", "secrecy_reviewer", 8, "公开属性", {}),
    "end_on_request": ("endEvent", "secrecy_reviewer", 9, "纳入依申请公开目录", {}),
    "leader_signoff": ("userTask", "leader", 8, "领导签批不予公开", {"formKey": "signoff"}),
    "gw_signoff": ("exclusiveGateway", "leader", 9, "签批决定", {}),
    "mark_signoff_return": ("scriptTask", "drafter", 9, "签批退文", {"script": (
        "return_reason = opinion\nreturn_stage = 'leader_signoff'\nreturns = returns + 1")}),
    "re_review_days": ("businessRuleTask", "leader", 10, "确定评审周期", {"decision": "re_review_days"}),
    "schedule_re_review": ("scriptTask", "leader", 11, "安排定期评审", {"script": (
        "next_review_at = days_from_now(re_review_days)")}),
    "wait_re_review": ("intermediateCatchEvent", "leader", 12, "到期评审", {"timeDate": "next_review_at"}),
    "re_review": ("userTask", "secrecy_reviewer", 12, "定期评审", {"formKey": "re_review"}),
    "gw_re_review": ("exclusiveGateway", "secrecy_reviewer", 13, "评审结论", {}),
    "mark_release": ("scriptTask", "publisher", 13, "解除不予公开", {"script": "attribute = 'proactive'"}),
    # Approval before publication: who approves (none, 分管领导, 主要负责人) is the category's row of
    # publication_approval.dmn, which the admin edits; 规范性文件 and 重大行政决策 need the head's.
    "approval_level": ("businessRuleTask", "publisher", 9, "确定公开前审批", {"decision": "publication_approval"}),
    "gw_approval": ("exclusiveGateway", "publisher", 10, "须经审批？", {}),
    "approve_publication": ("userTask", "leader", 14, "分管领导审批公开", {"formKey": "publication_approval",
                                                                    "dueAt": "publish_by"}),
    "approve_publication_head": ("userTask", "head", 14, "主要负责人审批公开", {"formKey": "publication_approval",
                                                                       "dueAt": "publish_by"}),
    "gw_approved": ("exclusiveGateway", "head", 15, "审批决定", {}),
    "mark_approval_return": ("scriptTask", "drafter", 15, "审批退文", {"script": (
        "return_reason = opinion\nreturn_stage = 'approval'\nreturns = returns + 1")}),
    "deid_policy": ("businessRuleTask", "publisher", 16, "确定去标识化策略", {"decision": "deid_policy"}),
    "deidentify": ("serviceTask", "publisher", 17, "去标识化处理", {"operation": "deidentify",
                                                              "params": {"document_id": "document_id", "policy": "deid_policy"}}),
    "confirm_redaction": ("userTask", "publisher", 18, "确认去标识化结果", {"formKey": "confirm_redaction", "dueAt": "publish_by"}),
    "publish": ("serviceTask", "publisher", 19, "发布", {"operation": "publish", "params": {"document_id": "document_id"}}),
    "end_published": ("endEvent", "publisher", 20, "已公开", {}),
}

FLOWS = [
    ("start", "source_check", None), ("source_check", "gw_source", None),
    ("gw_source", "mark_source_return", "len(source_problems) > 0"), ("gw_source", "deadline_days", "default"),
    ("mark_source_return", "revise", None), ("revise", "source_check", None),
    ("deadline_days", "compute_deadline", None), ("compute_deadline", "dept_review", None),
    ("dept_review", "gw_dept", None),
    ("gw_dept", "mark_dept_return", "decision == 'return'"), ("gw_dept", "mark_dept_withhold", "decision == 'withhold'"),
    ("gw_dept", "secrecy_review", "default"), ("mark_dept_return", "revise", None),
    ("mark_dept_withhold", "secrecy_review", None), ("secrecy_review", "gw_secrecy", None),
    ("gw_secrecy", "mark_secrecy_return", "decision == 'return'"),
    ("gw_secrecy", "mark_secrecy_withhold", "decision == 'withhold'"), ("gw_secrecy", "gw_attribute", "default"),
    ("mark_secrecy_return", "revise", None), ("mark_secrecy_withhold", "leader_signoff", None),
    ("gw_attribute", "leader_signoff", "attribute == 'withheld'"),
    ("gw_attribute", "end_on_request", "attribute == 'on_request'"), ("gw_attribute", "approval_level", "default"),
    ("approval_level", "gw_approval", None),
    ("gw_approval", "approve_publication_head", "approval == 'head'"),
    ("gw_approval", "approve_publication", "approval == 'leader'"), ("gw_approval", "deid_policy", "default"),
    ("approve_publication", "gw_approved", None), ("approve_publication_head", "gw_approved", None),
    ("gw_approved", "mark_approval_return", "decision == 'return'"), ("gw_approved", "deid_policy", "default"),
    ("mark_approval_return", "revise", None),
    ("leader_signoff", "gw_signoff", None),
    ("gw_signoff", "mark_signoff_return", "decision == 'reject'"), ("gw_signoff", "re_review_days", "default"),
    ("mark_signoff_return", "revise", None), ("re_review_days", "schedule_re_review", None),
    ("schedule_re_review", "wait_re_review", None), ("wait_re_review", "re_review", None),
    ("re_review", "gw_re_review", None), ("gw_re_review", "mark_release", "decision == 'release'"),
    ("gw_re_review", "re_review_days", "default"), ("mark_release", "approval_level", None),
    ("deid_policy", "deidentify", None), ("deidentify", "confirm_redaction", None),
    ("confirm_redaction", "publish", None), ("publish", "end_published", None),
]

# Deadline timers on every step that counts against `publish_by`: a reminder to the task holder
# when 3 working days are left, an escalation to the leader once the deadline has passed.
REMINDED = {"dept_review": "dept_reviewer", "secrecy_review": "secrecy_reviewer", "confirm_redaction": "publisher"}

SIZES = {"startEvent": (36, 36), "endEvent": (36, 36), "intermediateCatchEvent": (36, 36),
         "exclusiveGateway": (50, 50), "boundaryEvent": (36, 36)}


def size(kind):
    return SIZES.get(kind, (110, 70))


def bounds(nid):
    kind, lane, col, _name, _extra = NODES[nid]
    w, h = size(kind)
    cx = X0 + 60 + col * COL_W
    cy = LANES.index(lane) * LANE_H + LANE_H // 2 - 30
    return cx - w // 2, cy - h // 2, w, h


def element_xml(nid):
    kind, _lane, _col, name, extra = NODES[nid]
    attrs = f'id="{nid}" name={quoteattr(name)}'
    if kind == "userTask":
        props = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(v)} />'
                        for k, v in extra.items())
        return (f"<bpmn:userTask {attrs}><bpmn:extensionElements><spiffworkflow:properties>{props}"
                f"</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>")
    if kind == "scriptTask":
        return f"<bpmn:scriptTask {attrs}><bpmn:script>{escape(extra['script'])}</bpmn:script></bpmn:scriptTask>"
    if kind == "businessRuleTask":
        return (f"<bpmn:businessRuleTask {attrs}><bpmn:extensionElements><spiffworkflow:calledDecisionId>"
                f"{extra['decision']}</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>")
    if kind == "serviceTask":
        return f"<bpmn:serviceTask {attrs}>{operator(extra['operation'], extra['params'], nid)}</bpmn:serviceTask>"
    if kind == "intermediateCatchEvent":
        return (f"<bpmn:intermediateCatchEvent {attrs}><bpmn:timerEventDefinition><bpmn:timeDate>"
                f"{escape(extra['timeDate'])}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")
    if kind == "exclusiveGateway":
        default = next((f"flow_{a}_{b}" for a, b, c in FLOWS if a == nid and c == "default"), None)
        default_attr = f' default="{default}"' if default else ""
        return f"<bpmn:exclusiveGateway {attrs}{default_attr} />"
    return f"<bpmn:{kind} {attrs} />"




def boundary_parts():
    parts, shapes, edges, lane_refs = [], [], [], {}
    for host, role in REMINDED.items():
        hx, hy, hw, hh = bounds(host)
        lane = NODES[host][1]
        for i, (kind, expr, who, msg) in enumerate((
            ("remind", "reminder_at(publish_by, 3)", role, "reminder_text(publish_by, 3)"),
            ("escalate", "deadline_end(publish_by)", "leader", "'已超过公开期限，请督办'"),
        )):
            bid, nid, eid = f"{kind}_{host}", f"{kind}_{host}_notify", f"{kind}_{host}_end"
            parts.append(f'<bpmn:boundaryEvent id="{bid}" name={quoteattr("提醒" if kind == "remind" else "逾期督办")} '
                         f'attachedToRef="{host}" cancelActivity="false"><bpmn:timerEventDefinition>'
                         f"<bpmn:timeDate>{escape(expr)}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>")
            params = {"role": repr(who), "message": msg, "kind": repr(kind)}  # the message is an expression
            parts.append(f'<bpmn:serviceTask id="{nid}" name={quoteattr("发送提醒" if kind == "remind" else "通知领导")}>'
                         f"{operator('notify', params, nid)}</bpmn:serviceTask>")
            parts.append(f'<bpmn:endEvent id="{eid}" />')
            parts.append(f'<bpmn:sequenceFlow id="flow_{bid}" sourceRef="{bid}" targetRef="{nid}" />')
            parts.append(f'<bpmn:sequenceFlow id="flow_{nid}" sourceRef="{nid}" targetRef="{eid}" />')
            bx = hx + 20 + i * 50
            by = hy + hh - 18
            nx, ny = bx - 37 + i * 25, by + 60
            ex, ey = nx + 100 + 10, ny + 17
            shapes.append(shape(bid, bx, by, 36, 36))
            shapes.append(shape(nid, nx, ny, 90, 50))
            shapes.append(shape(eid, ex, ey, 16 + 20, 36))
            edges.append(edge(f"flow_{bid}", [(bx + 18, by + 36), (bx + 18, ny)]))
            edges.append(edge(f"flow_{nid}", [(nx + 90, ny + 25), (ex, ey + 18)]))
            lane_refs.setdefault(lane, []).extend([nid, eid])
    return parts, shapes, edges, lane_refs






def flow_points(a, b):
    ax, ay, aw, ah = bounds(a)
    bx, by, bw, bh = bounds(b)
    start = (ax + aw, ay + ah // 2) if bx > ax else (ax + aw // 2, ay + (ah if by > ay else 0))
    end = (bx, by + bh // 2) if bx > ax else (bx + bw // 2, by + (0 if by > ay else bh))
    if start[1] != end[1] and bx > ax:
        mid = (start[0] + end[0]) // 2
        return [start, (mid, start[1]), (mid, end[1]), end]
    return [start, end]


def build() -> str:
    b_parts, b_shapes, b_edges, b_lanes = boundary_parts()
    total_w = X0 + 60 + 21 * COL_W
    lane_xml = []
    for lane in LANES:
        refs = [n for n, v in NODES.items() if v[1] == lane] + b_lanes.get(lane, [])
        refs += [f"{kind}_{host}" for host, _r in REMINDED.items() if NODES[host][1] == lane
                 for kind in ("remind", "escalate")]
        lane_xml.append(f'<bpmn:lane id="lane_{lane}" name="{lane}">'
                        + "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs) + "</bpmn:lane>")
    flows = []
    for a, b, cond in FLOWS:
        body = f"<bpmn:conditionExpression>{escape(cond)}</bpmn:conditionExpression>" if cond and cond != "default" else ""
        flows.append(f'<bpmn:sequenceFlow id="flow_{a}_{b}" sourceRef="{a}" targetRef="{b}">{body}</bpmn:sequenceFlow>')
    shapes = [shape("participant", 120, 0, total_w, LANE_H * len(LANES), ' isHorizontal="true"')]
    shapes += [shape(f"lane_{lane}", 150, i * LANE_H, total_w - 30, LANE_H, ' isHorizontal="true"')
               for i, lane in enumerate(LANES)]
    shapes += [shape(n, *bounds(n)) for n in NODES]
    edges = [edge(f"flow_{a}_{b}", flow_points(a, b)) for a, b, _c in FLOWS]
    process = [*(element_xml(n) for n in NODES), *b_parts, *flows]
    return document("disclosure_review", "政府信息主动公开审查发布", lane_xml, process, shapes + b_shapes + edges + b_edges)


# Taking down a valid 规范性文件 goes through the same approval (the category's row of
# publication_approval.dmn, given as `approval` when the publisher asks): the approver's decision
# takes it down (engine/disclosure/takedown.py) or leaves it published.
TAKEDOWN_NODES = {
    "start": ("startEvent", "leader", 0, "申请撤下", {}),
    "gw_level": ("exclusiveGateway", "leader", 1, "审批人", {}),
    "approve_takedown": ("userTask", "leader", 2, "分管领导审批撤下", {"formKey": "publication_approval"}),
    "approve_takedown_head": ("userTask", "head", 2, "主要负责人审批撤下", {"formKey": "publication_approval"}),
    "end_decided": ("endEvent", "leader", 4, "审批完成", {}),
}
TAKEDOWN_FLOWS = [("start", "gw_level", None), ("gw_level", "approve_takedown_head", "approval == 'head'"),
                  ("gw_level", "approve_takedown", "default"), ("approve_takedown", "end_decided", None),
                  ("approve_takedown_head", "end_decided", None)]


def build_takedown() -> str:
    from build_request import Diagram

    return Diagram("document_takedown", "撤下有效的规范性文件（审批）", ["leader", "head"],
                   {"leader": "分管领导", "head": "主要负责人"}, TAKEDOWN_NODES, TAKEDOWN_FLOWS).build()


if __name__ == "__main__":
    folder = Path(__file__).resolve().parents[1] / "bpmn"
    for name, text in (("disclosure_review.bpmn", build()), ("document_takedown.bpmn", build_takedown())):
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
