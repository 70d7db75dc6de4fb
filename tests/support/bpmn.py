"""Build small BPMN diagrams for tests: a straight line of steps, each in its lane."""

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


def diagram(key, steps, name=None) -> str:
    """Return the XML of process `key`: start → steps… → end, with lanes from the steps."""
    parts = [HEAD.format(key=key),
             f'<bpmn:process id="{key}" name={quoteattr(name or key)} isExecutable="true">\n']
    lanes = {}
    extra = [s["boundary"]["target"] for s in steps if s.get("boundary")]
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
    for a, b in zip(ids, ids[1:], strict=False):
        parts.append(f'<bpmn:sequenceFlow id="f_{a}_{b}" sourceRef="{a}" targetRef="{b}"/>\n')
    for step in steps:
        if step.get("boundary"):
            parts.append(_boundary(step))
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
    if step["kind"] == "script":
        script = step["script"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<bpmn:scriptTask id="{sid}"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>\n'
    expr = step["expression"].replace("&", "&amp;").replace("<", "&lt;")
    return (f'<bpmn:intermediateCatchEvent id="{sid}"><bpmn:timerEventDefinition>'
            f'<bpmn:timeDuration>{expr}</bpmn:timeDuration></bpmn:timerEventDefinition>'
            f'</bpmn:intermediateCatchEvent>\n')


def _boundary(step) -> str:
    b = step["boundary"]
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
