// The BPMN editor page: bpmn-js modeler with the spiffworkflow moddle extension, our properties
// panel, and validate / save draft / deploy through the session-authenticated admin endpoints.
(function () {
  var root = document.getElementById("editor");
  var status = document.getElementById("editor-status");
  var problems = document.getElementById("problems");
  var marked = [];

  fetch(root.dataset.moddleUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (spiff) {
    // bpmn-js-i18n's Chinese (npm, vendored by `make vendor`) through bpmn-js's translate service.
    var modeler = new BpmnJS({ container: "#canvas", moddleExtensions: { spiffworkflow: spiff },
                               additionalModules: [gk.translateModule(window.gkBpmnZh || {})] });
    window.gkModeler = modeler;
    gk.PropertiesPanel(modeler, document.getElementById("properties"), gk.embedded("editor-options"));
    return modeler.importXML(gk.embedded("diagram-xml")).then(function (result) {
      drawn(modeler, result, "");
      root.dataset.ready = "true";
      wire(modeler);
      wireImport(modeler);
    });
  }).catch(function (err) { gk.show(status, "流程图加载失败：" + err.message, true); });

  // After an import: fit the view, and say so when bpmn-js drew nothing (a file without diagram
  // information, BPMNDiagram/BPMNShape, imports without error onto a blank canvas).
  function drawn(modeler, result, name) {
    var shapes = modeler.get("elementRegistry").filter(function (e) { return e.type !== "label" && e.parent; });
    if (!shapes.length) {
      gk.show(status, (name ? name + "：" : "") + "bpmn-js 无法绘制此流程图（文件中没有图形信息 BPMNDiagram）。" +
        "仍可校验和部署，但无法在此编辑。", true);
      return;
    }
    modeler.get("canvas").zoom("fit-viewport", "auto");
    var warnings = (result && result.warnings) || [];
    if (name) {
      gk.show(status, "已导入 " + name + (warnings.length ? "（" + warnings.length + " 处无法识别的内容已忽略）" : ""),
        warnings.length > 0);
    }
  }

  function wireImport(modeler) {
    var input = document.getElementById("import-file");
    input.addEventListener("change", function () {
      var file = input.files[0];
      if (!file) { return; }
      // The server adds a drawing to a file that has none, as it does for the diagrams it serves.
      file.text().then(function (text) {
        return gk.postJSON(root.dataset.layoutUrl, { xml: text }).then(function (res) {
          return res.ok ? res.body.xml : text;
        });
      }).then(function (xml) {
        return modeler.importXML(xml).then(function (result) { drawn(modeler, result, file.name); });
      }).catch(function (err) {
        gk.show(status, "无法导入 " + file.name + "：" + err.message, true);
      }).then(function () { input.value = ""; });
    });
  }

  function wire(modeler) {
    var canvas = modeler.get("canvas"), registry = modeler.get("elementRegistry");

    function xml() { return modeler.saveXML({ format: true }).then(function (r) { return r.xml; }); }

    function showProblems(list) {
      marked.forEach(function (id) { if (registry.get(id)) canvas.removeMarker(id, "validation-error"); });
      marked = [];
      problems.innerHTML = "";
      (list || []).forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = (p.element_id ? p.element_id + "：" : "") + p.message;
        if (p.element_id && registry.get(p.element_id)) {
          canvas.addMarker(p.element_id, "validation-error");
          marked.push(p.element_id);
          li.className = "clickable";
          li.addEventListener("click", function () { modeler.get("selection").select(registry.get(p.element_id)); });
        }
        problems.appendChild(li);
      });
    }

    function send(url, busy, onOk) {
      gk.show(status, busy, false);
      return xml().then(function (body) { return gk.postJSON(url, { xml: body }); }).then(function (res) {
        if (res.ok) { onOk(res.body); return; }
        var err = res.body.error || {};
        showProblems(res.body.errors || []);
        gk.show(status, err.message || "操作失败", true);
      });
    }

    document.getElementById("validate").addEventListener("click", function () {
      send(root.dataset.validateUrl, "正在校验…", function (body) {
        showProblems(body.errors);
        gk.show(status, body.errors.length ? "发现 " + body.errors.length + " 个问题" : "校验通过", body.errors.length > 0);
      });
    });
    document.getElementById("save-draft").addEventListener("click", function () {
      send(root.dataset.draftUrl, "正在保存…", function () { gk.show(status, "草稿已保存", false); });
    });
    document.getElementById("deploy").addEventListener("click", function () {
      send(root.dataset.deployUrl, "正在部署…", function (body) {
        showProblems([]);
        gk.show(status, body.created ? "已部署为第 " + body.version + " 版" : "与第 " + body.version + " 版相同，未重复部署", false);
      });
    });
  }
})();
