// Small helpers shared by the pages: JSON POSTs with the CSRF header, reading embedded JSON.
window.gk = window.gk || {};

gk.csrf = function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
};

gk.postJSON = function (url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": gk.csrf() },
    body: JSON.stringify(body || {})
  }).then(function (resp) {
    return resp.json().catch(function () { return {}; }).then(function (json) {
      return { ok: resp.ok, status: resp.status, body: json };
    });
  });
};

gk.embedded = function (id) {
  var el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
};

gk.show = function (el, text, isError) {
  if (!el) return;
  el.textContent = text || "";
  el.className = isError ? "error" : "ok";
};

// A select with data-autosubmit submits its form when changed (no inline handlers under our CSP).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
});

// A form with data-confirm asks before it submits (cancelling a process ends its work for good).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
