"""Build small BPMN diagrams for tests: a straight line of steps, each in its lane.

A user task may carry one boundary timer or a list of them; a gateway step continues only when
its condition holds and otherwise ends the process.
"""

from xml.sax.saxutils import quoteattr

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
        'id="defs_{key}" targetNamespace="http://gongkai/test">\n')


def user_task(tid, lane="dept_reviewer", form="review", name=None, props=None, boundary=None):
    return {"kind": "user", "id": tid, "lane": lane, "form": form, "name": name or tid,
            "props": props or {}, "boundary": boundary}


def service_task(tid, operation="notify", params=None, lane=None):
    return {"kind": "service", "id": tid, "operation": operation, "lane": lane,
            "params": params or {"role": "'drafter'", "message": "'完成'"}}


def script_task(tid, script, lane=None):
    return {"kind": "script", "id": tid, "script": script, "lane": lane}


def timer_event(tid, expression, lane=None):
    return {"kind": "timer", "id": tid, "expression": expression, "lane": lane}


def rule_task(tid, decision_id, lane=None):
    return {"kind": "rule", "id": tid, "decision": decision_id, "lane": lane}


def gateway(tid, condition):
    return {"kind": "gateway", "id": tid, "condition": condition, "lane": None}


def _boundaries(step) -> list:
    b = step.get("boundary")
    return [] if not b else list(b) if isinstance(b, list | tuple) else [b]


def decision_table(decision_id, input_expr, rules, output="result") -> str:
    """Return a DMN file with one FIRST-hit table: `rules` is a list of (input entry, output entry)."""
    esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    body = "".join(f'<rule id="r{i}"><inputEntry id="r{i}_in"><text>{esc(i_)}</text></inputEntry>'
                   f'<outputEntry id="r{i}_out"><text>{esc(o)}</text></outputEntry></rule>'
                   for i, (i_, o) in enumerate(rules))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d_{0}" name="{0}" '
            'namespace="http://gongkai/test"><decision id="{0}" name="{0}">'
            '<decisionTable id="{0}_t" hitPolicy="FIRST"><input id="{0}_i"><inputExpression id="{0}_ie">'
            '<text>{1}</text></inputExpression></input><output id="{0}_o" name="{2}"/>{3}'
            '</decisionTable></decision></definitions>\n').format(decision_id, esc(input_expr), output, body)


def diagram(key, steps, name=None) -> str:
    """Return the XML of process `key`: start → steps… → end, with lanes from the steps."""
    parts = [HEAD.format(key=key),
             f'<bpmn:process id="{key}" name={quoteattr(name or key)} isExecutable="true">\n']
    lanes = {}
    extra = [b["target"] for s in steps for b in _boundaries(s)]
    for step in [*steps, *extra]:
        if step.get("lane"):
            lanes.setdefault(step["lane"], []).append(step["id"])
    if lanes:
        parts.append('<bpmn:laneSet id="lanes">\n')
        for i, (lane, ids) in enumerate(lanes.items()):
            refs = "".join(f"<bpmn:flowNodeRef>{x}</bpmn:flowNodeRef>" for x in ids)
            parts.append(f'<bpmn:lane id="lane_{i}" name="{lane}">{refs}</bpmn:lane>\n')
        parts.append("</bpmn:laneSet>\n")
    ids = ["start", *[s["id"] for s in steps], "end"]
    parts.append('<bpmn:startEvent id="start"/>\n')
    for step in steps:
        parts.append(_element(step))
    parts.append('<bpmn:endEvent id="end"/>\n')
    conditions = {s["id"]: s["condition"] for s in steps if s["kind"] == "gateway"}
    for a, b in zip(ids, ids[1:], strict=False):
        if a in conditions:
            cond = conditions[a].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}">'
                         f'<bpmn:conditionExpression>{cond}</bpmn:conditionExpression></bpmn:sequenceFlow>\n'
                         f'<bpmn:endEvent id="end_{a}"/>\n'
                         f'<bpmn:sequenceFlow id="f_{a}_else" sourceRef="{a}" targetRef="end_{a}"/>\n')
        else:
            parts.append(f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>\n')
    for step in steps:
        for b in _boundaries(step):
            parts.append(_boundary(step, b))
    parts.append("</bpmn:process>\n</bpmn:definitions>\n")
    return "".join(parts)


def _element(step) -> str:
    sid = step["id"]
    if step["kind"] == "user":
        props = {"formKey": step["form"], **step["props"]} if step["form"] else dict(step["props"])
        items = "".join(f'<spiffworkflow:property name="{k}" value={quoteattr(v)}/>' for k, v in props.items())
        ext = f"<bpmn:extensionElements><spiffworkflow:properties>{items}</spiffworkflow:properties>" \
              f"</bpmn:extensionElements>" if items else ""
        return f'<bpmn:userTask id="{sid}" name={quoteattr(step["name"])}>{ext}</bpmn:userTask>\n'
    if step["kind"] == "service":
        params = "".join(f'<spiffworkflow:parameter id="{k}" type="str" value={quoteattr(v)}/>'
                         for k, v in step["params"].items())
        return (f'<bpmn:serviceTask id="{sid}" name="{sid}"><bpmn:extensionElements>'
                f'<spiffworkflow:serviceTaskOperator id="{step["operation"]}" resultVariable="{sid}_result">'
                f'<spiffworkflow:parameters>{params}</spiffworkflow:parameters>'
                f'</spiffworkflow:serviceTaskOperator></bpmn:extensionElements></bpmn:serviceTask>\n')
    if step["kind"] == "rule":
        return (f'<bpmn:businessRuleTask id="{sid}"><bpmn:extensionElements><spiffworkflow:calledDecisionId>'
                f'{step["decision"]}</spiffworkflow:calledDecisionId></bpmn:extensionElements>'
                f'</bpmn:businessRuleTask>\n')
    if step["kind"] == "gateway":
        return f'<bpmn:exclusiveGateway id="{sid}" default="f_{sid}_else"/>\n'
    if step["kind"] == "script":
        script = step["script"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<bpmn:scriptTask id="{sid}"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>\n'
    expr = step["expression"].replace("&", "&amp;").replace("<", "&lt;")
    return (f'<bpmn:intermediateCatchEvent id="{sid}"><bpmn:timerEventDefinition>'
            f'<bpmn:timeDuration>{expr}</bpmn:timeDuration></bpmn:timerEventDefinition>'
            f'</bpmn:intermediateCatchEvent>\n')


def _boundary(step, b) -> str:
    interrupting = "true" if b.get("interrupting", True) else "false"
    tag = "timeDate" if b.get("date") else "timeDuration"
    expr = (b.get("date") or b["duration"]).replace("<", "&lt;")
    target = b["target"]
    return (f'<bpmn:boundaryEvent id="{b["id"]}" attachedToRef="{step["id"]}" cancelActivity="{interrupting}">'
            f'<bpmn:timerEventDefinition><bpmn:{tag}>{expr}</bpmn:{tag}></bpmn:timerEventDefinition>'
            f'</bpmn:boundaryEvent>\n'
            f'{_element(target)}'
            f'<bpmn:sequenceFlow id="f_{b["id"]}" sourceRef="{b["id"]}" targetRef="{target["id"]}"/>\n'
            f'<bpmn:endEvent id="end_{b["id"]}"/>\n'
            f'<bpmn:sequenceFlow id="f_{target["id"]}_end" sourceRef="{target["id"]}" targetRef="end_{b["id"]}"/>\n')
