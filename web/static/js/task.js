// The task page: render the form with form-js, complete through the page endpoint, draw the diagram.
(function () {
  var formEl = document.getElementById("form");
  var errorsEl = document.getElementById("form-errors");
  var form = null;

  function fieldIdForKey(key) {
    var fields = form.get("formFieldRegistry").getAll();
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].key === key) return fields[i].id;
    }
    return null;
  }

  // Show the server's 422 field errors under the fields, with form-js's own error markup.
  function showServerErrors(fields) {
    var byId = {}, loose = [];
    Object.keys(fields || {}).forEach(function (key) {
      var messages = [].concat(fields[key]).map(String);
      var id = fieldIdForKey(key);
      if (id) byId[id] = messages; else loose.push(key + "：" + messages.join("；"));
    });
    form._setState({ errors: byId });
    return loose;
  }

  // forms/__init__.py's FEEL subset (field = "v", field != "v", joined by and / or), for the
  // fields required only in some cases (`properties.requiredWhen`): form-js cannot express them.
  function feel(expr, data) {
    if (expr.indexOf(" or ") >= 0) return expr.split(" or ").some(function (p) { return feel(p, data); });
    if (expr.indexOf(" and ") >= 0) return expr.split(" and ").every(function (p) { return feel(p, data); });
    var m = /^\s*([a-z_][a-z0-9_]*)\s*(!=|=)\s*"([^"]*)"\s*$/.exec(expr);
    if (!m) return false;
    var value = data[m[1]], equal = String(value === undefined || value === null ? "" : value) === m[3];
    return m[2] === "=" ? equal : !equal;
  }

  function holds(expr, data) {
    expr = (expr || "").trim();
    return expr.charAt(0) === "=" && feel(expr.slice(1), data);
  }

  function conditionalErrors(data) {
    var errors = {};
    form.get("formFieldRegistry").getAll().forEach(function (field) {
      var when = field.properties && field.properties.requiredWhen, value = data[field.key];
      if (!when || holds(field.conditional && field.conditional.hide, data)) return;
      if (holds(when, data) && (value === undefined || value === null || String(value).trim() === "")) {
        errors[field.id] = ["此项必填"];
      }
    });
    return errors;
  }

  if (formEl) {
    gk.translateFormJs(formEl);  // form-js's own messages ("Field is required.") in Chinese
    form = new FormViewer.Form({ container: formEl });
    form.importSchema(gk.embedded("form-schema"), gk.embedded("form-data") || {}).then(function () {
      if (formEl.dataset.readonly === "true") form.setProperty("readOnly", true);
      formEl.dataset.ready = "true";
    }).catch(function (err) { gk.show(errorsEl, "表单加载失败：" + err.message, true); });
  }

  var button = document.getElementById("complete");
  if (button && form) {
    button.addEventListener("click", function () {
      var result = form.submit();
      var errors = Object.assign(conditionalErrors(result.data), result.errors);
      if (Object.keys(errors).length) {
        form._setState({ errors: errors });
        gk.show(errorsEl, "请先更正表单中标出的错误", true);
        return;
      }
      button.disabled = true;
      gk.postJSON(button.dataset.url, { data: result.data }).then(function (res) {
        if (res.ok) { window.location.href = res.body.redirect || window.location.href; return; }
        button.disabled = false;
        var err = res.body.error || {};
        var loose = showServerErrors(err.fields);
        gk.show(errorsEl, [err.message || "提交失败"].concat(loose).join("；"), true);
      });
    });
  }

  // The diagram opens at a readable zoom centred on the current step, with the path taken so far
  // (steps done and the flows between them) marked; the reader can still pan and zoom.
  function centreOn(canvas, element) {
    canvas.zoom(1);
    var outer = canvas.viewbox().outer;
    canvas.viewbox({ x: element.x + element.width / 2 - outer.width / 2, y: element.y + element.height / 2 - outer.height / 2,
                     width: outer.width, height: outer.height });
  }

  function markPath(canvas, registry, done, current) {
    done.forEach(function (id) { if (registry.get(id)) canvas.addMarker(id, "completed"); });
    var reached = new Set(done.concat(current ? [current] : []));
    registry.filter(function (e) { return e.type === "bpmn:SequenceFlow"; }).forEach(function (flow) {
      var bo = flow.businessObject;
      if (reached.has(bo.sourceRef.id) && reached.has(bo.targetRef.id)) canvas.addMarker(flow.id, "taken");
    });
  }

  var diagramEl = document.getElementById("diagram");
  if (diagramEl) {
    var viewer = new BpmnJS({ container: diagramEl });
    var marks = gk.embedded("diagram-marks");
    viewer.importXML(gk.embedded("diagram-xml")).then(function () {
      var canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry");
      var current = marks.current && registry.get(marks.current);
      markPath(canvas, registry, marks.completed || [], current ? marks.current : null);
      if (current) {
        canvas.addMarker(marks.current, "highlight");
        centreOn(canvas, current);
      } else {
        canvas.zoom("fit-viewport", "auto");
      }
      window.gkDiagram = viewer;  // for the browser tests, as the editor exposes gkModeler
      diagramEl.dataset.ready = "true";
    }).catch(function (err) { diagramEl.textContent = "流程图无法显示：" + err.message; });
  }
})();
