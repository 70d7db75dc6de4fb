// The drafter's changes to a returned document's files (add, replace, remove) through the API with
// the CSRF header; the page reloads to show the new list (and a new body's text in the form).
(function () {
  var root = document.getElementById("document-files");
  var status = document.getElementById("files-status");
  if (!root || !status) return;
  var api = root.dataset.api;
  var pickerRoot = root.querySelector(".file-picker");
  var picker = pickerRoot ? gk.filePicker(pickerRoot) : null;

  function send(method, url, body) {
    gk.show(status, "处理中…");
    return fetch(url, { method: method, credentials: "same-origin", body: body,
                        headers: { "Accept": "application/json", "X-CSRFToken": gk.csrf() } })
      .then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (json) {
          if (resp.ok) { window.location.reload(); return; }
          var error = json.error || {};
          var fields = error.fields || {};
          if (picker && fields.attachments) picker.refuse(fields.attachments);
          gk.show(status, error.message || ("操作失败（" + resp.status + "）"), true);
        });
      });
  }

  root.querySelectorAll(".replace-file").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var body = new FormData();
      body.append("file", input.files[0]);
      send("PUT", api + "/" + input.dataset.fileId, body);
    });
  });
  root.querySelectorAll(".remove-file").forEach(function (button) {
    button.addEventListener("click", function () { send("DELETE", api + "/" + button.dataset.fileId); });
  });
  var upload = document.getElementById("upload-files");
  if (upload) upload.addEventListener("click", function () {
    if (!picker.files().length) { gk.show(status, "请先选择要添加的附件", true); return; }
    var body = new FormData();
    picker.files().forEach(function (file) { body.append("attachments", file); });
    send("POST", api, body);
  });
})();
