"""Validate a BPMN diagram (and the DMN tables it calls) before it may be deployed.

Every problem is reported as {element_id, message} so the editor can mark the element; nothing is
deployed while any problem remains. Scripts and expressions are checked against the sandbox.
"""

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.specs.defaults import ScriptTask, UserTask

from engine import forms
from engine.workflow import operations, sandbox
from engine.workflow.spiff import HELPER_NAMES, AsyncServiceTask, GongkaiParser

DMN_NS = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}
TASK_PROPERTIES_WITH_EXPRESSIONS = ("dueAt", "assignee", "department")


class ParsedDiagram:
    def __init__(self, key, name, spec, subprocess_specs):
        self.key, self.name, self.spec, self.subprocess_specs = key, name, spec, subprocess_specs


def problem(element_id, message):
    return {"element_id": element_id or "", "message": message}


def parse(bpmn_xml: str, dmn_files: dict) -> tuple[ParsedDiagram | None, list]:
    """Parse the diagram; return (parsed, []) or (None, errors)."""
    parser = GongkaiParser()
    try:
        for name, xml in dmn_files.items():
            parser.add_dmn_str(xml.encode("utf-8"), filename=name)
        parser.add_bpmn_str(bpmn_xml.encode("utf-8"), filename="diagram.bpmn")
        keys = parser.get_process_ids()
        if not keys:
            return None, [problem("", "图中没有可执行的流程 (no executable process: set isExecutable=\"true\")")]
        key = keys[0]
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except ValidationException as exc:
        return None, [problem(getattr(exc, "id", ""), f"无法解析 (cannot parse): {_first_line(exc)}")]
    except etree.XMLSyntaxError as exc:
        return None, [problem("", f"不是有效的 XML (not valid XML): {exc}")]
    except Exception as exc:  # Spiff raises many kinds while parsing; all mean "fix the file"
        return None, [problem(getattr(exc, "id", ""), f"无法解析 (cannot parse): {_first_line(exc)}")]
    return ParsedDiagram(key, spec.description or key, spec, subprocess_specs), []


def _first_line(exc) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def check(parsed: ParsedDiagram, known_roles: set, dmn_files: dict) -> list:
    """Return every problem in a parsed diagram (empty when it may be deployed)."""
    errors = []
    specs = [parsed.spec, *parsed.subprocess_specs.values()]
    for wf_spec in specs:
        for task_spec in wf_spec.task_specs.values():
            errors.extend(_check_task(task_spec, known_roles))
    for name, xml in dmn_files.items():
        errors.extend(_check_dmn(name, xml))
    return errors


def _check_task(spec, known_roles) -> list:
    errors = []
    element = getattr(spec, "bpmn_id", None) or spec.name
    if isinstance(spec, UserTask):
        errors.extend(_check_user_task(spec, element, known_roles))
    if isinstance(spec, AsyncServiceTask):
        if spec.operation_name not in operations.names():
            errors.append(problem(element, f"未知的服务操作 '{spec.operation_name}' (unknown operation; "
                                           f"known: {', '.join(sorted(operations.names()))})"))
        for pname, param in (spec.operation_params or {}).items():
            errors.extend(_check_expr(element, param.get("value", ""), f"参数 {pname}"))
    if isinstance(spec, ScriptTask):
        errors.extend(_check_expr(element, spec.script, "脚本"))
    for attr in ("prescript", "postscript"):
        if getattr(spec, attr, None):
            errors.extend(_check_expr(element, getattr(spec, attr), attr))
    for condition, _target in getattr(spec, "cond_task_specs", []) or []:
        expression = condition.args[0] if hasattr(condition, "args") else condition
        errors.extend(_check_expr(element, expression, "条件"))
    for attr, what in (("condition", "条件"), ("cardinality", "循环次数")):
        if isinstance(getattr(spec, attr, None), str):
            errors.extend(_check_expr(element, getattr(spec, attr), what))
    for expression in _event_expressions(getattr(spec, "event_definition", None)):
        errors.extend(_check_expr(element, expression, "事件表达式"))
    return errors


def _event_expressions(definition):
    """Yield every expression of an event definition: timer values, payloads, correlations."""
    if definition is None:
        return
    if isinstance(getattr(definition, "expression", None), str):
        yield definition.expression
    for prop in getattr(definition, "correlation_properties", None) or []:
        if isinstance(getattr(prop, "retrieval_expression", None), str):
            yield prop.retrieval_expression
    for inner in getattr(definition, "event_definitions", None) or []:
        yield from _event_expressions(inner)


def _check_user_task(spec, element, known_roles) -> list:
    errors = []
    if not spec.lane:
        errors.append(problem(element, "用户任务必须放在泳道中，泳道名为角色 (user task needs a lane named after a role)"))
    elif spec.lane not in known_roles:
        errors.append(problem(element, f"泳道 '{spec.lane}' 不是已知角色 (lane is not a known role; known: "
                                       f"{', '.join(sorted(known_roles))})"))
    props = (spec.extensions or {}).get("properties", {})
    form_key = props.get("formKey")
    if not form_key:
        errors.append(problem(element, "用户任务未指定表单 formKey (user task names no form)"))
    elif not forms.exists(form_key):
        errors.append(problem(element, f"未知表单 '{form_key}' (unknown form; known: {', '.join(forms.keys())})"))
    for name in TASK_PROPERTIES_WITH_EXPRESSIONS:
        if props.get(name):
            errors.extend(_check_expr(element, props[name], name))
    return errors


def _check_expr(element, source, what) -> list:
    message = sandbox.problem_in(source or "", HELPER_NAMES)
    return [problem(element, f"{what}: {message}")] if message else []


def _check_dmn(name, xml) -> list:
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        return [problem(name, f"DMN 不是有效的 XML: {exc}")]
    errors = []
    for decision in root.iterfind(".//dmn:decision", DMN_NS):
        did = decision.get("id")
        for node in decision.iterfind(".//dmn:inputExpression/dmn:text", DMN_NS):
            errors.extend(_check_expr(did, node.text or "", "DMN 输入"))
        for tag in ("inputEntry", "outputEntry"):
            for node in decision.iterfind(f".//dmn:{tag}/dmn:text", DMN_NS):
                errors.extend(_check_dmn_entry(did, (node.text or "").strip()))
    return errors


def _check_dmn_entry(element, text) -> list:
    if not text or text == "-":
        return []
    names = HELPER_NAMES | {"dmninputexpr"}
    text = text.replace("?", "dmninputexpr")
    # A match expression may be a partial comparison ("< 5"); Spiff completes it the same way.
    if sandbox.problem_in(text, names) is None or sandbox.problem_in(f"v {text}", names | {"v"}) is None:
        return []
    return [problem(element, f"DMN 条目: {sandbox.problem_in(text, names)}")]


def decision_ids(xml: str) -> list[str]:
    root = etree.fromstring(xml.encode("utf-8"))
    return [d.get("id") for d in root.iterfind(".//dmn:decision", DMN_NS)]


def table_ids(xml: str) -> list[str]:
    root = etree.fromstring(xml.encode("utf-8"))
    return [t.get("id") for t in root.iterfind(".//dmn:decision/dmn:decisionTable", DMN_NS)]


def called_decisions(parsed: ParsedDiagram) -> set[str]:
    """Return the ids of the decision tables (not the decisions) the diagram's rule tasks call."""
    out = set()
    for wf_spec in [parsed.spec, *parsed.subprocess_specs.values()]:
        for spec in wf_spec.task_specs.values():
            engine = getattr(spec, "dmnEngine", None)
            if engine is not None:
                out.add(engine.decision_table.id)
    return out
