// Show the ground and reason only for withheld/on-request, the interpretation only for policy and normative documents.
(function () {
  var attribute = document.getElementById("attribute");
  var category = document.getElementById("category");
  var ground = document.getElementById("ground-fields");
  var interpretation = document.getElementById("interpretation-field");
  var publicity = document.getElementById("publicity");
  function sync() {
    if (category.value === "social_assistance") publicity.checked = true;  // always a 公示
    ground.hidden = !(attribute.value === "withheld" || attribute.value === "on_request");
    interpretation.hidden = category.value !== "policy" && category.value !== "normative";
  }
  attribute.addEventListener("change", sync);
  category.addEventListener("change", sync);
  sync();
})();

// One click, one document; sent with fetch so that on a 422 the fields and the chosen files stay as
// they are, the refused files marked with the reason and every field's error beside it.
(function () {
  var form = document.getElementById("new-document");
  var button = form.querySelector("button[type=submit]");
  var summary = document.getElementById("form-errors");
  var pickers = {};
  form.querySelectorAll(".file-picker").forEach(function (root) { pickers[root.dataset.name] = gk.filePicker(root); });

  function clearErrors() {
    form.querySelectorAll(".field-error[data-field]").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[data-hint]").forEach(function (el) { el.hidden = true; });
  }

  function showErrors(error) {
    var fields = error.fields || {};
    Object.keys(fields).forEach(function (name) {
      var messages = [].concat(fields[name]).map(String);
      if (pickers[name]) pickers[name].refuse(messages);
      var hint = form.querySelector('[data-hint="' + name + '"]');
      if (hint) hint.hidden = false;
      var input = form.querySelector('[name="' + name + '"]');
      var holder = input && (input.closest(".file-picker") || input.closest("label") || input.closest("fieldset"));
      if (!holder) return;
      var span = document.createElement("span");
      span.className = "field-error";
      span.dataset.field = name;
      span.textContent = messages.join("；");
      holder.appendChild(span);
    });
    gk.show(summary, error.message || "提交失败", true);
    summary.focus();
  }

  summary.tabIndex = -1;
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    var label = button.textContent;
    button.textContent = "提交中…";
    clearErrors();
    fetch(form.action || window.location.href, {
      method: "POST", credentials: "same-origin", body: new FormData(form),
      headers: { "Accept": "application/json", "X-CSRFToken": gk.csrf() }
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        if (resp.ok && body.redirect) { window.location.href = body.redirect; return; }
        button.disabled = false;
        button.textContent = label;
        showErrors(body.error || { message: "提交失败（" + resp.status + "）" });
      });
    }).catch(function () {
      button.disabled = false;
      button.textContent = label;
      gk.show(summary, "网络错误，请重试", true);
    });
  });
})();
