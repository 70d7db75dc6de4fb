// A small properties panel for what the engine reads from a diagram: lane names (= role keys),
// user-task forms and expressions (spiffworkflow:properties: formKey, assignee, dueAt, department),
// service-task operations
// (spiffworkflow:serviceTaskOperator id="..."), and timer expressions. Plain DOM, no bundler.
window.gk = window.gk || {};

gk.PropertiesPanel = function (modeler, container, options) {
  var modeling = modeler.get("modeling"), moddle = modeler.get("moddle");
  var current = null;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function field(label, control) {
    return el("label", {}, [document.createTextNode(label), control]);
  }

  function select(name, choices, value, onChange) {
    var s = el("select", { name: name });
    s.appendChild(el("option", { value: "", text: "（请选择）" }));
    var known = false;
    choices.forEach(function (c) {
      var o = el("option", { value: c.value, text: c.label });
      if (c.value === value) { o.selected = true; known = true; }
      s.appendChild(o);
    });
    if (value && !known) {
      var unknown = el("option", { value: value, text: value + "（未知）" });
      unknown.selected = true;
      s.appendChild(unknown);
    }
    s.addEventListener("change", function () { onChange(s.value); });
    return s;
  }

  function input(name, value, onChange) {
    var i = el("input", { name: name });
    i.value = value || "";
    i.addEventListener("change", function () { onChange(i.value); });
    return i;
  }

  function extension(bo, type) {
    var ext = bo.extensionElements;
    return ext ? (ext.get("values") || []).filter(function (v) { return v.$type === type; })[0] : undefined;
  }

  function ensureExtension(element, type, attrs) {
    var bo = element.businessObject, ext = bo.extensionElements;
    if (!ext) {
      ext = moddle.create("bpmn:ExtensionElements", { values: [] });
      ext.$parent = bo;
      modeling.updateProperties(element, { extensionElements: ext });
    }
    var found = extension(bo, type);
    if (!found) {
      found = moddle.create(type, attrs || {});
      found.$parent = ext;
      modeling.updateModdleProperties(element, ext, { values: (ext.get("values") || []).concat(found) });
    }
    return found;
  }

  // A user task's settings are spiffworkflow:property entries: formKey, and the expressions
  // assignee, dueAt and department (read by the engine when it projects the task).
  function taskProperty(bo, name) {
    var props = extension(bo, "spiffworkflow:Properties");
    var p = props && (props.get("properties") || []).filter(function (x) { return x.name === name; })[0];
    return p ? p.value : "";
  }

  function setTaskProperty(element, name, value) {
    var props = ensureExtension(element, "spiffworkflow:Properties", { properties: [] });
    var list = props.get("properties") || [];
    var p = list.filter(function (x) { return x.name === name; })[0];
    if (!value) {
      if (p) modeling.updateModdleProperties(element, props, { properties: list.filter(function (x) { return x !== p; }) });
    } else if (p) {
      modeling.updateModdleProperties(element, p, { value: value });
    } else {
      p = moddle.create("spiffworkflow:Property", { name: name, value: value });
      p.$parent = props;
      modeling.updateModdleProperties(element, props, { properties: list.concat(p) });
    }
  }

  var TASK_EXPRESSIONS = [
    { name: "assignee", label: "指定办理人（表达式，如 started_by）" },
    { name: "dueAt", label: "办理期限（表达式，如 working_days(5)）" },
    { name: "department", label: "办理部门（表达式，如 '财政局'；空则为流程所属部门）" }];

  function setOperation(element, value) {
    var op = extension(element.businessObject, "spiffworkflow:ServiceTaskOperator");
    if (op) modeling.updateModdleProperties(element, op, { id: value });
    else ensureExtension(element, "spiffworkflow:ServiceTaskOperator",
      { id: value, resultVariable: element.businessObject.id + "_result" });
  }

  var TIMER_KINDS = [{ value: "timeDuration", label: "持续时间 (timeDuration)" },
    { value: "timeDate", label: "到期时间 (timeDate)" }, { value: "timeCycle", label: "循环 (timeCycle)" }];

  function timerOf(bo) {
    return (bo.eventDefinitions || []).filter(function (d) { return d.$type === "bpmn:TimerEventDefinition"; })[0];
  }

  function setTimer(element, timer, kind, body) {
    var props = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
    if (kind) {
      var expr = moddle.create("bpmn:FormalExpression", { body: body || "" });
      expr.$parent = timer;
      props[kind] = expr;
    }
    modeling.updateModdleProperties(element, timer, props);
  }

  function roleName(key) {
    var role = options.roles.filter(function (r) { return r.key === key; })[0];
    return role ? role.name + "（" + key + "）" : key;
  }

  function laneNames(bo) {
    return (bo.get("lanes") || []).map(function (l) { return roleName(l.name); }).join("、") || "（不在泳道中）";
  }

  function render(element) {
    current = element;
    container.innerHTML = "";
    if (!element) {
      container.appendChild(el("p", { class: "muted", text: "选择图中的元素以编辑其属性。" }));
      return;
    }
    var bo = element.businessObject, type = bo.$type;
    var rows = [el("h3", { text: typeLabel(type) }), el("p", { class: "muted" }, [el("code", { text: bo.id })])];
    var roles = options.roles.map(function (r) { return { value: r.key, label: r.name + "（" + r.key + "）" }; });
    if (type === "bpmn:Lane") {
      rows.push(field("泳道角色", select("lane-role", roles, bo.name, function (v) {
        modeling.updateProperties(element, { name: v });
      })));
      rows.push(addLaneButton(element));
    } else if (type === "bpmn:Participant") {
      rows.push(field("名称", input("name", bo.name, function (v) { modeling.updateProperties(element, { name: v }); })));
      rows.push(addLaneButton(element));
    } else if (element.type !== "label" && type !== "bpmn:Process" && type !== "bpmn:Collaboration") {
      rows.push(field("名称", input("name", bo.name, function (v) { modeling.updateProperties(element, { name: v }); })));
    }
    if (type === "bpmn:UserTask") {
      rows.push(el("p", {}, [document.createTextNode("所在泳道：" + laneNames(bo))]));
      rows.push(field("表单", select("form-key", options.forms.map(function (f) { return { value: f.key, label: f.label }; }),
        taskProperty(bo, "formKey"), function (v) { setTaskProperty(element, "formKey", v); })));
      TASK_EXPRESSIONS.forEach(function (t) {
        rows.push(field(t.label, input("task-" + t.name, taskProperty(bo, t.name),
          function (v) { setTaskProperty(element, t.name, v.trim()); })));
      });
    }
    if (type === "bpmn:ServiceTask") {
      var op = extension(bo, "spiffworkflow:ServiceTaskOperator");
      rows.push(field("服务操作", select("operation", options.operations.map(function (o) { return { value: o, label: o }; }),
        op ? op.id : "", function (v) { setOperation(element, v); })));
    }
    var timer = timerOf(bo);
    if (timer) {
      var kind = ["timeDuration", "timeDate", "timeCycle"].filter(function (k) { return timer[k]; })[0] || "";
      var body = kind ? timer[kind].body : "";
      var kindSelect = select("timer-kind", TIMER_KINDS, kind, function (v) { setTimer(element, timer, v, exprInput.value); });
      var exprInput = input("timer-expression", body, function (v) { setTimer(element, timer, kindSelect.value || "timeDuration", v); });
      rows.push(field("定时类型", kindSelect));
      rows.push(field("定时表达式（如 \"PT48H\" 或 working_days(20)）", exprInput));
    }
    rows.forEach(function (r) { container.appendChild(r); });
  }

  function addLaneButton(element) {
    var b = el("button", { type: "button", id: "add-lane", text: "在下方添加泳道" });
    b.addEventListener("click", function () {
      var lane = modeling.addLane(element, "bottom");
      modeler.get("selection").select(lane);
    });
    return b;
  }

  function typeLabel(type) {
    return ({ "bpmn:UserTask": "用户任务", "bpmn:ServiceTask": "服务任务", "bpmn:ScriptTask": "脚本任务",
      "bpmn:Lane": "泳道", "bpmn:Participant": "池", "bpmn:StartEvent": "开始事件", "bpmn:EndEvent": "结束事件",
      "bpmn:ExclusiveGateway": "排他网关", "bpmn:ParallelGateway": "并行网关", "bpmn:BoundaryEvent": "边界事件",
      "bpmn:IntermediateCatchEvent": "中间捕获事件", "bpmn:SequenceFlow": "顺序流", "bpmn:Task": "任务",
      "bpmn:BusinessRuleTask": "业务规则任务" })[type] || type;
  }

  modeler.on("selection.changed", function (e) { render(e.newSelection.length === 1 ? e.newSelection[0] : null); });
  modeler.on("elements.changed", function (e) {
    if (current && e.elements.indexOf(current) !== -1 && !container.contains(document.activeElement)) render(current);
  });
  render(null);
  return { render: render };
};
