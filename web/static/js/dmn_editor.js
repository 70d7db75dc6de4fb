// The DMN editor page: dmn-js modeler, opening the first decision table; saves through the admin endpoint.
(function () {
  var status = document.getElementById("editor-status"), problems = document.getElementById("problems");
  var container = document.getElementById("dmn");
  // Per view: dmn-js 17 replaces `common.additionalModules` with each view's own list.
  var chinese = { additionalModules: [gk.translateModule(window.gkDmnZh)] };
  var modeler = new DmnJS({ container: container, drd: chinese, decisionTable: chinese, literalExpression: chinese });
  window.gkDmn = modeler;
  modeler.importXML(gk.embedded("dmn-xml")).then(function () {
    var table = modeler.getViews().filter(function (v) { return v.type === "decisionTable"; })[0];
    return table ? modeler.open(table) : null;
  }).then(function () { container.dataset.ready = "true"; })
    .catch(function (err) { gk.show(status, "决策表加载失败：" + err.message, true); });

  var button = document.getElementById("save");
  button.addEventListener("click", function () {
    gk.show(status, "正在保存…", false);
    modeler.saveXML({ format: true }).then(function (r) {
      return gk.postJSON(button.dataset.url, { xml: r.xml });
    }).then(function (res) {
      problems.innerHTML = "";
      if (res.ok) { gk.show(status, "已保存；下次部署引用它的流程时生效", false); return; }
      (res.body.errors || []).forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = (p.element_id ? p.element_id + "：" : "") + p.message;
        problems.appendChild(li);
      });
      gk.show(status, (res.body.error || {}).message || "保存失败", true);
    });
  });
})();
