"""Regenerate workflows/bpmn/information_request.bpmn and request_conversion.bpmn (flow + layout).

The .bpmn files are the source of truth once shipped (admins edit them in the browser); this script
only saves hand-placing the shapes when the shipped procedure itself is redesigned.
Run: .venv/bin/python workflows/tools/build_request.py

Domain rules (dates, letters, who may act) live in engine/requests; the diagram holds the flow and
the timers: the correction, consultation and payment periods, reminders and escalation.
"""

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from bpmn_xml import document, edge, operator, shape

LANE_H, COL_W, X0 = 200, 140, 190
SIZES = {"startEvent": (36, 36), "endEvent": (36, 36), "exclusiveGateway": (50, 50)}

REQUEST_LANES = ["publisher", "drafter", "secrecy_reviewer", "leader"]
REQUEST_LANE_NAMES = {"publisher": "公开专员（政府信息公开工作机构）", "drafter": "承办人（信息所在部门）",
                      "secrecy_reviewer": "保密审查员", "leader": "分管领导"}

# id: (kind, lane, column, name, extra)
REQUEST_NODES = {
    "start": ("startEvent", "publisher", 0, "收到申请", {}),
    "review_request": ("userTask", "publisher", 1, "审查申请", {"formKey": "request_review", "dueAt": "correction_request_by"}),
    "gw_review": ("exclusiveGateway", "publisher", 2, "审查结论", {}),
    "await_correction": ("userTask", "publisher", 3, "等待申请人补正", {"formKey": "correction_received"}),
    "mark_no_correction": ("scriptTask", "publisher", 4, "逾期不补正", {"script": (
        "outcome = 'other'\noutcome_reason = 'no_correction'")}),
    "end_closed": ("endEvent", "publisher", 5, "办结（不再处理）", {}),
    "fee_pending": ("userTask", "publisher", 7, "等待缴费", {"formKey": "fee_payment"}),
    "mark_fee_unpaid": ("scriptTask", "publisher", 6, "逾期未缴费", {"script": (
        "outcome = 'other'\noutcome_reason = 'fee_unpaid'")}),
    "deidentify_reply": ("serviceTask", "publisher", 10, "公开材料去标识化", {"operation": "deidentify_request",
                                                                       "params": {"request_id": "request_id"}}),
    "deliver_reply": ("userTask", "publisher", 13, "送达答复", {"formKey": "reply_delivery", "dueAt": "due_on"}),
    "gw_delivery": ("exclusiveGateway", "publisher", 14, "由系统发邮件？", {}),
    "email_reply": ("serviceTask", "publisher", 15, "发送答复邮件", {"operation": "email_reply",
                                                                "params": {"request_id": "request_id",
                                                                           "email_to": "email_to"}}),
    "end_replied": ("endEvent", "publisher", 16, "已答复", {}),
    "handle": ("userTask", "drafter", 4, "承办：检索与处理", {"formKey": "request_handle", "dueAt": "due_on"}),
    "gw_handle": ("exclusiveGateway", "drafter", 5, "处理方式", {}),
    "consult_third_party": ("userTask", "drafter", 6, "征求第三方意见", {"formKey": "consultation",
                                                                "dueAt": "consultation_due_on"}),
    "mark_consult_silence": ("scriptTask", "drafter", 7, "第三方逾期未答复", {"script": (
        "third_party_answer = 'silent'")}),
    "draft_reply": ("userTask", "drafter", 8, "拟定答复", {"formKey": "reply_draft", "dueAt": "due_on"}),
    "gw_material": ("exclusiveGateway", "drafter", 9, "是否提供信息", {}),
    "secrecy_review_reply": ("userTask", "secrecy_reviewer", 11, "公开材料保密审查", {"formKey": "reply_review",
                                                                             "dueAt": "due_on"}),
    "gw_secrecy": ("exclusiveGateway", "secrecy_reviewer", 12, "审查结论", {}),
    "approve_extension": ("userTask", "leader", 6, "审批延期答复", {"formKey": "extension_approval", "dueAt": "due_on"}),
    "leader_signoff": ("userTask", "leader", 12, "领导签发答复", {"formKey": "reply_signoff", "dueAt": "due_on"}),
    "gw_signoff": ("exclusiveGateway", "leader", 13, "签发决定", {}),
    "gw_return": ("exclusiveGateway", "leader", 14, "退回到", {}),
}

REQUEST_FLOWS = [
    ("start", "review_request", None), ("review_request", "gw_review", None),
    ("gw_review", "await_correction", "decision == 'correction'"),
    ("gw_review", "leader_signoff", "decision == 'not_request'"), ("gw_review", "handle", "default"),
    ("await_correction", "review_request", None), ("mark_no_correction", "end_closed", None),
    ("handle", "gw_handle", None),
    ("gw_handle", "consult_third_party", "decision == 'consult'"),
    ("gw_handle", "approve_extension", "decision == 'extend'"),
    ("gw_handle", "fee_pending", "decision == 'fee'"), ("gw_handle", "draft_reply", "default"),
    ("consult_third_party", "handle", None), ("mark_consult_silence", "handle", None),
    ("approve_extension", "handle", None), ("fee_pending", "handle", None), ("mark_fee_unpaid", "end_closed", None),
    ("draft_reply", "gw_material", None),
    ("gw_material", "deidentify_reply", "outcome in ['disclosed', 'partially_disclosed']"),
    ("gw_material", "leader_signoff", "default"),
    ("deidentify_reply", "secrecy_review_reply", None), ("secrecy_review_reply", "gw_secrecy", None),
    ("gw_secrecy", "draft_reply", "decision == 'return'"), ("gw_secrecy", "leader_signoff", "default"),
    ("leader_signoff", "gw_signoff", None), ("gw_signoff", "gw_return", "decision == 'return'"),
    ("gw_signoff", "deliver_reply", "default"),
    ("gw_return", "review_request", "review_decision == 'not_request'"), ("gw_return", "draft_reply", "default"),
    ("deliver_reply", "gw_delivery", None),
    ("gw_delivery", "email_reply", "delivery_method == 'send_email'"), ("gw_delivery", "end_replied", "default"),
    ("email_reply", "end_replied", None),
]

# Interrupting timers: the period runs out and the flow takes another way.
REQUEST_TIMEOUTS = {
    "correction_timeout": ("await_correction", "deadline_end(correction_due_on)", "补正期限届满", "mark_no_correction"),
    "consultation_timeout": ("consult_third_party", "deadline_end(consultation_due_on)", "征求意见期满",
                             "mark_consult_silence"),
    "fee_timeout": ("fee_pending", "deadline_end(fee_due_on)", "缴费期限届满", "mark_fee_unpaid"),
}
# Reminders at 5 and 2 working days left and an escalation once overdue (non-interrupting); the
# message is an expression, so a reminder that fires late says how many days are really left.
REMINDED = {"handle": "drafter", "draft_reply": "drafter", "deliver_reply": "publisher"}
REMINDERS = (("remind5", "reminder_at(due_on, 5)", None, "reminder_text(due_on, 5, '答复期限')"),
             ("remind2", "reminder_at(due_on, 2)", None, "reminder_text(due_on, 2, '答复期限')"),
             ("escalate", "deadline_end(due_on)", "leader", "'依申请公开答复已超过法定期限，请督办'"))

CONVERSION_LANES = ["publisher"]
CONVERSION_NODES = {
    "start": ("startEvent", "publisher", 0, "多人申请相同信息", {}),
    "propose_conversion": ("userTask", "publisher", 1, "研究是否转为主动公开",
                           {"formKey": "conversion_proposal", "dueAt": "decide_by"}),
    "gw_convert": ("exclusiveGateway", "publisher", 2, "决定", {}),
    "end_converted": ("endEvent", "publisher", 3, "已转入主动公开审查", {}),
    "end_declined": ("endEvent", "publisher", 4, "不转为主动公开", {}),
}
CONVERSION_FLOWS = [("start", "propose_conversion", None), ("propose_conversion", "gw_convert", None),
                    ("gw_convert", "end_converted", "decision == 'convert'"), ("gw_convert", "end_declined", "default")]


class Diagram:
    def __init__(self, key, name, lanes, lane_names, nodes, flows, timeouts=None, reminded=None):
        self.key, self.name, self.lanes, self.lane_names = key, name, lanes, lane_names
        self.nodes, self.flows = nodes, flows
        self.timeouts, self.reminded = timeouts or {}, reminded or {}

    def bounds(self, nid):
        kind, lane, col, _name, _extra = self.nodes[nid]
        w, h = SIZES.get(kind, (110, 70))
        cx = X0 + 60 + col * COL_W
        cy = self.lanes.index(lane) * LANE_H + LANE_H // 2 - 30
        return cx - w // 2, cy - h // 2, w, h

    def element(self, nid):
        kind, _lane, _col, name, extra = self.nodes[nid]
        attrs = f'id="{nid}" name={quoteattr(name)}'
        if kind == "userTask":
            props = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(v)} />' for k, v in extra.items())
            return (f"<bpmn:userTask {attrs}><bpmn:extensionElements><spiffworkflow:properties>{props}"
                    f"</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>")
        if kind == "scriptTask":
            return f"<bpmn:scriptTask {attrs}><bpmn:script>{escape(extra['script'])}</bpmn:script></bpmn:scriptTask>"
        if kind == "serviceTask":
            return f"<bpmn:serviceTask {attrs}>{operator(extra['operation'], extra['params'], nid)}</bpmn:serviceTask>"
        if kind == "exclusiveGateway":
            default = next((f"flow_{a}_{b}" for a, b, c in self.flows if a == nid and c == "default"), None)
            return f"<bpmn:exclusiveGateway {attrs}{f' default={quoteattr(default)}' if default else ''} />"
        return f"<bpmn:{kind} {attrs} />"

    def extras(self):
        """Boundary timers: (xml parts, shapes, edges, {lane: refs})."""
        parts, shapes, edges, lanes = [], [], [], {}
        for bid, (host, expr, name, target) in self.timeouts.items():
            hx, hy, hw, hh = self.bounds(host)
            parts.append(timer_xml(bid, name, host, expr, True))
            parts.append(flow_xml(f"flow_{bid}", bid, target))
            bx, by = hx + hw - 36, hy + hh - 18
            shapes.append(shape(bid, bx, by, 36, 36))
            tx, ty, tw, th = self.bounds(target)
            edges.append(edge(f"flow_{bid}", [(bx + 18, by + 36), (bx + 18, ty + th // 2), (tx, ty + th // 2)]
                              if tx > bx else [(bx + 18, by + 36), (tx + tw // 2, ty + th)]))
            lanes.setdefault(self.nodes[host][1], []).append(bid)
        for host, role in self.reminded.items():
            hx, hy, hw, hh = self.bounds(host)
            lane = self.nodes[host][1]
            for i, (kind, expr, who, message) in enumerate(REMINDERS):
                bid, nid, eid = f"{kind}_{host}", f"{kind}_{host}_notify", f"{kind}_{host}_end"
                label = "逾期督办" if kind == "escalate" else "期限提醒"
                parts.append(timer_xml(bid, label, host, expr, False))
                params = {"role": repr(who or role), "message": message, "kind": repr(kind)}
                parts.append(f'<bpmn:serviceTask id="{nid}" name={quoteattr("通知领导" if who else "发送提醒")}>'
                             f"{operator('notify', params, nid)}</bpmn:serviceTask>")
                parts.append(f'<bpmn:endEvent id="{eid}" />')
                parts.append(flow_xml(f"flow_{bid}", bid, nid))
                parts.append(flow_xml(f"flow_{nid}", nid, eid))
                bx, by = hx + 2 + i * 34, hy + hh - 18
                nx, ny = hx - 30 + i * 60, hy + hh + 40 + (i % 2) * 10
                shapes += [shape(bid, bx, by, 36, 36), shape(nid, nx, ny, 56, 36), shape(eid, nx + 14, ny + 44, 28, 28)]
                edges.append(edge(f"flow_{bid}", [(bx + 18, by + 36), (nx + 28, ny)]))
                edges.append(edge(f"flow_{nid}", [(nx + 28, ny + 36), (nx + 28, ny + 44)]))
                lanes.setdefault(lane, []).extend([bid, nid, eid])
        return parts, shapes, edges, lanes

    def flow_points(self, a, b):
        ax, ay, aw, ah = self.bounds(a)
        bx, by, bw, bh = self.bounds(b)
        if bx > ax:
            start, end = (ax + aw, ay + ah // 2), (bx, by + bh // 2)
            if start[1] == end[1]:
                return [start, end]
            mid = (start[0] + end[0]) // 2
            return [start, (mid, start[1]), (mid, end[1]), end]
        # A loop back: leave from the top or bottom and come in the same way.
        up = by <= ay
        sy = ay if up else ay + ah
        ey = by if up else by + bh
        lane_edge = min(ay, by) - 20 if up else max(ay + ah, by + bh) + 20
        return [(ax + aw // 2, sy), (ax + aw // 2, lane_edge), (bx + bw // 2, lane_edge), (bx + bw // 2, ey)]

    def build(self) -> str:
        b_parts, b_shapes, b_edges, b_lanes = self.extras()
        total_w = X0 + 60 + 16 * COL_W
        lane_xml = []
        for lane in self.lanes:
            refs = [n for n, v in self.nodes.items() if v[1] == lane] + b_lanes.get(lane, [])
            lane_xml.append(f'<bpmn:lane id="lane_{lane}" name="{lane}">'
                            + "".join(f"<bpmn:flowNodeRef>{r}</bpmn:flowNodeRef>" for r in refs) + "</bpmn:lane>")
        flows = []
        for a, b, cond in self.flows:
            body = f"<bpmn:conditionExpression>{escape(cond)}</bpmn:conditionExpression>" if cond and cond != "default" else ""
            flows.append(f'<bpmn:sequenceFlow id="flow_{a}_{b}" sourceRef="{a}" targetRef="{b}">{body}</bpmn:sequenceFlow>')
        shapes = [shape("participant", 120, 0, total_w, LANE_H * len(self.lanes), ' isHorizontal="true"')]
        shapes += [shape(f"lane_{lane}", 150, i * LANE_H, total_w - 30, LANE_H, ' isHorizontal="true"')
                   for i, lane in enumerate(self.lanes)]
        shapes += [shape(n, *self.bounds(n)) for n in self.nodes]
        edges = [edge(f"flow_{a}_{b}", self.flow_points(a, b)) for a, b, _c in self.flows]
        process = [*(self.element(n) for n in self.nodes), *b_parts, *flows]
        return document(self.key, self.name, lane_xml, process, shapes + b_shapes + edges + b_edges)


def timer_xml(bid, name, host, expr, interrupting):
    return (f'<bpmn:boundaryEvent id="{bid}" name={quoteattr(name)} attachedToRef="{host}" '
            f'cancelActivity="{"true" if interrupting else "false"}"><bpmn:timerEventDefinition>'
            f"<bpmn:timeDate>{escape(expr)}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>")


def flow_xml(fid, a, b):
    return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}" />'








DIAGRAMS = {
    "information_request.bpmn": Diagram("information_request", "政府信息公开申请办理", REQUEST_LANES,
                                        REQUEST_LANE_NAMES, REQUEST_NODES, REQUEST_FLOWS, REQUEST_TIMEOUTS, REMINDED),
    "request_conversion.bpmn": Diagram("request_conversion", "依申请公开转主动公开", CONVERSION_LANES,
                                       {"publisher": "公开专员"}, CONVERSION_NODES, CONVERSION_FLOWS),
}


if __name__ == "__main__":
    folder = Path(__file__).resolve().parents[1] / "bpmn"
    for name, diagram in DIAGRAMS.items():
        (folder / name).write_text(diagram.build(), encoding="utf-8")
        print(f"wrote {folder / name}")
