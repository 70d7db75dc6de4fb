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

// One click, one document: a second click while the first submission is on its way does nothing.
(function () {
  var form = document.getElementById("new-document");
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button.disabled) return;
    setTimeout(function () { button.disabled = true; button.textContent = "提交中…"; }, 0);
  });
})();
