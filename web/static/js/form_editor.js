// The form editor page: form-js editor; saves the schema through the admin endpoint.
(function () {
  var status = document.getElementById("editor-status");
  var container = document.getElementById("form-editor");
  gk.translateFormJs(container);
  var editor = new FormEditor.FormEditor({ container: container });
  window.gkFormEditor = editor;
  editor.importSchema(gk.embedded("form-schema")).then(function () { container.dataset.ready = "true"; })
    .catch(function (err) { gk.show(status, "表单加载失败：" + err.message, true); });
  var button = document.getElementById("save");
  button.addEventListener("click", function () {
    gk.show(status, "正在保存…", false);
    gk.postJSON(button.dataset.url, { schema: editor.saveSchema() }).then(function (res) {
      gk.show(status, res.ok ? "表单已保存" : ((res.body.error || {}).message || "保存失败"), !res.ok);
    });
  });
})();
