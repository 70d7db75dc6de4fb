"""Admin-only services behind the editor pages: drafts, version diffs, forms, DMN files, calendar.

Each function checks that the actor is an administrator before it reads or writes anything; the
deploy itself and validation stay in `engine.workflow.definitions`.
"""

import difflib
import json
import re
from xml.sax.saxutils import quoteattr

from lxml import etree
from sqlalchemy import select

import forms
from engine import access, audit, calendar
from engine import forms as form_store
from engine.db import reading, transaction
from engine.errors import Invalid, NotFound
from engine.models import DecisionFile, ProcessDefinition
from engine.workflow import definitions

KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,99}$")
DMN_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]{1,190}\.dmn$")
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _check_key(key: str) -> str:
    if not KEY_RE.match(key or ""):
        raise Invalid("流程键只能包含字母、数字、下划线和连字符，且以字母开头 (invalid process key)",
                      fields={"key": ["invalid"]})
    return key


def load_for_edit(actor, key: str) -> dict:
    """Return what the editor opens: the draft if any, else the latest version, else a new diagram."""
    access.require_admin(actor)
    _check_key(key)
    with reading() as s:
        definition = s.scalar(select(ProcessDefinition).where(ProcessDefinition.key == key))
        if definition is not None and definition.draft_xml:
            return {"key": key, "name": definition.name, "xml": definition.draft_xml, "source": "draft",
                    "latest_version": definition.latest_version}
        if definition is not None and definition.latest_version:
            version = definitions.latest_version(s, key)
            return {"key": key, "name": definition.name, "xml": version.bpmn_xml, "source": "version",
                    "latest_version": definition.latest_version}
    return {"key": key, "name": key, "xml": new_diagram(key, key), "source": "new", "latest_version": 0}


def save_draft(actor, key: str, xml: str) -> dict:
    """Keep an unfinished diagram for `key`; it is not validated and nothing runs on it."""
    access.require_admin(actor)
    _check_key(key)
    if not isinstance(xml, str) or not xml.strip():
        raise Invalid("草稿为空 (empty draft)", fields={"xml": ["required"]})
    with transaction() as s:
        definition = s.scalar(select(ProcessDefinition).where(ProcessDefinition.key == key).with_for_update())
        if definition is None:
            definition = ProcessDefinition(key=key, name=_process_name(xml) or key, latest_version=0,
                                           starter_roles=[])
            s.add(definition)
        definition.draft_xml = xml
        audit.record(s, "draft_saved", actor=actor, key=key)
        return {"key": key, "saved": True}


def deploy(actor, key: str, xml: str) -> dict:
    """Deploy the edited diagram as a new version and drop the draft it came from."""
    deployed = definitions.deploy(actor, xml)
    with transaction() as s:
        for k in {key, deployed.key}:
            row = s.scalar(select(ProcessDefinition).where(ProcessDefinition.key == k))
            if row is not None:
                row.draft_xml = None
    return deployed.summary()


def validate(actor, xml: str) -> list[dict]:
    """Return the problems that would stop `xml` from deploying (empty when it may be deployed)."""
    access.require_admin(actor)
    return definitions.validate(xml)[2]


def _process_name(xml: str) -> str | None:
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except (etree.XMLSyntaxError, ValueError):
        return None
    process = root.find(f"{{{BPMN_NS}}}process")
    return process.get("name") if process is not None else None


def _elements(xml: str) -> dict:
    """Map each BPMN element id to a short, comparable description (type, name, attributes, text)."""
    root = etree.fromstring(xml.encode("utf-8"))
    out = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.get("id") or etree.QName(el).namespace != BPMN_NS:
            continue
        attrs = {k: v for k, v in el.attrib.items() if k not in ("id",)}
        inner = etree.tostring(el, encoding="unicode", with_tail=False) if len(el) else (el.text or "").strip()
        inner = re.sub(r"\s+", " ", inner)
        out[el.get("id")] = {"type": etree.QName(el).localname, "name": el.get("name") or "",
                             "signature": json.dumps(attrs, sort_keys=True, ensure_ascii=False) + inner}
    return out


def diff_versions(actor, key: str, a: int, b: int) -> dict:
    """Compare two versions of `key`: elements added, removed and changed, and a line diff of the XML."""
    access.require_admin(actor)
    xml_a, xml_b = definitions.get_version(key, a).bpmn_xml, definitions.get_version(key, b).bpmn_xml
    ea, eb = _elements(xml_a), _elements(xml_b)
    changed = [i for i in sorted(ea.keys() & eb.keys()) if ea[i]["signature"] != eb[i]["signature"]]
    lines = difflib.unified_diff(xml_a.splitlines(), xml_b.splitlines(), f"v{a}", f"v{b}", lineterm="", n=2)
    return {
        "key": key, "a": a, "b": b,
        "added": [{"id": i, **eb[i]} for i in sorted(eb.keys() - ea.keys())],
        "removed": [{"id": i, **ea[i]} for i in sorted(ea.keys() - eb.keys())],
        "changed": [{"id": i, **eb[i]} for i in changed],
        "text": list(lines)[:3000],
    }


def new_diagram(key: str, name: str) -> str:
    """Return a starting diagram: one pool with one lane (drafter) and a start event."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_{key}" targetNamespace="http://gongkai/bpmn">
  <bpmn:collaboration id="Collaboration_{key}">
    <bpmn:participant id="Participant_{key}" name={quoteattr(name)} processRef="{key}"/>
  </bpmn:collaboration>
  <bpmn:process id="{key}" name={quoteattr(name)} isExecutable="true">
    <bpmn:laneSet id="LaneSet_{key}">
      <bpmn:lane id="Lane_1" name="drafter"><bpmn:flowNodeRef>start</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="开始"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Collaboration_{key}">
      <bpmndi:BPMNShape id="Participant_{key}_di" bpmnElement="Participant_{key}" isHorizontal="true">
        <dc:Bounds x="100" y="60" width="800" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_1_di" bpmnElement="Lane_1" isHorizontal="true">
        <dc:Bounds x="130" y="60" width="770" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="200" y="142" width="36" height="36"/>
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def save_form(actor, key: str, schema) -> int:
    """Store a form schema from the form-js editor as a new version; running tasks use it at once."""
    return form_store.save(actor, key, schema)


def load_form(actor, key: str) -> dict:
    access.require_admin(actor)
    if not form_store.exists(key):
        if not forms.valid_key(key):
            raise NotFound("表单不存在 (no such form)")
        return {"type": "default", "id": key, "schemaVersion": 16, "components": []}
    return form_store.load(key)


def list_decision_files(actor) -> list[dict]:
    access.require_admin(actor)
    with reading() as s:
        return [{"name": f.name, "decision_ids": f.decision_ids, "updated_by": f.updated_by,
                 "updated_at": f.updated_at.isoformat()}
                for f in s.scalars(select(DecisionFile).order_by(DecisionFile.name))]


def load_decision_file(actor, name: str) -> str:
    """Return a DMN file's XML, or a one-table starting file for a new name."""
    access.require_admin(actor)
    if not DMN_NAME_RE.match(name or ""):
        raise NotFound("决策表文件名应为 xxx.dmn (name must end in .dmn)")
    with reading() as s:
        row = s.scalar(select(DecisionFile).where(DecisionFile.name == name))
        return row.xml if row is not None else new_decision(name[:-4])


def save_decision_file(actor, name: str, xml: str) -> dict:
    if not DMN_NAME_RE.match(name or ""):
        raise Invalid("决策表文件名应为 xxx.dmn (name must end in .dmn)", fields={"name": ["invalid"]})
    row = definitions.save_decision_file(actor, name, xml)
    return {"name": row.name, "decision_ids": row.decision_ids}


def new_decision(decision_id: str) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]", "_", decision_id) or "decision"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="defs_{ident}" name="{ident}" namespace="http://gongkai/dmn">
  <decision id="{ident}" name="{ident}">
    <decisionTable id="table_{ident}" hitPolicy="FIRST">
      <input id="input_1" label="输入"><inputExpression id="inputExpression_1" typeRef="string"><text>category</text></inputExpression></input>
      <output id="output_1" label="输出" name="result" typeRef="string"/>
    </decisionTable>
  </decision>
  <dmndi:DMNDI><dmndi:DMNDiagram id="DMNDiagram_1"><dmndi:DMNShape id="DMNShape_1" dmnElementRef="{ident}"><dc:Bounds height="80" width="180" x="160" y="100"/></dmndi:DMNShape></dmndi:DMNDiagram></dmndi:DMNDI>
</definitions>
"""


def calendar_year(actor, year: int) -> dict:
    access.require_admin(actor)
    return calendar.get_year(year)


def calendar_years(actor) -> list[dict]:
    access.require_admin(actor)
    return calendar.list_years()


def set_calendar_year(actor, year: int, holidays_text: str, workdays_text: str, notice: str | None) -> dict:
    """Enter a year's holidays and make-up working days from lines of `YYYY-MM-DD 名称`."""
    access.require_admin(actor)
    return calendar.set_year(year, _day_lines(holidays_text), _day_lines(workdays_text),
                             actor=actor.username, notice=(notice or "").strip() or None)


def delete_calendar_year(actor, year: int) -> None:
    access.require_admin(actor)
    calendar.delete_year(year)


def _day_lines(text: str) -> list:
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            day, _, name = line.replace("\t", " ").partition(" ")
            out.append((day.strip(), name.strip()))
    return out
