"""Validate a BPMN diagram (and the DMN tables it calls) before it may be deployed.

Every problem is reported as {element_id, message} so the editor can mark the element; nothing is
deployed while any problem remains. Scripts and expressions are checked against the sandbox.
"""

import re

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.specs.defaults import ScriptTask, UserTask

from engine import forms
from engine.workflow import operations, sandbox
from engine.workflow.spiff import HELPER_NAMES, AsyncServiceTask, GongkaiParser

DMN_NS = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}
TASK_PROPERTIES_WITH_EXPRESSIONS = ("dueAt", "assignee", "department")


# Larger files are refused before parsing: Spiff's parse time grows with the square of the size
# (16,000 elements took 1.9 s, 32,000 took 7.3 s). Real procedures have a few hundred elements.
MAX_BYTES = 5 * 1024 * 1024
MAX_ELEMENTS = 5_000
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
# Plain and manual tasks become a confirmation step for their lane's role with this form.
CONFIRM_FORM = "confirm_step"


class ParsedDiagram:
    def __init__(self, key, name, spec, subprocess_specs):
        self.key, self.name, self.spec, self.subprocess_specs = key, name, spec, subprocess_specs


def problem(element_id, message):
    return {"element_id": element_id or "", "message": message}


def parse(bpmn_xml: str, dmn_files: dict, deployed=None) -> tuple[list[ParsedDiagram] | None, list]:
    """Parse every executable process of the diagram; return (processes, []) or (None, errors).

    `deployed(key)` gives (spec, subprocess_specs) of a deployed process, or None: a call activity
    whose process is not in this file calls the latest deployed version of it.
    """
    errors = _precheck(bpmn_xml)
    if errors:
        return None, errors
    parser = GongkaiParser()
    try:
        for name, xml in dmn_files.items():
            parser.add_dmn_str(xml.encode("utf-8"), filename=name)
        parser.add_bpmn_str(bpmn_xml.encode("utf-8"), filename="diagram.bpmn")
        keys = parser.get_process_ids()
        if not keys:
            return None, _not_executable(parser)
        parsed, errors = [], []
        for key in keys:
            spec = parser.get_spec(key)
            subs = parser.get_subprocess_specs(key, require_call_activity_specs=False)
            errors.extend(_resolve_called(spec, subs, deployed))
            parsed.append(ParsedDiagram(key, spec.description or key, spec, subs))
    except ValidationException as exc:
        return None, [problem(_element_of(exc, bpmn_xml), f"无法解析 (cannot parse): {_explain(exc, bpmn_xml)}")]
    except etree.XMLSyntaxError as exc:
        return None, [problem("", f"不是有效的 XML (not valid XML): {exc}")]
    except Exception as exc:  # Spiff raises many kinds while parsing; all mean "fix the file"
        return None, [problem(_element_of(exc, bpmn_xml), f"无法解析 (cannot parse): {_explain(exc, bpmn_xml)}")]
    return (None, errors) if errors else (parsed, [])


def _precheck(bpmn_xml: str) -> list:
    """Refuse what Spiff cannot run or would take too long to parse, naming the elements."""
    if len(bpmn_xml.encode("utf-8")) > MAX_BYTES:
        return [problem("", f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分流程 "
                            f"(the file is larger than {MAX_BYTES // 1024 // 1024} MB: split the process)")]
    try:
        root = etree.fromstring(bpmn_xml.encode("utf-8"), _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        return [problem("", f"不是有效的 XML (not valid XML): {exc}")]
    count = sum(1 for node in root.iter() if isinstance(node.tag, str) and node.tag.startswith(f"{{{BPMN_NS}}}")
                and node.get("id"))
    if count > MAX_ELEMENTS:
        return [problem("", f"流程图有 {count} 个元素，超过上限 {MAX_ELEMENTS}，请拆分为子流程 "
                            f"(the diagram has {count} elements, more than {MAX_ELEMENTS}: split it into called processes)")]
    ns = {"bpmn": BPMN_NS}
    return [problem(node.get("id"), f"数据存储「{' '.join((node.get('name') or node.get('id')).split())}」不受支持：请改用流程变量 "
                                    "(data stores are not supported: keep the values in process variables)")
            for node in [*root.iterfind(".//bpmn:dataStore", ns), *root.iterfind(".//bpmn:dataStoreReference", ns)]]


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _resolve_called(spec, subs, deployed) -> list:
    """Fill in call activities' processes from deployed definitions; name the ones that are missing."""
    errors = []
    for name in [n for n, found in subs.items() if found is None]:
        found = deployed(name) if deployed else None
        if found is None:
            callers = [t.bpmn_id for s in [spec, *[v for v in subs.values() if v is not None]]
                       for t in s.task_specs.values() if getattr(t, "spec", None) == name and getattr(t, "bpmn_id", None)]
            for caller in callers or [""]:
                errors.append(problem(caller, f"调用的流程「{name}」既不在本文件中，也未部署：请先部署它 "
                                              f"(the called process '{name}' is neither in this file nor deployed: deploy it first)"))
            continue
        called_spec, called_subs = found
        subs[name] = called_spec
        for key, value in called_subs.items():
            subs.setdefault(key, value)
    return errors


def _not_executable(parser) -> list:
    processes = list(getattr(parser, "process_parsers", {}).values())
    if not processes:
        return [problem("", "图中没有流程 (the file holds no process)")]
    return [problem(p.bpmn_id, f"流程「{p.get_name() or p.bpmn_id}」未标记为可执行：在属性中勾选“可执行” "
                               "(the process is not executable: set isExecutable=\"true\")") for p in processes]


# Spiff's parser messages an admin meets most, said in the admin's words.
_EXPLAINED = (
    ("A Service Task must have an operator",
     "服务任务必须指定本系统的服务操作 (a service task needs one of this system's operations: "
     "spiffworkflow:serviceTaskOperator)"),
    ("Exactly one start event is required",
     "子流程必须恰好有一个开始事件 (a sub-process needs exactly one start event)"),
    ("A multiinstance task must specify",
     "多实例任务须指定次数或输入集合 (a multi-instance task needs a cardinality or an input collection)"),
)


def _explain(exc, bpmn_xml: str) -> str:
    text = _first_line(exc)
    if isinstance(exc, RecursionError) or "RecursionError" in text:  # Spiff wraps it in its own errors
        return "连续的步骤太多，解析器无法处理：请拆分为被调用的子流程 (too long a chain of steps to parse: " \
               "split it into called processes)"
    for prefix, said in _EXPLAINED:
        if text.startswith(prefix):
            return said
    if text.startswith(("Cannot resolve dataInputAssociation", "Cannot resolve dataOutputAssociation")):
        refs = _unresolved_data_refs(getattr(exc, "id", ""), bpmn_xml)
        return (f"数据关联引用了无法使用的数据「{'、'.join(refs) or '?'}」：只支持本流程中的数据对象 "
                f"(a data association points at data this engine cannot use: only data objects of this process)")
    return text


def _unresolved_data_refs(element_id: str, bpmn_xml: str) -> list[str]:
    root = etree.fromstring(bpmn_xml.encode("utf-8"), _SAFE_XML)
    ns = {"bpmn": BPMN_NS}
    known = {n.get("id") for tag in ("dataObject", "dataObjectReference") for n in root.iterfind(f".//bpmn:{tag}", ns)}
    node = next((n for n in root.iter() if n.get("id") == element_id), None)
    if node is None:
        return []
    refs = [r.text for r in node.iterfind("bpmn:dataInputAssociation/bpmn:sourceRef", ns)]
    refs += [r.text for r in node.iterfind("bpmn:dataOutputAssociation/bpmn:targetRef", ns)]
    return [r.strip() for r in refs if r and r.strip() not in known]


def _element_of(exc, bpmn_xml: str) -> str:
    """The id of the element a parser error concerns: its own, or the one at the reported line."""
    element_id = getattr(exc, "id", "") or ""
    line = getattr(exc, "line_number", None)
    if element_id or not isinstance(line, int):
        return element_id
    root = etree.fromstring(bpmn_xml.encode("utf-8"), _SAFE_XML)
    return next((node.get("id") for node in root.iter() if getattr(node, "sourceline", None) == line
                 and node.get("id")), "")


def _first_line(exc) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    # lxml elements print as "<Element {ns}sourceRef at 0x7f…>": say which element instead.
    return re.sub(r"<Element \{[^}]*\}(\w+) at 0x[0-9a-f]+>", r"<\1>", text)


def check(parsed: ParsedDiagram, known_roles: set, dmn_files: dict) -> list:
    """Return every problem in a parsed diagram (empty when it may be deployed)."""
    errors = []
    specs = [parsed.spec, *[v for v in parsed.subprocess_specs.values() if v is not None]]
    for wf_spec in specs:
        for task_spec in wf_spec.task_specs.values():
            errors.extend(_check_task(task_spec, known_roles))
    return errors + check_dmn_files(dmn_files)


def check_dmn_files(dmn_files: dict) -> list:
    return [e for name, xml in dmn_files.items() for e in _check_dmn(name, xml)]


def _check_task(spec, known_roles) -> list:
    errors = []
    element = getattr(spec, "bpmn_id", None) or spec.name
    if isinstance(spec, UserTask):
        errors.extend(_check_user_task(spec, element, known_roles))
    elif getattr(spec, "manual", False):
        errors.extend(_check_confirmation_step(spec, element, known_roles))
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


def form_key_of(spec) -> str:
    """The form of a human step: its formKey, or the confirmation form of a plain/manual task."""
    props = (spec.extensions or {}).get("properties", {}) if isinstance(getattr(spec, "extensions", None), dict) else {}
    return props.get("formKey") or ("" if isinstance(spec, UserTask) else CONFIRM_FORM)


def _check_confirmation_step(spec, element, known_roles) -> list:
    # A plain or manual task is work done outside the system: the lane's role confirms it is done.
    what = "手工任务" if type(spec).__name__ == "ManualTask" else "任务"
    if not spec.lane:
        return [problem(element, f"{what}会成为由泳道角色确认完成的步骤，必须放在以角色命名的泳道中 "
                                 "(a plain or manual task becomes a confirmation step for its lane's role: "
                                 "put it in a lane named after a role)")]
    if spec.lane not in known_roles:
        return [problem(element, f"泳道 '{spec.lane}' 不是已知角色 (lane is not a known role; known: "
                                 f"{', '.join(sorted(known_roles))})")]
    form_key = form_key_of(spec)
    if not forms.exists(form_key):
        return [problem(element, f"未知表单 '{form_key}' (unknown form; known: {', '.join(forms.form_keys())})")]
    return []


def check_contract(parsed: ParsedDiagram, required: dict) -> list:
    """Name the element ids (and their forms) the code relies on that a new version lacks."""
    specs = {}
    for wf_spec in [parsed.spec, *[v for v in parsed.subprocess_specs.values() if v is not None]]:
        for spec in wf_spec.task_specs.values():
            if getattr(spec, "bpmn_id", None):
                specs.setdefault(spec.bpmn_id, spec)
    errors = []
    for element, form_key in sorted(required.items()):
        spec = specs.get(element)
        if spec is None:
            errors.append(problem(element, f"程序依赖元素「{element}」(流程 {parsed.key})，新版本中缺少它：请保留该元素 id "
                                           f"(the application relies on element '{element}'; keep this id)"))
        elif form_key and form_key_of(spec) != form_key:
            errors.append(problem(element, f"程序依赖元素「{element}」使用表单 '{form_key}'，新版本为 "
                                           f"'{form_key_of(spec)}' (the application relies on this form; keep it)"))
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
    for wf_spec in [parsed.spec, *[v for v in parsed.subprocess_specs.values() if v is not None]]:
        for spec in wf_spec.task_specs.values():
            engine = getattr(spec, "dmnEngine", None)
            if engine is not None:
                out.add(engine.decision_table.id)
    return out
